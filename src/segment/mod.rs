//! Segment stage: the normalised line stream → the element tree.
//!
//! Grammar (each level may be missing; rules in `data/structure.tsv` and
//! `data/labels.tsv`):
//!
//! ```text
//! document  := text* programme*
//! programme := PROGRAMME-HEADING text* (section | speerpunt | block | table)*
//! section   := SECTION-HEADING | THEME-HEADING (before a speerpunt heading)
//! speerpunt := SPEERPUNT-HEADING | row of a Speerpunt/Status table
//!            | paragraph before Status/Toelichting column headers
//! block     := LABEL text* | HEADING text+            (text = paragraphs, list items, tables)
//! ```
//!
//! A heading with no text of its own before the next heading opens nothing:
//! its line becomes text of the element above. A heading right above a table
//! names the table. Every content line ends up in exactly one element.

use std::cell::OnceCell;

mod tree;

use crate::model::{Coverage, Element, ElementKind, Paragraph, ParagraphKind, Status};
use crate::normalize::{at_most_words, is_heading_like, Hint, Item, Markup, Normalized, Shape};
use crate::numbers::units_multiplier;
use crate::rules::{fold, rules, HeaderPosition, StructureKind, When};
use crate::tables::cell::{look, Kind};
use crate::tables::{code_and_name, taakveld_for, Tables};
use tree::TreeBuilder;

/// The result of segmentation.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    /// Top-level elements.
    pub elements: Vec<Element>,
    /// Which content lines were assigned.
    pub coverage: Coverage,
}

/// Segment a normalised stream into the element tree; `items` are its
/// content lines ([`crate::normalize::items_of`]), which the caller shares
/// with [`crate::meta`], and `tables` the tables found in them
/// ([`crate::tables::find`]).
pub fn segment(normalized: &Normalized, items: &[Item<'_>], tables: Tables) -> Segmented {
    let line_count = normalized.last_line;
    let mut s = Segmenter {
        items,
        pos: 0,
        tree: TreeBuilder::new(line_count, reentry_keys),
        crumb_title: None,
        crumb_programme: breadcrumb_programme(normalized),
        tables,
        goals_follow: false,
        passed_table: false,
        headings: vec![OnceCell::new(); items.len()],
        markup: normalized.markup,
    };
    while s.pos < items.len() {
        s.open_breadcrumb_programme();
        s.step();
    }
    let unassigned: Vec<usize> = items.iter().map(|i| i.no).filter(|&n| !s.tree.is_owned(n)).collect();
    let elements = s.tree.finish();
    let coverage = Coverage {
        content_lines: items.len(),
        assigned_lines: items.len() - unassigned.len(),
        unassigned,
        numbers_outside_tables: numbers_outside_tables(items, &elements, line_count),
    };
    Segmented { elements, coverage }
}

/// The number-bearing items that are in no table row (its label or a cell).
fn numbers_outside_tables(items: &[Item], elements: &[Element], line_count: usize) -> Vec<usize> {
    let mut in_row = vec![false; line_count + 1];
    let mut stack: Vec<&Element> = elements.iter().collect();
    while let Some(element) = stack.pop() {
        for row in element.tables.iter().flat_map(|t| &t.rows) {
            for line in std::iter::once(row.line).chain(row.cells.iter().map(|c| c.line)) {
                if let Some(flag) = in_row.get_mut(line) {
                    *flag = true;
                }
            }
        }
        stack.extend(&element.children);
    }
    items
        .iter()
        .filter(|i| !in_row.get(i.no).copied().unwrap_or(false) && crate::tables::cell::bears_numbers(i.text))
        .map(|i| i.no)
        .collect()
}

/// The headings read from one item: (rule index, heading).
type ReadHeadings = Box<[(usize, Heading)]>;

/// A structural heading found at an item.
#[derive(Debug, Clone)]
struct Heading {
    kind: StructureKind,
    code: Option<String>,
    title: String,
    description: Option<String>,
    /// Items the heading uses (2 when the title is on the next line).
    width: usize,
}

/// What the item at a position will turn out to be, for lookahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    End,
    Text,
    Table,
    Structure(StructureKind),
    Heading,
    Label,
}

struct Segmenter<'a> {
    items: &'a [Item<'a>],
    pos: usize,
    tree: TreeBuilder,
    /// Folded title of a programme opened from a (cut) breadcrumb item.
    crumb_title: Option<String>,
    /// The programme the breadcrumb names, opened once reading passes the breadcrumb line.
    crumb_programme: Option<Element>,
    /// The tables of the input, taken as reading reaches them.
    tables: Tables,
    /// Set after a goals question with no text of its own: the headings with
    /// a description that follow are doelen.
    goals_follow: bool,
    /// Set once reading passed a table: a bare numbered heading after it
    /// (`21. Banen` over a definition) is no longer the page's programme.
    passed_table: bool,
    /// Memo: per item, the headings the structural rules whose pattern
    /// matches it read from it (rule index, heading), in rule order (a boxed
    /// slice: 16 bytes an item, most of them empty).
    headings: Vec<OnceCell<ReadHeadings>>,
    /// For an HTML page: what its markup says of each line (heading levels).
    markup: Option<&'a Markup>,
}

