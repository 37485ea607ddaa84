//! Table stage: finds every table in the content-line stream and rebuilds
//! it into rows and columns, before segmentation builds the tree around them.
//!
//! Tables arrive flattened in several layouts, each with a reader:
//!
//! ```text
//! stream     one cell per line, with or without blank lines between cells
//! separated  one row per line, cells separated by spaces
//! pipes      one row per line, cells between `|` (markdown or not)
//! glued      label and value glued by the export (`ActiviteitPlanning`)
//! lone_row   one row one cell per line, its label before the years that head it
//! list       `Indicator: …` / `Streefwaarde: …` lines, or repeated label/value groups
//! markup     the `<table>` elements of an HTML page, from their grid (first)
//! ```
//!
//! A reader decides from the shape of the rows, not from a list of header
//! words: the row width that explains the most cells wins, and the header is
//! the run of short cells above the first row that fits those columns best
//! ([`header`]). Each decision can be inspected with [`explain`]
//! (`begrip explain FILE`). Everything stays linear in the input: every
//! candidate is scored on a bounded number of rows, and only the chosen one
//! is read to its end.

mod build;
pub mod cell;
mod glued;
pub mod header;
mod list;
mod lone_row;
mod markup;
mod pipes;
pub mod place;
mod separated;
mod stream;

use std::collections::HashMap;

pub use build::{code_and_name, split_code, taakveld_for};

use crate::model::Table;
use crate::normalize::{Item, Markup};
use header::Head;

/// A table found in the item stream.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Index of its first item (the caption, when it has one).
    pub start: usize,
    /// Index of the first item after it.
    pub end: usize,
    /// The rebuilt table.
    pub table: Table,
    /// Every line it holds.
    pub lines: Vec<usize>,
}

/// The tables of one input, by the item they start at.
#[derive(Debug, Default)]
pub struct Tables {
    placed: Vec<Option<Placed>>,
    by_start: HashMap<usize, usize>,
}

impl Tables {
    /// Whether a table starts at item `at`.
    pub fn starts_at(&self, at: usize) -> bool {
        self.placed_at(at).is_some()
    }

    /// The table that starts at item `at`, while not taken.
    fn placed_at(&self, at: usize) -> Option<&Placed> {
        self.by_start.get(&at).and_then(|&i| self.placed[i].as_ref())
    }

    /// The index of the first item after the table that starts at item `at`.
    pub fn end_of(&self, at: usize) -> Option<usize> {
        self.placed_at(at).map(|p| p.end)
    }

    /// Name the table that starts at item `at` by the label on line `line`
    /// above it, when it has no caption of its own: the label's line is the
    /// table's first.
    pub fn name(&mut self, at: usize, label: &str, line: usize) {
        let Some(p) = self.by_start.get(&at).and_then(|&i| self.placed[i].as_mut()) else { return };
        if p.table.caption.is_none() {
            p.table.caption = Some(label.to_string());
            p.table.line_start = p.table.line_start.min(line);
            p.lines.insert(0, line);
        }
    }

    /// Whether the table that starts at item `at` has a caption of its own.
    pub fn has_caption_at(&self, at: usize) -> bool {
        self.placed_at(at).is_some_and(|p| p.table.caption.is_some())
    }

    /// Take the table that starts at item `at`, if any.
    pub fn take(&mut self, at: usize) -> Option<Placed> {
        let &i = self.by_start.get(&at)?;
        self.placed[i].take()
    }

    /// How many tables were found.
    pub fn len(&self) -> usize {
        self.placed.len()
    }

    /// Whether none were found.
    pub fn is_empty(&self) -> bool {
        self.placed.is_empty()
    }
}

/// Find and rebuild every table of `items` (and of the markup of an HTML page).
pub fn find(items: &[Item], markup: Option<&Markup>) -> Tables {
    let drafts = drafts(items, markup, &mut Trace::off());
    let placed: Vec<Option<Placed>> = drafts.into_iter().map(|d| Some(build::placed(d))).collect();
    let by_start = placed.iter().enumerate().filter_map(|(i, p)| Some((p.as_ref()?.start, i))).collect();
    Tables { placed, by_start }
}

/// The decisions of the table stage on `items`, as text: every candidate a
/// reader weighed, its score, and what it chose.
pub fn explain(items: &[Item], markup: Option<&Markup>) -> String {
    let mut trace = Trace { lines: Some(Vec::new()) };
    let drafts = drafts(items, markup, &mut trace);
    let mut out = trace.lines.unwrap_or_default().join("\n");
    for d in &drafts {
        let first = items.get(d.start).map_or(0, |i| i.no);
        out.push_str(&format!(
            "\ntable {} lines {}-{}: {} columns, {} rows",
            d.layout,
            first,
            d.lines.iter().max().copied().unwrap_or(first),
            d.columns.len(),
            d.rows.len()
        ));
    }
    out.push('\n');
    out
}

/// A reader: the items, which of them earlier readers took, the trace → its tables.
pub(crate) type Reader = fn(&[Item], &[bool], &mut Trace) -> Vec<Draft>;

