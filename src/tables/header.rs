//! Which header cells name which columns: decided from the cells' shapes and
//! the columns' classes, by scoring a few hypotheses (flat; two levels with
//! the upper cells over groups of lower ones; a spanning cell over part of
//! the columns). The vocabulary (`data/columns.tsv`) only says which header
//! words name value types; a header is never required to contain them.
//!
//! Every layout (one cell per line, space-separated rows, pipe tables) hands
//! its header cells in reading order, upper level first; the columns are
//! right-aligned to the cells (a missing corner or code header is at the left).

use std::cell::OnceCell;

use super::cell::{is_header_like, look, year_range, Kind, Look};
use crate::numbers::units_multiplier;
use crate::rules::{rules, ColumnClass};

/// What a column holds, as the rows show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A row code (`1.1`, `I.06.`, a running number): part of the row label.
    Code,
    /// The row label.
    Label,
    /// Text cells (`Eenheid`, `Bron`, `Lasten`).
    Text,
    /// Numbers, years, dates.
    Value,
}

impl Class {
    /// Whether the column belongs to the row label (not a cell column).
    pub fn is_label(self) -> bool {
        matches!(self, Class::Code | Class::Label)
    }

    /// A short name for the debug dump.
    pub fn letter(self) -> char {
        match self {
            Class::Code => 'c',
            Class::Label => 'l',
            Class::Text => 't',
            Class::Value => 'v',
        }
    }
}

/// The header of one column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Head {
    /// Both levels joined, upper first (`Begroting 2023 Lasten`).
    pub label: String,
    /// The lower level of a two-level header when it is no year (`Lasten`).
    pub measure: Option<String>,
    /// The upper level, which names the value type of a two-level header.
    pub top: Option<String>,
    /// Whether the header names a value column (a year, a value word).
    pub value: bool,
    /// Whether the upper level does, for a two-level header.
    pub top_value: Option<bool>,
}

impl Head {
    /// The head a single header cell gives.
    fn of(cell: &HeadCell) -> Head {
        Head { label: cell.text.to_string(), value: cell.value, ..Head::default() }
    }

    /// The head of an upper cell over a lower one.
    fn pair(top: &HeadCell, sub: &HeadCell) -> Head {
        Head {
            label: format!("{} {}", top.text, sub.text),
            measure: (!matches!(sub.look.kind, Kind::Year | Kind::Date)).then(|| sub.text.to_string()),
            top: Some(top.text.to_string()),
            value: top.value || sub.value,
            top_value: Some(top.value),
        }
    }
}

/// The resolved header of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Heads {
    /// The header of the row-label column, if any.
    pub corner: Option<String>,
    /// One head per column (label columns included, their head is the corner or empty).
    pub columns: Vec<Head>,
    /// How many of the offered cells (counted from the end) the header uses.
    pub used: usize,
    /// How well the cells fit the columns.
    pub score: f32,
    /// The hypothesis, for the debug dump.
    pub shape: String,
}

/// One offered header cell.
#[derive(Debug, Clone)]
pub struct HeadCell<'a> {
    /// Its text.
    pub text: &'a str,
    /// Its features.
    pub look: Look,
    /// Whether it names a value column: a year or a value word ([`names_value`]).
    pub value: bool,
    /// How it can stand in a header (asked on first use).
    form: OnceCell<Form>,
    /// Whether it is a structural heading, not a corner (asked on first use).
    heading: OnceCell<bool>,
}

/// How a cell can stand in a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// It cannot ([`is_header_like`] says no).
    Unfit,
    /// It can, but starts with a code as row labels do (`6.3.1 Bij groen`).
    Coded,
    /// It can.
    Fit,
}

impl<'a> HeadCell<'a> {
    /// A header cell from its text.
    pub fn new(text: &'a str) -> Self {
        Self::known(text, look(text), names_value_or_year(text))
    }

    /// A header cell whose features and value word ([`names_value_or_year`]) are known.
    pub fn known(text: &'a str, look: Look, value: bool) -> Self {
        HeadCell { text, look, value, form: OnceCell::new(), heading: OnceCell::new() }
    }

    /// The cell, known to be no structural heading.
    pub fn no_heading(self) -> Self {
        let _ = self.heading.set(false);
        self
    }

    fn form(&self) -> Form {
        *self.form.get_or_init(|| {
            if !is_header_like(self.text, self.look) {
                Form::Unfit
            } else if super::build::code_and_name(self.text).is_some() {
                Form::Coded
            } else {
                Form::Fit
            }
        })
    }