impl<'a> Segmenter<'a> {
    fn item(&self, at: usize) -> Option<Item<'a>> {
        self.items.get(at).copied()
    }

    /// Open the programme the breadcrumb names once reading passes the
    /// breadcrumb line (a page header above it stays outside).
    fn open_breadcrumb_programme(&mut self) {
        let passed = self.crumb_programme.as_ref().is_some_and(|p| self.items[self.pos].no > p.line_start);
        if let Some(programme) = self.crumb_programme.take_if(|_| passed) {
            self.crumb_title = programme.title.as_deref().map(fold);
            self.tree.open(programme);
        }
    }

    fn step(&mut self) {
        let at = self.pos;
        let item = self.items[at];
        if let Some(t) = self.tables.take(at) {
            // A table's caption is a heading of its own: it ends the open block,
            // and the page's title (`Overhead` over its table) opens the programme too.
            if t.table.caption.is_some() {
                self.tree.close_blocks();
                if self.is_page_programme(at) {
                    // The table holds the caption's line; the programme only takes its name.
                    self.open_named(ElementKind::Programme, at);
                }
            }
            self.pos = t.end;
            self.passed_table = true;
            self.tree.add_table(t.table, &t.lines);
            return;
        }
        if item.shape == Shape::Status {
            // A status icon of an HTML page: the status of the speerpunt it stands in, no text.
            self.note_status(item.text);
            self.tree.claim(item.no);
            self.pos = at + 1;
            return;
        }
        if let Some(h) = self.structural(at) {
            self.open_heading(h);
            return;
        }
        if let Some(width) = self.status_headers(at, HeaderPosition::After) {
            if self.item(at + width).is_some() {
                self.open_status_speerpunt(at + width, at..at + width + 1);
                return;
            }
        }
        if let Some(width) = self.status_headers_below(at) {
            // Headers on one line (`ActiviteitPlanning`) start a table of their own: leave them to it.
            let claimed = if width == 2 { at..at + 3 } else { at..at + 1 };
            self.open_status_speerpunt(at, claimed);
            return;
        }
        if is_legend_line(item.text) {
            // `Groen:  conform planning` explains the status colours: text, and no status.
            self.text(at);
            return;
        }
        if status_of(item.text).is_some() {
            // A status word (`Groen`, `vertraagd`) is no heading: it is the status of the speerpunt above.
            self.text(at);
            return;
        }
        if let Some((label, value)) = inline_label(item.text) {
            self.open_inline_label(at, label, value);
            return;
        }
        match item.shape {
            Shape::Label => self.label(),
            Shape::Heading if self.in_run_of_coded_lines(at) => self.text(at),
            Shape::Heading => self.heading(),
            _ => self.text(at),
        }
    }

    /// `Portefeuillehouder: A. de Vries` on one line: a block and its text.
    fn open_inline_label(&mut self, at: usize, label: &str, value: &str) {
        let kind = rules().label(label).map_or_else(|| label_kind_of(label), |r| r.kind.clone());
        self.open_block(at, label, kind);
        self.note_status(value);
        self.push_description(value.to_string(), self.items[at].no);
    }

    /// A status word (`Groen`, `vertraagd`) is the status of the open
    /// speerpunt, unless it has one already.
    fn note_status(&mut self, text: &str) {
        if let Some(status) = status_of(text) {
            if let Some(speerpunt) = self.tree.open_of_mut(ElementKind::Speerpunt).filter(|s| s.status.is_none()) {
                speerpunt.status = Some(status);
            }
        }
    }

    /// Status-table headers right under a speerpunt title at `at` (see
    /// [`Self::status_headers`]). Headers joined by a space on one line
    /// (`Indicator Omschrijving`) count only under a heading and over the
    /// table they start: without it they are a line of text.
    fn status_headers_below(&self, at: usize) -> Option<usize> {
        let item = self.item(at)?;
        let width = self.status_headers(at + 1, HeaderPosition::Before)?;
        // The document's title line (`Begroting 2020`) is no speerpunt.
        if rules().title_line(item.text).is_some() {
            return None;
        }
        let heading = item.shape == Shape::Heading;
        let spaced = self.item(at + 1).is_some_and(|i| i.text.contains(' '));
        (width == 2 || !spaced || heading && self.tables.starts_at(at + 1)).then_some(width)
    }

    /// Status-table column headers (`data/status_headers.tsv`) at `at`: how
    /// many items they take (two lines, or one when glued), if they are there.
    fn status_headers(&self, at: usize, position: HeaderPosition) -> Option<usize> {
        let text = |i: usize| self.item(i).map(|it| it.text);
        let first = text(at)?;
        rules().status_headers.iter().filter(|h| h.position == position).find_map(|h| {
            if first == h.first && text(at + 1) == Some(h.second.as_str()) {
                Some(2)
            } else {
                // Lengths first: almost every line is longer than a header, few are exactly two.
                let glued = (first.len() == h.first.len() + h.second.len()
                    || first.len() == h.first.len() + 1 + h.second.len() && first.as_bytes()[h.first.len()] == b' ')
                    && first.starts_with(h.first.as_str())
                    && first.ends_with(h.second.as_str());
                glued.then_some(1)
            }
        })
    }

    fn structural(&self, at: usize) -> Option<Heading> {
        let rules = &rules().structure;
        let (rule, mut heading) = self
            .headings_at(at)?
            .iter()
            .find(|(i, h)| self.applies(rules[*i].when, at, h))
            .map(|(i, h)| (*i, h.clone()))?;
        if rules[rule].when != When::Any && self.in_a_run_of(rule, at) {
            return None;
        }
        if heading.width == 2 {
            heading.title = self.items[at + 1].text.to_string();
        }
        if self.is_part_of_open_programme(&heading) {
            // `Programma 3: Doelenboom` inside programme 3 is a heading inside it, no second programme.
            return None;
        }
        if heading.kind == StructureKind::Section && heading.code.is_none() && self.heads_coded_rows(at + heading.width)
        {
            // `Taakveld Omschrijving` ↵ `6.1 Samenkracht …`: the column heads of a list of codes.
            return None;
        }
        Some(heading)
    }

    /// Whether the item at `at` starts with a dotted code and stands in a run
    /// of such lines without a blank line between them (`2.1 Verkeer …` ↵
    /// `2.2 Parkeren …`): the rows of a list, no headings.
    fn in_run_of_coded_lines(&self, at: usize) -> bool {
        let item = &self.items[at];
        let previous_joined = at > 0 && !item.gap_before && starts_with_code(self.items[at - 1].text);
        starts_with_code(item.text) && (previous_joined || self.heads_coded_rows(at + 1))
    }

    /// Whether the item at `next` follows without a blank line and starts with
    /// a dotted code (`6.1 Samenkracht`, `8.2 - Grondexploitatie`): a row under column heads.
    fn heads_coded_rows(&self, next: usize) -> bool {
        self.item(next).is_some_and(|n| !n.gap_before && starts_with_code(n.text))
    }

    /// Whether a programme heading carries the open programme's code under
    /// another title (neither title contains the other): a part of the open
    /// programme (`Programma 3: Doelenboom`), not a programme of its own.
    fn is_part_of_open_programme(&self, h: &Heading) -> bool {
        let Some(open) = self.tree.open_of(ElementKind::Programme) else { return false };
        let same_code = match (open.code.as_deref(), h.code.as_deref()) {
            (Some(o), Some(c)) => o.trim_start_matches('0') == c.trim_start_matches('0'),
            _ => false,
        };
        let (o, t) = (open.title.as_deref().map(fold).unwrap_or_default(), fold(&h.title));
        h.kind == StructureKind::Programme && same_code && !o.contains(&t) && !t.contains(&o)
    }

    /// Whether the line at `at` stands in a run of lines of the same shape
    /// without a blank line between them (`1.1 Crisisbeheersing J. ten Kate`
    /// ↵ `1.2 Openbare orde J. ten Kate`): rows of a list or table, no headings.
    fn in_a_run_of(&self, rule: usize, at: usize) -> bool {
        let same = |i: usize| self.headings_at(i).is_some_and(|hs| hs.iter().any(|(r, _)| *r == rule));
        let next_joined = self.item(at + 1).is_some_and(|n| !n.gap_before) && same(at + 1);
        let previous_joined = at > 0 && !self.items[at].gap_before && same(at - 1);
        next_joined || previous_joined
    }

    /// The headings the structural rules read from item `at` (their patterns
    /// matched and gave a title), memoised: lookahead asks again, and
    /// reading the groups of a match is the costly part.
    fn headings_at(&self, at: usize) -> Option<&[(usize, Heading)]> {
        let item = self.items.get(at)?;
        let parse = || {
            let r = rules();
            let candidates = r.structure_set.matching(item.text);
            // Rules that need a heading-like line cannot apply to other lines, nor a code line
            // without a title after it (table cells such as `1.350`): skip reading their groups.
            let heading_like = !candidates.is_empty() && is_heading_like_in_any_case(item.text);
            candidates
                .into_iter()
                .filter_map(|i| {
                    let rule = &r.structure[i];
                    if rule.when.needs_heading_like() && !heading_like {
                        return None;
                    }
                    if rule.when == When::CodeLine && !self.title_follows(at) {
                        return None;
                    }
                    let caps = rule.pattern.captures(item.text)?;
                    Some((i, build_heading(rule.kind, &caps, rule.when)?))
                })
                .collect()
        };
        Some(self.headings[at].get_or_init(parse))
    }

    /// Whether a matched rule's condition holds at `at`.
    fn applies(&self, when: When, at: usize, heading: &Heading) -> bool {
        let item = &self.items[at];
        let next = self.item(at + 1);
        // A lowercase start (`programma 6 - bestuur`) is a heading's only when it carries a code.
        let heading_like =
            is_heading_like(item.text) || heading.code.is_some() && is_heading_like_in_any_case(item.text);
        match when {
            When::Heading => heading_like,
            When::First => {
                let stands_alone = next.is_none_or(|n| n.gap_before);
                // `1. Inleiding` is a chapter of the document, no programme.
                let chapter = rules().chapters.is_match(&heading.title);
                heading_like
                    && stands_alone
                    && !chapter
                    && !self.passed_table
                    && self.tree.open_of(ElementKind::Programme).is_none()
                    && !self.in_block()
            }
            When::CodeLine => self.title_follows(at),
            When::Child => {
                let programme_code = self.tree.open_of(ElementKind::Programme).and_then(|p| p.code.clone());
                let extends = match (&programme_code, &heading.code) {
                    (Some(p), Some(c)) => c.split('.').next() == Some(p.trim_start_matches('0')),
                    _ => false,
                };
                let next_not_text = next.is_none_or(|n| matches!(n.shape, Shape::Heading | Shape::Label));
                heading_like && extends && next_not_text
            }
            When::Any => true,
        }
    }

    /// Whether the item after `at` can be the title of a code line. A code
    /// line glued under another code line (`5.6` ↵ `5.7`) is a member of a
    /// list of codes, whose names follow as a list of their own: no heading.
    fn title_follows(&self, at: usize) -> bool {
        let under_code = at > 0 && !self.items[at].gap_before && self.is_code_line(at - 1);
        !under_code && self.item(at + 1).is_some_and(|n| n.shape == Shape::Heading && is_heading_like(n.text))
    }

    /// Whether the line at `at` is a code and nothing else (`5.7`, `1.2.`).
    fn is_code_line(&self, at: usize) -> bool {
        self.item(at).is_some_and(|it| crate::tables::cell::is_code(it.text))
    }

    fn in_block(&self) -> bool {
        self.tree.open_of(ElementKind::Block).is_some()
    }

    fn open_heading(&mut self, h: Heading) {
        self.goals_follow &= h.kind == StructureKind::Speerpunt;
        let first = self.items[self.pos].no;
        let lines: Vec<usize> = self.items[self.pos..self.pos + h.width].iter().map(|i| i.no).collect();
        self.pos += h.width;
        let kind = self.heading_kind(&h);
        let reentered = match kind {
            ElementKind::Programme | ElementKind::Section => self.reenter(kind, &h),
            _ => false,
        };
        if !reentered {
            let mut element = titled(kind, h.code, h.title, first);
            element.taakveld = taakveld_of(kind, &element);
            self.tree.open(element);
        }
        for l in lines {
            self.tree.claim(l);
        }
        if let Some(d) = h.description {
            self.push_description(d, first);
        }
    }

    /// A programme heading inside a programme whose title contains it is a
    /// sub-programme: a section.
    fn heading_kind(&self, h: &Heading) -> ElementKind {
        match h.kind {
            StructureKind::Programme => {
                let open = self.tree.open_of(ElementKind::Programme).and_then(|p| p.title.as_deref()).map(fold);
                let title = fold(&h.title);
                let inner = open.is_some_and(|o| o != title && o.contains(&title));
                if inner {
                    ElementKind::Section
                } else {
                    ElementKind::Programme
                }
            }
            StructureKind::Section => ElementKind::Section,
            StructureKind::Speerpunt => ElementKind::Speerpunt,
        }
    }

    /// Re-open the element a repeated heading names: the same code and
    /// title, or the programme a breadcrumb named with a cut title (`Meedoen
    /// in...`) that the page's full title continues.
    fn reenter(&mut self, kind: ElementKind, h: &Heading) -> bool {
        let title = fold(&h.title);
        let mut wanted = vec![same_heading_key(h.code.as_deref(), &title)];
        if let Some(crumb) = self.crumb_title.as_deref().filter(|c| c.len() >= 6 && title.starts_with(*c)) {
            wanted.push(title_key(crumb));
        }
        self.tree.reenter(kind, &wanted)
    }

    /// A description on the heading's own line: body text of the element just opened.
    fn push_description(&mut self, text: String, line: usize) {
        self.tree.add_unclaimed(Paragraph { kind: ParagraphKind::Paragraph, text, line });
    }

    /// Open a speerpunt titled by the item at `title_at` (first sentence;
    /// the rest is its description), claiming the items in `claimed`.
    fn open_status_speerpunt(&mut self, title_at: usize, claimed: std::ops::Range<usize>) {
        let title_item = self.items[title_at];
        let (title, description) = split_title(title_item.text);
        self.tree.open(titled(ElementKind::Speerpunt, None, title, self.items[claimed.start].no));
        for i in claimed.clone() {
            self.tree.claim(self.items[i].no);
        }
        if let Some(d) = description {
            self.push_description(d, title_item.no);
        }
        self.pos = claimed.end;
    }

    fn label(&mut self) {
        let at = self.pos;
        let item = self.items[at];
        // A label is a heading of its own: it ends the open block, whether it
        // opens a block or has nothing under it (a label that names a table
        // is the table's caption: the table stage took it).
        let bare = item.text.trim_end_matches(':').trim_end();
        let rule = rules().label(bare);
        let opens = match self.role(at + 1, true) {
            Role::Text => !self.is_lone_units_line(at + 1),
            Role::End => true,
            // A label over a table names it; it is a block when the table has no caption of its
            // own and the label is written as one (`Indicatoren en streefwaarden:`) or text of its
            // own follows the table.
            Role::Table => {
                !self.tables.has_caption_at(at + 1) && (item.text.ends_with(':') || self.text_after_table(at + 1))
            }
            // A label over a short value (`Fase` ↵ `Uitvoering`) or a one-line sentence is a
            // block; over a heading (a W-question over a theme) it has no text of its own.
            Role::Heading if rule.is_some_and(|r| r.question) => {
                // A W-question's text can be one long line with no text of its own under it.
                !rule.is_some_and(|r| r.goals)
                    && self.item(at + 1).is_some_and(|n| !at_most_words(n.text, 7))
                    && !matches!(self.role(at + 2, false), Role::Text)
            }
            // (A line over text of its own, a blank line between, is a sub-heading: `Inleiding` ↵
            // `Ontwikkelingen in de regio` ↵ ↵ text; glued to the text it is its first line.)
            Role::Heading => {
                self.is_field_value(at + 1)
                    || self.is_sentence(at + 1) && !self.is_question(at + 1) && !self.heads_own_text(at + 1)
                    || item.text.ends_with(':') && self.is_value_before_field(at + 1)
            }
            _ => false,
        };
        if !opens {
            self.tree.close_blocks();
            if self.tables.starts_at(at + 1) && !self.tables.has_caption_at(at + 1) {
                // The label names the table under it: its caption.
                self.tables.name(at + 1, bare, item.no);
                self.pos = at + 1;
                return;
            }
            self.text(at);
            // `Wat willen we bereiken?` over headings: the doelen follow.
            self.goals_follow = rule.is_some_and(|r| r.goals);
            return;
        }
        self.goals_follow = false;
        let kind = rule.map_or_else(|| label_kind_of(bare), |r| r.kind.clone());
        self.open_block(at, bare, kind);
        if self.item(self.pos).is_some_and(|n| n.shape == Shape::Heading) && !self.tables.starts_at(self.pos) {
            self.text(self.pos);
        }
    }

    /// Whether a numbered list starts at `at`: lines numbered `1.`, `2)`
    /// glued to each other (no blank between), not numbered headings over
    /// text nor rows led by codes (`1.1 Crisisbeheersing …`).
    fn numbered_list_at(&self, at: usize) -> bool {
        let list_number = |text: &str| {
            let head = text.split(' ').next().unwrap_or("");
            let digits = head.trim_end_matches(['.', ')']);
            head.len() == digits.len() + 1
                && (1..=2).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
        };
        let numbered = |i: usize| self.item(i).is_some_and(|n| list_number(n.text));
        numbered(at) && numbered(at + 1) && self.item(at + 1).is_some_and(|n| !n.gap_before)
    }

    /// Whether the line at `at` is a units statement (`bedragen x € 1.000`)
    /// with no text after it: what it stood over (a table, a widget) is
    /// gone, and a heading over it has no text of its own.
    fn is_lone_units_line(&self, at: usize) -> bool {
        let units = self
            .item(at)
            .is_some_and(|i| at_most_words(i.text, UNITS_LINE_MAX_WORDS) && units_multiplier(i.text).is_some());
        // A summary widget's bare figures under it (`22.065` ↵ `7,4 %`) are no text either.
        let mut next = at + 1;
        while next - at <= WIDGET_FIGURES_MAX && self.item(next).is_some_and(|i| look(i.text).kind == Kind::Number) {
            next += 1;
        }
        units && !matches!(self.role(next, false), Role::Text)
    }

    /// Whether the line at `at` is a page number in brackets standing alone
    /// (`(2)`, `(114)`): a print's page marker, no text of the heading above.
    fn is_page_marker(&self, at: usize) -> bool {
        let marker = |t: &str| {
            let inner = t.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or("");
            (1..=3).contains(&inner.len()) && inner.bytes().all(|b| b.is_ascii_digit())
        };
        self.item(at).is_some_and(|i| marker(i.text) && self.item(at + 1).is_none_or(|n| n.gap_before))
    }

    /// Whether the line at `at` is a lone year glued under the line above
    /// it (`Begroting` ↵ `2024`): the second line of a wrapped header cell
    /// (the table under it cut off or not found), no text or field value.
    fn is_wrapped_header_year(&self, at: usize) -> bool {
        self.item(at).is_some_and(|i| !i.gap_before && look(i.text).kind == Kind::Year)
    }

    /// Whether text (no heading, no other table) follows the table that starts at `at`.
    fn text_after_table(&self, at: usize) -> bool {
        self.tables.end_of(at).is_some_and(|end| matches!(self.role(end, true), Role::Text))
    }

    /// A short value under a label (`Uitvoering`, `MO`, `18-5-2015`, `J.
    /// ten Kate`, `Op schema`): one word, a number or date, a name with
    /// initials or a status, that does not head text of its own (a year glued
    /// under its line is a wrapped header cell: [`Self::is_wrapped_header_year`]).
    fn is_field_value(&self, at: usize) -> bool {
        let Some(item) = self.item(at) else { return false };
        let one_word = !item.text.contains(' ') && item.text.chars().count() <= 30;
        // A heading repeated (`A. Algemeen` twice) is no value of itself.
        let repeated = at > 0 && self.items[at - 1].text == item.text;
        let value = (one_word || is_datum_text(item.text) || status_of(item.text).is_some())
            && !repeated
            && !self.is_wrapped_header_year(at);
        value && !matches!(self.role(at + 1, false), Role::Text) && !rules().is_structural_heading(item.text)
    }

    /// A line that can name a field: a short heading (up to five words) that
    /// is no structural heading and no title line of the document.
    fn is_field_label(&self, at: usize) -> bool {
        self.item(at).is_some_and(|i| {
            matches!(i.shape, Shape::Heading | Shape::Label)
                && at_most_words(i.text, 5)
                && !rules().is_structural_heading(i.text)
                && rules().title_line(i.text).is_none()
        })
    }

    /// A field value no heading could be (see [`is_datum_text`]).
    fn is_datum(&self, at: usize) -> bool {
        self.is_field_value(at) && self.item(at).is_some_and(|i| is_datum_text(i.text))
    }

    /// A title right above a sheet of fields (`Fase` ↵ `Uitvoering` …): the
    /// project the sheet describes (never the document's title line).
    fn is_project_title(&self, at: usize) -> bool {
        let Some(item) = self.item(at) else { return false };
        rules().title_line(item.text).is_none() && !self.in_block() && self.field_pairs_at(at + 1) >= MIN_FIELD_PAIRS
    }

    /// Open the project titled at `at` with its sheet of fields as blocks.
    fn open_project(&mut self, at: usize) {
        let pairs = self.field_pairs_at(at + 1);
        self.open_plain(ElementKind::Speerpunt, at);
        for _ in 0..pairs {
            let label = self.items[self.pos];
            let bare = label.text.trim_end_matches(':').trim_end();
            let kind = rules().label(bare).map_or_else(|| label_kind_of(bare), |r| r.kind.clone());
            self.open_block(self.pos, bare, kind);
            self.text(self.pos);
        }
    }

    /// How many fields (a label and its short value) follow each other from
    /// `at`, when at least one value is a datum no heading could be (a date,
    /// a number, a code, an abbreviation), and no table starts among them:
    /// else none.
    fn field_pairs_at(&self, at: usize) -> usize {
        let mut pairs = 0;
        let mut datum = false;
        // A table is no sheet of fields: the pairs end where one starts.
        let free = |i: usize| !self.tables.starts_at(i);
        while free(at + 2 * pairs)
            && free(at + 2 * pairs + 1)
            && self.is_field_label(at + 2 * pairs)
            && self.is_field_value(at + 2 * pairs + 1)
        {
            datum |= is_datum_text(self.items[at + 2 * pairs + 1].text);
            pairs += 1;
        }
        if datum {
            pairs
        } else {
            0
        }
    }

    /// A short line that heads nothing under a field label: the next item
    /// is the next field's label, or there is none (`Bron:` ↵ `Eigen
    /// registratie` ↵ `Indicator:`).
    fn is_value_before_field(&self, at: usize) -> bool {
        let next_field = self.item(at + 1).is_none_or(|n| n.shape == Shape::Label && n.text.ends_with(':'));
        at_most_words(self.items[at].text, 3) && next_field
    }

    /// A line of running text that only looks short: the sentence goes on in
    /// the next line without a blank between them (`Het plan is een
    /// overzicht van alle investeringen, ongeacht` ↵ `de wijze waarop …`), or
    /// it holds a sentence's end and the next one's start (`Risicobeheersing.
    /// Deze paragraaf biedt`).
    fn is_wrapped_sentence(&self, at: usize) -> bool {
        let continued = self
            .item(at + 1)
            .is_some_and(|n| !n.gap_before && n.shape != Shape::ListItem && n.text.starts_with(char::is_lowercase));
        let text = self.items[at].text;
        let two_sentences = text.len() > TWO_SENTENCES_MIN_BYTES
            && text.match_indices(". ").any(|(i, _)| text[i + 2..].starts_with(char::is_uppercase));
        continued || two_sentences
    }

    /// A line that reads as a sentence (four words or more) rather than a title.
    /// Whether the line at `at` stands over a paragraph of its own, a blank line between.
    fn heads_own_text(&self, at: usize) -> bool {
        self.item(at + 1).is_some_and(|n| n.gap_before) && matches!(self.role(at + 1, false), Role::Text)
    }

    fn is_sentence(&self, at: usize) -> bool {
        self.item(at).is_some_and(|i| !at_most_words(i.text, 3))
    }

    /// Whether the line at `at` asks a question (`Wat deden we om de doelen te
    /// realiseren?`): a heading of its own, never the text of a label above it.
    fn is_question(&self, at: usize) -> bool {
        self.item(at).is_some_and(|i| i.text.ends_with('?'))
    }

    fn heading(&mut self) {
        let at = self.pos;
        let item = self.items[at];
        // A numbered line in a block is a list item; a line of amounts (`Totale bezoldiging
        // 142.141 40.396`) is a row of a table begrip did not read, no heading.
        if is_numbered(item.text) && self.in_block() && !self.continues_block_numbering(item.text)
            || crate::tables::cell::amounts_in(without_worded_brackets(item.text)) >= 2
            || self.is_wrapped_sentence(at)
            || self.in_code_name_run(at)
            || self.is_glued_clause(at)
        {
            self.text(at);
            return;
        }
        if self.is_project_title(at) {
            self.open_project(at);
            return;
        }
        if self.is_page_programme(at) {
            self.open_plain(ElementKind::Programme, at);
            return;
        }
        match self.role(at + 1, false) {
            // (`Overzicht projecten` above a project's title is a crumb, no field.)
            Role::Heading if self.is_field_label(at) && self.is_datum(at + 1) && !self.is_project_title(at + 1) => {
                self.open_block(at, item.text, label_kind_of(item.text));
                self.text(at + 1);
            }
            Role::Structure(StructureKind::Speerpunt) if self.opens_theme(at) => {
                self.open_plain(ElementKind::Section, at)
            }
            Role::Heading | Role::Label if self.names_taakveld_in_programme(at) || self.is_sibling_section(at) => {
                self.open_plain(ElementKind::Section, at)
            }
            // A heading over a numbered list (`1. Bereikbaarheid` ↵ `2. Duurzaam vervoer`) has that list as its text.
            Role::Heading if self.numbered_list_at(at + 1) => self.open_block(at, item.text, label_kind_of(item.text)),
            Role::Heading if self.prose_follows_joined(at) => self.open_block(at, item.text, label_kind_of(item.text)),
            Role::Text if self.goals_follow => self.open_plain(ElementKind::Speerpunt, at),
            Role::Text if self.is_lone_units_line(at + 1) || self.is_wrapped_header_year(at + 1) => self.text(at),
            // A heading over a page number in brackets and no text (`Meerjarenraming 2023 - 2026` ↵ `(2)` ↵
            // `Voorwoord`): a print's furniture.
            Role::Text if self.is_page_marker(at + 1) && !matches!(self.role(at + 2, false), Role::Text) => {
                self.text(at)
            }
            Role::Text => self.open_block(at, item.text, label_kind_of(item.text)),
            next => match self.heading_over(at, next) {
                Some(kind) => self.open_plain(kind, at),
                None => self.text(at),
            },
        }
    }

    /// Whether the line after the heading at `at` follows it without a blank
    /// line and reads as prose though it has no full stop (`Molenstraat 12` ↵
    /// `Nog geen overeenkomst, afsluiten is afhankelijk van de planning`):
    /// [`JOINED_PROSE_MIN_WORDS`] words or more, with a comma inside or
    /// [`JOINED_PROSE_COMMALESS_MIN_WORDS`] words, over twice as long as the
    /// heading. The heading stands apart from the line before it, and no
    /// short line follows glued on (a list).
    fn prose_follows_joined(&self, at: usize) -> bool {
        let item = &self.items[at];
        // (`de` ↵ `Nota` ↵ `Weerstandsvermogen …`: a sentence wrapped at every line, no heading.)
        let stands_apart = item.gap_before || at == 0 || self.items[at - 1].text.ends_with(['.', '?', '!', ':']);
        let Some(next) = self.item(at + 1).filter(|n| !n.gap_before && stands_apart) else { return false };
        // (A short third line glued on makes the three a list: `Extra handhaving` ↵ `Cameratoezicht
        // …, …` ↵ `Meer boa's`; a long one goes on with the prose, wrapped as a print wraps it.)
        let pair_ends = self
            .item(at + 2)
            .is_none_or(|after| after.gap_before || !at_most_words(after.text, JOINED_PROSE_MIN_WORDS - 1));
        let words = next.text.split(' ').count();
        let comma_inside = has_inner_comma(next.text);
        pair_ends
            && words >= JOINED_PROSE_MIN_WORDS
            && (comma_inside || words >= JOINED_PROSE_COMMALESS_MIN_WORDS)
            && next.text.len() > 2 * item.text.len()
    }

    /// Whether the line at `at` is glued under the line before it (no blank
    /// line) and reads as a clause: [`JOINED_PROSE_MIN_WORDS`] words or more
    /// with a comma inside (`Cameratoezicht in het centrum, bij het station …`
    /// in a list): a line of that text, no heading.
    fn is_glued_clause(&self, at: usize) -> bool {
        let item = &self.items[at];
        at > 0
            && !item.gap_before
            && !at_most_words(item.text, JOINED_PROSE_MIN_WORDS - 1)
            && has_inner_comma(item.text)
    }

    /// Whether a numbered line takes up the number of the open block's own
    /// numbered label: the next heading of that level (`7.5.2 Wettelijk kader`
    /// in `7.5.1 Inleiding`) or the first one below it (`7.1 Grondbeleid` in
    /// `Paragraaf 7 Grondbeleid`), no item of a list in the block.
    fn continues_block_numbering(&self, text: &str) -> bool {
        let Some(label) = self.tree.open_of(ElementKind::Block).and_then(|b| b.label.as_deref()) else { return false };
        let parts = |head: &str| -> Option<Vec<u32>> {
            head.trim_end_matches('.').split('.').map(|p| p.parse().ok()).collect()
        };
        let Some(next) = text.split(' ').next().and_then(parts) else { return false };
        // The label's number is its first word, or its second after a chapter word (`Paragraaf 7`).
        let mut words = label.split(' ');
        let first = words.next().unwrap_or("");
        let chapter_word = CHAPTER_WORDS.iter().any(|w| first.eq_ignore_ascii_case(w));
        let Some(open) = parts(first).or_else(|| words.next().filter(|_| chapter_word).and_then(parts)) else {
            return false;
        };
        let last = open.len() - 1;
        let sibling =
            open.len() == next.len() && open[..last] == next[..last] && Some(next[last]) == open[last].checked_add(1);
        // `7.1 Gemeentelijk grondbeleid` in `Paragraaf 7 Grondbeleid`: its first sub-heading.
        let first_child = next.len() == open.len() + 1 && next[..open.len()] == open[..] && next[open.len()] == 1;
        sibling || first_child
    }

    /// Whether the line at `at` is a name or the header of a list of codes
    /// and names, one per line (`0.` ↵ `Bestuur en ondersteuning` ↵ `1.` ↵
    /// `Veiligheid`): a table without values, whose names are no headings.
    /// Two pairs at least: one code line over a title is a numbered heading.
    fn in_code_name_run(&self, at: usize) -> bool {
        let code = |i: usize| self.is_code_line(i);
        let pair = |i: usize| code(i) && self.item(i + 1).is_some_and(|it| !code(i + 1) && it.shape == Shape::Heading);
        let named = at > 0 && code(at - 1) && (pair(at + 1) || at >= 3 && pair(at - 3));
        let header = pair(at + 1) && pair(at + 3);
        named || header
    }

    /// What a heading element of an HTML page that has no text of its own
    /// heads, by what follows it: labelled blocks (`<h3>` title, then
    /// `Stand van zaken:`) make it a speerpunt; headings one level deeper
    /// (`<h2>Speerpunten</h2>` over `<h3>` titles) a section. The text of an
    /// export does not say this; its lines stay text.
    fn heading_over(&self, at: usize, next: Role) -> Option<ElementKind> {
        let level = self.heading_level(at)?;
        match next {
            Role::Label => Some(ElementKind::Speerpunt),
            Role::Heading if self.heading_level(at + 1).is_some_and(|below| below > level) => {
                Some(ElementKind::Section)
            }
            _ => None,
        }
    }

    /// Whether the heading element at `at` has the level of the open
    /// section's heading (`<h2>` after `<h2>Onderwijshuisvesting</h2>`): the
    /// next section, a sibling, not a speerpunt inside the first.
    fn is_sibling_section(&self, at: usize) -> bool {
        let (Some(level), Some(markup)) = (self.heading_level(at), self.markup) else { return false };
        let section = self.tree.open_of(ElementKind::Section);
        section.is_some_and(|s| markup.mark(s.line_start).hint == Hint::Heading(level))
    }

    /// The level of the heading element (`h1`–`h6`) an item of an HTML page is.
    fn heading_level(&self, at: usize) -> Option<u8> {
        let item = self.items.get(at)?;
        match self.markup?.mark(item.no).hint {
            Hint::Heading(level) => Some(level),
            _ => None,
        }
    }

    fn open_block(&mut self, at: usize, label: &str, kind: String) {
        let no = self.items[at].no;
        let mut block = Element::new(ElementKind::Block, no);
        block.label = Some(label.to_string());
        block.label_kind = Some(kind);
        self.tree.open(block);
        self.tree.claim(no);
        self.pos = at + 1;
    }

    /// A theme heading: unnumbered, directly above a marked speerpunt (`Doel 1:`).
    fn opens_theme(&self, at: usize) -> bool {
        let marked = self.structural(at + 1).is_some_and(|h| h.kind == StructureKind::Speerpunt);
        // A list of bare `Doel:` lines under a tab heading is no theme with its doelen.
        let described = !matches!(self.role(at + 2, false), Role::Structure(StructureKind::Speerpunt));
        marked && described && !is_numbered(self.items[at].text)
    }

    /// Whether the heading at `at`, inside a programme, is the official name
    /// of an Iv3 taakveld (`Verkeer en vervoer` under programme 2): the
    /// section of that taakveld, over the headings that follow it.
    fn names_taakveld_in_programme(&self, at: usize) -> bool {
        let in_programme = self.tree.open_of(ElementKind::Programme).is_some();
        let taakveld = rules().taakveld_by_name(self.items[at].text);
        in_programme && taakveld.is_some_and(|t| t.code.contains('.') && !names_a_policy_domain(self.items[at].text))
    }

    /// The page's own title as a programme: the first heading (of at most
    /// [`PAGE_PROGRAMME_MAX_WORDS`] words) under a page
    /// title line (`Begroting 2020` / `Leefomgeving`), or a first heading
    /// that the text right after it calls a programme (`Binnen het programma X`)
    /// or that names a policy domain (`Veiligheid`, `Overhead`: see
    /// [`names_a_policy_domain`]).
    fn is_page_programme(&self, at: usize) -> bool {
        if at > 2 || self.tree.open_of(ElementKind::Programme).is_some() {
            return false;
        }
        let text = self.items[at].text;
        // A chapter, a title line, a label or a question (`Wat hebben we gemeten?`) names no programme.
        let question = text.ends_with('?');
        if question || names_chapter(text) || rules().title_line(text).is_some() || rules().label(text).is_some() {
            return false;
        }
        // On a project page the heading under the title line is a crumb above the project; a
        // long line under it is the document's motto (`Met nieuwe energie bouwen aan de stad van morgen`).
        let after_title = at > 0
            && rules().title_line(self.items[at - 1].text).is_some()
            && at_most_words(text, PAGE_PROGRAMME_MAX_WORDS)
            && !self.is_project_title(at + 1);
        let named = self.item(at + 1).is_some_and(|n| {
            let lower = n.text.to_lowercase();
            lower.contains(&format!("programma {}", text.to_lowercase()))
        });
        let first = at == 0 && (named || names_a_policy_domain(text));
        (at == 1 && after_title) || first || self.heads_programme_chapter(at)
    }

    /// Whether the heading at `at` is the page's heading under the name of
    /// the chapter of the programmes (`Programma's` ↵ `Veiligheid`, the
    /// document's title line above or not), standing alone: a heading glued
    /// to its text (`Toelichting verplichte beleidsindicatoren` ↵ `Binnen
    /// de programma's …`) is a block of that chapter.
    fn heads_programme_chapter(&self, at: usize) -> bool {
        let chapter_at = |i: usize| rules().programme_chapters.is_match(self.items[i].text);
        let under = match at {
            1 => chapter_at(0),
            2 => chapter_at(1) && rules().title_line(self.items[0].text).is_some(),
            _ => false,
        };
        under && self.item(at + 1).is_some_and(|next| next.gap_before)
    }

    /// Open an element titled by the line at `at`, the line read.
    fn open_plain(&mut self, kind: ElementKind, at: usize) {
        self.open_named(kind, at);
        self.tree.claim(self.items[at].no);
        self.pos = at + 1;
    }

    /// Open an element titled by the line at `at`, leaving the line to whoever holds it.
    fn open_named(&mut self, kind: ElementKind, at: usize) {
        let item = self.items[at];
        let mut element = titled(kind, None, item.text.to_string(), item.no);
        element.taakveld = taakveld_of(kind, &element);
        self.tree.open(element);
    }

    /// Lookahead: what the item at `at` is. `in_label` says a label just
    /// opened, so numbered lines are its text.
    fn role(&self, at: usize, in_label: bool) -> Role {
        let Some(item) = self.item(at) else {
            return Role::End;
        };
        if let Some(h) = self.structural(at) {
            return Role::Structure(h.kind);
        }
        let status =
            self.status_headers(at, HeaderPosition::After).is_some() || self.status_headers_below(at).is_some();
        if status {
            return Role::Structure(StructureKind::Speerpunt);
        }
        match item.shape {
            Shape::Label => Role::Label,
            Shape::Heading if in_label && is_numbered(item.text) => Role::Text,
            _ if self.tables.starts_at(at) => Role::Table,
            Shape::Heading if self.is_cut_sentence(at) => Role::Text,
            Shape::Heading => Role::Heading,
            _ => Role::Text,
        }
    }

    /// The last line of a page cut in the middle of a sentence (`We blijven
    /// inzetten op`): text, though it is short and has no full stop.
    fn is_cut_sentence(&self, at: usize) -> bool {
        let text = self.items[at].text;
        let last_word_lower = text.rsplit(' ').next().is_some_and(|w| w.starts_with(char::is_lowercase));
        at + 1 == self.items.len() && !at_most_words(text, 3) && last_word_lower
    }

    /// Add the item as body text of the open element.
    fn text(&mut self, at: usize) {
        let item = self.items[at];
        self.note_status(item.text);
        let kind = if item.shape == Shape::ListItem { ParagraphKind::ListItem } else { ParagraphKind::Paragraph };
        self.tree.add_paragraph(Paragraph { kind, text: item.text.to_string(), line: item.no });
        self.pos = at + 1;
    }
}

