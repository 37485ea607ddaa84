//! The document tree that segmentation produces and every emitter reads.
//!
//! A [`Document`] holds top-level [`Element`]s. Elements nest by rank:
//! programme > section > speerpunt > block; any level may be missing, and a
//! `text` element holds unlabelled lines that have no titled parent. Tables
//! (indicator and financial) hang under the element they appear in.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One parsed input: metadata, the element tree and line accounting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// The input's path as given (`-` for standard input).
    pub file: String,
    /// What the page says about itself: organisation, year, document type, export times.
    pub meta: Meta,
    /// Top-level elements in reading order.
    pub elements: Vec<Element>,
    /// Boilerplate lines removed by normalisation, counted per rule.
    pub removed: Vec<RemovedCount>,
    /// Line accounting: how many content lines there were and which were not assigned.
    pub coverage: Coverage,
}

impl Document {
    /// Renumber every line the document names (elements, paragraphs,
    /// tables, rows, cells, notes, evidence, coverage) through `map`: an
    /// HTML page's extracted lines become lines of its source.
    pub fn map_lines(&mut self, map: impl Fn(usize) -> usize + Copy) {
        for element in &mut self.elements {
            element.map_lines(map);
        }
        for evidence in &mut self.meta.evidence {
            evidence.line = map(evidence.line);
        }
        let coverage = &mut self.coverage;
        coverage.unassigned.iter_mut().chain(&mut coverage.numbers_outside_tables).for_each(|l| *l = map(*l));
    }
}

/// Document-level metadata. Unknown values stay `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Meta {
    /// The organisation (gemeente, provincie or waterschap) as the page
    /// names it, without a kind word that is not part of its name
    /// (`Brabant`, `Den Haag`, `Leiderdorp` for `Gemeente Leiderdorp`).
    pub gemeente: Option<String>,
    /// The same organisation by its official name (`data/organisations.tsv`:
    /// `Noord-Brabant`, `'s-Gravenhage`); a given name that is not known as
    /// it is given.
    #[serde(default)]
    pub organisation: Option<String>,
    /// The kind of organisation: `gemeente`, `provincie` or `waterschap`.
    pub organisation_kind: Option<String>,
    /// Document type: begroting, jaarstukken, voorjaarsnota, najaarsnota,
    /// bestuursrapportage, voortgangsrapportage or kadernota.
    pub document_type: Option<String>,
    /// The budget or report year the document is about.
    pub year: Option<u16>,
    /// The publishing platform family, when its boilerplate shows it.
    pub platform: Option<String>,
    /// Breadcrumb items (`U bent hier: …`), split into their parts.
    pub breadcrumb: Vec<String>,
    /// When the page was built, ISO 8601 (from the export footer).
    pub built_at: Option<String>,
    /// When the export it was built from was made, ISO 8601.
    pub exported_at: Option<String>,
    /// The lines that gave `gemeente`, `document_type` and `year`: the
    /// evidence of the strength that decided each value, strongest first.
    pub evidence: Vec<MetaEvidence>,
    /// The page's title, from the head of an HTML page (`<title>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The page's language, from an HTML page (`<html lang>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The page's address, from a `batch --manifest` (the page text does not show it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The values that did not come from the page, and where they came from
    /// (`--meta` or a `--manifest`); absent when every value is the page's.
    #[serde(default, skip_serializing_if = "MetaSources::is_empty")]
    pub sources: MetaSources,
}

/// Which metadata values were given rather than read from the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MetaSources {
    /// Where `gemeente` came from, when not from the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemeente: Option<Given>,
    /// Where `document_type` came from, when not from the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<Given>,
    /// Where `year` came from, when not from the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<Given>,
    /// Where `url` came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Given>,
}

impl MetaSources {
    /// Whether every value is the page's own.
    pub fn is_empty(&self) -> bool {
        self.fields().all(|(_, given)| given.is_none())
    }

