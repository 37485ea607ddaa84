//! Flatten the element tree into record rows and indicator rows.

use serde::Serialize;

use crate::model::{Document, Element, ElementKind, Table};

/// One element as a flat row (the `records` table).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordRow {
    /// Input path.
    pub file: String,
    /// Organisation.
    pub gemeente: String,
    /// Document type.
    pub document_type: String,
    /// Document year.
    pub year: String,
    /// Display name (`code title`) of the enclosing programme (or itself).
    pub programme: String,
    /// Display name of the enclosing section (or itself).
    pub section: String,
    /// Display name of the enclosing speerpunt (or itself).
    pub speerpunt: String,
    /// programme, section, speerpunt, block or text.
    pub kind: &'static str,
    /// The element's code.
    pub code: String,
    /// The element's title.
    pub title: String,
    /// A block's label as written.
    pub label: String,
    /// The body: paragraphs and list items, one per line.
    pub text: String,
    /// First line (1-based).
    pub line_start: usize,
    /// Last line (1-based).
    pub line_end: usize,
    /// Normalised label kind.
    pub label_kind: String,
    /// Official Iv3 taakveld code.
    pub taakveld: String,
    /// Number of tables under the element.
    pub tables: usize,
}

/// One table cell as a flat row (the `indicators` table, long format).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    /// Input path.
    pub file: String,
    /// Organisation.
    pub gemeente: String,
    /// Document type.
    pub document_type: String,
    /// Document year.
    pub year: String,
    /// Enclosing programme.
    pub programme: String,
    /// Enclosing section.
    pub section: String,
    /// Enclosing speerpunt.
    pub speerpunt: String,
    /// The table's caption, else the label of the block it stands in, else its corner cell.
    pub table: String,
    /// The row's code (`1.1`).
    pub code: String,
    /// The row label (indicator name, `Lasten`, …).
    pub indicator: String,
    /// The column header as written.
    pub column: String,
    /// The column's year.
    pub period: String,
    /// realisatie, begroting, raming, streefwaarde, … or empty.
    pub value_type: String,
    /// The cell exactly as written.
    pub raw: String,
    /// The parsed value (multiplier applied), empty when there is none.
    pub value: Option<f64>,
    /// `%` or `EUR`.
    pub unit: String,
    /// The cell's line (1-based).
    pub line: usize,
    /// The group row the row stands under.
    pub group: String,
    /// Official Iv3 taakveld code of the row, else of the enclosing section.
    pub taakveld: String,
    /// The units multiplier of the table.
    pub multiplier: Option<f64>,
    /// True when the row's cells could not be aligned with the columns.
    pub ambiguous: bool,
}

/// Enclosing display names while walking the tree.
#[derive(Debug, Clone, Default)]
struct Context {
    programme: String,
    section: String,
    speerpunt: String,
    block: String,
    taakveld: String,
}

impl Context {
    fn enter(&self, e: &Element) -> Context {
        let mut c = self.clone();
        let name = e.display_name();
        match e.kind {
            ElementKind::Programme => {
                c = Context { programme: name, ..Context::default() };
            }
            ElementKind::Section => {
                c.section = name;
                c.speerpunt.clear();
                c.block.clear();
                c.taakveld = e.taakveld.clone().unwrap_or_default();
            }
            ElementKind::Speerpunt => {
                c.speerpunt = name;
                c.block.clear();
            }
            ElementKind::Block => c.block = e.label.clone().unwrap_or_default(),
            ElementKind::Text => {}
        }
        c
    }
}

struct DocFields {
    file: String,
    gemeente: String,
    document_type: String,
    year: String,
}

fn doc_fields(doc: &Document) -> DocFields {
    DocFields {
        file: doc.file.clone(),
        gemeente: doc.meta.gemeente.clone().unwrap_or_default(),
        document_type: doc.meta.document_type.clone().unwrap_or_default(),
        year: doc.meta.year.map(|y| y.to_string()).unwrap_or_default(),
    }
}

/// Every element of a document as a record row, in reading order.
pub fn record_rows(doc: &Document) -> Vec<RecordRow> {
    let fields = doc_fields(doc);
    let mut out = Vec::new();
    walk(&doc.elements, &Context::default(), &mut |e, c| out.push(record(&fields, e, c)));
    out
}

/// Every table cell of a document as an indicator row, in reading order.
pub fn indicator_rows(doc: &Document) -> Vec<IndicatorRow> {
    let fields = doc_fields(doc);
    let mut out = Vec::new();
    walk(&doc.elements, &Context::default(), &mut |e, c| {
        for table in &e.tables {
            table_rows(&fields, c, table, &mut out);
        }
    });
    out
}

fn walk(elements: &[Element], parent: &Context, visit: &mut dyn FnMut(&Element, &Context)) {
    for e in elements {
        let context = parent.enter(e);
        visit(e, &context);
        walk(&e.children, &context, visit);
    }
}

fn record(f: &DocFields, e: &Element, c: &Context) -> RecordRow {
    RecordRow {
        file: f.file.clone(),
        gemeente: f.gemeente.clone(),
        document_type: f.document_type.clone(),
        year: f.year.clone(),
        programme: c.programme.clone(),
        section: c.section.clone(),
        speerpunt: c.speerpunt.clone(),
        kind: e.kind.as_str(),
        code: e.code.clone().unwrap_or_default(),
        title: e.title.clone().unwrap_or_default(),
        label: e.label.clone().unwrap_or_default(),
        text: e.body_text(),
        line_start: e.line_start,
        line_end: e.line_end,
        label_kind: e.label_kind.clone().unwrap_or_default(),
        taakveld: e.taakveld.clone().unwrap_or_default(),
        tables: e.tables.len(),
    }
}

fn table_rows(f: &DocFields, c: &Context, table: &Table, out: &mut Vec<IndicatorRow>) {
    let name = match (&table.caption, &table.corner) {
        (Some(caption), _) => caption.clone(),
        (None, corner) if c.block.is_empty() => corner.clone().unwrap_or_default(),
        (None, _) => c.block.clone(),
    };
    for row in &table.rows {
        let base = IndicatorRow {
            file: f.file.clone(),
            gemeente: f.gemeente.clone(),
            document_type: f.document_type.clone(),
            year: f.year.clone(),
            programme: c.programme.clone(),
            section: c.section.clone(),
            speerpunt: c.speerpunt.clone(),
            table: name.clone(),
            code: row.code.clone().unwrap_or_default(),
            indicator: row.name.clone(),
            column: String::new(),
            period: String::new(),
            value_type: String::new(),
            raw: String::new(),
            value: None,
            unit: String::new(),
            line: row.line,
            group: row.group.clone().unwrap_or_default(),
            taakveld: row.taakveld.clone().unwrap_or_else(|| c.taakveld.clone()),
            multiplier: table.multiplier,
            ambiguous: row.ambiguous,
        };
        if row.cells.is_empty() {
            out.push(base);
            continue;
        }
        for (i, cell) in row.cells.iter().enumerate() {
            let column = table.columns.get(i).filter(|_| !row.ambiguous);
            out.push(IndicatorRow {
                column: column.map(|c| c.label.clone()).unwrap_or_default(),
                period: column.and_then(|c| c.period).map(|p| p.to_string()).unwrap_or_default(),
                value_type: column.and_then(|c| c.value_type.clone()).unwrap_or_default(),
                raw: cell.raw.clone(),
                value: cell.value,
                unit: cell.unit.clone().unwrap_or_default(),
                line: cell.line,
                ..base.clone()
            });
        }
    }
}