fn build_heading(kind: StructureKind, caps: &regex::Captures, when: When) -> Option<Heading> {
    let code = caps.name("code").map(|m| m.as_str().to_string());
    let raw_title = caps.name("title").map_or("", |m| m.as_str());
    let width = if when == When::CodeLine { 2 } else { 1 };
    let (title, description) = if when == When::Any { split_title(raw_title) } else { (clean_title(raw_title), None) };
    (width == 2 || !title.is_empty()).then_some(Heading { kind, code, title, description, width })
}

/// The programme a breadcrumb item names (`Programma 1: Meedoen in...`), if any.
fn breadcrumb_programme(normalized: &Normalized) -> Option<Element> {
    let line = normalized.breadcrumb_line?;
    normalized.breadcrumb.iter().find_map(|crumb| {
        let h = match_structure(crumb, When::Heading).filter(|h| h.kind == StructureKind::Programme)?;
        Some(titled(ElementKind::Programme, h.code, h.title, line))
    })
}

/// Match one text (a breadcrumb item) against the structural rules of one condition.
fn match_structure(text: &str, when: When) -> Option<Heading> {
    rules()
        .structure
        .iter()
        .filter(|r| r.when == when)
        .find_map(|r| build_heading(r.kind, &r.pattern.captures(text)?, when))
}

