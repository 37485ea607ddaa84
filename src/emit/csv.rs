//! CSV output (RFC 4180 quoting, UTF-8): one header, then rows of every document.

use std::io::Write;

use anyhow::Result;

use super::{indicator_rows, record_rows, Emitter, TableKind};
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
        self.write_rows(out, &[header])
    }

    fn write_rows<T: serde::Serialize>(&self, out: &mut dyn Write, rows: &[T]) -> Result<()> {
        let mut writer = csv::WriterBuilder::new().delimiter(self.delimiter).has_headers(false).from_writer(out);
        for row in rows {
            writer.serialize(row)?;
        }
        writer.flush()?;
        Ok(())
    }
}

impl Emitter for CsvEmitter {
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        self.start(out)?;
        match self.table {
            TableKind::Records => self.write_rows(out, &record_rows(doc)),
            TableKind::Indicators => self.write_rows(out, &indicator_rows(doc)),
        }
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        self.start(out)?;
        out.flush()?;
        Ok(())
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
    use crate::emit::{IndicatorRow, RecordRow};

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
        let records: Vec<RecordRow> = crate::emit::record_rows(&doc);
        let indicators: Vec<IndicatorRow> = crate::emit::indicator_rows(&doc);
        assert_eq!(field_names(&records[0]), RECORD_HEADER);
        assert_eq!(field_names(&indicators[0]), INDICATOR_HEADER);
    }
}
