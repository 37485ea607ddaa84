//! Spreadsheet output (`--format xlsx`): one workbook with the sheets
//! `records`, `indicators` and `documents`, the columns of the flat tables.
//!
//! Cells are typed: numbers (`year`, `value`, lines, keys) are numbers, and
//! everything else is text, so a spreadsheet never turns a code (`6-1-1`),
//! a taakveld (`0.10`) or a year written as a column label (`2024`) into a
//! date or a number. Text is never run as a formula (a cell written as text
//! is text). Each sheet has its header row frozen, an autofilter, column
//! widths from its contents, and long text wrapped.
//!
//! The sheets are written row by row to temporary files (rust_xlsxwriter's
//! "low memory" mode: cells are not kept in memory, only the table of
//! distinct strings), and the workbook is assembled from them at
//! [`Emitter::finish`]. Most of the time then goes to compressing the
//! sheets' XML (the zip's deflate), which rust_xlsxwriter does not let us tune.

use std::io::Write;

use anyhow::{bail, Result};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::csv::{INDICATOR_HEADER, RECORD_HEADER};
use super::rows::doc_fields;
use super::{visit_indicator_groups, visit_records, Emitter, IndicatorRow, RecordRow};
use crate::model::Document;

/// Rows a sheet holds (Excel's limit), the header included.
const MAX_ROWS: u32 = 1_048_576;

/// Characters a cell holds (Excel's limit); longer text is cut, ending in `…`.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The widest a column gets (in characters), and the width of wrapped text columns.
const MAX_WIDTH: usize = 50;
const WRAPPED_WIDTH: f64 = 80.0;

/// Column names of the documents sheet.
pub const DOCUMENT_HEADER: [&str; 18] = [
    "document_id",
    "file",
    "gemeente",
    "organisation_kind",
    "document_type",
    "year",
    "platform",
    "built_at",
    "exported_at",
    "content_lines",
    "assigned_lines",
    "elements",
    "tables",
    "indicator_rows",
    "content_hash",
    "url",
    "sources",
    "organisation",
];

/// Builds a workbook of the three sheets, one document at a time.
pub struct XlsxEmitter {
    workbook: Workbook,
    records: Sheet,
    indicators: Sheet,
    documents: Sheet,
    /// The content hash of the next document's text ([`Emitter::source`]).
    content_hash: Option<String>,
}

impl std::fmt::Debug for XlsxEmitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XlsxEmitter").field("records", &self.records.row).finish_non_exhaustive()
    }
}

impl XlsxEmitter {
    /// An empty workbook (the three sheets with their headers); an error when
    /// the temporary directory takes no files (the sheets are written there).
    pub fn new() -> Result<Self> {
        let dir = std::env::temp_dir();
        // rust_xlsxwriter cannot report this itself (it would panic): try first.
        drop(tempfile_probe(&dir)?);
        let mut workbook = Workbook::new();
        let records = Sheet::new(&mut workbook, 0, "records", &RECORD_HEADER, &["text"]);
        let indicators = Sheet::new(&mut workbook, 1, "indicators", &INDICATOR_HEADER, &[]);
        let documents = Sheet::new(&mut workbook, 2, "documents", &DOCUMENT_HEADER, &[]);
        Ok(XlsxEmitter { workbook, records, indicators, documents, content_hash: None })
    }

    /// The workbook's bytes: the sheets finished (widths, frozen header, autofilter).
    pub fn to_bytes(&mut self) -> Result<Vec<u8>> {
        for sheet in [&self.records, &self.indicators, &self.documents] {
            let worksheet = self.workbook.worksheet_from_index(sheet.index).map_err(xlsx_error)?;
            sheet.finish(worksheet).map_err(xlsx_error)?;
        }
        self.workbook.save_to_buffer().map_err(xlsx_error)
    }
}

