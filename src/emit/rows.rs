//! Flatten the element tree into record rows and indicator rows.
//!
//! Rows borrow from the document and are handed to a visitor one at a time,
//! so emitting a large document allocates little.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{Document, Element, ElementKind, Row, Table};

/// One element as a flat row (the `records` table). `gemeente` is the
/// organisation as the page names it and `organisation` its official name,
/// whatever the kind of body (`gemeente` is the column's historic name);
/// `organisation_kind` tells the kinds apart.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RecordRow<'a> {
    /// Input path.
    pub file: &'a str,
    /// The organisation as the page names it (`Brabant`).
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
    /// The organisation's official name, whatever its kind (`Noord-Brabant`).
    pub organisation: &'a str,
    /// `gemeente`, `provincie` or `waterschap`.
    pub organisation_kind: &'a str,
    /// The document's key ([`document_id`] of `file`).
    pub document_id: &'a str,
    /// The element's number in its document: 1, 2, … in reading order
    /// (a parent before its children).
    pub id: usize,
    /// The `id` of the enclosing element; `None` at the top level.
    pub parent_id: Option<usize>,
}

/// One table cell as a flat row (the `indicators` table, long format).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct IndicatorRow<'a> {
    /// Input path.
    pub file: &'a str,
    /// The organisation as the page names it (`Brabant`).
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
    /// The organisation's official name, whatever its kind (`Noord-Brabant`).
    pub organisation: &'a str,
    /// `gemeente`, `provincie` or `waterschap`.
    pub organisation_kind: &'a str,
    /// The document's key ([`document_id`] of `file`).
    pub document_id: &'a str,
    /// The `id` of the element the table stands in (as in the records).
    pub element_id: usize,
    /// The table's number in its document: 1, 2, … in reading order.
    pub table_id: usize,
    /// The row's number in its table: 1, 2, …
    pub row: usize,
    /// The cell's column, 1-based (the JSON's `column` index + 1); `None`
    /// when the cell has no column (an ambiguous row) or the row no cells.
    pub col: Option<usize>,
}

/// The key of a document in the flat tables and the database: the 64-bit
/// FNV-1a hash of its `file` (the input's path as given, `-` for standard
/// input) as 16 lower-case hex digits. The same path gives the same key in
/// every run, whatever the other inputs, their order or `--jobs`.
pub fn document_id(file: &str) -> String {
    format!("{:016x}", fnv1a(file.as_bytes()))
}

/// The content hash of an input's text (as decoded): its 64-bit FNV-1a
/// hash as 16 hex digits. It tells whether a page changed between runs; it
/// is no protection against a page made to collide.
pub fn content_hash(text: &str) -> String {
    format!("{:016x}", fnv1a(text.as_bytes()))
}

/// The 64-bit FNV-1a hash of `bytes` (stable across platforms and Rust versions).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
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
    pub(crate) organisation: &'a str,
    pub(crate) document_type: &'a str,
    pub(crate) year: Option<u16>,
    pub(crate) organisation_kind: &'a str,
    pub(crate) document_id: String,
}

/// The document-level columns of `doc`'s rows.
pub(crate) fn doc_fields(doc: &Document) -> DocFields<'_> {
    DocFields {
        document_id: document_id(&doc.file),
        file: &doc.file,
        gemeente: doc.meta.gemeente.as_deref().unwrap_or(""),
        organisation: doc.meta.organisation.as_deref().unwrap_or(""),
        document_type: doc.meta.document_type.as_deref().unwrap_or(""),
        year: doc.meta.year,
        organisation_kind: doc.meta.organisation_kind.as_deref().unwrap_or(""),
    }
}

