//! A compact text outline of a parsed document, for the spec examples: its
//! metadata, one line per element (indented by depth), then its tables' cells.
//!
//! ```text
//! meta gemeente Brabant (provincie)
//! meta organisation Noord-Brabant
//! meta document_type begroting
//! meta year 2025
//! programme 6 Sociaal domein
//!   section 6.1 Samenkracht [taakveld 6.1]
//!     speerpunt Sociaal Kompas [status on_track Groen] = In het Sociaal Kompas staat
//!       block Stand van zaken (stand_van_zaken) = Op dit moment
//!         cell Aantal | 2022 (b) = 5
//! ```

use begrip::model::{Document, Element, ElementKind, Table};

/// How many characters of body text the outline shows.
const PREVIEW: usize = 40;

pub fn outline(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(g) = &doc.meta.gemeente {
        // The kind only when it is not a gemeente: `meta gemeente Utrecht (provincie)`.
        let kind = doc.meta.organisation_kind.as_deref().filter(|k| *k != "gemeente");
        out.push_str(&format!("meta gemeente {g}{}\n", kind.map(|k| format!(" ({k})")).unwrap_or_default()));
    }
    // The official name only when the page writes another (`-`: none).
    if doc.meta.organisation != doc.meta.gemeente {
        out.push_str(&format!("meta organisation {}\n", doc.meta.organisation.as_deref().unwrap_or("-")));
    }
    if let Some(t) = &doc.meta.document_type {
        out.push_str(&format!("meta document_type {t}\n"));
    }
    if let Some(y) = doc.meta.year {
        out.push_str(&format!("meta year {y}\n"));
    }
    for e in &doc.elements {
        element(e, 0, &mut out);
    }
    out
}

fn element(e: &Element, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let mut line = format!("{indent}{} ", e.kind.as_str());
    match e.kind {
        ElementKind::Block => {
            line.push_str(e.label.as_deref().unwrap_or(""));
            line.push_str(&format!(" ({})", e.label_kind.as_deref().unwrap_or("")));
        }
        ElementKind::Text => line.truncate(line.trim_end().len()),
        _ => line.push_str(&e.display_name()),
    }
    if let Some(t) = &e.taakveld {
        line.push_str(&format!(" [taakveld {t}]"));
    }
    if let Some(s) = &e.status {
        line.push_str(&format!(" [status {} {}]", s.value, s.raw));
    }
    if let Some(first) = e.body.first() {
        let preview: String = first.text.chars().take(PREVIEW).collect();
        line.push_str(&format!(" = {preview}"));
    }
    out.push_str(line.trim_end());
    out.push('\n');
    for t in &e.tables {
        table(t, depth + 1, out);
    }
    for c in &e.children {
        element(c, depth + 1, out);
    }
}

fn table(t: &Table, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    if let Some(c) = t.caption.as_ref().or(t.corner.as_ref()) {
        out.push_str(&format!("{indent}table {c}\n"));
    }
    for row in &t.rows {
        let name = match &row.code {
            Some(code) => format!("{code} {}", row.name),
            None => row.name.clone(),
        };
        if row.cells.is_empty() {
            out.push_str(&format!("{indent}row {name}\n"));
        }
        for cell in &row.cells {
            let column = cell.column.and_then(|i| t.columns.get(i)).map_or("?", |c| c.label.as_str());
            let value = cell.value.map(|v| format!(" ({v})")).unwrap_or_default();
            out.push_str(&format!("{indent}cell {name} | {column} = {}{value}\n", cell.raw));
        }
    }
}
