//! JSON (documents) and JSON Lines (flat rows) output.

use std::io::Write;

use anyhow::Result;

use super::{visit_indicators, visit_records, Emitter, TableKind};
use crate::model::Document;

/// Streams documents as JSON: one object for one input, an array for several.
#[derive(Debug, Default)]
pub struct JsonEmitter {
    pending: Option<String>,
    written: usize,
}

impl JsonEmitter {
    /// A new JSON emitter.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Emitter for JsonEmitter {
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        let json = serde_json::to_string_pretty(doc)?;
        if let Some(previous) = self.pending.take() {
            out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
            out.write_all(previous.as_bytes())?;
            self.written += 1;
        }
        self.pending = Some(json);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        match (self.pending.take(), self.written) {
            (Some(only), 0) => writeln!(out, "{only}")?,
            (Some(last), _) => writeln!(out, ",\n{last}\n]")?,
            (None, 0) => writeln!(out, "[]")?,
            (None, _) => writeln!(out, "\n]")?,
        }
        out.flush()?;
        Ok(())
    }
}

/// Streams the rows of one table as JSON Lines.
#[derive(Debug)]
pub struct JsonlEmitter {
    table: TableKind,
}

impl JsonlEmitter {
    /// A JSON Lines emitter for `table`.
    pub fn new(table: TableKind) -> Self {
        JsonlEmitter { table }
    }
}

/// Write one row as a JSON line, keeping the first error.
fn write_line<T: serde::Serialize>(out: &mut dyn Write, row: &T, result: &mut Result<()>) {
    if result.is_ok() {
        *result = serde_json::to_writer(&mut *out, row).map_err(anyhow::Error::from).and_then(|()| {
            out.write_all(b"\n")?;
            Ok(())
        });
    }
}

impl Emitter for JsonlEmitter {
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        let mut result = Ok(());
        match self.table {
            TableKind::Records => visit_records(doc, &mut |r| write_line(out, r, &mut result)),
            TableKind::Indicators => visit_indicators(doc, &mut |r| write_line(out, r, &mut result)),
        }
        result
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        out.flush()?;
        Ok(())
    }
}