/// The keys a programme or section is found again by (see [`Segmenter::reenter`]).
fn reentry_keys(e: &Element) -> Vec<String> {
    match e.kind {
        ElementKind::Programme | ElementKind::Section => {
            let title = e.title.as_deref().map(fold).unwrap_or_default();
            vec![same_heading_key(e.code.as_deref(), &title), title_key(&title)]
        }
        _ => Vec::new(),
    }
}

/// Code and folded title.
fn same_heading_key(code: Option<&str>, folded_title: &str) -> String {
    match code {
        Some(code) => format!("code {code}\u{1f}{folded_title}"),
        None => format!("no code\u{1f}{folded_title}"),
    }
}

/// The folded title alone.
fn title_key(folded_title: &str) -> String {
    format!("title\u{1f}{folded_title}")
}

fn titled(kind: ElementKind, code: Option<String>, title: String, line: usize) -> Element {
    let mut e = Element::new(kind, line);
    e.code = code;
    e.title = Some(title);
    e
}

fn taakveld_of(kind: ElementKind, e: &Element) -> Option<String> {
    if kind != ElementKind::Section {
        return None;
    }
    let title = e.title.as_deref().unwrap_or("");
    match &e.code {
        Some(code) => taakveld_for(code, title),
        None => rules().taakveld_by_name(title).map(|t| t.code.clone()),
    }
}

