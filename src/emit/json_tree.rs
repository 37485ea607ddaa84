//! The document tree as pretty JSON, written directly: the bytes
//! `serde_json::to_writer_pretty` makes of a [`Document`] (two-space indent,
//! the model's field order, the fields serde skips skipped), at several times
//! its speed. Tests compare the two on every document the property tests
//! make, so a field added to the model and not here fails them.

use crate::bytes::{any_below, any_equal, word_at};
use crate::model::{
    Cell, Column, Coverage, Document, Element, Footnote, Meta, MetaEvidence, Note, Paragraph, RemovedCount, Row, Table,
};

/// Append a document as pretty JSON to `out`.
pub fn write_document(out: &mut Vec<u8>, doc: &Document) {
    let mut w = TreeWriter { out, depth: 0, first: true };
    w.object(|w| {
        w.key("file").string(&doc.file);
        w.key("meta").meta(&doc.meta);
        w.key("elements").array(&doc.elements, TreeWriter::element);
        w.key("removed").array(&doc.removed, TreeWriter::removed);
        w.key("coverage").coverage(&doc.coverage);
    });
}

/// Spaces enough for most depths, after the separator that starts a line.
const LINE_STARTS: &[u8; 130] = b",\n                                                                                                                                ";

/// Writes nested objects and arrays with serde_json's pretty layout.
struct TreeWriter<'a> {
    out: &'a mut Vec<u8>,
    /// Objects and arrays open around the next value.
    depth: usize,
    /// No key or element written yet in the innermost open object or array.
    first: bool,
}