/// Every reader over the whole stream; where two claim the same items the
/// one found first (the markup's tables, then the readers in this order)
/// keeps them.
fn drafts(items: &[Item], markup: Option<&Markup>, trace: &mut Trace) -> Vec<Draft> {
    let mut taken = vec![false; items.len()];
    let mut drafts = Vec::new();
    if let Some(markup) = markup {
        keep_unclaimed(markup::read(items, markup, trace), &mut taken, &mut drafts);
    }
    let readers: [Reader; 6] = [pipes::read, glued::read, separated::read, stream::read, lone_row::read, list::read];
    for read in readers {
        let mut found = read(items, &taken, trace);
        if let Some(markup) = markup {
            found.retain(|d| !crosses_a_heading(items, markup, d));
        }
        keep_unclaimed(found, &mut taken, &mut drafts);
    }
    drafts.sort_by_key(|d| d.start);
    drafts
}

/// Whether a table read from the lines of an HTML page runs across a
/// heading element (`h1`–`h6`) below its first line: the markup says the
/// page goes on there, whatever the lines look like.
fn crosses_a_heading(items: &[Item], markup: &Markup, draft: &Draft) -> bool {
    let heading = |i: &Item| matches!(markup.mark(i.no).hint, crate::normalize::Hint::Heading(_));
    items[draft.start..draft.end].iter().skip(1).any(heading)
}

/// Keep the drafts whose items no draft kept before has, and claim their items.
fn keep_unclaimed(found: Vec<Draft>, taken: &mut [bool], drafts: &mut Vec<Draft>) {
    for draft in found {
        if taken[draft.start..draft.end].iter().any(|&t| t) {
            continue;
        }
        taken[draft.start..draft.end].iter_mut().for_each(|t| *t = true);
        drafts.push(draft);
    }
}

/// Longest line that can be a note under a table.
const NOTE_MAX_CHARS: usize = 400;

/// The lines right under a table (from item `end`) that belong to it: units
/// lines, footnotes, sources and legends (`data/table_notes.tsv`). Returns
/// them (text, line), the item after them, and a multiplier they state.
pub(crate) fn notes_after(items: &[Item], end: usize) -> (Vec<(String, usize)>, usize, Option<f64>) {
    let mut notes = Vec::new();
    let mut multiplier = None;
    let mut at = end;
    while let Some(item) = items.get(at) {
        let units = crate::numbers::units_multiplier(item.text).filter(|_| item.text.chars().count() <= 80);
        let note = units.is_some() || item.text.chars().count() <= NOTE_MAX_CHARS && note_pattern().is_match(item.text);
        if !note
            || item.shape == crate::normalize::Shape::Label
                && crate::rules::rules().label(item.text.trim_end_matches(':')).is_some()
        {
            break;
        }
        multiplier = multiplier.or(units);
        notes.push((item.text.to_string(), item.no));
        at += 1;
    }
    (notes, at, multiplier)
}

fn note_pattern() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let patterns: Vec<&str> = include_str!("../../data/table_notes.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .skip(1)
            .filter_map(|l| l.split('\t').nth(1))
            .collect();
        regex::Regex::new(&format!("(?i)^(?:{})", patterns.join("|"))).expect("data/table_notes.tsv")
    })
}

/// A table as a reader rebuilt it, before it becomes a [`Table`].
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    /// The reader that found it (see [`Table::layout`]).
    pub layout: &'static str,
    /// The heading right above it.
    pub caption: Option<String>,
    /// The header of the row-label column.
    pub corner: Option<String>,
    /// From a units line.
    pub multiplier: Option<f64>,
    /// The cell columns (not the row-label columns).
    pub columns: Vec<Head>,
    /// The rows.
    pub rows: Vec<DraftRow>,
    /// Lines under the table that explain it.
    pub notes: Vec<(String, usize)>,
    /// Index of the first item (caption included).
    pub start: usize,
    /// Index of the first item after the table.
    pub end: usize,
    /// The lines it holds.
    pub lines: Vec<usize>,
}

/// One row of a [`Draft`].
#[derive(Debug, Clone, Default)]
pub(crate) struct DraftRow {
    /// The row label as written (code included unless `code` holds it).
    pub label: String,
    /// A code from a column of its own (`I.06.`, `1`).
    pub code: Option<String>,
    /// The group row above it.
    pub group: Option<String>,
    /// Its cells: text, column (index into [`Draft::columns`]; `None` when
    /// undecided) and line.
    pub cells: Vec<(String, Option<usize>, usize)>,
    /// The line of its label.
    pub line: usize,
}

/// The debug dump of the stage's decisions; off unless [`explain`] asks.
pub(crate) struct Trace {
    lines: Option<Vec<String>>,
}

impl Trace {
    /// A trace that records nothing.
    pub fn off() -> Trace {
        Trace { lines: None }
    }

    /// Record a line (built only when the trace is on).
    pub fn note(&mut self, line: impl FnOnce() -> String) {
        if let Some(lines) = self.lines.as_mut() {
            lines.push(line());
        }
    }
}

#[cfg(test)]
mod tests;
