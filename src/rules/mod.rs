//! Rules as data: the tables under `data/`, compiled once.
//!
//! Every pattern the pipeline recognises lives in a TSV file shipped with the
//! crate (boilerplate, block labels, structural headings, table columns,
//! header words, Iv3 taakvelden, organisations). This module parses them into
//! typed, compiled tables; a new platform or label is a data change.

mod anchored;
mod naming;

use std::sync::OnceLock;

pub use anchored::AnchoredSet;
pub use naming::{DocumentNaming, Naming, OrganisationContext};
use regex::{Regex, RegexBuilder};
use regex_automata::{meta, Input, MatchKind, PatternSet};

/// A rule's regex, compiled on first use: a rule is asked only after its
/// table's set matched a line, and a page meets few of them (compiling every
/// rule at start-up was a third of it).
pub struct LazyRegex {
    pattern: String,
    regex: OnceLock<Regex>,
}

impl LazyRegex {
    fn new(pattern: impl Into<String>) -> LazyRegex {
        LazyRegex { pattern: pattern.into(), regex: OnceLock::new() }
    }

    /// The pattern, without compiling it.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The compiled regex (panics on a bad pattern: they are data shipped with the crate).
    pub fn get(&self) -> &Regex {
        self.regex.get_or_init(|| compile(&self.pattern))
    }
}

impl std::ops::Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.get()
    }
}

impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.pattern).finish()
    }
}

/// What a boilerplate rule does with the lines it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoilerplateAction {
    /// Remove the line.
    Drop,
    /// Remove the line; group 1 is the breadcrumb.
    Breadcrumb,
    /// Remove the line; groups 1 and 2 are the build and export times.
    Footer,
    /// Remove the line; group 1 repeats the heading above it.
    NavHeading,
    /// Keep group 1 as the line: the rest is an artefact of the platform
    /// glued to the content (an icon font's name: `iconAlgemeen`).
    Strip,
    /// Remove the line and the widget parts right above it.
    WidgetEnd,
    /// Content, unless it stands right above a widget end.
    WidgetPart,
    /// A widget's units line (`x €1.000`): removed with the widget parts
    /// above it when they are a label, a share and an amount; else content.
    WidgetUnits,
    /// A widget's last line when it is its share (`3,1 %` under `Lasten`
    /// and `€ 31.422`): removed with that label and amount; else content.
    WidgetShare,
    /// The last line of a document site's header (`Bezig met laden…`):
    /// removed with the site parts right above it.
    SiteEnd,
    /// Content, unless it stands right above a site end (`N/A`, a count).
    SitePart,
}

/// One row of `data/boilerplate.tsv`.
#[derive(Debug)]
pub struct BoilerplateRule {
    /// Rule name, used in the removal counts.
    pub name: String,
    /// What to do with a matching line.
    pub action: BoilerplateAction,
    /// The platform family the line points to, if any.
    pub platform: Option<String>,
    /// The pattern (compiled on first use).
    pub pattern: LazyRegex,
}

/// All boilerplate rules, plus a set for one-pass matching.
#[derive(Debug)]
pub struct Boilerplate {
    /// The rules in file order.
    pub rules: Vec<BoilerplateRule>,
    /// The same patterns as one set.
    pub set: AnchoredSet,
    /// The patterns of the lines that carry metadata (the breadcrumb, the
    /// export footer) as one regex: HTML furniture is searched for these.
    pub metadata: Patterns,
}

/// One row of `data/labels.tsv`.
#[derive(Debug)]
pub struct LabelRule {
    /// Normalised label kind.
    pub kind: String,
    /// Whether the label is a W-question.
    pub question: bool,
    /// Whether the headings under it (when it has no text of its own) are doelen.
    pub goals: bool,
}

/// All block labels.
#[derive(Debug)]
pub struct Labels {
    /// The rules in file order.
    pub rules: Vec<LabelRule>,
    /// Their patterns, anchored and case-insensitive, as one set.
    pub set: AnchoredSet,
}

/// When a structural rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// The line must look like a heading.
    Heading,
    /// As `Heading`, and only while no programme is open.
    First,
    /// The line is only a code; the next line is the title.
    CodeLine,
    /// As `Heading`; the code extends the open programme's code and the next
    /// line is not running text.
    Child,
    /// Any line.
    Any,
}

