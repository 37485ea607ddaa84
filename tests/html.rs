//! Saved HTML pages: the same tree as the text of the same page, tables from
//! their markup, and broken or hostile markup parsed without a panic into a
//! sensible tree.

use begrip::input::{Format, Source};
use begrip::model::{Document, Element, ElementKind, Table};

use crate::common::{begrip, root, stdout};

fn parse_html(html: &str) -> Document {
    begrip::parse_source(&Source {
        name: "page.html".into(),
        format: Format::Html,
        text: html.to_string(),
        bounded: false,
    })
}

/// Every element, depth first.
fn elements(doc: &Document) -> Vec<&Element> {
    let mut out = Vec::new();
    let mut stack: Vec<&Element> = doc.elements.iter().rev().collect();
    while let Some(e) = stack.pop() {
        out.push(e);
        stack.extend(e.children.iter().rev());
    }
    out
}

fn tables(doc: &Document) -> Vec<&Table> {
    elements(doc).into_iter().flat_map(|e| &e.tables).collect()
}

/// The records of a page as CSV rows (header first), without the columns
/// that differ by design between a text export and the saved page: the
/// lines (of the source), the status (the icons), the document's
/// metadata (the head of an HTML page says more than its text), and the keys.
fn records_without_lines_status_and_meta(input: &str) -> Vec<Vec<String>> {
    let out = begrip(&["parse", input, "--format", "csv", "--table", "records"]);
    assert_eq!(out.status.code(), Some(0), "{input}");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    let skipped = [
        "file",
        "line_start",
        "line_end",
        "status",
        "gemeente",
        "document_type",
        "year",
        "organisation",
        "organisation_kind",
        // The keys: the document's is its path's, and the ids count the records
        // (seed 001's page has one record fewer).
        "document_id",
        "id",
        "parent_id",
    ];
    let kept: Vec<usize> = (0..header.len()).filter(|&i| !skipped.contains(&header[i].as_str())).collect();
    let rows = reader.records().map(|r| {
        let r = r.expect("row");
        kept.iter().map(|&i| r[i].to_string()).collect::<Vec<String>>()
    });
    std::iter::once(kept.iter().map(|&i| header[i].clone()).collect()).chain(rows).collect()
}

/// Each seed's saved page (written by hand in its platform's style, with
/// navigation, cookie banner and footer around it) gives the records of its
/// text export. The one difference: seed 001's page header `Gemeente
/// Leiderdorp` is in the page's `<header>`, furniture the HTML reader leaves out.
#[test]
fn each_seed_page_gives_the_records_of_its_text() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("seeds"))
        .expect("seeds")
        .filter_map(|e| e.ok()?.file_name().into_string().ok()?.strip_suffix(".txt").map(str::to_string))
        .collect();
    names.sort();
    assert_eq!(names.len(), 5);
    for name in names {
        let mut text = records_without_lines_status_and_meta(&format!("seeds/{name}.txt"));
        let html = records_without_lines_status_and_meta(&format!("fixtures/html/{name}.html"));
        if name.starts_with("001_") {
            let furniture = text.iter().position(|r| r.contains(&"Gemeente Leiderdorp".to_string()));
            text.remove(furniture.expect("the page header is a record of the text"));
        }
        assert_eq!(html, text, "{name}");
    }
}

/// The statuses the seed pages show as icons (an `img` alt, a `span` title).
#[test]
fn seed_pages_give_the_status_of_their_icons() {
    let out = begrip(&["parse", "fixtures/html/000_4f404d2b0c914b54.html"]);
    let doc: Document = serde_json::from_str(&stdout(&out)).expect("JSON");
    let speerpunten: Vec<&Element> = elements(&doc).into_iter().filter(|e| e.kind == ElementKind::Speerpunt).collect();
    assert!(speerpunten.len() >= 5);
    assert!(speerpunten.iter().all(|s| s.status.is_some()), "every speerpunt has its icon's status");
}

#[test]
fn an_empty_cell_stays_empty_in_its_column() {
    let doc = parse_html(
        "<html><body><h2>Indicatoren</h2><table><thead><tr><th>Indicator</th><th>2022</th><th>2023</th><th>2024</th></tr></thead>\
         <tbody><tr><td>Bezoekers</td><td></td><td>410</td><td>420</td></tr>\
         <tr><td>Leden</td><td>12</td><td>&nbsp;</td><td>15</td></tr></tbody></table></body></html>",
    );
    let table = tables(&doc)[0];
    assert_eq!(table.layout, "html");
    let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["2022", "2023", "2024"]);
    let cells = |row: usize| table.rows[row].cells.iter().map(|c| (c.column, c.raw.as_str())).collect::<Vec<_>>();
    assert_eq!(cells(0), [(Some(1), "410"), (Some(2), "420")]);
    assert_eq!(cells(1), [(Some(0), "12"), (Some(2), "15")]);
    assert!(table.rows.iter().all(|r| !r.ambiguous));
}