impl TreeWriter<'_> {
    /// A new line at the current depth, after a comma unless it is the first.
    fn line_start(&mut self, first: bool) {
        let from = usize::from(first);
        match LINE_STARTS.get(from..2 + 2 * self.depth) {
            Some(start) => self.out.extend_from_slice(start),
            None => {
                self.out.extend_from_slice(&LINE_STARTS[from..2]);
                (0..self.depth).for_each(|_| self.out.extend_from_slice(b"  "));
            }
        }
    }

    /// The line start of the next key or element of the innermost object or array.
    fn next_entry(&mut self) {
        let first = std::mem::replace(&mut self.first, false);
        self.line_start(first);
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.first {
            self.line_start(true);
        }
        self.out.push(bracket);
        self.first = false;
    }

    fn object(&mut self, fields: impl FnOnce(&mut Self)) {
        self.open(b'{');
        fields(self);
        self.close(b'}');
    }

    fn array<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
        self.open(b'[');
        for value in items {
            self.next_entry();
            item(self, value);
        }
        self.close(b']');
    }

    /// Start the next field; the value follows.
    fn key(&mut self, name: &str) -> &mut Self {
        self.next_entry();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
        self
    }

    /// A string, escaped as serde_json escapes it. Runs of bytes that need
    /// no escape are found eight at a time and copied whole.
    fn string(&mut self, text: &str) {
        self.out.push(b'"');
        let bytes = text.as_bytes();
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            if word_at(bytes, i).is_some_and(|word| !needs_escape(word)) {
                i += 8;
                continue;
            }
            let b = bytes[i];
            let escape = ESCAPES[usize::from(b)];
            if escape != 0 {
                self.out.extend_from_slice(&bytes[copied..i]);
                copied = i + 1;
                match escape {
                    b'u' => {
                        self.out.extend_from_slice(b"\\u00");
                        self.out.push(HEX[usize::from(b >> 4)]);
                        self.out.push(HEX[usize::from(b & 0xF)]);
                    }
                    short => self.out.extend_from_slice(&[b'\\', short]),
                }
            }
            i += 1;
        }
        self.out.extend_from_slice(&bytes[copied..]);
        self.out.push(b'"');
    }

    fn optional_string(&mut self, text: Option<&str>) {
        match text {
            Some(t) => self.string(t),
            None => self.null(),
        }
    }

    fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    fn integer(&mut self, n: impl itoa::Integer) {
        self.out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    /// A number as serde_json writes an `f64` (with the same crate): shortest
    /// round-trip digits, `null` when not finite.
    fn float(&mut self, v: f64) {
        if v.is_finite() {
            self.out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
        } else {
            self.null();
        }
    }

    /// A field that serde skips when it is `None`.
    fn some_string(&mut self, name: &str, text: &Option<String>) {
        if let Some(t) = text {
            self.key(name).string(t);
        }
    }

    /// A field that serde skips when it is empty.
    fn some_array<T>(&mut self, name: &str, items: &[T], item: impl FnMut(&mut Self, &T)) {
        if !items.is_empty() {
            self.key(name).array(items, item);
        }
    }

    fn meta(&mut self, meta: &Meta) {
        self.object(|w| {
            w.key("gemeente").optional_string(meta.gemeente.as_deref());
            w.key("organisation").optional_string(meta.organisation.as_deref());
            w.key("organisation_kind").optional_string(meta.organisation_kind.as_deref());
            w.key("document_type").optional_string(meta.document_type.as_deref());
            match meta.year {
                Some(year) => w.key("year").integer(year),
                None => w.key("year").null(),
            }
            w.key("platform").optional_string(meta.platform.as_deref());
            w.key("breadcrumb").array(&meta.breadcrumb, |w, crumb| w.string(crumb));
            w.key("built_at").optional_string(meta.built_at.as_deref());
            w.key("exported_at").optional_string(meta.exported_at.as_deref());
            w.key("evidence").array(&meta.evidence, TreeWriter::evidence);
            w.some_string("title", &meta.title);
            w.some_string("language", &meta.language);
            w.some_string("url", &meta.url);
            if !meta.sources.is_empty() {
                w.key("sources").object(|w| {
                    for (field, given) in meta.sources.fields() {
                        if let Some(given) = given {
                            w.key(field).string(given.as_str());
                        }
                    }
                });
            }
        });
    }

    fn evidence(&mut self, e: &MetaEvidence) {
        self.object(|w| {
            w.key("field").string(e.field.as_str());
            w.key("value").string(&e.value);
            w.key("line").integer(e.line);
            w.key("text").string(&e.text);
            w.key("rank").string(e.rank.as_str());
        });
    }

    fn removed(&mut self, removed: &RemovedCount) {
        self.object(|w| {
            w.key("rule").string(&removed.rule);
            w.key("lines").integer(removed.lines);
        });
    }

    fn coverage(&mut self, coverage: &Coverage) {
        self.object(|w| {
            w.key("content_lines").integer(coverage.content_lines);
            w.key("assigned_lines").integer(coverage.assigned_lines);
            w.key("unassigned").array(&coverage.unassigned, |w, &line| w.integer(line));
            w.key("numbers_outside_tables").array(&coverage.numbers_outside_tables, |w, &line| w.integer(line));
        });
    }

    fn element(&mut self, e: &Element) {
        self.object(|w| {
            w.key("kind").string(e.kind.as_str());
            w.some_string("code", &e.code);
            w.some_string("title", &e.title);
            w.some_string("label", &e.label);
            w.some_string("label_kind", &e.label_kind);
            w.some_string("taakveld", &e.taakveld);
            if let Some(status) = &e.status {
                w.key("status").object(|w| {
                    w.key("value").string(&status.value);
                    w.key("raw").string(&status.raw);
                });
            }
            w.some_array("body", &e.body, Self::paragraph);
            w.some_array("tables", &e.tables, Self::table);
            w.some_array("children", &e.children, Self::element);
            w.key("line_start").integer(e.line_start);
            w.key("line_end").integer(e.line_end);
        });
    }

    fn paragraph(&mut self, p: &Paragraph) {
        self.object(|w| {
            w.key("kind").string(p.kind.as_str());
            w.key("text").string(&p.text);
            w.key("line").integer(p.line);
        });
    }

    fn table(&mut self, t: &Table) {
        self.object(|w| {
            w.some_string("caption", &t.caption);
            w.some_string("corner", &t.corner);
            if let Some(m) = t.multiplier {
                w.key("multiplier").float(m);
            }
            w.key("layout").string(&t.layout);
            w.key("columns").array(&t.columns, Self::column);
            w.key("rows").array(&t.rows, Self::row);
            w.some_array("footnotes", &t.footnotes, Self::footnote);
            w.some_array("notes", &t.notes, Self::note);
            w.key("line_start").integer(t.line_start);
            w.key("line_end").integer(t.line_end);
        });
    }

    fn column(&mut self, c: &Column) {
        self.object(|w| {
            w.key("label").string(&c.label);
            if let Some(period) = c.period {
                w.key("period").integer(period);
            }
            w.some_string("value_type", &c.value_type);
            w.some_string("measure", &c.measure);
        });
    }

    fn row(&mut self, r: &Row) {
        self.object(|w| {
            w.some_string("code", &r.code);
            w.key("name").string(&r.name);
            w.some_string("group", &r.group);
            w.some_string("footnote", &r.footnote);
            w.some_string("taakveld", &r.taakveld);
            if r.ambiguous {
                w.key("ambiguous").out.extend_from_slice(b"true");
            }
            if r.total {
                w.key("total").out.extend_from_slice(b"true");
            }
            w.key("cells").array(&r.cells, Self::cell);
            w.key("line").integer(r.line);
        });
    }

    fn cell(&mut self, c: &Cell) {
        self.object(|w| {
            if let Some(column) = c.column {
                w.key("column").integer(column);
            }
            w.key("raw").string(&c.raw);
            if let Some(v) = c.value {
                w.key("value").float(v);
            }
            w.some_string("unit", &c.unit);
            w.key("line").integer(c.line);
        });
    }

    fn note(&mut self, n: &Note) {
        self.object(|w| {
            w.key("text").string(&n.text);
            w.key("line").integer(n.line);
        });
    }

    fn footnote(&mut self, f: &Footnote) {
        self.object(|w| {
            w.key("marker").string(&f.marker);
            w.key("text").string(&f.text);
            w.key("line").integer(f.line);
        });
    }
}

