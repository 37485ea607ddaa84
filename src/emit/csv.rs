//! CSV output (RFC 4180 quoting, UTF-8): one header, then rows of every document.
//!
//! Rows are written field by field into a buffer, without serde: the same
//! bytes as the `csv` crate writes (quotes only where a field needs them,
//! numbers as `itoa`/`ryu` format them; a test compares the two), at a
//! fraction of the cost. Any field holding the delimiter is quoted, numbers
//! too (a delimiter such as `.` is refused by the CLI, not by the writer).
//!
//! Excel mode adds a byte order mark and makes text cells that a spreadsheet
//! would run as a formula plain text ([`excel_safe`]).

use std::borrow::Cow;
use std::io::Write;

use anyhow::Result;

use super::rows::doc_fields;
use super::{visit_indicator_groups, visit_records, Emitter, IndicatorRow, RecordRow, TableKind};
use crate::model::Document;

/// Streams the rows of one table as CSV.
#[derive(Debug)]
pub struct CsvEmitter {
    table: TableKind,
    delimiter: u8,
    excel: bool,
    /// Whether the header line is written (`--no-headers`: not).
    header: bool,
    started: bool,
    /// Rows written so far (the header not counted).
    rows: usize,
}

impl CsvEmitter {
    /// A CSV emitter for `table`; `excel` writes a UTF-8 byte order mark
    /// first (what spreadsheet programs need to detect UTF-8) and guards text
    /// cells against formula injection ([`excel_safe`]).
    pub fn new(table: TableKind, delimiter: u8, excel: bool) -> Self {
        CsvEmitter { table, delimiter, excel, header: true, started: false, rows: 0 }
    }

    /// The same emitter without the header line (rows only).
    pub fn without_header(mut self) -> Self {
        self.header = false;
        self
    }

    /// How many rows it has written (the header not counted).
    pub fn rows_written(&self) -> usize {
        self.rows
    }

    /// The byte order mark (if asked for) and the header line, once.
    fn start(&mut self, out: &mut dyn Write) -> Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        if self.excel {
            out.write_all("\u{feff}".as_bytes())?;
        }
        if !self.header {
            return Ok(());
        }
        let header = match self.table {
            TableKind::Records => &RECORD_HEADER[..],
            TableKind::Indicators => &INDICATOR_HEADER[..],
        };
        let mut line = RowWriter::new(self.delimiter, false);
        header.iter().for_each(|name| line.text(name));
        line.end_row();
        out.write_all(&line.buf)?;
        Ok(())
    }
}

impl Emitter for CsvEmitter {
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        self.start(out)?;
        let mut rows = RowWriter::new(self.delimiter, self.excel);
        let mut result = Ok(());
        let count = encode_rows(self.table, doc, &mut rows, |rows| {
            if rows.buf.len() >= FLUSH_BYTES && result.is_ok() {
                result = out.write_all(&rows.buf);
                rows.buf.clear();
            }
        });
        self.rows += count;
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

/// Append the rows of `doc` for `table` to `buf` (no header), and say how
/// many: the bytes [`CsvEmitter::document`] writes for it (`excel`: as an
/// Excel emitter writes them), without a writer or a buffer of its own
/// (`batch` collects each input's rows this way).
pub fn append_rows(table: TableKind, delimiter: u8, excel: bool, doc: &Document, buf: &mut Vec<u8>) -> usize {
    let mut rows = RowWriter::with_buffer(delimiter, excel, std::mem::take(buf));
    let count = encode_rows(table, doc, &mut rows, |_| {});
    *buf = rows.buf;
    count
}

/// Encode the rows of `doc` for `table` into `rows`, calling `flush` after
/// each row (or table row, for indicators); returns how many rows.
fn encode_rows(table: TableKind, doc: &Document, rows: &mut RowWriter, mut flush: impl FnMut(&mut RowWriter)) -> usize {
    rows.encode_document_columns(doc);
    let mut count = 0;
    match table {
        TableKind::Records => visit_records(doc, &mut |r| {
            r.write_csv(rows);
            count += 1;
            flush(rows);
        }),
        TableKind::Indicators => visit_indicator_groups(doc, &mut |group| {
            IndicatorRow::write_group_csv(group, rows);
            count += group.len();
            flush(rows);
        }),
    }
    count
}

/// Buffered rows are handed to the output in pieces of about this size.
const FLUSH_BYTES: usize = 64 * 1024;

/// Writes CSV rows field by field into a buffer.
struct RowWriter {
    buf: Vec<u8>,
    delimiter: u8,
    /// The delimiter can occur in a number (a digit, `.`, `-`, `+`, a
    /// letter of `1e-7`, `inf` or `NaN`): numbers are checked for it too.
    numeric_delimiter: bool,
    /// Text cells are made safe for spreadsheets ([`excel_safe`]).
    excel: bool,
    row_started: bool,
    /// The encoded document columns (file, gemeente, document type, year)
    /// of the document whose rows are written: the same in all of them.
    document_columns: Vec<u8>,
    /// The encoded columns that end every row of the document
    /// (organisation, organisation kind), each after its delimiter.
    document_tail: Vec<u8>,
}

impl RowWriter {
    fn new(delimiter: u8, excel: bool) -> RowWriter {
        RowWriter::with_buffer(delimiter, excel, Vec::with_capacity(FLUSH_BYTES + 4096))
    }