/// Hand every element of a document, as a record row, to `visit`, in reading order.
pub fn visit_records<'a>(doc: &'a Document, visit: &mut dyn FnMut(&RecordRow<'_>)) {
    let f = doc_fields(doc);
    let mut text = String::new();
    walk(&doc.elements, Context::default(), &mut |e, c, ids| {
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
            organisation: f.organisation,
            organisation_kind: f.organisation_kind,
            document_id: &f.document_id,
            id: ids.id,
            parent_id: ids.parent,
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
    let mut table_id = 0;
    walk(&doc.elements, Context::default(), &mut |e, c, ids| {
        for table in &e.tables {
            table_id += 1;
            table_rows(&f, c, Keys { element_id: ids.id, table_id }, table, visit);
        }
    });
}

/// The keys of an element while walking the tree.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ElementIds {
    /// Its number in reading order, from 1.
    pub(crate) id: usize,
    /// Its parent's number.
    pub(crate) parent: Option<usize>,
}

/// Hand every element of `elements` (and their descendants), in reading
/// order, to `visit` with its keys: numbered from 1, a parent before its
/// children (the `id` and `parent_id` of the flat tables).
pub(crate) fn walk_ids<'e>(elements: &'e [Element], visit: &mut dyn FnMut(&'e Element, ElementIds)) {
    fn go<'e>(
        elements: &'e [Element],
        parent: Option<usize>,
        next: &mut usize,
        visit: &mut dyn FnMut(&'e Element, ElementIds),
    ) {
        for e in elements {
            *next += 1;
            let id = *next;
            visit(e, ElementIds { id, parent });
            go(&e.children, Some(id), next, visit);
        }
    }
    go(elements, None, &mut 0, visit);
}

fn walk(elements: &[Element], parent: Context<'_>, visit: &mut dyn FnMut(&Element, Context<'_>, ElementIds)) {
    fn go(
        elements: &[Element],
        parent: Context<'_>,
        parent_id: Option<usize>,
        next: &mut usize,
        visit: &mut dyn FnMut(&Element, Context<'_>, ElementIds),
    ) {
        for e in elements {
            // Borrowed unless a code and a title are joined.
            let name = e.display_name();
            let context = parent.enter(e, &name);
            *next += 1;
            let ids = ElementIds { id: *next, parent: parent_id };
            visit(e, context, ids);
            go(&e.children, context, Some(ids.id), next, visit);
        }
    }
    go(elements, parent, None, &mut 0, visit);
}

/// The keys of a table's rows.
#[derive(Debug, Clone, Copy)]
struct Keys {
    element_id: usize,
    table_id: usize,
}

/// The name a table goes by: its caption, else the block it stands in, else its corner cell.
fn table_name<'a>(table: &'a Table, c: Context<'a>) -> &'a str {
    match (&table.caption, &table.corner) {
        (Some(caption), _) => caption,
        (None, Some(corner)) if c.block.is_empty() => corner,
        (None, _) => c.block,
    }
}

fn table_rows<'a>(
    f: &'a DocFields<'a>,
    c: Context<'a>,
    keys: Keys,
    table: &'a Table,
    visit: &mut dyn FnMut(&[IndicatorRow<'_>]),
) {
    let name = table_name(table, c);
    let mut group = Vec::with_capacity(table.columns.len().max(1));
    for (index, row) in table.rows.iter().enumerate() {
        let base = base_row(f, c, table, name, row, keys, index + 1);
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
                    col: cell.column.map(|i| i + 1),
                    ..base.clone()
                }
            }));
        }
        visit(&group);
    }
}

/// The columns of an indicator row that do not depend on the cell.
fn base_row<'a>(
    f: &'a DocFields<'a>,
    c: Context<'a>,
    table: &'a Table,
    name: &'a str,
    row: &'a Row,
    keys: Keys,
    row_number: usize,
) -> IndicatorRow<'a> {
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
        organisation: f.organisation,
        organisation_kind: f.organisation_kind,
        document_id: &f.document_id,
        element_id: keys.element_id,
        table_id: keys.table_id,
        row: row_number,
        col: None,
    }
}
