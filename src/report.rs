//! Line accounting report (`begrip parse --report`): per input, the share of
//! content lines that ended up in an element, and the lines that did not.

use std::io::Write;

use anyhow::Result;

use crate::model::Document;

/// Write the report for one document; `text` is the input text it came from,
/// used to show unassigned lines.
pub fn write_report(out: &mut dyn Write, doc: &Document, text: &str) -> Result<()> {
    let c = &doc.coverage;
    let share = if c.content_lines == 0 { 100.0 } else { 100.0 * c.assigned_lines as f64 / c.content_lines as f64 };
    let removed: usize = doc.removed.iter().map(|r| r.lines).sum();
    writeln!(
        out,
        "{}: {}/{} content lines assigned ({share:.1}%), {removed} boilerplate lines removed",
        doc.file, c.assigned_lines, c.content_lines
    )?;
    if c.unassigned.is_empty() {
        return Ok(());
    }
    let lines: Vec<&str> = text.lines().collect();
    for &n in &c.unassigned {
        let line = lines.get(n - 1).map_or("", |l| l.trim());
        writeln!(out, "  line {n}: {line}")?;
    }
    Ok(())
}