/// A file in `dir` that is gone when closed (what the sheets are written to).
fn tempfile_probe(dir: &std::path::Path) -> Result<std::fs::File> {
    let path = dir.join(format!(".begrip-probe-{}", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("cannot write the workbook's sheets to {}: {e}", dir.display()))?;
    let _ = std::fs::remove_file(&path);
    Ok(file)
}

fn xlsx_error(e: XlsxError) -> anyhow::Error {
    anyhow::anyhow!("cannot write the workbook: {e}")
}

impl Emitter for XlsxEmitter {
    fn source(&mut self, text: &str) {
        self.content_hash = Some(super::rows::content_hash(text));
    }

    fn document(&mut self, _out: &mut dyn Write, doc: &Document) -> Result<()> {
        let hash = self.content_hash.take();
        self.add(doc, hash)
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        let bytes = self.to_bytes()?;
        out.write_all(&bytes)?;
        out.flush()?;
        Ok(())
    }
}

impl XlsxEmitter {
    /// Add a document's rows to the sheets; `hash` is the [`super::content_hash`] of its text.
    pub fn add(&mut self, doc: &Document, hash: Option<String>) -> Result<()> {
        let (mut elements, mut cells, mut result) = (0usize, 0usize, Ok(()));
        let (workbook, records) = (&mut self.workbook, &mut self.records);
        let sheet = workbook.worksheet_from_index(records.index).map_err(xlsx_error)?;
        visit_records(doc, &mut |r| {
            elements += 1;
            if result.is_ok() {
                result = records.record(sheet, r);
            }
        });
        std::mem::replace(&mut result, Ok(()))?;
        let (workbook, indicators) = (&mut self.workbook, &mut self.indicators);
        let sheet = workbook.worksheet_from_index(indicators.index).map_err(xlsx_error)?;
        visit_indicator_groups(doc, &mut |group| {
            cells += group.len();
            for r in group {
                if result.is_ok() {
                    result = indicators.indicator(sheet, r);
                }
            }
        });
        std::mem::replace(&mut result, Ok(()))?;
        let f = doc_fields(doc);
        let tables = count_tables(&doc.elements);
        let hash = hash.unwrap_or_default();
        let s = &mut self.documents;
        let ws = self.workbook.worksheet_from_index(s.index).map_err(xlsx_error)?;
        let row = s.next_row()?;
        s.text(ws, row, 0, &f.document_id);
        s.text(ws, row, 1, f.file);
        s.text(ws, row, 2, f.gemeente);
        s.text(ws, row, 3, f.organisation_kind);
        s.text(ws, row, 4, f.document_type);
        s.number(ws, row, 5, f.year.map(f64::from));
        s.text(ws, row, 6, doc.meta.platform.as_deref().unwrap_or(""));
        s.text(ws, row, 7, doc.meta.built_at.as_deref().unwrap_or(""));
        s.text(ws, row, 8, doc.meta.exported_at.as_deref().unwrap_or(""));
        s.number(ws, row, 9, Some(doc.coverage.content_lines as f64));
        s.number(ws, row, 10, Some(doc.coverage.assigned_lines as f64));
        s.number(ws, row, 11, Some(elements as f64));
        s.number(ws, row, 12, Some(tables as f64));
        s.number(ws, row, 13, Some(cells as f64));
        s.text(ws, row, 14, &hash);
        s.text(ws, row, 15, doc.meta.url.as_deref().unwrap_or(""));
        s.text(ws, row, 16, &doc.meta.sources.summary());
        s.text(ws, row, 17, f.organisation);
        Ok(())
    }
}

/// Tables under the elements, nested ones included.
fn count_tables(elements: &[crate::model::Element]) -> usize {
    elements.iter().map(|e| e.tables.len() + count_tables(&e.children)).sum()
}

/// One sheet being filled: the rows written so far, and the widest value per column.
struct Sheet {
    /// Its index in the workbook.
    index: usize,
    name: &'static str,
    /// The next row to write (0 is the header).
    row: u32,
    /// The widest value written in each column, in characters.
    widths: Vec<usize>,
    /// The columns whose text wraps.
    wrapped: Vec<bool>,
    wrap: Format,
}

impl Sheet {
    fn new(workbook: &mut Workbook, index: usize, name: &'static str, header: &[&str], wrapped: &[&str]) -> Sheet {
        let worksheet = workbook.add_worksheet_with_low_memory();
        // The names are valid sheet names: these cannot fail.
        let _ = worksheet.set_name(name);
        let bold = Format::new().set_bold();
        for (col, title) in header.iter().enumerate() {
            let _ = worksheet.write_string_with_format(0, col as u16, *title, &bold);
        }
        Sheet {
            index,
            name,
            row: 1,
            widths: header.iter().map(|h| h.chars().count() + 2).collect(),
            wrapped: header.iter().map(|h| wrapped.contains(h)).collect(),
            wrap: Format::new().set_text_wrap(),
        }
    }

    /// The row to write next; an error when the sheet is full.
    fn next_row(&mut self) -> Result<u32> {
        if self.row >= MAX_ROWS {
            bail!(
                "the {} sheet is full ({MAX_ROWS} rows, the most a spreadsheet holds): convert fewer inputs into one \
                 workbook, or write --format sqlite or csv",
                self.name
            );
        }
        self.row += 1;
        Ok(self.row - 1)
    }

    /// A text cell (empty text: no cell), cut to what a cell holds.
    fn text(&mut self, worksheet: &mut Worksheet, row: u32, col: u16, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = cut(text);
        let chars = if text.len() <= MAX_WIDTH { text.chars().count() } else { text.chars().take(MAX_WIDTH).count() };
        let width = &mut self.widths[usize::from(col)];
        *width = (*width).max(chars);
        let written = if self.wrapped[usize::from(col)] {
            worksheet.write_string_with_format(row, col, text, &self.wrap)
        } else {
            worksheet.write_string(row, col, text)
        };
        debug_assert!(written.is_ok(), "a cell in range, its text cut to size");
    }

    /// A number cell (none: no cell).
    fn number(&mut self, worksheet: &mut Worksheet, row: u32, col: u16, value: Option<f64>) {
        let Some(value) = value.filter(|v| v.is_finite()) else { return };
        let chars = number_width(value).min(MAX_WIDTH);
        let width = &mut self.widths[usize::from(col)];
        *width = (*width).max(chars);
        let _ = worksheet.write_number(row, col, value);
    }

    fn integer(&mut self, worksheet: &mut Worksheet, row: u32, col: u16, value: Option<usize>) {
        self.number(worksheet, row, col, value.map(|v| v as f64));
    }

    fn boolean(&mut self, worksheet: &mut Worksheet, row: u32, col: u16, value: bool) {
        let _ = worksheet.write_boolean(row, col, value);
    }

    /// One records row, in the columns of [`RECORD_HEADER`].
    fn record(&mut self, ws: &mut Worksheet, r: &RecordRow<'_>) -> Result<()> {
        let row = self.next_row()?;
        for (col, text) in [r.file, r.gemeente, r.document_type].into_iter().enumerate() {
            self.text(ws, row, col as u16, text);
        }
        self.number(ws, row, 3, r.year.map(f64::from));
        for (col, text) in
            [r.programme, r.section, r.speerpunt, r.kind, r.code, r.title, r.label, r.text].into_iter().enumerate()
        {
            self.text(ws, row, 4 + col as u16, text);
        }
        self.integer(ws, row, 12, Some(r.line_start));
        self.integer(ws, row, 13, Some(r.line_end));
        self.text(ws, row, 14, r.label_kind);
        self.text(ws, row, 15, r.taakveld);
        self.integer(ws, row, 16, Some(r.tables));
        for (col, text) in [r.status, r.organisation, r.organisation_kind, r.document_id].into_iter().enumerate() {
            self.text(ws, row, 17 + col as u16, text);
        }
        self.integer(ws, row, 21, Some(r.id));
        self.integer(ws, row, 22, r.parent_id);
        Ok(())
    }

    /// One indicators row, in the columns of [`INDICATOR_HEADER`].
    fn indicator(&mut self, ws: &mut Worksheet, r: &IndicatorRow<'_>) -> Result<()> {
        let row = self.next_row()?;
        for (col, text) in [r.file, r.gemeente, r.document_type].into_iter().enumerate() {
            self.text(ws, row, col as u16, text);
        }
        self.number(ws, row, 3, r.year.map(f64::from));
        for (col, text) in
            [r.programme, r.section, r.speerpunt, r.table, r.code, r.indicator, r.column].into_iter().enumerate()
        {
            self.text(ws, row, 4 + col as u16, text);
        }
        self.number(ws, row, 11, r.period.map(f64::from));
        for (col, text) in [r.value_type, r.measure, r.raw].into_iter().enumerate() {
            self.text(ws, row, 12 + col as u16, text);
        }
        self.number(ws, row, 15, r.value);
        self.text(ws, row, 16, r.unit);
        self.integer(ws, row, 17, Some(r.line));
        self.text(ws, row, 18, r.group);
        self.text(ws, row, 19, r.taakveld);
        self.number(ws, row, 20, r.multiplier);
        self.boolean(ws, row, 21, r.ambiguous);
        for (col, text) in [r.organisation, r.organisation_kind, r.document_id].into_iter().enumerate() {
            self.text(ws, row, 22 + col as u16, text);
        }
        self.integer(ws, row, 25, Some(r.element_id));
        self.integer(ws, row, 26, Some(r.table_id));
        self.integer(ws, row, 27, Some(r.row));
        self.integer(ws, row, 28, r.col);
        Ok(())
    }

    /// The worksheet with its widths, frozen header and autofilter, ready to save.
    fn finish(&self, worksheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, (&width, &wrapped)) in self.widths.iter().zip(&self.wrapped).enumerate() {
            let width = if wrapped { WRAPPED_WIDTH } else { width.min(MAX_WIDTH) as f64 + 1.0 };
            worksheet.set_column_width(col as u16, width)?;
        }
        worksheet.set_freeze_panes(1, 0)?;
        let last_col = (self.widths.len() - 1) as u16;
        worksheet.autofilter(0, 0, self.row.saturating_sub(1).max(1), last_col)?;
        Ok(())
    }
}