impl When {
    /// Whether the rule only applies to a line that looks like a heading.
    pub fn needs_heading_like(self) -> bool {
        matches!(self, When::Heading | When::First | When::Child)
    }
}

/// The element kind a structural rule opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructureKind {
    /// A programme heading.
    Programme,
    /// A section heading.
    Section,
    /// A speerpunt heading.
    Speerpunt,
}

/// One row of `data/structure.tsv`.
#[derive(Debug)]
pub struct StructureRule {
    /// What it opens.
    pub kind: StructureKind,
    /// When it applies.
    pub when: When,
    /// The pattern with `code` and `title` groups (compiled on first use).
    pub pattern: LazyRegex,
}

/// Patterns looked for anywhere in a text, in file order, compiled as one
/// regex: one compilation instead of one per pattern (start-up is mostly
/// regex compilation), and one search where a text is asked about all. Both
/// regexes are built on first use (a page without tables never asks the
/// column types).
#[derive(Debug)]
pub struct Patterns {
    patterns: Vec<String>,
    /// The table the patterns come from, for the message on a bad pattern.
    what: &'static str,
    /// Every pattern that occurs (all-matches semantics).
    all: OnceLock<meta::Regex>,
    /// The leftmost occurrence (leftmost-first semantics).
    leftmost: OnceLock<meta::Regex>,
}

impl Patterns {
    /// The patterns, compiled on first use (panics then on a bad pattern: they are data shipped
    /// with the crate; a test compiles every table).
    fn new(patterns: Vec<String>, what: &'static str) -> Patterns {
        Patterns { patterns, what, all: OnceLock::new(), leftmost: OnceLock::new() }
    }

    fn all(&self) -> &meta::Regex {
        self.all.get_or_init(|| {
            let config = meta::Config::new().match_kind(MatchKind::All);
            meta::Builder::new()
                .configure(config)
                .build_many(&self.patterns)
                .unwrap_or_else(|e| panic!("bad pattern in data/{}: {e}", self.what))
        })
    }

    /// Whether any pattern occurs in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.all().is_match(text)
    }

    /// The first pattern (in file order) that occurs anywhere in `text`.
    pub fn first(&self, text: &str) -> Option<usize> {
        // Most texts match no pattern: the lazy DFA says so at a fraction of the overlapping search's cost.
        let all = self.all();
        if !all.is_match(text) {
            return None;
        }
        let mut found = PatternSet::new(self.patterns.len());
        all.which_overlapping_matches(&Input::new(text), &mut found);
        found.iter().next().map(|p| p.as_usize())
    }

    /// The first occurrence of any pattern in `text` at or after byte
    /// `from`: the pattern (the first in file order of those starting
    /// there), where it starts and where it ends.
    pub fn leftmost_at(&self, text: &str, from: usize) -> Option<(usize, usize, usize)> {
        let leftmost = self.leftmost.get_or_init(|| {
            meta::Regex::new_many(&self.patterns).unwrap_or_else(|e| panic!("bad pattern in data/{}: {e}", self.what))
        });
        let found = leftmost.find(Input::new(text).range(from..))?;
        Some((found.pattern().as_usize(), found.start(), found.end()))
    }
}

/// A table whose rows name something (a value type, a document type) by a
/// pattern that occurs in a text: `data/columns.tsv`, `data/document_types.tsv`.
#[derive(Debug)]
pub struct NamedPatterns {
    /// What each row names, in file order.
    pub names: Vec<String>,
    /// Their patterns (pattern `i` names `names[i]`), case-insensitive.
    pub patterns: Patterns,
}

impl NamedPatterns {
    /// What the first row (in file order) whose pattern occurs in `text` names.
    pub fn name_in(&self, text: &str) -> Option<&str> {
        self.patterns.first(text).map(|i| self.names[i].as_str())
    }

    /// The leftmost occurrence of a pattern in `text` at or after byte
    /// `from`: its row, where it starts and where it ends.
    pub fn find_at(&self, text: &str, from: usize) -> Option<(usize, usize, usize)> {
        self.patterns.leftmost_at(text, from)
    }
}

/// What a column holds, by the value type its header names (`data/columns.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnClass {
    /// Numbers, amounts, years.
    Value,
    /// Text (`Eenheid`, `Bron`, `Toelichting`).
    Text,
}