/// How serde_json escapes each byte: 0 not at all, `u` as `\u00XX`, else
/// a backslash and this byte.
const ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Whether one of eight bytes needs an escape: a control byte, `"` or `\\`.
fn needs_escape(word: u64) -> bool {
    any_below(word, 0x20) | any_equal(word, b'"') | any_equal(word, b'\\') != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ElementKind, EvidenceRank, Given, MetaField, MetaSources, ParagraphKind};

    fn cell(raw: &str, value: Option<f64>) -> Cell {
        Cell { column: Some(0), raw: raw.into(), value, unit: Some("%".into()), line: 3 }
    }

    /// A document with every optional field set, every byte serde_json
    /// escapes, numbers ryu writes in exponent form, and elements nested
    /// deeper than the indent table.
    fn everything() -> Document {
        let controls: String = (0u8..0x20).map(char::from).chain("\"\\/\u{7f}é€\u{2028}".chars()).collect();
        let mut leaf = Element::new(ElementKind::Block, 1);
        leaf.code = Some("1.1".into());
        leaf.title = Some(controls.clone());
        leaf.label = Some("Acties".into());
        leaf.label_kind = Some("acties".into());
        leaf.taakveld = Some("6.1".into());
        leaf.status = Some(crate::model::Status { value: "on_track".into(), raw: "Groen".into() });
        leaf.body = vec![Paragraph { kind: ParagraphKind::ListItem, text: controls.clone(), line: 2 }];
        leaf.tables = vec![Table {
            caption: Some("Indicatoren".into()),
            corner: Some("Omschrijving".into()),
            multiplier: Some(1000.0),
            layout: "cells".into(),
            columns: vec![Column {
                label: "2018 (w)".into(),
                period: Some(2018),
                value_type: Some("realisatie".into()),
                measure: Some("Lasten".into()),
            }],
            rows: vec![Row {
                code: Some("1".into()),
                name: controls.clone(),
                group: Some("Lasten".into()),
                footnote: Some("1".into()),
                taakveld: Some("0.1".into()),
                ambiguous: true,
                total: true,
                cells: [1e21, 1e-7, -0.0, 0.1, f64::NAN, f64::INFINITY, 11.6].map(|v| cell("x", Some(v))).to_vec(),
                line: 3,
            }],
            footnotes: vec![Footnote { marker: "1".into(), text: "Bron".into(), line: 4 }],
            notes: vec![Note { text: "Bron: CBS".into(), line: 5 }],
            line_start: 2,
            line_end: 4,
        }];
        let mut element = leaf;
        for depth in 0..70 {
            let mut parent = Element::new(ElementKind::Section, depth);
            parent.children = vec![element, Element::new(ElementKind::Text, depth)];
            element = parent;
        }
        Document {
            file: controls,
            meta: Meta {
                gemeente: Some("Leiden".into()),
                organisation: Some("Leiden".into()),
                year: Some(2022),
                breadcrumb: vec!["Home".into(), "Begroting".into()],
                evidence: vec![MetaEvidence {
                    field: MetaField::Year,
                    value: "2022".into(),
                    line: 1,
                    text: "Begroting \"2022\"".into(),
                    rank: EvidenceRank::Title,
                }],
                url: Some("https://leiden.begroting-2022.nl/p1234/".into()),
                sources: MetaSources { gemeente: Some(Given::Manifest), year: Some(Given::Meta), ..Default::default() },
                ..Meta::default()
            },
            elements: vec![element],
            removed: vec![RemovedCount { rule: "footer".into(), lines: 2 }],
            coverage: Coverage {
                content_lines: 9,
                assigned_lines: 8,
                unassigned: vec![7],
                numbers_outside_tables: vec![7],
            },
        }
    }

    #[test]
    fn word_test_finds_every_byte_that_needs_an_escape() {
        crate::bytes::each_byte_in_each_place(|word, b| assert_eq!(needs_escape(word), ESCAPES[usize::from(b)] != 0));
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let empty = Document {
            file: String::new(),
            meta: Meta::default(),
            elements: Vec::new(),
            removed: Vec::new(),
            coverage: Coverage::default(),
        };
        for doc in [empty, everything()] {
            let mut ours = Vec::new();
            write_document(&mut ours, &doc);
            let (ours, theirs) = (String::from_utf8(ours).unwrap(), serde_json::to_string_pretty(&doc).unwrap());
            let differ = ours.lines().zip(theirs.lines()).position(|(a, b)| a != b);
            assert_eq!(
                ours,
                theirs,
                "first different line: {:?}",
                differ.map(|i| (ours.lines().nth(i), theirs.lines().nth(i)))
            );
        }
    }
}
