//! JSON (documents) and JSON Lines (flat rows) output.

use std::io::Write;

use anyhow::Result;

use super::json_tree::write_document;
use super::{visit_indicators, visit_records, Emitter, TableKind};
use crate::model::Document;

/// Streams documents as JSON: one object for one input, an array for several.
#[derive(Debug, Default)]
pub struct JsonEmitter {
    pending: Option<Vec<u8>>,
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
        let mut json = Vec::new();
        write_document(&mut json, doc);
        if let Some(previous) = self.pending.take() {
            out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
            out.write_all(&previous)?;
            self.written += 1;
        }
        self.pending = Some(json);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        let parts: [&[u8]; 3] = match (&self.pending, self.written) {
            (Some(only), 0) => [b"", only, b"\n"],
            (Some(last), _) => [b",\n", last, b"\n]\n"],
            (None, 0) => [b"", b"[]", b"\n"],
            (None, _) => [b"", b"\n]", b"\n"],
        };
        parts.iter().try_for_each(|part| out.write_all(part))?;
        self.pending = None;
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

/// Append the JSON Lines rows of `doc` for `table` to `buf`: the bytes
/// [`JsonlEmitter::document`] writes for it (`batch` collects each input's
/// rows this way). Returns how many rows.
pub fn append_jsonl(table: TableKind, doc: &Document, buf: &mut Vec<u8>) -> usize {
    let (mut count, mut result) = (0, Ok(()));
    match table {
        TableKind::Records => visit_records(doc, &mut |r| {
            write_line(buf, r, &mut result);
            count += 1;
        }),
        TableKind::Indicators => visit_indicators(doc, &mut |r| {
            write_line(buf, r, &mut result);
            count += 1;
        }),
    }
    // Rows serialise into memory without failing: strings, numbers and booleans only.
    debug_assert!(result.is_ok());
    count
}