/// `data/columns.tsv`: the value type (and class) a column header names.
#[derive(Debug)]
pub struct ColumnTypes {
    /// The value types and their patterns, in file order.
    pub named: NamedPatterns,
    /// `classes[i]` is the class of `named.names[i]`.
    pub classes: Vec<ColumnClass>,
}

impl ColumnTypes {
    /// The value type the first matching row (in file order) names.
    pub fn name_in(&self, text: &str) -> Option<&str> {
        self.named.name_in(text)
    }

    /// The class of the first matching row.
    pub fn class_in(&self, text: &str) -> Option<ColumnClass> {
        self.named.patterns.first(text).map(|i| self.classes[i])
    }

    /// The value type and the class of the first matching row (one search for both).
    pub fn named_in(&self, text: &str) -> Option<(&str, ColumnClass)> {
        self.named.patterns.first(text).map(|i| (self.named.names[i].as_str(), self.classes[i]))
    }
}

/// An Iv3 taakveld: code and official name.
#[derive(Debug, Clone)]
pub struct Taakveld {
    /// Code such as `6.1` or `6.71a`.
    pub code: String,
    /// Official name.
    pub name: String,
    /// The name folded for comparison (see [`fold`]), sign kept.
    pub key: String,
}

/// An organisation that publishes budgets.
#[derive(Debug, Clone)]
pub struct Organisation {
    /// Official name (CBS), province suffix removed.
    pub name: String,
    /// gemeente, provincie or waterschap.
    pub kind: String,
}

/// Every table, compiled.
#[derive(Debug)]
pub struct Rules {
    /// `data/boilerplate.tsv`.
    pub boilerplate: Boilerplate,
    /// `data/labels.tsv`.
    pub labels: Labels,
    /// `data/status_words.tsv`, whole-line patterns.
    pub status_words: NamedPatterns,
    /// `data/structure.tsv`.
    pub structure: Vec<StructureRule>,
    /// The same patterns as one set, to find candidate rules in one pass.
    pub structure_set: AnchoredSet,
    /// `data/columns.tsv`: the value type a column header names.
    pub columns: ColumnTypes,
    /// Current and historic Iv3 taakvelden.
    pub taakvelden: Vec<Taakveld>,
    /// Organisations, longest name first.
    pub organisations: Vec<Organisation>,
    /// `data/document_types.tsv`: the document type words name (whole words).
    pub document_types: NamedPatterns,
    /// `data/document_references.tsv`: whether a document name in the text is the page.
    pub document_naming: DocumentNaming,
    /// `data/organisation_context.tsv`: the words around an organisation's name.
    pub organisation_context: OrganisationContext,
    /// A page title line: document type word and year (`Programmabegroting 2022`).
    pub title_line: Regex,
    /// `data/chapters.tsv`, as one anchored set.
    pub chapters: AnchoredSet,
    /// The rows of `data/chapters.tsv` over programmes (`Programma's`), as one anchored set.
    pub programme_chapters: AnchoredSet,
    /// `data/overviews.tsv`, as one anchored set.
    pub overviews: AnchoredSet,
    /// `data/status_headers.tsv`.
    pub status_headers: Vec<StatusHeader>,
}

/// Where a status table's column headers stand relative to the speerpunt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderPosition {
    /// The speerpunt title follows the headers.
    After,
    /// The speerpunt precedes the headers.
    Before,
}

/// One row of `data/status_headers.tsv`.
#[derive(Debug)]
pub struct StatusHeader {
    /// Where the speerpunt stands.
    pub position: HeaderPosition,
    /// First column header.
    pub first: String,
    /// Second column header.
    pub second: String,
}

const BOILERPLATE: &str = include_str!("../../data/boilerplate.tsv");
const STATUS_WORDS: &str = include_str!("../../data/status_words.tsv");
const LABELS: &str = include_str!("../../data/labels.tsv");
const STRUCTURE: &str = include_str!("../../data/structure.tsv");
const COLUMNS: &str = include_str!("../../data/columns.tsv");
const TAAKVELDEN: &str = include_str!("../../data/iv3-taakvelden.tsv");
const TAAKVELDEN_HISTORIC: &str = include_str!("../../data/iv3-taakvelden-historic.tsv");
const ORGANISATIONS: &str = include_str!("../../data/organisations.tsv");
const DOCUMENT_TYPES: &str = include_str!("../../data/document_types.tsv");
const CHAPTERS: &str = include_str!("../../data/chapters.tsv");
const OVERVIEWS: &str = include_str!("../../data/overviews.tsv");
const STATUS_HEADERS: &str = include_str!("../../data/status_headers.tsv");