    /// Whether the cell can stand in a header row.
    fn is_header_like(&self) -> bool {
        self.form() != Form::Unfit
    }

    /// −3 for a used cell that cannot be a header cell, −2 for one that starts
    /// with a code as row labels do (`6.3.1 Bij groen`).
    fn penalty(&self) -> f32 {
        match self.form() {
            Form::Unfit => -3.0,
            Form::Coded => -2.0,
            Form::Fit => 0.0,
        }
    }

    /// `Programma Overhead` above a table is the programme's heading;
    /// `Programma (in € 1.000)` is a corner.
    fn is_heading(&self) -> bool {
        *self.heading.get_or_init(|| rules().is_structural_heading(self.text) && units_multiplier(self.text).is_none())
    }
}

/// Whether a header text names a value column: it has a year, or a value word.
pub fn names_value_or_year(text: &str) -> bool {
    has_year(text) || names_value(text)
}

/// Most sub-level cells a two-level hypothesis considers.
const MAX_SUBS: usize = 40;

/// The best header for `classes` from the `cells` offered (the cells right
/// above the first row, in reading order; the header is a suffix of them).
pub fn resolve(cells: &[HeadCell], classes: &[Class]) -> Option<Heads> {
    resolve_levels(cells, classes, None)
}

/// As [`resolve`]; `levels`: the layout shows the header in two rows, the
/// last `.0` cells being the lower one, with `.1` upper cells over them
/// when the layout tells (else the hypotheses decide).
///
/// Every hypothesis is scored on the cells' features alone; only the best
/// one's heads are written out.
pub fn resolve_levels(cells: &[HeadCell], classes: &[Class], levels: Option<(usize, Option<usize>)>) -> Option<Heads> {
    let lower = levels.map(|l| l.0);
    let known_tops = levels.and_then(|l| l.1);
    let labels = classes.iter().take_while(|c| c.is_label()).count();
    let data = classes.len() - labels;
    if data == 0 || cells.is_empty() {
        return None;
    }
    let mut best: Option<Candidate> = None;
    let mut consider = |h: Option<Candidate>| {
        if let Some(h) = h {
            if best.as_ref().is_none_or(|b| h.score > b.score) {
                best = Some(h);
            }
        }
    };
    if lower.is_none() {
        for missing in 0..=1 {
            consider(flat(cells, classes, labels, missing));
        }
    }
    let levels = match lower {
        Some(len) if len <= data && len < cells.len() => vec![Subs { len, period: 0 }],
        Some(_) => Vec::new(),
        None => lower_levels(cells, data),
    };
    for subs in levels {
        let counts = match known_tops {
            Some(t) => vec![t],
            None => top_counts(cells.len() - subs.len, subs),
        };
        for tops in counts {
            consider(stacked(cells, classes, labels, subs, tops));
        }
    }
    best.map(|b| b.heads(cells, classes.len(), labels))
}

/// A run of lower-level header cells at the end of the offered cells.
#[derive(Debug, Clone, Copy)]
struct Subs {
    /// How many cells.
    len: usize,
    /// The repeating period (`Lasten Baten Saldo` repeated: 3), 0 for years.
    period: usize,
}

/// Which offered cells head which columns.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// One cell per data column, right-aligned, from cell `start`; the
    /// `missing` leftmost data columns have none.
    Flat { start: usize, missing: usize },
    /// `tops` upper cells from cell `top_start` over the `subs` at the end,
    /// and one cell each (right-aligned, from cell `flat_start`) for the data
    /// columns left of them.
    Stacked { subs: Subs, tops: usize, top_start: usize, flat_start: usize },
}

/// What heads one column under a layout (indices of offered cells).
#[derive(Debug, Clone, Copy)]
enum Source {
    /// Nothing.
    Empty,
    /// One cell.
    Cell(usize),
    /// An upper cell over a lower one.
    Pair { top: usize, sub: usize },
}

impl Layout {
    /// What heads column `k` of `columns` (the first `labels` being label columns).
    fn source(self, k: usize, columns: usize, labels: usize, cells: usize) -> Source {
        match self {
            Layout::Flat { start, missing } if k >= labels + missing => Source::Cell(start + k - labels - missing),
            Layout::Flat { .. } => Source::Empty,
            Layout::Stacked { subs, tops, top_start, flat_start } => {
                let first_sub_column = columns - subs.len;
                if k >= first_sub_column {
                    if tops == 0 {
                        return Source::Empty;
                    }
                    let s = k - first_sub_column;
                    let t = if subs.len % tops == 0 { s / (subs.len / tops) } else { s.min(tops - 1) };
                    return Source::Pair { top: top_start + t, sub: cells - subs.len + s };
                }
                // Data columns left of the sub-level columns: one cell each, right-aligned.
                let flat_cells = top_start - flat_start;
                let first = first_sub_column - flat_cells;
                if k >= first {
                    Source::Cell(flat_start + k - first)
                } else {
                    Source::Empty
                }
            }
        }
    }

