//! Emit stage: documents → JSON, JSON Lines, CSV, xlsx and SQLite.
//!
//! Wire formats (field reference with examples: `docs/output.md`):
//!
//! - JSON: one [`Document`] object per input; several
//!   inputs → an array.
//! - JSON Lines and CSV: flat rows of one table, either [`RecordRow`] (one per
//!   element) or [`IndicatorRow`] (one per table cell, long format).
//!
//! Emitters stream: they take documents one at a time.

mod csv;
mod json;
mod json_tree;
mod rows;
mod sqlite;
mod view;
mod xlsx;

pub use self::csv::{append_rows, excel_number, excel_safe, CsvEmitter, INDICATOR_HEADER, RECORD_HEADER};
pub use json::{append_jsonl, JsonEmitter, JsonlEmitter};
pub use json_tree::write_document;
pub use rows::{
    content_hash, document_id, fnv1a, visit_indicator_groups, visit_indicators, visit_records, IndicatorRow, RecordRow,
};
pub use sqlite::{SqliteCounts, SqliteEmitter, SqliteWriter, SCHEMA, SCHEMA_VERSION};
pub use view::view_html;
pub use xlsx::{XlsxEmitter, DOCUMENT_HEADER, MAX_CELL_CHARS};

use std::io::Write;

use anyhow::Result;

use crate::model::Document;

/// The flat tables of CSV and JSON Lines output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// One row per element.
    Records,
    /// One row per indicator or financial table cell.
    Indicators,
}

/// A streaming writer of documents in one output format.
pub trait Emitter {
    /// The text of the input whose document comes next (for its content
    /// hash); emitters that do not keep one ignore it.
    fn source(&mut self, _text: &str) {}
    /// Write one document.
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()>;
    /// Finish the output (close an array, flush).
    fn finish(&mut self, out: &mut dyn Write) -> Result<()>;
}