    /// A writer that appends to `buf`.
    fn with_buffer(delimiter: u8, excel: bool, buf: Vec<u8>) -> RowWriter {
        let numeric_delimiter = delimiter.is_ascii_alphanumeric() || matches!(delimiter, b'.' | b'-' | b'+');
        RowWriter {
            buf,
            delimiter,
            numeric_delimiter,
            excel,
            row_started: false,
            document_columns: Vec::new(),
            document_tail: Vec::new(),
        }
    }

    #[inline]
    fn separate(&mut self) {
        if self.row_started {
            self.buf.push(self.delimiter);
        }
        self.row_started = true;
    }

    /// A text field, quoted when it holds the delimiter, a quote or a line
    /// break (and made safe for spreadsheets in Excel mode).
    #[inline]
    fn text(&mut self, field: &str) {
        if self.excel {
            let safe = excel_safe(field, true);
            self.field(safe.as_bytes());
        } else {
            self.field(field.as_bytes());
        }
    }

    /// A number as formatted: quoted only when it holds the delimiter.
    #[inline]
    fn number(&mut self, formatted: &str) {
        if self.numeric_delimiter {
            self.field(formatted.as_bytes());
        } else {
            self.separate();
            self.buf.extend_from_slice(formatted.as_bytes());
        }
    }

    /// A field, quoted when it holds the delimiter, a quote or a line break.
    #[inline]
    fn field(&mut self, bytes: &[u8]) {
        self.separate();
        let needs_quotes = self.needs_quotes(bytes);
        if !needs_quotes {
            self.buf.extend_from_slice(bytes);
            return;
        }
        self.buf.push(b'"');
        // Every quote doubled; the runs between them copied whole.
        let mut run_start = 0;
        for quote in memchr::memchr_iter(b'"', bytes) {
            self.buf.extend_from_slice(&bytes[run_start..=quote]);
            self.buf.push(b'"');
            run_start = quote + 1;
        }
        self.buf.extend_from_slice(&bytes[run_start..]);
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
        self.number(itoa::Buffer::new().format(n));
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
        match v {
            Some(v) if self.excel => {
                let formatted = excel_number(v);
                self.field(formatted.as_bytes());
            }
            Some(v) => self.number(ryu::Buffer::new().format(v)),
            None => self.separate(),
        }
    }

    fn boolean(&mut self, b: bool) {
        self.text(if b { "true" } else { "false" });
    }

    /// Encode the document columns of `doc`'s rows once, for [`RowWriter::leading_columns`]
    /// and [`RowWriter::trailing_columns`].
    fn encode_document_columns(&mut self, doc: &Document) {
        let f = doc_fields(doc);
        let mut columns = RowWriter::new(self.delimiter, self.excel);
        [f.file, f.gemeente, f.document_type].into_iter().for_each(|t| columns.text(t));
        columns.optional_integer(f.year);
        self.document_columns = columns.buf;
        let mut tail = RowWriter::new(self.delimiter, self.excel);
        tail.row_started = true;
        [f.organisation, f.organisation_kind, &f.document_id].into_iter().for_each(|t| tail.text(t));
        self.document_tail = tail.buf;
    }