/// The status a line that is only a status word names (`data/status_words.tsv`).
fn status_of(text: &str) -> Option<Status> {
    if text.len() > 40 {
        return None;
    }
    rules().status_words.name_in(text).map(|value| Status { value: value.to_string(), raw: text.to_string() })
}

/// A line of a legend: a status word, a colon, what it means (`Groen:
/// conform planning`, `Rood: project is nog niet gestart`), or any one word
/// set equal to its meaning (`BLAUW = voortgang wijkt positief af`).
fn is_legend_line(text: &str) -> bool {
    let status_legend = text
        .split_once(':')
        .is_some_and(|(word, meaning)| !meaning.trim().is_empty() && status_of(word.trim()).is_some());
    // (The byte first: most lines hold no `=`, and a search for ` = ` costs more to set up.)
    let equation = memchr::memchr(b'=', text.as_bytes()).is_some()
        && text
            .split_once(" = ")
            .is_some_and(|(word, meaning)| !word.is_empty() && !word.contains(' ') && !meaning.trim().is_empty());
    status_legend || equation
}

/// Fewest words of a line glued under a heading that make it the heading's prose.
const JOINED_PROSE_MIN_WORDS: usize = 8;
/// Fewest words of such a line without a comma inside.
const JOINED_PROSE_COMMALESS_MIN_WORDS: usize = 12;