    /// The fields in their JSON order, with where each came from.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, Option<Given>)> {
        [("gemeente", self.gemeente), ("document_type", self.document_type), ("year", self.year), ("url", self.url)]
            .into_iter()
    }

    /// `gemeente=manifest, year=meta`: the given fields, for a spreadsheet cell or a database column.
    pub fn summary(&self) -> String {
        let given = self.fields().filter_map(|(field, given)| given.map(|g| format!("{field}={}", g.as_str())));
        given.collect::<Vec<_>>().join(", ")
    }
}

/// Where a metadata value that is not the page's came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Given {
    /// A `--meta KEY=VALUE` flag (it overrides the page).
    Meta,
    /// A row of the `batch --manifest` file (it fills in what the page does not show).
    Manifest,
}

impl Given {
    /// The lower-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Given::Meta => "meta",
            Given::Manifest => "manifest",
        }
    }
}

/// One line of the page that says a metadata value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MetaEvidence {
    /// The field it gives.
    pub field: MetaField,
    /// The value it gives (`Leiden`, `begroting`, `2024`).
    pub value: String,
    /// The line (1-based) it stands on.
    pub line: usize,
    /// The words it was read from: the line, cut to a few words around them.
    pub text: String,
    /// How the page says it.
    pub rank: EvidenceRank,
}

/// The metadata fields evidence is kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetaField {
    /// The organisation (`gemeente`).
    Gemeente,
    /// The document type.
    DocumentType,
    /// The document year.
    Year,
}

impl MetaField {
    /// The lower-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MetaField::Gemeente => "gemeente",
            MetaField::DocumentType => "document_type",
            MetaField::Year => "year",
        }
    }
}

/// How a line says a metadata value, strongest first (`docs/output.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceRank {
    /// The page title line, the breadcrumb, or an organisation header (`Gemeente Leiden`).
    Title,
    /// The page names itself: `Voor u ligt de begroting 2025`, `in deze begroting`.
    SelfReference,
    /// The organisation named as the author: `de gemeente Leiden`, `Leiden werkt samen`.
    Author,
    /// A heading that names the document (`De begroting op hoofdlijnen`).
    Heading,
    /// Running text that names it (`sluit de begroting 2026 met`, `in Leiden`).
    Mention,
    /// A name inside another proper name (`Sv Wassenaar`).
    Weak,
    /// A label or question heading with a year (`Activiteiten 2022`, `Wat doen we in 2019?`).
    Label,
    /// Table column headers: the latest year with a realisatie, or one year throughout.
    TableHeader,
    /// The begroting a report refers to: jaarstukken and rapportages are
    /// about its year (`komt uit de begroting 2018`).
    Reference,
    /// A balance date (`Balans per 31 december 2023`).
    BalanceDate,
}

impl EvidenceRank {
    /// The lower-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceRank::Title => "title",
            EvidenceRank::SelfReference => "self_reference",
            EvidenceRank::Author => "author",
            EvidenceRank::Heading => "heading",
            EvidenceRank::Mention => "mention",
            EvidenceRank::Weak => "weak",
            EvidenceRank::Label => "label",
            EvidenceRank::TableHeader => "table_header",
            EvidenceRank::Reference => "reference",
            EvidenceRank::BalanceDate => "balance_date",
        }
    }
}

/// How many lines one boilerplate rule removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RemovedCount {
    /// The rule's name, from `data/boilerplate.tsv`.
    pub rule: String,
    /// Number of lines it removed.
    pub lines: usize,
}

/// Which content lines ended up in an element.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Coverage {
    /// Non-blank lines that are not boilerplate.
    pub content_lines: usize,
    /// Of those, the lines assigned to an element or table.
    pub assigned_lines: usize,
    /// Line numbers (1-based) of content lines that no element holds.
    pub unassigned: Vec<usize>,
    /// Line numbers (1-based) of content lines that carry numbers (see
    /// [`crate::tables::cell::bears_numbers`]) but are in no table row: a
    /// table the table stage did not read, or numbers in running text.
    #[serde(default)]
    pub numbers_outside_tables: Vec<usize>,
}