    /// The hypothesis, for the debug dump.
    fn shape(self, columns: usize, labels: usize) -> String {
        match self {
            Layout::Flat { missing, .. } => format!("flat({})", columns - labels - missing),
            Layout::Stacked { subs, tops, .. } => format!("two levels({tops} over {})", subs.len),
        }
    }
}

/// A scored hypothesis, its heads not yet written out.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    layout: Layout,
    /// The corner cell.
    corner: Option<usize>,
    /// How many of the offered cells it uses.
    used: usize,
    score: f32,
}

impl Candidate {
    /// The heads of the hypothesis.
    fn heads(self, cells: &[HeadCell], columns: usize, labels: usize) -> Heads {
        let heads = (0..columns)
            .map(|k| match self.layout.source(k, columns, labels, cells.len()) {
                Source::Empty => Head::default(),
                Source::Cell(i) => Head::of(&cells[i]),
                Source::Pair { top, sub } => Head::pair(&cells[top], &cells[sub]),
            })
            .collect();
        Heads {
            corner: self.corner.map(|c| cells[c].text.to_string()),
            columns: heads,
            used: self.used,
            score: self.score,
            shape: self.layout.shape(columns, labels),
        }
    }
}

/// Candidate lower levels: a trailing run of ascending years or dates, or a
/// trailing run of cells repeating with a period, each at most `data` long.
fn lower_levels(cells: &[HeadCell], data: usize) -> Vec<Subs> {
    let mut found = Vec::new();
    let years = ascending_years_at_end(cells);
    if years >= 2 && years <= data {
        found.push(Subs { len: years, period: 0 });
    }
    for period in 2..=6 {
        let run = periodic_run_at_end(cells, period);
        if run >= 2 * period && run <= data && run <= MAX_SUBS {
            found.push(Subs { len: run - run % period, period });
            break;
        }
    }
    found
}

/// How many cells at the end are years (or dates, year ranges) in ascending order.
fn ascending_years_at_end(cells: &[HeadCell]) -> usize {
    let mut count = 0;
    let mut next: Option<u16> = None;
    for cell in cells.iter().rev().take(MAX_SUBS) {
        let year = match cell.look.kind {
            Kind::Year | Kind::Date => cell.look.year,
            _ if year_range(cell.text) => crate::numbers::find_year(cell.text),
            _ => None,
        };
        match (year, next) {
            (Some(y), Some(n)) if y <= n => {}
            (Some(_), None) => {}
            _ => break,
        }
        next = year;
        count += 1;
    }
    count
}

/// How many cells at the end repeat with `period` (`a b c a b c`).
fn periodic_run_at_end(cells: &[HeadCell], period: usize) -> usize {
    let n = cells.len();
    let mut run = period.min(n);
    while run < n && run < MAX_SUBS && cells[n - 1 - run].text.eq_ignore_ascii_case(cells[n - 1 - run + period].text) {
        run += 1;
    }
    run
}

/// Candidate numbers of upper-level cells over `subs`: one per sub (pairs),
/// one per period, every divisor, and all the cells available (the last
/// spans the rest).
fn top_counts(available: usize, subs: Subs) -> Vec<usize> {
    let mut counts: Vec<usize> = (1..=subs.len).filter(|t| subs.len % t == 0).collect();
    if subs.period > 0 {
        counts.retain(|&t| subs.len % t == 0 && (subs.len / t) % subs.period == 0);
    }
    for extra in available.saturating_sub(3)..=available {
        if extra >= 1 && extra < subs.len && subs.period == 0 {
            counts.push(extra);
        }
    }
    counts.sort_unstable();
    counts.dedup();
    counts.retain(|&t| t <= available);
    counts
}

/// One header cell per data column (right-aligned; `missing` leftmost data
/// columns without a header), then corner cells for the label columns.
fn flat(cells: &[HeadCell], classes: &[Class], labels: usize, missing: usize) -> Option<Candidate> {
    let data = classes.len() - labels;
    let named = data.checked_sub(missing)?;
    if named == 0 || named > cells.len() {
        return None;
    }
    let start = cells.len() - named;
    let layout = Layout::Flat { start, missing };
    let mut score = -2.0 * missing as f32;
    score += cells[start..].iter().map(HeadCell::penalty).sum::<f32>();
    let (corner, corner_used, corner_score) = corner(cells, start, labels);
    score += corner_score + 0.3 * (named + corner_used) as f32;
    score += fit_score(cells, layout, classes, labels);
    Some(Candidate { layout, corner, used: named + corner_used, score })
}

