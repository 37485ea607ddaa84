//! Line accounting report (`begrip parse --report`): per input, the share of
//! content lines that ended up in an element, and the lines that did not;
//! then the lines that carry numbers but are in no table row.

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
    let lines: Vec<&str> = text.lines().collect();
    let show = |out: &mut dyn Write, numbers: &[usize]| -> Result<()> {
        for &n in numbers {
            let line = lines.get(n.wrapping_sub(1)).map_or("", |l| l.trim());
            writeln!(out, "  line {n}: {line}")?;
        }
        Ok(())
    };
    show(out, &c.unassigned)?;
    if !c.numbers_outside_tables.is_empty() {
        writeln!(out, "{}: {} lines with numbers in no table", doc.file, c.numbers_outside_tables.len())?;
        show(out, &c.numbers_outside_tables)?;
    }
    Ok(())
}
