//! CSV output (RFC 4180 quoting, UTF-8): one header, then rows of every document.
//!
//! Rows are written field by field into a buffer, without serde: the same
//! bytes as the `csv` crate writes (quotes only where a field needs them,
//! numbers as `itoa`/`ryu` format them; a test compares the two), at a
//! fraction of the cost.

use std::io::Write;

use anyhow::Result;

use super::{visit_indicators, visit_records, Emitter, IndicatorRow, RecordRow, TableKind};
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
        let mut line = RowWriter::new(self.delimiter);
        header.iter().for_each(|name| line.text(name));
        line.end_row();
        out.write_all(&line.buf)?;
        Ok(())
    }
}

impl Emitter for CsvEmitter {
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        self.start(out)?;
        let mut rows = RowWriter::new(self.delimiter);
        let mut result = Ok(());
        let mut write = |rows: &mut RowWriter| {
            if rows.buf.len() >= FLUSH_BYTES && result.is_ok() {
                result = out.write_all(&rows.buf);
                rows.buf.clear();
            }
        };
        match self.table {
            TableKind::Records => visit_records(doc, &mut |r| {
                r.write_csv(&mut rows);
                write(&mut rows);
            }),
            TableKind::Indicators => {
                let mut prefix = RowPrefix::default();
                visit_indicators(doc, &mut |r| {
                    r.write_csv(&mut rows, &mut prefix);
                    write(&mut rows);
                })
            }
        }
        result?;
        out.write_all(&rows.buf)?;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        self.start(out)?;
        out.flush()?;
        Ok(())
    }
}

/// Buffered rows are handed to the output in pieces of about this size.
const FLUSH_BYTES: usize = 64 * 1024;

/// Writes CSV rows field by field into a buffer.
struct RowWriter {
    buf: Vec<u8>,
    delimiter: u8,
    row_started: bool,
}

impl RowWriter {
    fn new(delimiter: u8) -> RowWriter {
        RowWriter { buf: Vec::with_capacity(FLUSH_BYTES + 4096), delimiter, row_started: false }
    }

    #[inline]
    fn separate(&mut self) {
        if self.row_started {
            self.buf.push(self.delimiter);
        }
        self.row_started = true;
    }

    /// A text field, quoted when it holds the delimiter, a quote or a line break.
    #[inline]
    fn text(&mut self, field: &str) {
        self.separate();
        let bytes = field.as_bytes();
        let needs_quotes = self.needs_quotes(bytes);
        if !needs_quotes {
            self.buf.extend_from_slice(bytes);
            return;
        }
        self.buf.push(b'"');
        for (i, part) in field.split('"').enumerate() {
            if i > 0 {
                self.buf.extend_from_slice(b"\"\"");
            }
            self.buf.extend_from_slice(part.as_bytes());
        }
        self.buf.push(b'"');
    }

    /// Whether a field holds the delimiter, a quote or a line break (one
    /// branch-free pass, which the compiler vectorises).
    #[inline]
    fn needs_quotes(&self, bytes: &[u8]) -> bool {
        let mut special = 0u8;
        for &b in bytes {
            special |=
                u8::from(b == b'"') | u8::from(b == b'\n') | u8::from(b == b'\r') | u8::from(b == self.delimiter);
        }
        special != 0
    }

    #[inline]
    fn integer(&mut self, n: impl itoa::Integer) {
        self.separate();
        self.buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    #[inline]
    fn optional_integer(&mut self, n: Option<impl itoa::Integer>) {
        match n {
            Some(n) => self.integer(n),
            None => self.separate(),
        }
    }

    #[inline]
    fn optional_float(&mut self, v: Option<f64>) {
        self.separate();
        if let Some(v) = v {
            self.buf.extend_from_slice(ryu::Buffer::new().format(v).as_bytes());
        }
    }

    fn boolean(&mut self, b: bool) {
        self.text(if b { "true" } else { "false" });
    }

    /// The seven columns both tables start with: document fields, year, enclosing elements.
    fn leading_columns(&mut self, document: [&str; 3], year: Option<u16>, enclosing: [&str; 3]) {
        document.into_iter().for_each(|t| self.text(t));
        self.optional_integer(year);
        enclosing.into_iter().for_each(|t| self.text(t));
    }

    #[inline]
    fn end_row(&mut self) {
        self.buf.push(b'\n');
        self.row_started = false;
    }
}

impl RecordRow<'_> {
    /// Append this row, in the columns of [`RECORD_HEADER`].
    fn write_csv(&self, w: &mut RowWriter) {
        w.leading_columns(
            [self.file, self.gemeente, self.document_type],
            self.year,
            [self.programme, self.section, self.speerpunt],
        );
        w.text(self.kind);
        w.text(self.code);
        w.text(self.title);
        w.text(self.label);
        w.text(self.text);
        w.integer(self.line_start);
        w.integer(self.line_end);
        w.text(self.label_kind);
        w.text(self.taakveld);
        w.integer(self.tables);
        w.end_row();
    }
}