/// The compiled rules (built on first use).
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(Rules::load)
}

/// The data rows of a TSV: comment lines and the header skipped, fields split.
fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).skip(1).map(|l| l.split('\t').collect())
}

fn anchored_ci(pattern: &str) -> String {
    format!("(?i)^(?:{pattern})$")
}

fn compile(pattern: &str) -> Regex {
    RegexBuilder::new(pattern).build().unwrap_or_else(|e| panic!("bad pattern in data/: {pattern}: {e}"))
}

impl Rules {
    fn load() -> Rules {
        let structure = load_structure();
        assert!(structure.len() <= 64, "data/structure.tsv: at most 64 rules (the segmenter keeps them in a bit set)");
        Rules {
            boilerplate: load_boilerplate(),
            labels: load_labels(),
            status_words: named_patterns(STATUS_WORDS, "status_words.tsv", |p| format!("(?i)^(?:{p})$")),
            structure_set: AnchoredSet::new(structure.iter().map(|r| r.pattern.as_str()), "structure.tsv"),
            structure,
            columns: load_columns(),
            taakvelden: load_taakvelden(),
            organisations: load_organisations(),
            document_types: named_patterns(DOCUMENT_TYPES, "document_types.tsv", document_type_pattern),
            document_naming: naming::load_document_naming(),
            organisation_context: naming::load_organisation_context(),
            title_line: title_line(),
            chapters: AnchoredSet::new(rows(CHAPTERS).map(|r| anchored_ci(r[0])), "chapters.tsv"),
            programme_chapters: AnchoredSet::new(
                rows(CHAPTERS).filter(|r| r.get(1) == Some(&"programmes")).map(|r| anchored_ci(r[0])),
                "chapters.tsv",
            ),
            overviews: AnchoredSet::new(rows(OVERVIEWS).map(|r| anchored_ci(r[0])), "overviews.tsv"),
            status_headers: rows(STATUS_HEADERS)
                .map(|r| StatusHeader {
                    position: if r[0] == "after" { HeaderPosition::After } else { HeaderPosition::Before },
                    first: r[1].to_string(),
                    second: r[2].to_string(),
                })
                .collect(),
        }
    }

    /// The document type a text names, if any (first rule that matches).
    pub fn document_type_in(&self, text: &str) -> Option<&str> {
        self.document_types.name_in(text)
    }

    /// `(type, year)` when `text` is a page title line such as `Jaarstukken 2018`.
    pub fn title_line(&self, text: &str) -> Option<(&str, u16)> {
        // Almost no line is a title line: the match test (a DFA) before the captures (slower engines).
        if !self.title_line.is_match(text) {
            return None;
        }
        let caps = self.title_line.captures(text)?;
        let year = caps.name("year")?.as_str().parse().ok()?;
        Some((self.document_type_in(&caps["type"])?, year))
    }

    /// The taakveld with this code, if it is an official one.
    pub fn taakveld(&self, code: &str) -> Option<&Taakveld> {
        self.taakvelden.iter().find(|t| t.code == code)
    }

    /// The taakveld whose official name starts like `name` (case and
    /// punctuation ignored; names cut at 30 characters still match).
    pub fn taakveld_by_name(&self, name: &str) -> Option<&Taakveld> {
        let key = fold_signed(name);
        if key.len() < 6 {
            return None;
        }
        self.taakvelden.iter().find(|t| t.key == key || (key.len() >= 20 && t.key.starts_with(&key)))
    }

    /// Whether `text` is a programme, section or speerpunt heading by its
    /// own form (rules that need no context).
    pub fn is_structural_heading(&self, text: &str) -> bool {
        self.structure_set
            .matching(text)
            .into_iter()
            .any(|i| matches!(self.structure[i].when, When::Heading | When::Any))
    }

    /// The label rule matching `text` (trailing colon already removed).
    pub fn label(&self, text: &str) -> Option<&LabelRule> {
        self.labels.set.first(text).map(|i| &self.labels.rules[i])
    }
}

/// Lower-case letters and digits only: for fuzzy name comparison.
pub fn fold(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    for c in s.chars() {
        // ASCII first: the same result as the Unicode branch, without its tables.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                folded.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            folded.extend(c.to_lowercase());
        }
    }
    folded
}