/// The level of an element in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    /// A programme of the document (`6. Sociaal domein`).
    Programme,
    /// A taakveld, sub-programme or theme within a programme.
    Section,
    /// A titled policy unit: speerpunt, doel, opgave, beleidsprestatie.
    Speerpunt,
    /// Labelled text (`Stand van zaken:`, `Wat willen we bereiken?`).
    Block,
    /// Unlabelled text with no titled parent.
    Text,
}

impl ElementKind {
    /// The lower-case name used in CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Programme => "programme",
            ElementKind::Section => "section",
            ElementKind::Speerpunt => "speerpunt",
            ElementKind::Block => "block",
            ElementKind::Text => "text",
        }
    }
}

/// A node of the document tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Element {
    /// The element's level.
    pub kind: ElementKind,
    /// Local or national code (`6`, `6.1`, `1C`, `2.1`), when written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Title of a programme, section or speerpunt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A block's label as written, without its trailing colon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The label mapped to a normalised kind (acties, stand_van_zaken, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_kind: Option<String>,
    /// Official Iv3 taakveld code, when the element is (or names) one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taakveld: Option<String>,
    /// The status of a speerpunt or project, when the page states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Paragraphs and list items, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<Paragraph>,
    /// Tables that appear under this element.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<Table>,
    /// Nested elements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Element>,
    /// First line (1-based) of the element, its children included.
    pub line_start: usize,
    /// Last line (1-based) of the element, its children included.
    pub line_end: usize,
}

impl Element {
    /// A new empty element of `kind` starting at `line`.
    pub fn new(kind: ElementKind, line: usize) -> Self {
        Element {
            kind,
            code: None,
            title: None,
            label: None,
            label_kind: None,
            taakveld: None,
            status: None,
            body: Vec::new(),
            tables: Vec::new(),
            children: Vec::new(),
            line_start: line,
            line_end: line,
        }
    }

    /// `code title` for programmes and sections, the title alone for
    /// speerpunten (their numbering, `Doel 1`, is local to the page), the
    /// label for blocks.
    pub fn display_name(&self) -> Cow<'_, str> {
        let code = if self.kind == ElementKind::Speerpunt && self.title.is_some() { &None } else { &self.code };
        match (code, &self.title, &self.label) {
            (Some(c), Some(t), _) => Cow::Owned(format!("{c} {t}")),
            (None, Some(name), _) | (Some(name), None, _) | (None, None, Some(name)) => Cow::Borrowed(name),
            (None, None, None) => Cow::Borrowed(""),
        }
    }

    /// Renumber the lines of the element and all it holds (see [`Document::map_lines`]).
    pub fn map_lines(&mut self, map: impl Fn(usize) -> usize + Copy) {
        self.line_start = map(self.line_start);
        self.line_end = map(self.line_end);
        for paragraph in &mut self.body {
            paragraph.line = map(paragraph.line);
        }
        for table in &mut self.tables {
            table.map_lines(map);
        }
        for child in &mut self.children {
            child.map_lines(map);
        }
    }

    /// The body as text: one paragraph or list item per line.
    pub fn body_text(&self) -> String {
        let mut text = String::new();
        self.push_body_text(&mut text);
        text
    }

    /// Append [`Element::body_text`] to `out` (a buffer reused for many elements).
    pub fn push_body_text(&self, out: &mut String) {
        for (i, paragraph) in self.body.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&paragraph.text);
        }
    }
}

/// The status of a speerpunt, doel or project (a traffic light on the platform).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Status {
    /// `on_track`, `attention`, `off_track` or `done` (`data/status_words.tsv`).
    pub value: String,
    /// The status as written (`Groen`, `vertraagd`).
    pub raw: String,
}

/// One paragraph or list item of an element's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Paragraph {
    /// Whether it was a list item (`•`, `-`) or plain text.
    pub kind: ParagraphKind,
    /// The text, list marker removed.
    pub text: String,
    /// The line (1-based) it came from.
    pub line: usize,
}

