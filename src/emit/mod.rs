//! Emit stage: documents → JSON, JSON Lines and CSV.
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

pub use self::csv::{append_rows, excel_safe, CsvEmitter};
pub use json::{JsonEmitter, JsonlEmitter};
pub use json_tree::write_document;
pub use rows::{visit_indicator_groups, visit_indicators, visit_records, IndicatorRow, RecordRow};

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
    /// Write one document.
    fn document(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()>;
    /// Finish the output (close an array, flush).
    fn finish(&mut self, out: &mut dyn Write) -> Result<()>;
}