/// A pattern of `data/document_types.tsv` as a whole word (ASCII word
/// boundaries: they keep the search on the fast engines, and the words are ASCII).
fn document_type_pattern(pattern: &str) -> String {
    format!(r"(?i)(?-u:\b)(?:{pattern})(?-u:\b)")
}

/// A page title line: a document type and its year, the first of a range
/// (`Kadernota 2025-2028`), once or repeated (`Beleidsbegroting 2024-2027 Begroting 2024-2027`),
/// perhaps with a second document joined by `en` (`Begroting 2021 en Tweede Herziening 2020`).
fn title_line() -> Regex {
    let words: Vec<&str> = rows(DOCUMENT_TYPES).map(|r| r[1]).collect();
    let alternatives = words.join("|");
    let ordinal = "(?:[0-9]+e +|eerste +|tweede +|derde +)?";
    let years = "(?:19|20)[0-9]{2}(?: *[-–] *(?:19|20)[0-9]{2})?";
    compile(&format!(
        r"(?i)^{ordinal}(?P<type>{alternatives})(?-i: +[A-Z]{{2,5}})? +(?P<year>(?:19|20)[0-9]{{2}})(?: *[-–] *(?:19|20)[0-9]{{2}})?(?: +{ordinal}(?:{alternatives}) +{years})*(?: +(?:en|&) +{ordinal}(?:{alternatives}|herziening|wijziging)(?: +(?:{alternatives}))? +{years})?$"
    ))
}

/// As [`fold`], but a final `+` or `-` (`18+`, `18-`) is kept: it tells
/// taakvelden apart.
fn fold_signed(s: &str) -> String {
    let mut key = fold(s);
    if let Some(sign) = s.trim_end().chars().last().filter(|c| matches!(c, '+' | '-')) {
        key.push(sign);
    }
    key
}

fn load_boilerplate() -> Boilerplate {
    let mut rules = Vec::new();
    for r in rows(BOILERPLATE) {
        let action = match r[1] {
            "drop" => BoilerplateAction::Drop,
            "breadcrumb" => BoilerplateAction::Breadcrumb,
            "footer" => BoilerplateAction::Footer,
            "nav_heading" => BoilerplateAction::NavHeading,
            "strip" => BoilerplateAction::Strip,
            "widget_end" => BoilerplateAction::WidgetEnd,
            "widget_part" => BoilerplateAction::WidgetPart,
            "widget_units" => BoilerplateAction::WidgetUnits,
            "widget_share" => BoilerplateAction::WidgetShare,
            "site_end" => BoilerplateAction::SiteEnd,
            "site_part" => BoilerplateAction::SitePart,
            other => panic!("data/boilerplate.tsv: unknown action {other}"),
        };
        let platform = (r[2] != "-").then(|| r[2].to_string());
        rules.push(BoilerplateRule { name: r[0].to_string(), action, platform, pattern: LazyRegex::new(r[3]) });
    }
    let set = AnchoredSet::new(rules.iter().map(|r| r.pattern.as_str()), "boilerplate.tsv");
    let metadata = rules
        .iter()
        .filter(|r| matches!(r.action, BoilerplateAction::Footer | BoilerplateAction::Breadcrumb))
        .map(|r| r.pattern.as_str().to_string())
        .collect();
    Boilerplate { rules, set, metadata: Patterns::new(metadata, "boilerplate.tsv") }
}

fn load_labels() -> Labels {
    let mut rules = Vec::new();
    let mut patterns = Vec::new();
    for r in rows(LABELS) {
        rules.push(LabelRule { kind: r[0].to_string(), question: r[1] != "no", goals: r[1] == "goals" });
        patterns.push(anchored_ci(r[2]));
    }
    Labels { rules, set: AnchoredSet::new(patterns, "labels.tsv") }
}

/// A two-column table (name, pattern), each pattern written out by `pattern`.
fn named_patterns(tsv: &str, what: &'static str, pattern: fn(&str) -> String) -> NamedPatterns {
    let (names, patterns): (Vec<String>, Vec<String>) = rows(tsv).map(|r| (r[0].to_string(), pattern(r[1]))).unzip();
    NamedPatterns { names, patterns: Patterns::new(patterns, what) }
}

