//! Flatten the element tree into record rows and indicator rows.
//!
//! Rows borrow from the document and are handed to a visitor one at a time,
//! so emitting a large document allocates little.

use serde::Serialize;

use crate::model::{Document, Element, ElementKind, Row, Table};

/// One element as a flat row (the `records` table). `gemeente` and
/// `organisation` hold the same name, whatever the kind of body (`gemeente`
/// is the column's historic name); `organisation_kind` tells the kinds apart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordRow<'a> {
    /// Input path.
    pub file: &'a str,
    /// Organisation.
    pub gemeente: &'a str,
    /// Document type.
    pub document_type: &'a str,
    /// Document year.
    pub year: Option<u16>,
    /// Display name (`code title`) of the enclosing programme (or itself).
    pub programme: &'a str,
    /// Display name of the enclosing section (or itself).
    pub section: &'a str,
    /// Display name of the enclosing speerpunt (or itself).
    pub speerpunt: &'a str,
    /// programme, section, speerpunt, block or text.
    pub kind: &'static str,
    /// The element's code.
    pub code: &'a str,
    /// The element's title.
    pub title: &'a str,
    /// A block's label as written.
    pub label: &'a str,
    /// The body: paragraphs and list items, one per line.
    pub text: &'a str,
    /// First line (1-based).
    pub line_start: usize,
    /// Last line (1-based).
    pub line_end: usize,
    /// Normalised label kind.
    pub label_kind: &'a str,
    /// Official Iv3 taakveld code.
    pub taakveld: &'a str,
    /// Number of tables under the element.
    pub tables: usize,
    /// The status of a speerpunt (`on_track`, `attention`, `off_track`, `done`).
    pub status: &'a str,
    /// The organisation's name, whatever its kind (the same as `gemeente`).
    pub organisation: &'a str,
    /// `gemeente`, `provincie` or `waterschap`.
    pub organisation_kind: &'a str,
}

/// One table cell as a flat row (the `indicators` table, long format).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow<'a> {
    /// Input path.
    pub file: &'a str,
    /// Organisation.
    pub gemeente: &'a str,
    /// Document type.
    pub document_type: &'a str,
    /// Document year.
    pub year: Option<u16>,
    /// Enclosing programme.
    pub programme: &'a str,
    /// Enclosing section.
    pub section: &'a str,
    /// Enclosing speerpunt.
    pub speerpunt: &'a str,
    /// The table's caption, else the label of the block it stands in, else its corner cell.
    pub table: &'a str,
    /// The row's code (`1.1`).
    pub code: &'a str,
    /// The row label (indicator name, `Lasten`, …).
    pub indicator: &'a str,
    /// The column header as written.
    pub column: &'a str,
    /// The column's year.
    pub period: Option<u16>,
    /// realisatie, begroting, raming, streefwaarde, … or empty.
    pub value_type: &'a str,
    /// The lower level of a two-level header (`Lasten`, `Baten`, `Saldo`).
    pub measure: &'a str,
    /// The cell exactly as written.
    pub raw: &'a str,
    /// The parsed value (multiplier applied), empty when there is none.
    pub value: Option<f64>,
    /// `%` or `EUR`.
    pub unit: &'a str,
    /// The cell's line (1-based).
    pub line: usize,
    /// The group row the row stands under.
    pub group: &'a str,
    /// Official Iv3 taakveld code of the row, else of the enclosing section.
    pub taakveld: &'a str,
    /// The units multiplier of the table.
    pub multiplier: Option<f64>,
    /// True when the row's cells could not be aligned with the columns.
    pub ambiguous: bool,
    /// The organisation's name, whatever its kind (the same as `gemeente`).
    pub organisation: &'a str,
    /// `gemeente`, `provincie` or `waterschap`.
    pub organisation_kind: &'a str,
}

/// Enclosing display names while walking the tree.
#[derive(Debug, Clone, Copy, Default)]
struct Context<'c> {
    programme: &'c str,
    section: &'c str,
    speerpunt: &'c str,
    block: &'c str,
    taakveld: &'c str,
}

impl<'c> Context<'c> {
    /// The context inside `e`, whose display name is `name`.
    fn enter(self, e: &'c Element, name: &'c str) -> Context<'c> {
        match e.kind {
            ElementKind::Programme => Context { programme: name, ..Context::default() },
            ElementKind::Section => Context {
                section: name,
                speerpunt: "",
                block: "",
                taakveld: e.taakveld.as_deref().unwrap_or(""),
                ..self
            },
            ElementKind::Speerpunt => Context { speerpunt: name, block: "", ..self },
            ElementKind::Block => Context { block: e.label.as_deref().unwrap_or(""), ..self },
            ElementKind::Text => self,
        }
    }
}

/// The document-level columns every row of a document starts with.
pub(crate) struct DocFields<'a> {
    pub(crate) file: &'a str,
    pub(crate) gemeente: &'a str,
    pub(crate) document_type: &'a str,
    pub(crate) year: Option<u16>,
    pub(crate) organisation_kind: &'a str,
}

