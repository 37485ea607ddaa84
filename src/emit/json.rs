//! JSON (documents) and JSON Lines (flat rows) output.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

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

/// Append a document (or any value) as pretty JSON to `out`: the bytes
/// `serde_json::to_writer_pretty` writes, made faster.
pub fn write_pretty<T: Serialize>(out: &mut Vec<u8>, value: &T) -> Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Pretty::default());
    value.serialize(&mut serializer)?;
    Ok(())
}

/// Spaces enough for most depths, after the separator that starts a line.
const LINE_STARTS: &[u8; 130] = b",\n                                                                                                                                ";

/// The output of serde_json's `PrettyFormatter` with a two-space indent,
/// written with one call per line start instead of one per indent level.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// Start a new line at the current depth, after a comma unless `first`.
    fn line_start<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> std::io::Result<()> {
        let from = usize::from(first);
        match LINE_STARTS.get(from..2 + 2 * self.depth) {
            Some(start) => writer.write_all(start),
            None => {
                writer.write_all(&LINE_STARTS[from..2])?;
                (0..self.depth).try_for_each(|_| writer.write_all(b"  "))
            }
        }
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line_start(writer, true)?;
        }
        writer.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.line_start(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.line_start(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

impl Emitter for JsonEmitter {
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        let mut json = Vec::new();
        write_pretty(&mut json, doc)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_output_is_serde_json_pretty_at_every_depth() {
        let mut value = serde_json::json!({"a": [1, "x\"y", null, {}], "b": [], "c": {"d": 2.5}});
        for depth in 0..80 {
            let mut ours = Vec::new();
            write_pretty(&mut ours, &value).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string_pretty(&value).unwrap(),
                "depth {depth}"
            );
            value = serde_json::json!([{"k": [depth]}, value]);
        }
    }
}