fn load_columns() -> ColumnTypes {
    let mut classes = Vec::new();
    let (names, patterns): (Vec<String>, Vec<String>) = rows(COLUMNS)
        .map(|r| {
            classes.push(if r[1] == "text" { ColumnClass::Text } else { ColumnClass::Value });
            (r[0].to_string(), format!("(?i){}", r[2]))
        })
        .unzip();
    ColumnTypes { named: NamedPatterns { names, patterns: Patterns::new(patterns, "columns.tsv") }, classes }
}

fn load_structure() -> Vec<StructureRule> {
    rows(STRUCTURE)
        .map(|r| {
            let kind = match r[0] {
                "programme" => StructureKind::Programme,
                "section" => StructureKind::Section,
                "speerpunt" => StructureKind::Speerpunt,
                other => panic!("data/structure.tsv: unknown kind {other}"),
            };
            let when = match r[1] {
                "heading" => When::Heading,
                "first" => When::First,
                "code_line" => When::CodeLine,
                "child" => When::Child,
                "any" => When::Any,
                other => panic!("data/structure.tsv: unknown condition {other}"),
            };
            StructureRule { kind, when, pattern: LazyRegex::new(r[2]) }
        })
        .collect()
}

fn load_taakvelden() -> Vec<Taakveld> {
    let current = rows(TAAKVELDEN);
    let historic = rows(TAAKVELDEN_HISTORIC);
    current
        .chain(historic)
        .map(|r| Taakveld { code: r[0].to_string(), name: r[1].to_string(), key: fold_signed(r[1]) })
        .collect()
}

fn load_organisations() -> Vec<Organisation> {
    let mut orgs: Vec<Organisation> = rows(ORGANISATIONS)
        .map(|r| Organisation { name: strip_suffix(r[1]).to_string(), kind: r[2].to_string() })
        .collect();
    orgs.sort_by_key(|o| std::cmp::Reverse(o.name.len()));
    orgs
}