/// Upper cells over the `subs` at the end, flat cells for the data columns
/// left of them, then corner cells.
fn stacked(cells: &[HeadCell], classes: &[Class], labels: usize, subs: Subs, tops: usize) -> Option<Candidate> {
    let n = cells.len();
    let data = classes.len() - labels;
    let top_start = (n - subs.len).checked_sub(tops)?;
    let left = data - subs.len;
    let flat_start = top_start.saturating_sub(left);
    // A cell with a year of its own (`Resultaat (9 november 2023)`) is no upper cell over years,
    // and a units statement (`Bedragen x € 1.000`) none over any cells.
    let years_under = cells[n - subs.len..].iter().all(|c| c.look.year.is_some());
    let tops_cells = &cells[top_start..n - subs.len];
    // Nor is one cell without a year over every year column when no cell is left for the corner
    // (`Kosten ¶ 2023 ¶ 2024`, `Bedragen in € | 2023 | 2024`): it heads the labels.
    let over_all_years = years_under && tops == 1 && left == 0 && top_start == 0 && labels > 0;
    if years_under && tops_cells.iter().any(|c| has_year(c.text))
        || tops_cells.iter().any(|c| units_multiplier(c.text).is_some())
        || over_all_years
    {
        return None;
    }
    let layout = Layout::Stacked { subs, tops, top_start, flat_start };
    let mut score = -2.0 * (left - (top_start - flat_start)) as f32;
    score += cells[flat_start..].iter().map(HeadCell::penalty).sum::<f32>();
    // Every upper cell over as many lower cells: evenly when they divide, else the last takes the rest.
    let regular = tops == 0 || subs.len % tops == 0;
    score += if regular { 1.0 } else { 0.0 };
    if subs.period > 0 && tops > 0 && !regular {
        return None;
    }
    let (corner, corner_used, corner_score) = corner(cells, flat_start, labels);
    let used = n - flat_start + corner_used;
    score += corner_score + 0.3 * used as f32 + fit_score(cells, layout, classes, labels);
    Some(Candidate { layout, corner, used, score })
}

/// The corner cell (the header of the row label): the cell before cell
/// `end` when it looks like one: (its index, cells used, score).
fn corner(cells: &[HeadCell], end: usize, labels: usize) -> (Option<usize>, usize, f32) {
    let Some(at) = end.checked_sub(1) else { return (None, 0, 0.0) };
    let cell = &cells[at];
    if labels == 0 || !cell.is_header_like() || cell.is_heading() {
        return (None, 0, 0.0);
    }
    // A value-column word right above the header: the hypothesis misses a column.
    // (`value` is a year or a value word, so without a year the word is there.)
    let year_free = !has_year(cell.text);
    // A date in brackets dates the table (`MEERJARIG BEGROTINGSRESULTAAT (9 november 2023)`): no column.
    let dated_caption = cell.text.contains('(') && {
        let bare = without_brackets(cell.text);
        !has_year(&bare) && !names_value(&bare)
    };
    if cell.value && (year_free || cell.look.year.is_some() || names_value(cell.text)) && !dated_caption {
        return (None, 0, -1.0);
    }
    // With a code column, its header (`Nr.`) may stand before the label's.
    let code_head = labels == 2
        && at >= 1
        && cells[at - 1].is_header_like()
        && cells[at - 1].look.kind == Kind::Text
        && cells[at - 1].text.len() <= 12;
    (Some(at), 1 + usize::from(code_head), 1.0)
}

/// `text` without its parts in round brackets.
fn without_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// How well the heads of `layout` fit their columns' classes.
fn fit_score(cells: &[HeadCell], layout: Layout, classes: &[Class], labels: usize) -> f32 {
    classes
        .iter()
        .enumerate()
        .map(|(k, class)| {
            let (empty, value, top_value) = match layout.source(k, classes.len(), labels, cells.len()) {
                Source::Empty => (true, false, None),
                Source::Cell(i) => (cells[i].text.is_empty(), cells[i].value, None),
                Source::Pair { top, sub } => (false, cells[top].value || cells[sub].value, Some(cells[top].value)),
            };
            match class {
                Class::Value if empty => 0.0,
                // The upper cell of a two-level header over values should name a value type.
                Class::Value if top_value == Some(false) => 1.0,
                Class::Value if value => 2.0,
                Class::Value => 0.0,
                Class::Text if empty => 0.0,
                Class::Text if value => -1.0,
                Class::Text => 1.0,
                Class::Code | Class::Label => 0.0,
            }
        })
        .sum()
}