#[test]
fn two_header_rows_with_spans_name_every_column() {
    let doc = parse_html(
        "<table><caption>Lasten en baten</caption><thead>\
         <tr><th rowspan=2>Taakveld</th><th colspan=2>Realisatie 2023</th><th colspan=2>Begroting 2024</th></tr>\
         <tr><th>Lasten</th><th>Baten</th><th>Lasten</th><th>Baten</th></tr></thead>\
         <tbody><tr><td>0.1 Bestuur</td><td>410</td><td>5</td><td>420</td><td></td></tr></tbody>\
         <tfoot><tr><td>Totaal</td><td>410</td><td>5</td><td>420</td><td>0</td></tr></tfoot></table>",
    );
    let table = tables(&doc)[0];
    assert_eq!(table.caption.as_deref(), Some("Lasten en baten"));
    assert_eq!(table.corner.as_deref(), Some("Taakveld"));
    let labels: Vec<(&str, Option<&str>)> =
        table.columns.iter().map(|c| (c.label.as_str(), c.measure.as_deref())).collect();
    assert_eq!(
        labels,
        [
            ("Realisatie 2023 Lasten", Some("Lasten")),
            ("Realisatie 2023 Baten", Some("Baten")),
            ("Begroting 2024 Lasten", Some("Lasten")),
            ("Begroting 2024 Baten", Some("Baten"))
        ]
    );
    assert_eq!(table.rows[0].taakveld.as_deref(), Some("0.1"));
    assert_eq!(table.rows[0].cells.len(), 3);
    assert!(table.rows[1].total);
}

/// A definition list of fields is a table of one row: its terms over their definitions.
#[test]
fn a_list_of_fields_is_a_row_of_a_table() {
    let doc = parse_html(
        "<h3>Doel 1.1 Veilige wijken</h3><p>Tekst over het doel.</p><dl><dt>Indicator</dt><dd>Aantal inbraken</dd>\
         <dt>Streefwaarde 2024</dt><dd>&lt; 190</dd><dt>Realisatie 2024</dt><dd>198</dd><dt>Bron</dt><dd>Politie</dd></dl>\
         <dl><dt>Portefeuillehouder</dt><dd>J. de Vries</dd></dl>",
    );
    let table = tables(&doc)[0];
    assert_eq!(tables(&doc).len(), 1, "a list of one field is no table");
    assert_eq!(table.corner.as_deref(), Some("Indicator"));
    let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Streefwaarde 2024", "Realisatie 2024", "Bron"]);
    assert_eq!(table.rows[0].name, "Aantal inbraken");
    let cells: Vec<(Option<usize>, &str)> = table.rows[0].cells.iter().map(|c| (c.column, c.raw.as_str())).collect();
    assert_eq!(cells, [(Some(0), "< 190"), (Some(1), "198"), (Some(2), "Politie")]);
}

/// Headings and labels from the markup, furniture left out, lines of the source.
#[test]
fn the_tree_comes_from_the_markup_and_lines_from_the_source() {
    let html =
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><title>Begroting 2025 - Gemeente Leiden</title></head>\n<body>\n\
        <nav><a href=\"/\">Home</a> <a href=\"/p\">Programma 9 Elders</a></nav>\n\
        <div class=\"cookie-banner\">Wij gebruiken cookies</div>\n<main>\n<h1>Programma 2 Wonen</h1>\n\
        <h3>Doel 2.1 Meer woningen</h3>\n<span class=\"status status--groen\" title=\"Op schema\"></span>\n\
        <p><strong>Stand van zaken:</strong></p>\n<p>Het gaat goed.</p>\n</main>\n\
        <footer>Contact en privacy</footer>\n</body></html>\n";
    let doc = parse_html(html);
    let all = elements(&doc);
    let names: Vec<(ElementKind, String, usize)> =
        all.iter().map(|e| (e.kind, e.display_name().into_owned(), e.line_start)).collect();
    assert_eq!(
        names,
        [
            (ElementKind::Programme, "2 Wonen".to_string(), 7),
            (ElementKind::Speerpunt, "Meer woningen".to_string(), 8),
            (ElementKind::Block, "Stand van zaken".to_string(), 10)
        ]
    );
    assert_eq!(all[1].status.as_ref().map(|s| s.value.as_str()), Some("on_track"));
    assert_eq!(all[2].body[0].line, 11);
    assert_eq!(doc.meta.gemeente.as_deref(), Some("Leiden"));
    assert_eq!((doc.meta.document_type.as_deref(), doc.meta.year), (Some("begroting"), Some(2025)));
    assert_eq!(doc.meta.language.as_deref(), Some("nl"));
    assert_eq!(doc.coverage.unassigned, Vec::<usize>::new());
}