    /// The document's columns after the row's own (organisation,
    /// organisation kind, document id; encoded once per document).
    fn trailing_columns(&mut self) {
        self.buf.extend_from_slice(&self.document_tail);
    }

    /// The seven columns both tables start with: the document's columns
    /// (encoded once per document), then the enclosing elements.
    fn leading_columns(&mut self, enclosing: [&str; 3]) {
        debug_assert!(!self.row_started, "the document columns start a row");
        self.buf.extend_from_slice(&self.document_columns);
        self.row_started = true;
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
        w.leading_columns([self.programme, self.section, self.speerpunt]);
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
        w.text(self.status);
        w.trailing_columns();
        w.integer(self.id);
        w.optional_integer(self.parent_id);
        w.end_row();
    }
}

impl IndicatorRow<'_> {
    /// Append the rows of one table row (see [`visit_indicator_groups`]),
    /// in the columns of [`INDICATOR_HEADER`]: the ten columns they share
    /// are encoded once and copied.
    fn write_group_csv(group: &[IndicatorRow<'_>], w: &mut RowWriter) {
        let Some(first) = group.first() else { return };
        let start = w.buf.len();
        first.write_shared_columns(w);
        let shared = start..w.buf.len();
        first.write_cell_columns(w);
        for row in &group[1..] {
            w.buf.extend_from_within(shared.clone());
            w.row_started = true;
            row.write_cell_columns(w);
        }
    }

    /// The first ten columns: the same for every cell of a table row.
    fn write_shared_columns(&self, w: &mut RowWriter) {
        w.leading_columns([self.programme, self.section, self.speerpunt]);
        w.text(self.table);
        w.text(self.code);
        w.text(self.indicator);
    }

    /// The columns after `indicator`, and the row end.
    fn write_cell_columns(&self, w: &mut RowWriter) {
        w.text(self.column);
        w.optional_integer(self.period);
        w.text(self.value_type);
        w.text(self.measure);
        w.text(self.raw);
        w.optional_float(self.value);
        w.text(self.unit);
        w.integer(self.line);
        w.text(self.group);
        w.text(self.taakveld);
        w.optional_float(self.multiplier);
        w.boolean(self.ambiguous);
        w.trailing_columns();
        w.integer(self.element_id);
        w.integer(self.table_id);
        w.integer(self.row);
        w.optional_integer(self.col);
        w.end_row();
    }
}

/// A text cell as a spreadsheet should get it (with `excel`; else as it is):
/// one that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would
/// be run as a formula, so it gets a leading `'` (OWASP's advice against CSV
/// injection), unless it is a plain number such as `-0,1`, `+5` or `-1.234`
/// or a lone sign (a number stays a number).
pub fn excel_safe(field: &str, excel: bool) -> Cow<'_, str> {
    let Some(&first) = field.as_bytes().first().filter(|_| excel) else { return Cow::Borrowed(field) };
    let formula_start = matches!(first, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r');
    let rest = &field.as_bytes()[1..];
    let plain_number = matches!(first, b'+' | b'-')
        && (rest.is_empty()
            || (rest[0].is_ascii_digit() && rest.iter().all(|b| b.is_ascii_digit() || b".,%".contains(b))));
    if formula_start && !plain_number {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// A number as a Dutch spreadsheet reads it: a decimal comma, no
/// thousands separator, no exponent, no `.0` on a whole number (`1992`,
/// `11,6`, `-0,0000001`).
pub fn excel_number(v: f64) -> String {
    if !v.is_finite() {
        return ryu::Buffer::new().format(v).to_string();
    }
    if v == v.trunc() && v.abs() < 1e15 {
        return itoa::Buffer::new().format(v as i64).to_string();
    }
    // Display writes the shortest digits that read back as `v`, without an exponent.
    format!("{v}").replace('.', ",")
}

/// Column names of the records table (also written when there are no rows).
pub const RECORD_HEADER: [&str; 23] = [
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
    "status",
    "organisation",
    "organisation_kind",
    "document_id",
    "id",
    "parent_id",
];

/// Column names of the indicators table (also written when there are no rows).
pub const INDICATOR_HEADER: [&str; 29] = [
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
    "measure",
    "raw",
    "value",
    "unit",
    "line",
    "group",
    "taakveld",
    "multiplier",
    "ambiguous",
    "organisation",
    "organisation_kind",
    "document_id",
    "element_id",
    "table_id",
    "row",
    "col",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::visit_indicators;

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
        // The csv crate's lines for one row each: the header once, then the rows.
        let append = |expected: &mut String, one: String| {
            let row = if expected.is_empty() { one.as_str() } else { one.split_once('\n').expect("header").1 };
            expected.push_str(row);
        };
        for delimiter in [b',', b';'] {
            let mut expected = String::new();
            visit_records(&doc, &mut |r| append(&mut expected, by_csv_crate(r, delimiter)));
            assert_eq!(by_emitter(&doc, TableKind::Records, delimiter), expected);
            let mut expected = String::new();
            visit_indicators(&doc, &mut |r| append(&mut expected, by_csv_crate(r, delimiter)));
            assert!(expected.lines().count() >= 5, "{expected}");
            assert_eq!(by_emitter(&doc, TableKind::Indicators, delimiter), expected);
        }
    }

    /// `append_rows` appends what `document` writes after the header, and
    /// both count the rows.
    #[test]
    fn appended_rows_are_the_documents_rows_and_are_counted() {
        let text =
            "Programma 1 Wonen\n\nOmschrijving\n\n2021 (w)\n\n2022 (b)\n\nAantal\n\n1\n\n2\n\nBedrag\n\n3\n\n4\n";
        let doc = crate::parse_text("p.txt", text);
        for table in [TableKind::Records, TableKind::Indicators] {
            let written = by_emitter(&doc, table, b';');
            let rows = written.split_once('\n').expect("header").1;
            let mut buf = b"earlier\n".to_vec();
            let count = append_rows(table, b';', false, &doc, &mut buf);
            assert_eq!(String::from_utf8(buf).expect("utf8"), format!("earlier\n{rows}"), "{table:?}");
            assert!(count >= 1 && count == rows.lines().count(), "{table:?}");
            let mut csv = CsvEmitter::new(table, b';', false);
            for _ in 0..2 {
                csv.document(&mut Vec::new(), &doc).expect("csv");
            }
            assert_eq!(csv.rows_written(), 2 * count, "{table:?}");
        }
    }

    /// With a delimiter that numbers can hold, numbers are quoted too, and
    /// every row still has the header's number of fields.
    #[test]
    fn every_field_holding_the_delimiter_is_quoted() {
        let text = "Programma 1 Wonen\n\nOmschrijving\n\n2021 (w)\n\n2022 (b)\n\nAantal\n\n1.234,5\n\n-0,1\n";
        let doc = crate::parse_text("p.txt", text);
        for delimiter in [b'.', b'-', b'1', b'e', b'a'] {
            let written = by_emitter(&doc, TableKind::Indicators, delimiter);
            let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(written.as_bytes());
            let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
            assert_eq!(rows.len(), 2, "{}", delimiter as char);
            assert!(rows.iter().all(|r| r.len() == INDICATOR_HEADER.len()), "{}: {written}", delimiter as char);
            let value = INDICATOR_HEADER.iter().position(|h| *h == "value").expect("value column");
            assert_eq!(&rows[1][value], "-0.1", "{}", delimiter as char);
        }
    }

    #[test]
    fn excel_text_that_looks_like_a_formula_is_made_plain_text() {
        for (field, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("+31 71 516", "'+31 71 516"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("\t=1", "'\t=1"),
            ("-0,1", "-0,1"),
            ("-1.234", "-1.234"),
            ("+5%", "+5%"),
            ("-", "-"),
            ("Wonen - bouwen", "Wonen - bouwen"),
            ("", ""),
        ] {
            assert_eq!(excel_safe(field, true), safe);
            assert_eq!(excel_safe(field, false), field);
        }
        let doc = crate::parse_text("=cmd.txt", "Programma 1 Wonen\n\nStand van zaken:\n\n=1+1 en meer\n");
        let mut out = Vec::new();
        let mut csv = CsvEmitter::new(TableKind::Records, b';', true);
        csv.document(&mut out, &doc).expect("csv");
        let written = String::from_utf8(out).expect("utf8");
        assert!(written.contains("\n'=cmd.txt;") && written.contains(";'=1+1 en meer;"), "{written}");
    }
}