fn has_year(text: &str) -> bool {
    crate::numbers::find_year(text).is_some()
}

/// Whether a header names a value column (`Begroting`, `(w)`, `Streefwaarde`).
pub fn names_value(text: &str) -> bool {
    rules().columns.class_in(text) == Some(ColumnClass::Value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(cells: &[&str], classes: &str) -> Heads {
        let cells: Vec<HeadCell> = cells.iter().map(|c| HeadCell::new(c)).collect();
        let classes: Vec<Class> = classes
            .chars()
            .map(|c| match c {
                'c' => Class::Code,
                'l' => Class::Label,
                't' => Class::Text,
                _ => Class::Value,
            })
            .collect();
        resolve(&cells, &classes).expect("a header")
    }

    fn labels(h: &Heads) -> Vec<&str> {
        h.columns.iter().map(|c| c.label.as_str()).collect()
    }

    #[test]
    fn flat_header_with_and_without_corner() {
        let h = heads(&["Omschrijving", "2021", "2022"], "lvv");
        assert_eq!(labels(&h), vec!["", "2021", "2022"]);
        assert_eq!(h.corner.as_deref(), Some("Omschrijving"));
        let h = heads(&["Tabel 1", "2021", "2022"], "lvv");
        assert_eq!(h.used, 3);
        let h = heads(&["Rekening", "Begroting"], "lvv");
        assert_eq!(h.corner, None);
    }

    #[test]
    fn text_and_value_columns() {
        let h = heads(&["Omschrijving", "Lasten/Baten", "Begroting", "Rekening", "Verschil"], "ltvvv");
        assert_eq!(labels(&h), vec!["", "Lasten/Baten", "Begroting", "Rekening", "Verschil"]);
    }

    #[test]
    fn upper_cells_over_years() {
        let h = heads(&["Effectindicator", "Realisatie", "Begroting", "Begroting", "2017", "2018", "2019"], "lvvv");
        assert_eq!(labels(&h)[1..], ["Realisatie 2017", "Begroting 2018", "Begroting 2019"]);
        assert_eq!(h.corner.as_deref(), Some("Effectindicator"));
        let h = heads(&["Rekening", "Begroting", "Meerjarenraming", "2018", "2019", "2020", "2021"], "lvvvv");
        assert_eq!(
            labels(&h)[1..],
            ["Rekening 2018", "Begroting 2019", "Meerjarenraming 2020", "Meerjarenraming 2021"]
        );
    }

    #[test]
    fn spanning_cell_over_the_last_years() {
        let h = heads(&["Rekening 2020", "Begroting 2021", "Meerjarenraming", "2022", "2023"], "lvvvv");
        assert_eq!(
            labels(&h)[1..],
            ["Rekening 2020", "Begroting 2021", "Meerjarenraming 2022", "Meerjarenraming 2023"]
        );
    }

    #[test]
    fn a_dated_caption_is_no_upper_cell_over_years() {
        let h = heads(&["RESULTAAT (9 november 2023)", "2024", "2025"], "lvv");
        assert_eq!(labels(&h)[1..], ["2024", "2025"]);
        assert_eq!(h.corner.as_deref(), Some("RESULTAAT (9 november 2023)"));
    }

    #[test]
    fn upper_cells_over_repeated_measures() {
        let h =
            heads(&["Programma", "Begroting 2023", "Begroting 2024", "Lasten", "Baten", "Lasten", "Baten"], "lvvvv");
        assert_eq!(
            labels(&h)[1..],
            ["Begroting 2023 Lasten", "Begroting 2023 Baten", "Begroting 2024 Lasten", "Begroting 2024 Baten"]
        );
        assert_eq!(h.columns[2].measure.as_deref(), Some("Baten"));
        assert_eq!(h.corner.as_deref(), Some("Programma"));
    }

    #[test]
    fn code_column_and_corner() {
        let h = heads(&["Nr.", "Omschrijving", "Realisatie", "Prognose", "2017", "2018", "2019"], "clvvv");
        assert_eq!(labels(&h)[2..], ["Realisatie 2017", "Prognose 2018", "Prognose 2019"]);
        assert_eq!(h.used, 7);
    }
}