/// The document-level columns of `doc`'s rows.
pub(crate) fn doc_fields(doc: &Document) -> DocFields<'_> {
    DocFields {
        file: &doc.file,
        gemeente: doc.meta.gemeente.as_deref().unwrap_or(""),
        document_type: doc.meta.document_type.as_deref().unwrap_or(""),
        year: doc.meta.year,
        organisation_kind: doc.meta.organisation_kind.as_deref().unwrap_or(""),
    }
}

/// Hand every element of a document, as a record row, to `visit`, in reading order.
pub fn visit_records<'a>(doc: &'a Document, visit: &mut dyn FnMut(&RecordRow<'_>)) {
    let f = doc_fields(doc);
    let mut text = String::new();
    walk(&doc.elements, Context::default(), &mut |e, c| {
        text.clear();
        e.push_body_text(&mut text);
        visit(&RecordRow {
            file: f.file,
            gemeente: f.gemeente,
            document_type: f.document_type,
            year: f.year,
            programme: c.programme,
            section: c.section,
            speerpunt: c.speerpunt,
            kind: e.kind.as_str(),
            code: e.code.as_deref().unwrap_or(""),
            title: e.title.as_deref().unwrap_or(""),
            label: e.label.as_deref().unwrap_or(""),
            text: &text,
            line_start: e.line_start,
            line_end: e.line_end,
            label_kind: e.label_kind.as_deref().unwrap_or(""),
            taakveld: e.taakveld.as_deref().unwrap_or(""),
            tables: e.tables.len(),
            status: e.status.as_ref().map_or("", |s| s.value.as_str()),
            organisation: f.gemeente,
            organisation_kind: f.organisation_kind,
        })
    });
}

/// Hand every table cell of a document, as an indicator row, to `visit`, in reading order.
pub fn visit_indicators(doc: &Document, visit: &mut dyn FnMut(&IndicatorRow<'_>)) {
    visit_indicator_groups(doc, &mut |group| group.iter().for_each(&mut *visit));
}

/// Hand the indicator rows of a document to `visit` one table row at a
/// time, in reading order: the rows of its cells (one row when it has
/// none), which share every column up to `indicator`.
pub fn visit_indicator_groups(doc: &Document, visit: &mut dyn FnMut(&[IndicatorRow<'_>])) {
    let f = doc_fields(doc);
    walk(&doc.elements, Context::default(), &mut |e, c| {
        for table in &e.tables {
            table_rows(&f, c, table, visit);
        }
    });
}

fn walk(elements: &[Element], parent: Context<'_>, visit: &mut dyn FnMut(&Element, Context<'_>)) {
    for e in elements {
        // Borrowed unless a code and a title are joined.
        let name = e.display_name();
        let context = parent.enter(e, &name);
        visit(e, context);
        walk(&e.children, context, visit);
    }
}

/// The name a table goes by: its caption, else the block it stands in, else its corner cell.
fn table_name<'a>(table: &'a Table, c: Context<'a>) -> &'a str {
    match (&table.caption, &table.corner) {
        (Some(caption), _) => caption,
        (None, Some(corner)) if c.block.is_empty() => corner,
        (None, _) => c.block,
    }
}

fn table_rows<'a>(f: &DocFields<'a>, c: Context<'a>, table: &'a Table, visit: &mut dyn FnMut(&[IndicatorRow<'_>])) {
    let name = table_name(table, c);
    let mut group = Vec::with_capacity(table.columns.len().max(1));
    for row in &table.rows {
        let base = base_row(f, c, table, name, row);
        group.clear();
        if row.cells.is_empty() {
            group.push(base);
        } else {
            group.extend(row.cells.iter().map(|cell| {
                let column = cell.column.and_then(|i| table.columns.get(i));
                IndicatorRow {
                    column: column.map_or("", |c| c.label.as_str()),
                    period: column.and_then(|c| c.period),
                    value_type: column.and_then(|c| c.value_type.as_deref()).unwrap_or(""),
                    measure: column.and_then(|c| c.measure.as_deref()).unwrap_or(""),
                    raw: &cell.raw,
                    value: cell.value,
                    unit: cell.unit.as_deref().unwrap_or(""),
                    line: cell.line,
                    ..base.clone()
                }
            }));
        }
        visit(&group);
    }
}

/// The columns of an indicator row that do not depend on the cell.
fn base_row<'a>(f: &DocFields<'a>, c: Context<'a>, table: &'a Table, name: &'a str, row: &'a Row) -> IndicatorRow<'a> {
    IndicatorRow {
        file: f.file,
        gemeente: f.gemeente,
        document_type: f.document_type,
        year: f.year,
        programme: c.programme,
        section: c.section,
        speerpunt: c.speerpunt,
        table: name,
        code: row.code.as_deref().unwrap_or(""),
        indicator: &row.name,
        column: "",
        period: None,
        value_type: "",
        measure: "",
        raw: "",
        value: None,
        unit: "",
        line: row.line,
        group: row.group.as_deref().unwrap_or(""),
        taakveld: row.taakveld.as_deref().unwrap_or(c.taakveld),
        multiplier: table.multiplier,
        ambiguous: row.ambiguous,
        organisation: f.gemeente,
        organisation_kind: f.organisation_kind,
    }
}