/// The characters of `value` as ryu writes it: for a whole number below
/// 10^15 its digits and `.0` (counted with itoa, a fifth of ryu's work: most
/// cells are whole numbers), else ryu's own.
fn number_width(value: f64) -> usize {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        itoa::Buffer::new().format(value.abs() as u64).len() + 2 + usize::from(value.is_sign_negative())
    } else {
        ryu::Buffer::new().format(value).len()
    }
}

/// `text` as a cell holds it: at most [`MAX_CELL_CHARS`] characters, a cut ending in `…`.
fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    // A cell's limit counts UTF-16 units; bytes are at least as many as those.
    if text.len() <= MAX_CELL_CHARS || text.encode_utf16().count() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut cut = String::with_capacity(MAX_CELL_CHARS * 3);
    let mut units = 0;
    for c in text.chars() {
        units += c.len_utf16();
        if units > MAX_CELL_CHARS - 1 {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    std::borrow::Cow::Owned(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_widths_are_what_ryu_writes() {
        for value in [0.0, -0.0, 7.0, -7.0, 1992.0, 11.6, -0.5, 123456789012345.0, 999999999999999.0, 1e15, 1e21, 1e-7]
        {
            assert_eq!(number_width(value), ryu::Buffer::new().format(value).len(), "{value}");
        }
    }

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        assert_eq!(cut("kort"), "kort");
        let long = "é".repeat(MAX_CELL_CHARS + 10);
        let cut = cut(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn a_workbook_is_a_zip_file() {
        let doc = crate::parse_text("p.txt", "Programma 1 Wonen\n\nOmschrijving\n\n2021 (w)\n\nAantal\n\n12\n");
        let mut xlsx = XlsxEmitter::new().expect("a temporary directory");
        xlsx.document(&mut std::io::sink(), &doc).expect("document");
        let mut out = Vec::new();
        xlsx.finish(&mut out).expect("finish");
        assert!(out.starts_with(b"PK"), "a zip archive");
    }
}