/// Words before the number of a numbered chapter heading (`Paragraaf 7 Grondbeleid`).
const CHAPTER_WORDS: [&str; 3] = ["paragraaf", "hoofdstuk", "§"];

/// Most bare figures of a summary widget under its units line (`22.065` ↵ `7,4 %` ↵ …).
const WIDGET_FIGURES_MAX: usize = 8;

/// Most words of a page's title under its title line that opens a programme.
const PAGE_PROGRAMME_MAX_WORDS: usize = 8;

/// Longest label written on the line of its value.
const INLINE_LABEL_MAX_WORDS: usize = 4;

/// `Portefeuillehouder:      R. Visscher` → (`Portefeuillehouder`, `R. Visscher`):
/// a known label (`data/labels.tsv`) and its value on one line.
fn inline_label(text: &str) -> Option<(&str, &str)> {
    let (label, value) = text.split_once(':')?;
    let (label, value) = (label.trim(), value.trim());
    let known = !value.is_empty() && at_most_words(label, INLINE_LABEL_MAX_WORDS) && rules().label(label).is_some();
    known.then_some((label, value))
}

/// A value no heading could be: a number, a date, a code, capitals
/// (`MO`, `O`), a name with initials (`J. ten Kate`).
fn is_datum_text(text: &str) -> bool {
    let caps = text.len() <= 6 && text.chars().all(char::is_uppercase);
    let initials = text.len() > 3 && text.as_bytes()[1] == b'.' && text.as_bytes()[2] == b' ';
    caps || initials || look(text).kind.is_value()
}

