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
    header_written: bool,
}

impl CsvEmitter {
    /// A CSV emitter for `table`; `bom` writes a UTF-8 byte order mark first
    /// (what spreadsheet programs need to detect UTF-8).
    pub fn new(table: TableKind, delimiter: u8, bom: bool) -> Self {
        CsvEmitter {
            table,
            delimiter,
            bom,
            header_written: false,
        }
    }

    fn write_rows<T: serde::Serialize>(&mut self, out: &mut dyn Write, rows: &[T]) -> Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(!self.header_written)
            .from_writer(out);
        for row in rows {
            writer.serialize(row)?;
        }
        writer.flush()?;
        Ok(())
    }
}

impl Emitter for CsvEmitter {
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        if self.bom && !self.header_written {
            out.write_all("\u{feff}".as_bytes())?;
        }
        match self.table {
            TableKind::Records => self.write_rows(out, &record_rows(doc))?,
            TableKind::Indicators => self.write_rows(out, &indicator_rows(doc))?,
        }
        self.header_written = true;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        if !self.header_written {
            let header = match self.table {
                TableKind::Records => &RECORD_HEADER[..],
                TableKind::Indicators => &INDICATOR_HEADER[..],
            };
            let sep = (self.delimiter as char).to_string();
            writeln!(out, "{}", header.join(&sep))?;
        }
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
