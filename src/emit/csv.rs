//! CSV output (RFC 4180 quoting, UTF-8): one header, then rows of every document.

use std::io::Write;

use anyhow::Result;

use super::{visit_indicators, visit_records, Emitter, TableKind};
use crate::model::Document;

/// Streams the rows of one table as CSV.
#[derive(Debug)]
pub struct CsvEmitter {
    table: TableKind,
    delimiter: u8,
    bom: bool,
    started: bool,
}

impl CsvEmitter {
    /// A CSV emitter for `table`; `bom` writes a UTF-8 byte order mark first
    /// (what spreadsheet programs need to detect UTF-8).
    pub fn new(table: TableKind, delimiter: u8, bom: bool) -> Self {
        CsvEmitter { table, delimiter, bom, started: false }
    }

    /// A CSV emitter that writes rows only (no byte order mark, no header):
    /// for appending one document's rows to a file that has them already.
    pub fn rows_only(table: TableKind, delimiter: u8) -> Self {
        CsvEmitter { table, delimiter, bom: false, started: true }
    }

    /// The byte order mark (if asked for) and the header line, once.
    fn start(&mut self, out: &mut dyn Write) -> Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        if self.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let header = match self.table {
            TableKind::Records => &RECORD_HEADER[..],
            TableKind::Indicators => &INDICATOR_HEADER[..],
        };
        let mut writer = self.writer(out);
        writer.write_record(header)?;
        writer.flush()?;
        Ok(())
    }

    fn writer<'w>(&self, out: &'w mut dyn Write) -> csv::Writer<&'w mut dyn Write> {
        csv::WriterBuilder::new().delimiter(self.delimiter).has_headers(false).from_writer(out)
    }
}

impl Emitter for CsvEmitter {
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        self.start(out)?;
        let mut writer = self.writer(out);
        let mut result = Ok(());
        match self.table {
            TableKind::Records => visit_records(doc, &mut |r| keep_first_error(&mut result, || writer.serialize(r))),
            TableKind::Indicators => {
                visit_indicators(doc, &mut |r| keep_first_error(&mut result, || writer.serialize(r)))
            }
        }
        result?;
        writer.flush()?;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        self.start(out)?;
        out.flush()?;
        Ok(())
    }
}

/// Run `write` unless an earlier write failed; keep the first error.
fn keep_first_error(result: &mut csv::Result<()>, write: impl FnOnce() -> csv::Result<()>) {
    if result.is_ok() {
        *result = write();
    }
}

/// Column names of the records table (also written when there are no rows).
pub const RECORD_HEADER: [&str; 17] = [
    "file",
    "gemeente",
    "document_type",
    "year",
    "programme",
    "section",
    "speerpunt",
    "kind",
    "code",
    "title",
    "label",
    "text",
    "line_start",
    "line_end",
    "label_kind",
    "taakveld",
    "tables",
];

/// Column names of the indicators table (also written when there are no rows).
pub const INDICATOR_HEADER: [&str; 21] = [
    "file",
    "gemeente",
    "document_type",
    "year",
    "programme",
    "section",
    "speerpunt",
    "table",
    "code",
    "indicator",
    "column",
    "period",
    "value_type",
    "raw",
    "value",
    "unit",
    "line",
    "group",
    "taakveld",
    "multiplier",
    "ambiguous",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The header constants name the row structs' fields, in order.
    fn field_names<T: serde::Serialize>(row: &T) -> Vec<String> {
        let mut writer = csv::WriterBuilder::new().has_headers(true).from_writer(Vec::new());
        writer.serialize(row).expect("serialize");
        let bytes = writer.into_inner().expect("bytes");
        let text = String::from_utf8(bytes).expect("utf8");
        text.lines().next().expect("header").split(',').map(String::from).collect()
    }

    #[test]
    fn headers_match_the_row_structs() {
        let doc = crate::parse_text("x.txt", "Omschrijving\n\n2021 (w)\n\n2022 (b)\n\nAantal\n\n1\n\n2\n");
        let mut records = Vec::new();
        visit_records(&doc, &mut |r| records.push(field_names(r)));
        let mut indicators = Vec::new();
        visit_indicators(&doc, &mut |r| indicators.push(field_names(r)));
        assert_eq!(records[0], RECORD_HEADER);
        assert_eq!(indicators[0], INDICATOR_HEADER);
    }
}