/// Whether `text` names what a programme is about: the official name of an
/// Iv3 hoofdtaakveld (`Veiligheid`, `Sociaal domein`), or the names of the
/// overviews the BBV sets beside the programmes (`data/overviews.tsv`),
/// joined by `,` and `en` (`Overhead`, `Overhead, Vennootschapsbelasting en
/// Onvoorzien`).
fn names_a_policy_domain(text: &str) -> bool {
    let hoofdtaakveld = rules().taakveld_by_name(text).is_some_and(|t| !t.code.contains('.'));
    let overviews = &rules().overviews;
    hoofdtaakveld || text.split(", ").flat_map(|part| part.split(" en ")).all(|name| overviews.is_match(name.trim()))
}

/// Whether `text` has the shape of a heading, its first letter taken as a
/// capital (`programma 6 - bestuur` as `Programma 6 - bestuur`).
fn is_heading_like_in_any_case(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => is_heading_like(&first.to_uppercase().chain(chars).collect::<String>()),
        _ => is_heading_like(text),
    }
}

/// Shortest line (in bytes) whose `. ` followed by a capital ends a sentence
/// rather than an abbreviation in a title (`A. Algemeen`, `Prog. 2 Wonen`).
const TWO_SENTENCES_MIN_BYTES: usize = 60;