/// Broken markup of every kind: no panic, the text kept, the tables sensible.
#[test]
fn broken_markup_parses_into_a_sensible_tree() {
    let cases: [(&str, &str); 8] = [
        ("unclosed tags", "<h2>Programma 1 Wonen<p>Tekst een<p>Tekst twee<ul><li>Een<li>Twee"),
        ("cut in a table", "<h2>Programma 1 Wonen</h2><table><tr><th>Jaar</th><th>2024</th></tr><tr><td>Lasten</td><td>5"),
        ("nested tables", "<table><tr><th>A</th><th>2024</th></tr><tr><td><table><tr><td>binnen</td><td>7</td></tr></table></td><td>8</td></tr></table>"),
        ("table in a list", "<ul><li>Punt<table><tr><td>Lasten</td><td>12</td></tr></table></li></ul>"),
        ("thead without tbody", "<table><thead><tr><th>Post</th><th>2024</th></tr></thead><tr><td>Lasten</td><td>3</td></tr></table>"),
        ("rowspan past the end", "<table><tr><th>Post</th><th>2024</th></tr><tr><td rowspan=9>Lasten</td><td>3</td></tr></table>"),
        ("colspan 1000", "<table><tr><th colspan=1000>Alles</th><th>2024</th></tr><tr><td colspan=1000>Lasten</td><td>3</td></tr></table>"),
        ("stray end tags", "</table></td></tr><h2>Programma 1 Wonen</h2></main></div><p>Tekst</p></body></html><p>Na</p>"),
    ];
    for (what, html) in cases {
        let doc = parse_html(html);
        let text: String = serde_json::to_string(&doc).expect("JSON");
        assert!(doc.coverage.unassigned.is_empty(), "{what}: {:?}", doc.coverage.unassigned);
        assert!(!text.contains("\"line_start\":0"), "{what}: every element has a source line");
        if what == "nested tables" {
            let table = tables(&doc)[0];
            assert_eq!(table.rows[0].name, "binnen 7", "{what}: the inner table is its cell's text");
        }
        if what == "colspan 1000" {
            assert!(tables(&doc).iter().all(|t| t.columns.len() <= 256), "{what}");
        }
    }
}

/// A paragraph all in bold is a label, as a text export's label line is;
/// a list item that starts with a heading is headed by it, not an item.
#[test]
fn bold_paragraphs_are_labels_and_headings_head_their_list_items() {
    let doc = parse_html(
        "<main><h1>Programma 3 Economie</h1><h2>Doel 3.1 Meer banen</h2>\
         <p><strong>Wat hebben we gedaan voor de ondernemers:</strong></p><p>We openden een loket.</p>\
         <p><b>Let op: de cijfers zijn voorlopig.</b></p><p>Ze volgen in juni.</p>\
         <h3>Projecten</h3><ul><li><h4>Bedrijventerrein De Hoek</h4><p>De grond is verkocht.</p></li>\
         <li><h4>Haven Oost</h4><p>De kade is hersteld.</p></li></ul></main>",
    );
    let blocks: Vec<(&str, Vec<&str>)> = elements(&doc)
        .into_iter()
        .filter(|e| e.kind == ElementKind::Block)
        .map(|e| (e.label.as_deref().unwrap_or(""), e.body.iter().map(|p| p.text.as_str()).collect()))
        .collect();
    let sentence = "Let op: de cijfers zijn voorlopig.";
    assert_eq!(
        blocks,
        [
            ("Wat hebben we gedaan voor de ondernemers", vec!["We openden een loket.", sentence, "Ze volgen in juni."]),
            ("Bedrijventerrein De Hoek", vec!["De grond is verkocht."]),
            ("Haven Oost", vec!["De kade is hersteld."]),
        ]
    );
}

/// A 20 MB page: parsed, every table read (the speed is in the bench).
#[test]
fn a_twenty_megabyte_page_parses() {
    let row = "<tr><td>Lasten taakveld</td><td>1.234</td><td>5.678</td></tr>\n";
    let table =
        format!("<h3>Tabel</h3><table><tr><th>Post</th><th>2023</th><th>2024</th></tr>{}</table>\n", row.repeat(100));
    let count = (20 << 20) / table.len() + 1;
    let html = format!("<html><body><main><h1>Programma 1 Groot</h1>{}</main></body></html>", table.repeat(count));
    assert!(html.len() > 20 << 20);
    let doc = parse_html(&html);
    let tables = tables(&doc);
    assert_eq!(tables.len(), count);
    assert!(tables.iter().all(|t| t.rows.len() == 100 && t.columns.len() == 2));
}