/// The two kinds of body text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParagraphKind {
    /// Running text.
    Paragraph,
    /// An item of a bulleted list.
    ListItem,
}

impl ParagraphKind {
    /// The lower-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ParagraphKind::Paragraph => "paragraph",
            ParagraphKind::ListItem => "list_item",
        }
    }
}

/// A table rebuilt from flattened cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Table {
    /// The heading or label that names the table, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The text of the header's corner cell (`Omschrijving`, `Algemene middelen`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corner: Option<String>,
    /// Multiplier from a units line (`bedragen x € 1.000` → 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
    /// How the table was written in the input: `cells` (one cell per line),
    /// `spaces` (a row per line, cells between spaces), `pipes`, `glued`
    /// (label and value glued by the export), `list` (`Indicator: …` lines)
    /// or `html` (a `<table>` of an HTML page, read from its grid).
    pub layout: String,
    /// The columns of cells (the row-label columns are not included).
    pub columns: Vec<Column>,
    /// The rows, in order.
    pub rows: Vec<Row>,
    /// Footnotes found under the table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<Footnote>,
    /// Lines that explain the table: a legend, a source, units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// First line of the table (caption included).
    pub line_start: usize,
    /// Last line of the table.
    pub line_end: usize,
}

impl Table {
    /// Renumber the lines of the table (see [`Document::map_lines`]).
    pub fn map_lines(&mut self, map: impl Fn(usize) -> usize + Copy) {
        self.line_start = map(self.line_start);
        self.line_end = map(self.line_end);
        for row in &mut self.rows {
            row.line = map(row.line);
            row.cells.iter_mut().for_each(|c| c.line = map(c.line));
        }
        self.notes.iter_mut().for_each(|n| n.line = map(n.line));
        self.footnotes.iter_mut().for_each(|f| f.line = map(f.line));
    }
}

/// A value column of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Column {
    /// The header as written (`2018 (w)`, `Begroting 2021`, `Streefwaarde`).
    pub label: String,
    /// The year the column is about, when it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<u16>,
    /// realisatie, begroting, begroting_na_wijziging, raming, prognose,
    /// streefwaarde, nulmeting, verschil, eenheid, bron, … (`data/columns.tsv`) or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_type: Option<String>,
    /// The lower level of a two-level header (`Lasten`, `Baten`, `Saldo`
    /// under `Begroting 2023`), when it is no year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
}

/// One table row: its label and one cell per column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Row {
    /// The row's code (`1.1`, `0.4`), when the label starts with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The row label without its code and footnote marker.
    pub name: String,
    /// The group row this row stands under (`Lasten per taakveld`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The footnote marker that was glued to the label, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footnote: Option<String>,
    /// Official Iv3 taakveld code, when the row label is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taakveld: Option<String>,
    /// True when cells had vanished and some could not be aligned with
    /// columns: those cells are kept in order, without a column.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ambiguous: bool,
    /// True for a total or subtotal row (`Totaal`, `Saldo`, `Subtotaal …`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub total: bool,
    /// The cells, in reading order; each names its column (empty cells are absent).
    pub cells: Vec<Cell>,
    /// The line (1-based) of the row label.
    pub line: usize,
}

/// One table cell: the raw text and, when it is a number, its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Cell {
    /// Index into the table's `columns`; absent when the evidence could not
    /// decide (an ambiguous row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The cell exactly as written (`11,6%`, `€ -9.113`, `nnb`).
    pub raw: String,
    /// The parsed number, the table multiplier applied; `None` for text and n/a.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// `%` or `EUR` when the cell says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The line (1-based) the cell came from.
    pub line: usize,
}

/// A line that explains a table (legend, source, units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Note {
    /// The line as written.
    pub text: String,
    /// The line (1-based).
    pub line: usize,
}

/// A footnote under a table, linked to rows by its marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Footnote {
    /// The marker (`1`).
    pub marker: String,
    /// The footnote text.
    pub text: String,
    /// The line (1-based) it came from.
    pub line: usize,
}