/// Fewest fields that make a sheet (the data sheet of a project).
const MIN_FIELD_PAIRS: usize = 2;

/// Most words of a line that states only the units (`(bedragen x € 1.000)`).
const UNITS_LINE_MAX_WORDS: usize = 5;

/// `Meedoen in...` → `Meedoen in`; trailing colon removed.
fn clean_title(title: &str) -> String {
    title.trim_end_matches("...").trim_end_matches('…').trim_end_matches(':').trim().to_string()
}

/// First sentence as title, the rest as description.
fn split_title(text: &str) -> (String, Option<String>) {
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices(". ") {
        let before = &text[..i];
        let word = before.rsplit(' ').next().unwrap_or("");
        let abbreviation = word.contains('.') || word.chars().count() <= 2;
        let next_upper = text[i + 2..].chars().next().is_some_and(char::is_uppercase);
        if !abbreviation && next_upper && i + 2 < bytes.len() {
            return (before.to_string(), Some(text[i + 2..].trim().to_string()));
        }
    }
    (text.trim_end_matches('.').trim().to_string(), None)
}

/// Whether a heading names a chapter of the document (`data/chapters.tsv`),
/// numbered or not: `Paragrafen`, `6. Incidentele baten en lasten`.
fn names_chapter(text: &str) -> bool {
    let chapters = &rules().chapters;
    let unnumbered = || text.split_once(' ').is_some_and(|(_, rest)| chapters.is_match(rest.trim()));
    chapters.is_match(text) || is_numbered(text) && unnumbered()
}

/// `1.1 …`, `2. …`, `1a …`, `3 …`: numbered list lines.
fn is_numbered(text: &str) -> bool {
    let head = text.split_whitespace().next().unwrap_or("");
    head.starts_with(|c: char| c.is_ascii_digit())
        && head.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ')' || c.is_ascii_lowercase())
}

/// An unknown label's kind: its text, lower case, words joined by `_`.
fn label_kind_of(label: &str) -> String {
    let words: Vec<String> =
        label.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.join("_")
}

/// `text` without a closing remark in brackets that has words
/// (`Verkiezingen (€ 64.477 voordeel in 2020 en nadeel in 2023)`: a title
/// that states its effect, whose amounts make no row of a table). Brackets
/// around a figure alone (`Saldo 1.234 (567)`) stay.
fn without_worded_brackets(text: &str) -> &str {
    let Some(body) = text.strip_suffix(')') else { return text };
    let Some(open) = body.rfind('(') else { return text };
    let worded =
        body[open + 1..].split_whitespace().any(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic()));
    if worded {
        text[..open].trim_end()
    } else {
        text
    }
}

/// Whether a comma and a space stand inside `text` (a clause goes on after it).
fn has_inner_comma(text: &str) -> bool {
    memchr::memchr_iter(b',', text.as_bytes()).any(|i| text.as_bytes().get(i + 1) == Some(&b' '))
}

/// Whether `text` starts with a dotted code and a name (`6.1 Samenkracht`,
/// `6.71a Leerlingenvervoer`, `8.2 - Grondexploitatie`).
fn starts_with_code(text: &str) -> bool {
    code_and_name(text).is_some()
}

#[cfg(test)]
mod tests;
