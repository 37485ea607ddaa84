//! `begrip view PAGE -o PAGE.html`: one self-contained HTML file that shows
//! what was extracted from a page, for an analyst to check it in seconds.
//!
//! The source lines are on the left, numbered, each with an anchor (`#L12`);
//! the tree is on the right: every programme, section, speerpunt and block
//! coloured by its kind, linked to its first line (and the line back to it),
//! with its body and its tables, each rendered as an HTML table (ambiguous
//! rows marked, cells linked to their lines). Lines that no element holds and
//! lines with numbers outside every table row are highlighted on both sides.
//!
//! The file has its CSS inline and no script, image or other asset; all text
//! is escaped. Element numbers are the `id` of the flat tables, table numbers
//! their `table_id`.

use std::fmt::Write as _;

use super::rows::walk_ids;
use crate::model::{Document, Element, ElementKind, Table};

/// The style sheet, inline in every view.
const STYLE: &str = r#"
:root { --programme: #1f5fbf; --section: #1a7f37; --speerpunt: #9a6700; --block: #8250df; --text: #6e7781;
  --unassigned: #ffd7d5; --numbers: #ffe9a8; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; }
header { padding: 8px 14px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
header h1 { font-size: 15px; margin: 0 0 4px; word-break: break-all; }
header .facts span { margin-right: 14px; }
header .legend span { display: inline-block; margin: 4px 8px 0 0; padding: 0 6px; border-radius: 3px; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); height: calc(100vh - 86px); }
main > section { overflow: auto; padding: 6px 10px; }
.source { border-right: 1px solid #d0d7de; }
.lines { border-collapse: collapse; width: 100%; font: 12px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; }
.lines td { padding: 0 6px; vertical-align: top; }
.lines td.no { text-align: right; color: #8c959f; user-select: none; white-space: nowrap; width: 1%; }
.lines td.no a { color: inherit; text-decoration: none; }
.lines td.src { white-space: pre-wrap; word-break: break-word; border-left: 4px solid transparent; }
.lines td.to { width: 1%; white-space: nowrap; }
.lines td.to a { font-size: 10px; text-decoration: none; padding: 0 3px; border-radius: 3px; color: #fff; }
.lines tr.outside td.src { color: #8c959f; }
.lines tr.table td.src { background: #f3f8ff; }
.lines tr.unassigned td.src { background: var(--unassigned); }
.lines tr.numbers td.src { background: var(--numbers); }
.lines tr:target td { background: #fff8c5; outline: 1px solid #d4a72c; }
.k-programme { --kind: var(--programme); } .k-section { --kind: var(--section); }
.k-speerpunt { --kind: var(--speerpunt); } .k-block { --kind: var(--block); } .k-text { --kind: var(--text); }
.lines td.src.k-programme, .lines td.src.k-section, .lines td.src.k-speerpunt, .lines td.src.k-block,
.lines td.src.k-text { border-left-color: var(--kind); }
.lines td.to a, .legend .k { background: var(--kind); color: #fff; }
.el { border-left: 4px solid var(--kind); margin: 6px 0 6px 4px; padding: 2px 0 2px 8px; }
.el:target { background: #fff8c5; }
.el .head { font-weight: 600; }
.el .head .kind { font-size: 10px; text-transform: uppercase; color: #fff; background: var(--kind);
  padding: 0 5px; border-radius: 3px; margin-right: 4px; font-weight: 500; }
.el .head .code { color: var(--kind); margin-right: 4px; }
.el .head a.span, .body a, table.data a, .tbl .cap a, .notes a { color: #57606a; font-weight: 400; font-size: 11px; text-decoration: none; }
.el .head .meta { font-weight: 400; color: #57606a; font-size: 11px; margin-left: 6px; }
.status { font-weight: 500; font-size: 11px; padding: 0 5px; border-radius: 8px; margin-left: 6px; }
.s-on_track { background: #dafbe1; } .s-attention { background: #fff1c2; } .s-off_track { background: #ffd7d5; }
.s-done { background: #ddf4ff; }
.body p { margin: 2px 0; } .body p.list_item::before { content: "• "; }
.body p a { margin-right: 5px; }
.tbl { margin: 6px 0 8px; overflow-x: auto; }
.tbl .cap { font-weight: 600; font-size: 12px; }
.tbl .cap .meta { font-weight: 400; color: #57606a; font-size: 11px; margin-left: 6px; }
table.data { border-collapse: collapse; font-size: 12px; margin-top: 2px; }
table.data th, table.data td { border: 1px solid #d0d7de; padding: 1px 5px; vertical-align: top; }
table.data th { background: #f6f8fa; font-weight: 600; text-align: left; }
table.data tbody th { font-weight: 500; background: #fff; }
table.data th small { display: block; font-weight: 400; color: #57606a; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tr.group td { background: #f6f8fa; font-style: italic; }
table.data tr.total td { font-weight: 600; }
table.data tr.ambiguous td { background: #fbefff; }
table.data td.flag { color: #8250df; font-size: 11px; white-space: nowrap; }
.notes { color: #57606a; font-size: 11px; margin: 2px 0; }
.loose { margin-top: 14px; border-top: 1px solid #d0d7de; }
.loose h2 { font-size: 13px; margin: 8px 0 4px; }
.loose li a { text-decoration: none; }
.loose li.unassigned { background: var(--unassigned); } .loose li.numbers { background: var(--numbers); }
"#;

/// How a source line shows: the innermost element that holds it, whether a
/// table holds it, and the highlights.
#[derive(Clone, Copy, Default)]
struct LineMark {
    kind: Option<ElementKind>,
    table: bool,
    unassigned: bool,
    numbers: bool,
    /// The element that starts on this line (its `id`), the first when several do.
    starts: Option<(usize, ElementKind)>,
}

/// The view of `doc`, parsed from `text` (the input as read, whose lines the
/// document's line numbers count): a complete HTML document.
pub fn view_html(doc: &Document, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut marks = vec![LineMark::default(); lines.len() + 1];
    walk_ids(&doc.elements, &mut |e, ids| {
        for mark in span(&mut marks, e.line_start, e.line_end) {
            mark.kind = Some(e.kind);
        }
        if let Some(mark) = marks.get_mut(e.line_start) {
            mark.starts.get_or_insert((ids.id, e.kind));
        }
        for table in &e.tables {
            span(&mut marks, table.line_start, table.line_end).for_each(|m| m.table = true);
        }
    });
    for &n in &doc.coverage.unassigned {
        if let Some(mark) = marks.get_mut(n) {
            mark.unassigned = true;
        }
    }
    for &n in &doc.coverage.numbers_outside_tables {
        if let Some(mark) = marks.get_mut(n) {
            mark.numbers = true;
        }
    }
    let mut out = String::with_capacity(text.len() * 3 + STYLE.len() + 4096);
    out.push_str("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>begrip view: {}</title>", escape(&doc.file));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    header(&mut out, doc);
    out.push_str("<main>\n<section class=\"source\" aria-label=\"source lines\">\n<table class=\"lines\">\n");
    for (i, line) in lines.iter().enumerate() {
        source_line(&mut out, i + 1, line, &marks[i + 1]);
    }
    out.push_str("</table>\n</section>\n<section class=\"tree\" aria-label=\"what was extracted\">\n");
    let (mut element_id, mut table_id) = (0, 0);
    for element in &doc.elements {
        element_html(&mut out, element, &mut element_id, &mut table_id);
    }
    loose_lines(&mut out, doc, &lines);
    out.push_str("</section>\n</main>\n</body>\n</html>\n");
    out
}

/// The marks of lines `start..=end` (1-based), clamped to the text.
fn span(marks: &mut [LineMark], start: usize, end: usize) -> impl Iterator<Item = &mut LineMark> {
    let end = end.min(marks.len().saturating_sub(1));
    marks.get_mut(start.max(1)..=end).unwrap_or_default().iter_mut()
}

/// The page's file, metadata, line counts and the colour legend.
fn header(out: &mut String, doc: &Document) {
    let (m, c) = (&doc.meta, &doc.coverage);
    let _ = writeln!(out, "<header>\n<h1>{}</h1>\n<div class=\"facts\">", escape(&doc.file));
    let given = |field: &str| {
        m.sources.fields().find(|(f, _)| *f == field).and_then(|(_, g)| g).map(|g| format!(" ({})", g.as_str()))
    };
    let facts = [
        ("organisation", m.gemeente.clone(), "gemeente"),
        ("officially", m.organisation.clone().filter(|o| m.gemeente.as_ref() != Some(o)), ""),
        ("kind", m.organisation_kind.clone(), ""),
        ("document", m.document_type.clone(), "document_type"),
        ("year", m.year.map(|y| y.to_string()), "year"),
        ("platform", m.platform.clone(), ""),
        ("url", m.url.clone(), "url"),
    ];
    for (name, value, field) in facts {
        if let Some(value) = value {
            let from = given(field).unwrap_or_default();
            let _ = write!(out, "<span>{name}: <b>{}</b>{}</span>", escape(&value), escape(&from));
        }
    }
    let _ = writeln!(
        out,
        "<span>{} of {} content lines in an element</span><span>{} lines in no element</span>\
         <span>{} lines with numbers in no table</span>",
        c.assigned_lines,
        c.content_lines,
        c.unassigned.len(),
        c.numbers_outside_tables.len()
    );
    out.push_str("</div>\n<div class=\"legend\">");
    for kind in KINDS {
        let _ = write!(out, "<span class=\"k k-{0}\">{0}</span>", kind.as_str());
    }
    out.push_str(
        "<span style=\"background:var(--unassigned)\">line in no element</span>\
         <span style=\"background:var(--numbers)\">numbers in no table</span>\
         <span style=\"background:#f3f8ff\">table lines</span></div>\n</header>\n",
    );
}

const KINDS: [ElementKind; 5] =
    [ElementKind::Programme, ElementKind::Section, ElementKind::Speerpunt, ElementKind::Block, ElementKind::Text];

/// One numbered source line.
fn source_line(out: &mut String, no: usize, line: &str, mark: &LineMark) {
    let class = if mark.unassigned {
        "unassigned"
    } else if mark.numbers {
        "numbers"
    } else if mark.table {
        "table"
    } else if mark.kind.is_none() {
        "outside"
    } else {
        ""
    };
    let _ = write!(out, "<tr id=\"L{no}\"");
    if !class.is_empty() {
        let _ = write!(out, " class=\"{class}\"");
    }
    let _ = write!(out, "><td class=\"no\"><a href=\"#L{no}\">{no}</a></td><td class=\"src");
    if let Some(kind) = mark.kind {
        let _ = write!(out, " k-{}", kind.as_str());
    }
    let _ = write!(out, "\">{}</td><td class=\"to\">", escape(line));
    if let Some((id, kind)) = mark.starts {
        let _ = write!(out, "<a class=\"k-{}\" href=\"#e{id}\" title=\"element {id}\">{}</a>", kind.as_str(), id);
    }
    out.push_str("</td></tr>\n");
}

/// An element, its body, tables and children; elements and tables are
/// numbered in reading order, a parent before its children (as `walk_ids`
/// numbers them for the flat tables).
fn element_html(out: &mut String, e: &Element, element_id: &mut usize, table_id: &mut usize) {
    *element_id += 1;
    let id = *element_id;
    let kind = e.kind.as_str();
    let _ =
        write!(out, "<div class=\"el k-{kind}\" id=\"e{id}\">\n<div class=\"head\"><span class=\"kind\">{kind}</span>");
    if let Some(code) = &e.code {
        let _ = write!(out, "<span class=\"code\">{}</span>", escape(code));
    }
    if let Some(name) = e.title.as_ref().or(e.label.as_ref()) {
        out.push_str(&escape(name));
    }
    let _ = write!(out, " <a class=\"span\" href=\"#L{0}\">lines {0}–{1}</a>", e.line_start, e.line_end);
    if let Some(status) = &e.status {
        let _ = write!(
            out,
            "<span class=\"status s-{}\" title=\"{}\">{}</span>",
            escape(&status.value),
            escape(&status.value),
            escape(&status.raw)
        );
    }
    let mut facts = Vec::new();
    if let Some(label_kind) = e.label_kind.as_ref().filter(|_| e.kind == ElementKind::Block) {
        facts.push(label_kind.clone());
    }
    if let Some(taakveld) = &e.taakveld {
        facts.push(format!("taakveld {taakveld}"));
    }
    facts.push(format!("#{id}"));
    let _ = writeln!(out, "<span class=\"meta\">{}</span></div>", escape(&facts.join(" · ")));
    if !e.body.is_empty() {
        out.push_str("<div class=\"body\">\n");
        for p in &e.body {
            let _ = writeln!(
                out,
                "<p class=\"{}\"><a href=\"#L{1}\">{1}</a>{2}</p>",
                p.kind.as_str(),
                p.line,
                escape(&p.text)
            );
        }
        out.push_str("</div>\n");
    }
    for table in &e.tables {
        *table_id += 1;
        table_html(out, table, *table_id);
    }
    for child in &e.children {
        element_html(out, child, element_id, table_id);
    }
    out.push_str("</div>\n");
}

/// A table as an HTML table: the header of its columns, its rows with their
/// cells in their columns (an ambiguous row's unplaced cells in a last
/// column), then its notes and footnotes.
fn table_html(out: &mut String, t: &Table, table_id: usize) {
    let _ = write!(out, "<div class=\"tbl\" id=\"t{table_id}\">\n<div class=\"cap\">");
    out.push_str(&escape(t.caption.as_deref().unwrap_or("(table)")));
    let mut facts = vec![format!("table {table_id}"), t.layout.clone()];
    if let Some(m) = t.multiplier {
        facts.push(format!("× {m}"));
    }
    let _ = writeln!(
        out,
        " <a href=\"#L{0}\">lines {0}–{1}</a><span class=\"meta\">{2}</span></div>",
        t.line_start,
        t.line_end,
        escape(&facts.join(" · "))
    );
    let ambiguous = t.rows.iter().any(|r| r.ambiguous);
    out.push_str("<table class=\"data\">\n<thead><tr><th>");
    out.push_str(&escape(t.corner.as_deref().unwrap_or("")));
    out.push_str("</th>");
    for column in &t.columns {
        let _ = write!(out, "<th>{}", escape(&column.label));
        let what: Vec<&str> = [column.value_type.as_deref(), column.measure.as_deref()].into_iter().flatten().collect();
        if !what.is_empty() {
            let _ = write!(out, "<small>{}</small>", escape(&what.join(", ")));
        }
        out.push_str("</th>");
    }
    if ambiguous {
        out.push_str("<th>not placed</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let width = t.columns.len() + 1 + usize::from(ambiguous);
    let mut group: Option<&str> = None;
    for row in &t.rows {
        if row.group.as_deref() != group {
            group = row.group.as_deref();
            if let Some(g) = group {
                let _ = writeln!(out, "<tr class=\"group\"><td colspan=\"{width}\">{}</td></tr>", escape(g));
            }
        }
        let classes: Vec<&str> = [(row.ambiguous, "ambiguous"), (row.total, "total")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, c)| *c)
            .collect();
        out.push_str("<tr");
        if !classes.is_empty() {
            let _ = write!(out, " class=\"{}\"", classes.join(" "));
        }
        out.push_str("><th>");
        if let Some(code) = &row.code {
            let _ = write!(out, "{} ", escape(code));
        }
        out.push_str(&escape(&row.name));
        if let Some(marker) = &row.footnote {
            let _ = write!(out, "<sup>{}</sup>", escape(marker));
        }
        let _ = write!(out, " <a href=\"#L{0}\">{0}</a></th>", row.line);
        let mut placed: Vec<Vec<&crate::model::Cell>> = vec![Vec::new(); t.columns.len()];
        let mut unplaced = Vec::new();
        for cell in &row.cells {
            match cell.column.and_then(|c| placed.get_mut(c)) {
                Some(slot) => slot.push(cell),
                None => unplaced.push(cell),
            }
        }
        for cells in &placed {
            let numeric = !cells.is_empty() && cells.iter().all(|c| c.value.is_some());
            out.push_str(if numeric { "<td class=\"num\">" } else { "<td>" });
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    out.push_str("<br>");
                }
                cell_html(out, cell);
            }
            out.push_str("</td>");
        }
        if ambiguous {
            out.push_str("<td class=\"flag\">");
            if row.ambiguous {
                out.push_str("ambiguous");
            }
            for cell in &unplaced {
                out.push_str("<br>");
                cell_html(out, cell);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    for f in &t.footnotes {
        let _ = writeln!(
            out,
            "<p class=\"notes\"><sup>{}</sup> {} <a href=\"#L{2}\">{2}</a></p>",
            escape(&f.marker),
            escape(&f.text),
            f.line
        );
    }
    for n in &t.notes {
        let _ = writeln!(out, "<p class=\"notes\">{} <a href=\"#L{1}\">{1}</a></p>", escape(&n.text), n.line);
    }
    out.push_str("</div>\n");
}

/// One cell: as written, with its value, unit and line in its tooltip.
fn cell_html(out: &mut String, cell: &crate::model::Cell) {
    let mut title = format!("line {}", cell.line);
    if let Some(value) = cell.value {
        let _ = write!(title, ", value {value}");
    }
    if let Some(unit) = &cell.unit {
        let _ = write!(title, " {unit}");
    }
    let _ = write!(out, "<span title=\"{}\">{}</span>", escape(&title), escape(&cell.raw));
}

/// The lines that landed nowhere and the number lines outside tables, listed.
fn loose_lines(out: &mut String, doc: &Document, lines: &[&str]) {
    let c = &doc.coverage;
    for (numbers, class, what) in [
        (&c.unassigned, "unassigned", "Lines in no element"),
        (&c.numbers_outside_tables, "numbers", "Lines with numbers in no table"),
    ] {
        let _ = write!(out, "<div class=\"loose\">\n<h2>{what}: {}</h2>\n", numbers.len());
        if !numbers.is_empty() {
            out.push_str("<ul>\n");
            for &n in numbers.iter() {
                let line = lines.get(n.wrapping_sub(1)).map_or("", |l| l.trim());
                let _ = writeln!(out, "<li class=\"{class}\"><a href=\"#L{n}\">{n}</a> {}</li>", escape(line));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</div>\n");
    }
}

/// `text` with `&`, `<`, `>`, `"` and `'` as character references (safe in
/// element content and in quoted attributes).
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere() {
        let text = "Programma 1 <script>alert('x')</script> & \"zo\"\n\nStand van zaken:\n\nWe <b>doen</b> het.\n";
        let doc = crate::parse_text("<page>.txt", text);
        let html = view_html(&doc, text);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b>doen"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;zo&quot;"));
        assert!(html.contains("<title>begrip view: &lt;page&gt;.txt</title>"));
    }

    #[test]
    fn ambiguous_rows_and_loose_lines_are_marked() {
        use crate::model::{Cell, Column, Row};
        let text = "Programma 1 Wonen\n\nLos\n\nWoningen\n10\n12\n";
        let mut doc = crate::parse_text("a.txt", text);
        doc.coverage.unassigned = vec![3];
        doc.coverage.numbers_outside_tables = vec![6];
        let cell = |column, raw: &str, line| Cell { column, raw: raw.into(), value: Some(10.0), unit: None, line };
        let column = |label: &str| Column { label: label.into(), period: None, value_type: None, measure: None };
        doc.elements[0].tables.push(Table {
            caption: Some("Indicatoren".into()),
            corner: None,
            multiplier: None,
            layout: "cells".into(),
            columns: vec![column("2023"), column("2024")],
            rows: vec![Row {
                code: None,
                name: "Woningen".into(),
                group: None,
                footnote: None,
                taakveld: None,
                ambiguous: true,
                total: false,
                cells: vec![cell(Some(0), "10", 6), cell(None, "12", 7)],
                line: 5,
            }],
            footnotes: Vec::new(),
            notes: Vec::new(),
            line_start: 5,
            line_end: 7,
        });
        let html = view_html(&doc, text);
        assert!(html.contains("<tr id=\"L3\" class=\"unassigned\">"), "{html}");
        assert!(html.contains("<tr id=\"L6\" class=\"numbers\">"), "{html}");
        assert!(html.contains("<tr id=\"L7\" class=\"table\">"), "{html}");
        assert!(html.contains("<li class=\"unassigned\"><a href=\"#L3\">3</a> Los</li>"), "{html}");
        assert!(html.contains("<th>not placed</th>"), "{html}");
        assert!(html.contains("<tr class=\"ambiguous\"><th>Woningen <a href=\"#L5\">5</a></th>"), "{html}");
        assert!(html.contains("<td class=\"flag\">ambiguous<br><span title=\"line 7, value 10\">12</span></td>"));
    }

    #[test]
    fn lines_link_to_elements_and_back() {
        let text = "Programma 1 Wonen\n\nStand van zaken:\n\nHet gaat goed.\n";
        let doc = crate::parse_text("a.txt", text);
        let html = view_html(&doc, text);
        assert!(html.contains("<tr id=\"L1\">"), "{html}");
        assert!(html.contains("href=\"#e1\""), "the first line links to its element");
        assert!(html.contains("<div class=\"el k-programme\" id=\"e1\">"), "{html}");
        assert!(html.contains("href=\"#L1\">lines 1–5</a>"), "{html}");
        assert!(html.contains("<div class=\"el k-block\" id=\"e2\">"), "{html}");
    }
}
