//! JSON (documents) and JSON Lines (flat rows) output.

use std::io::Write;

use anyhow::Result;

use super::{indicator_rows, record_rows, Emitter, TableKind};
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

fn write_lines<T: serde::Serialize>(out: &mut dyn Write, rows: &[T]) -> Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *out, row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

impl Emitter for JsonlEmitter {
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        match self.table {
            TableKind::Records => write_lines(out, &record_rows(doc)),
            TableKind::Indicators => write_lines(out, &indicator_rows(doc)),
        }
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        out.flush()?;
        Ok(())
    }
}