/// The encoded first ten columns of the last indicator row: every cell of a
/// table row repeats them, so they are encoded once per row and copied for
/// the other cells.
#[derive(Default)]
struct RowPrefix {
    /// The text fields and the year the bytes were made from.
    texts: [String; 9],
    year: Option<u16>,
    bytes: Vec<u8>,
}

impl RowPrefix {
    fn is_for(&self, texts: &[&str; 9], year: Option<u16>) -> bool {
        !self.bytes.is_empty() && self.year == year && self.texts.iter().zip(texts).all(|(a, b)| a == b)
    }

    fn remember(&mut self, texts: &[&str; 9], year: Option<u16>, bytes: &[u8]) {
        for (kept, text) in self.texts.iter_mut().zip(texts) {
            kept.clear();
            kept.push_str(text);
        }
        self.year = year;
        self.bytes.clear();
        self.bytes.extend_from_slice(bytes);
    }
}

impl IndicatorRow<'_> {
    /// Append this row, in the columns of [`INDICATOR_HEADER`].
    fn write_csv(&self, w: &mut RowWriter, prefix: &mut RowPrefix) {
        // The text columns of the prefix, in column order (the year stands after the first three).
        let texts = [
            self.file,
            self.gemeente,
            self.document_type,
            self.programme,
            self.section,
            self.speerpunt,
            self.table,
            self.code,
            self.indicator,
        ];
        if !prefix.is_for(&texts, self.year) {
            let start = w.buf.len();
            w.leading_columns([texts[0], texts[1], texts[2]], self.year, [texts[3], texts[4], texts[5]]);
            texts[6..].iter().for_each(|t| w.text(t));
            prefix.remember(&texts, self.year, &w.buf[start..]);
        } else {
            w.buf.extend_from_slice(&prefix.bytes);
            w.row_started = true;
        }
        w.text(self.column);
        w.optional_integer(self.period);
        w.text(self.value_type);
        w.text(self.raw);
        w.optional_float(self.value);
        w.text(self.unit);
        w.integer(self.line);
        w.text(self.group);
        w.text(self.taakveld);
        w.optional_float(self.multiplier);
        w.boolean(self.ambiguous);
        w.end_row();
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

    /// What the `csv` crate writes for a row through serde (header line first).
    fn by_csv_crate<T: serde::Serialize>(row: &T, delimiter: u8) -> String {
        let mut writer = csv::WriterBuilder::new().delimiter(delimiter).has_headers(true).from_writer(Vec::new());
        writer.serialize(row).expect("serialize");
        String::from_utf8(writer.into_inner().expect("bytes")).expect("utf8")
    }

    fn by_emitter(doc: &Document, table: TableKind, delimiter: u8) -> String {
        let mut out = Vec::new();
        let mut emitter = CsvEmitter::new(table, delimiter, false);
        emitter.document(&mut out, doc).expect("csv");
        emitter.finish(&mut out).expect("csv");
        String::from_utf8(out).expect("utf8")
    }

    /// Every row, header included, is byte for byte what the `csv` crate
    /// writes for the row structs: quoting, numbers, booleans, empty values.
    #[test]
    fn rows_are_what_the_csv_crate_writes() {
        let text = "Programma 1 \"Wonen\", werk; en zorg\n\nToelichting:\n\nRegel één\r\nmet ; en , en \"x\"\n\n\
                    Omschrijving\n\n2021 (w)\n\n2022 (b)\n\nAantal \"a\"\n\n1.234,5\n\n-0,1\n\n\
                    Bedrag\n\n€ 1.000.000.000.000.000.000.000\n\nnnb\n";
        let doc = crate::parse_text("map,met \"quotes\".txt", text);
        for delimiter in [b',', b';'] {
            let mut expected = String::new();
            visit_records(&doc, &mut |r| {
                let one = by_csv_crate(r, delimiter);
                if expected.is_empty() {
                    expected.push_str(&one);
                } else {
                    expected.push_str(one.split_once('\n').expect("header").1);
                }
            });
            assert_eq!(by_emitter(&doc, TableKind::Records, delimiter), expected);
            let mut expected = String::new();
            visit_indicators(&doc, &mut |r| {
                let one = by_csv_crate(r, delimiter);
                if expected.is_empty() {
                    expected.push_str(&one);
                } else {
                    expected.push_str(one.split_once('\n').expect("header").1);
                }
            });
            assert!(expected.lines().count() >= 5, "{expected}");
            assert_eq!(by_emitter(&doc, TableKind::Indicators, delimiter), expected);
        }
    }
}