/// `Hengelo (O.)` → `Hengelo`.
fn strip_suffix(name: &str) -> &str {
    match name.find(" (") {
        Some(i) if name.ends_with(')') => &name[..i],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_tables_compile_and_have_rows() {
        let r = rules();
        assert!(r.boilerplate.rules.len() >= 10);
        assert!(r.structure.len() >= 5);
        assert!(r.taakvelden.iter().any(|t| t.code == "6.72"));
        assert!(r.organisations.iter().any(|o| o.name == "Leiderdorp" && o.kind == "gemeente"));
        assert!(r.organisations.iter().any(|o| o.name == "Hengelo"));
        // The patterns compiled on first use compile.
        r.boilerplate.rules.iter().for_each(|rule| _ = rule.pattern.get());
        r.structure.iter().for_each(|rule| _ = rule.pattern.get());
        r.document_naming.compile_all();
        for patterns in [&r.status_words.patterns, &r.columns.named.patterns, &r.document_types.patterns] {
            _ = (patterns.is_match("x"), patterns.leftmost_at("x", 0));
        }
    }

    #[test]
    fn labels_match_whole_line_case_insensitively() {
        let r = rules();
        assert_eq!(r.label("Acties o.b.v. begroting 2022").unwrap().kind, "acties");
        assert_eq!(r.label("Stand van zaken").unwrap().kind, "stand_van_zaken");
        assert!(r.label("Wat willen we bereiken?").unwrap().question);
        assert!(r.label("Planning conform actieplan").is_none());
    }

    #[test]
    fn title_lines_and_document_types() {
        let r = rules();
        assert_eq!(r.title_line("Programmabegroting 2022"), Some(("begroting", 2022)));
        assert_eq!(r.title_line("JAARSTUKKEN 2018"), Some(("jaarstukken", 2018)));
        assert_eq!(r.title_line("Jaarstukken AGV 2019"), Some(("jaarstukken", 2019)));
        assert_eq!(r.title_line("2e Bestuursrapportage 2016"), Some(("bestuursrapportage", 2016)));
        assert_eq!(r.title_line("Begroting 2022 in cijfers"), None);
        assert_eq!(r.title_line("Begroting 2021 en Tweede Herziening 2020"), Some(("begroting", 2021)));
        assert_eq!(r.title_line("Begroting 2021 en Tweede Herziening Begroting 2020"), Some(("begroting", 2021)));
        assert_eq!(r.title_line("Begroting 2024 en tweede 2023"), None);
        assert_eq!(r.title_line("Kadernota 2025-2028"), Some(("kadernota", 2025)));
        assert_eq!(r.title_line("Beleidsbegroting 2024-2027 Begroting 2024-2027"), Some(("begroting", 2024)));
        assert_eq!(r.title_line("Meerjarenprogrammabegroting 2022 – 2025"), Some(("begroting", 2022)));
        assert_eq!(r.title_line("Najaarsbericht 2019"), Some(("najaarsnota", 2019)));
        assert_eq!(r.document_type_in("in dit jaarverslag geven we"), Some("jaarstukken"));
        assert!(r.chapters.is_match("Paragrafen"));
    }

    /// The first pattern in file order wins, wherever in the text it occurs;
    /// word boundaries are Unicode's (`é` is a letter).
    #[test]
    fn patterns_answer_in_file_order() {
        let p = Patterns::new(["b+", "a", r"(?i)\bC\b"].map(String::from).to_vec(), "test");
        assert_eq!(p.first("a b"), Some(0));
        assert_eq!((p.first("é c"), p.first("éc")), (Some(2), None));
        assert!(!p.is_match("xyz") && p.first("xyz").is_none());
        let columns = &rules().columns;
        assert_eq!(columns.name_in("Begroting 2024 na wijziging"), Some("begroting_na_wijziging"));
        assert_eq!(columns.name_in("Begroting"), Some("begroting"));
        assert_eq!(columns.name_in("Begroting of rekening"), Some("realisatie"), "file order, not text order");
        assert_eq!(columns.class_in("Eenheid"), Some(ColumnClass::Text));
        assert_eq!(columns.named_in("Eenheid"), Some(("eenheid", ColumnClass::Text)));
        assert_eq!(columns.name_in("Omschrijving"), None);
    }

    /// The combined patterns of `data/columns.tsv` and
    /// `data/document_types.tsv` answer as their patterns one by one do, on
    /// texts made of the tables' own words.
    #[test]
    fn combined_patterns_agree_with_each_pattern() {
        let words = [
            "Begroting",
            "realisatie",
            "2022",
            "(w)",
            "(b)",
            "saldo",
            "norm",
            "normering",
            "Doel",
            "jaarverslag",
            "berap",
            "4-maandsrapportage",
            "é",
            "programmabegroting",
            "Jaarrekening",
            "wijziging",
            "b2024",
            "x",
        ];
        let one_by_one = |tsv: &str, column: usize, pattern: fn(&str) -> String| -> Vec<Regex> {
            rows(tsv).map(|r| Regex::new(&pattern(r[column])).expect("pattern")).collect()
        };
        let columns = one_by_one(COLUMNS, 2, |p| format!("(?i){p}"));
        let types = one_by_one(DOCUMENT_TYPES, 1, document_type_pattern);
        let r = rules();
        for a in words {
            for b in words {
                for glue in ["", " ", "-"] {
                    let text = format!("{a}{glue}{b}");
                    let first = |each: &[Regex]| each.iter().position(|p| p.is_match(&text));
                    assert_eq!(r.columns.named.patterns.first(&text), first(&columns), "{text}");
                    assert_eq!(r.document_types.patterns.first(&text), first(&types), "{text}");
                    let leftmost = types.iter().enumerate().filter_map(|(i, p)| p.find(&text).map(|m| (m.start(), i)));
                    let found = r.document_types.patterns.leftmost_at(&text, 0).map(|(i, start, _)| (start, i));
                    assert_eq!(found, leftmost.min(), "{text}");
                }
            }
        }
    }

    #[test]
    fn fold_keeps_lower_case_letters_and_digits_of_any_script() {
        assert_eq!(fold("6.72 Maatwerk-dienstverlening 18-"), "672maatwerkdienstverlening18");
        assert_eq!(fold("Één Zorg\u{AD}loket (Ærø) İ"), "éénzorgloketærøi\u{307}");
        let mixed = "ÀB c-12 ǅ Ω ß ";
        let by_unicode: String = mixed.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        assert_eq!(fold(mixed), by_unicode);
    }

    #[test]
    fn taakveld_names_match_fuzzily() {
        let r = rules();
        assert_eq!(r.taakveld_by_name("Openbaar basisonderwijs").unwrap().code, "4.1");
        assert!(r.taakveld_by_name("Onbekend").is_none());
        assert_eq!(r.taakveld_by_name("Maatwerkdienstverlening 18-").unwrap().code, "6.72");
    }
}
