//! Tables written one cell per line, with blank lines between the cells or
//! without (`Omschrijving ¶ 2021 ¶ 2022 ¶ Lasten ¶ 410 ¶ 395`).
//!
//! The lines (or the blank-separated groups of lines, joined: `Rekening↵2020`)
//! become cells with a [`Look`]. A table shows itself by its rows: a label
//! followed by value cells, again and again. From the first value cell of
//! such a stretch (the anchor) the reader measures the row width (the most
//! common distance between the starts of successive runs of values), then
//! weighs a few hypotheses: where the first row starts (a code column, text
//! columns before the values), which columns hold text and which values
//! (from the first row, from the majority of rows, from the header words).
//! Each is scored on its first rows and on how well the cells above the
//! first row make a header for it ([`super::header::resolve`]); the best is read
//! to its end. Rows whose empty cells vanished are placed by [`super::place`].

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

use super::cell::{is_header_like, is_sign_mark, look, ordered_years, Kind, Look};
use super::header::{names_value_or_year, resolve, Class, HeadCell, Heads};
use super::place::{place, settle_by_totals, Profile, Slot};
use super::{notes_after, Draft, DraftRow, Trace};
use crate::normalize::{at_most_words, Item, Shape};
use crate::numbers::units_multiplier;
use crate::rules::rules;

/// One cell: a line, or the lines of a blank-separated group joined.
#[derive(Debug)]
struct StreamCell<'a> {
    text: Cow<'a, str>,
    look: Look,
    /// The items it spans.
    items: Range<usize>,
    /// Running text or a list item: never part of a table.
    breaker: bool,
    /// The multiplier of a units line (`bedragen x € 1.000`; asked on first use).
    units: OnceCell<Option<f64>>,
    /// A structural heading (`Programma 2 …`): never a header cell (asked on first use).
    structural: OnceCell<bool>,
    /// Whether it names a value column (asked on first use).
    value_word: OnceCell<bool>,
    /// One of two or more ascending years in a row: header material.
    header_year: bool,
}

impl StreamCell<'_> {
    /// The multiplier the cell states when it is a units line (`bedragen x € 1.000`).
    fn units(&self) -> Option<f64> {
        *self.units.get_or_init(|| {
            let stated = units_multiplier(&self.text).filter(|_| self.look.kind != Kind::Number);
            stated.filter(|_| self.head_units().is_none())
        })
    }

    /// The multiplier a header cell wrapped over lines states in brackets
    /// under its words (`Bedrag` / `(x 1.000)`, see [`joined`]): a head of a
    /// column, not a units line.
    fn head_units(&self) -> Option<f64> {
        (self.items.len() > 1).then(|| column_units(&self.text)).flatten()
    }

    /// Whether the cell names a value column (a year, a value word).
    fn names_value(&self) -> bool {
        *self.value_word.get_or_init(|| names_value_or_year(&self.text))
    }

    /// Whether the cell is a structural heading (`Programma 2 …`).
    fn is_structural(&self) -> bool {
        *self.structural.get_or_init(|| rules().is_structural_heading(&self.text))
    }

    /// A value cell of a table body.
    fn is_data_value(&self) -> bool {
        self.look.kind.is_value() && !self.header_year && !self.breaker && self.units().is_none()
    }
}

/// The multiplier a column head states in bare units in brackets after its
/// words (`Bedrag (x 1.000)`, `Lasten (x € 1.000)`).
fn column_units(text: &str) -> Option<f64> {
    let (words, units) = split_at_brackets(text)?;
    (is_bare_units(units) && units_multiplier(words).is_none()).then(|| units_multiplier(units)).flatten()
}

/// The one word before a units statement in brackets (`Programma` of
/// `Programma (bedragen x € 1.000)`): a header cell that states the units
/// (more words, `Taakvelden: Lasten (…)`, are a caption's).
fn words_before_units(text: &str) -> Option<&str> {
    let (words, units) = split_at_brackets(text)?;
    let words = words.trim_end();
    let fits = !words.is_empty() && !words.contains([' ', ':']) && units_multiplier(words).is_none();
    (fits && units_multiplier(units).is_some()).then_some(words)
}

/// `text` before and from its last opening bracket (`Bedrag `, `(x 1.000)`), when words come first.
fn split_at_brackets(text: &str) -> Option<(&str, &str)> {
    let open = text.rfind('(').filter(|&i| i > 0)?;
    Some(text.split_at(open))
}

/// Units in brackets and nothing else (`(x 1.000)`, `(x € 1.000)`), not a
/// units statement with words of its own (`(bedragen x € 1.000)`, a
/// caption's).
fn is_bare_units(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else { return false };
    let unit_char = |c: char| c.is_ascii_digit() || matches!(c, 'x' | 'X' | '€' | '.' | ',' | ' ' | '=');
    inner.chars().all(unit_char) && inner.chars().any(|c| c.is_ascii_digit())
}

/// Most lines a blank-separated group may have to be one cell.
const GROUP_MAX_LINES: usize = 3;
/// Longest line of a group that is one cell.
const GROUP_LINE_MAX_CHARS: usize = 70;
/// Runs of values measured from an anchor.
const RUNS_MEASURED: usize = 24;
/// Rows looked at to guess column classes.
const ROWS_SCORED: usize = 12;
/// How many cells after the anchor a hypothesis is scored on.
const WINDOW: usize = 60;
/// How many of the most common row widths are weighed.
const WIDTHS_WEIGHED: usize = 3;
/// Widest row considered.
const MAX_WIDTH: usize = 30;
/// How far before the anchor the first row may start.
const MAX_LEAD: usize = 4;
/// Most header cells looked at above a first row.
const MAX_HEADER_CELLS: usize = 48;
/// Longest mark a text column may repeat in every row (`i`, `s`, `ja`, `V/N`).
const MARK_MAX_CHARS: usize = 3;
/// Fewest rows whose labels, all the same, say the rows are out of phase.
const SAME_NAMES_MIN: usize = 3;
/// Fewest words of a cell that is a sentence (see [`Reader::swallows_sentence`]).
const SENTENCE_MIN_WORDS: usize = 6;
/// Most words of a short text cell.
const SHORT_TEXT_CELL_WORDS: usize = 3;
/// How many rows back a code of digits is compared (see [`Reader::starts_coded_row`]).
const CODED_ROWS_LOOKED_BACK: usize = 3;
/// Fewest rows whose running numbers make a value column a numbering.
const NUMBERED_ROWS_MIN: usize = 3;
/// How many columns per full row a table without a header may have (plus two).
const HEADERLESS_WIDTH_PER_ROW: usize = 2;
/// Least score of a table.
const ACCEPT: f32 = 5.0;

/// Every table written one cell per line.
pub(super) fn read(items: &[Item], taken: &[bool], trace: &mut Trace) -> Vec<Draft> {
    let cells = stream_cells(items, taken);
    let mut drafts = Vec::new();
    let mut floor = 0;
    let mut a = 0;
    while a < cells.len() {
        if !is_anchor(&cells, a, floor) {
            a += 1;
            continue;
        }
        let reader = Reader { cells: &cells, items, floor };
        match reader.best(a, trace) {
            Some(h) => {
                let (draft, end) = reader.draft(&h);
                trace.note(|| format!("stream: line {}: table of {} rows", items[draft.start].no, draft.rows.len()));
                floor = end;
                a = end;
                drafts.push(draft);
            }
            None => a = run_end(&cells, a),
        }
    }
    drafts
}

/// The cells of the stream; items other readers took become breakers.
fn stream_cells<'a>(items: &'a [Item], taken: &[bool]) -> Vec<StreamCell<'a>> {
    let mut cells = Vec::with_capacity(items.len());
    let bullet_cells = bullet_cells(items);
    let single = |k: usize| {
        let mut c = cell(Cow::Borrowed(cell_text(items[k].text)), k..k + 1, &items[k..k + 1], taken[k]);
        c.breaker &= !bullet_cells[k] || taken[k];
        c
    };
    let mut i = 0;
    while i < items.len() {
        if cell_text(items[i].text).is_empty() {
            i += 1;
            continue;
        }
        // A group: lines without a blank (or an empty `|` cell) between them.
        let mut end = i + 1;
        while end < items.len() && !items[end].gap_before && !cell_text(items[end].text).is_empty() {
            end += 1;
        }
        let group = &items[i..end];
        let joinable = !taken[i..end].iter().any(|&t| t);
        match joined(group).filter(|_| joinable) {
            Some(text) => cells.push(cell(text, i..end, group, false)),
            None => cells.extend((i..end).map(single)),
        }
        i = end;
    }
    let mut cells = join_sign_marks(cells);
    drop_form_colons(&mut cells);
    mark_header_years(&mut cells);
    cells
}

/// Heads written as the labels of a form, two or more in a row (`Naam
/// indicator:` ↵ `Eenheid:` ↵ `Bron:`; a word or two, no digits): column
/// heads, their colons dropped. One such line alone is a caption (`Kengetallen:`).
fn drop_form_colons(cells: &mut [StreamCell]) {
    let form_label = |c: &StreamCell| {
        c.text.strip_suffix(':').is_some_and(|t| {
            !c.breaker && crate::normalize::at_most_words(t, 2) && !t.bytes().any(|b| b.is_ascii_digit())
        })
    };
    let labels: Vec<bool> = cells.iter().map(form_label).collect();
    for i in 0..cells.len() {
        let paired = labels[i] && (i > 0 && labels[i - 1] || labels.get(i + 1) == Some(&true));
        if paired {
            let cell = &mut cells[i];
            match &mut cell.text {
                Cow::Borrowed(t) => *t = &t[..t.len() - 1],
                Cow::Owned(t) => drop(t.pop()),
            }
            cell.look = look(&cell.text);
        }
    }
}

/// Fewest amount-and-mark pairs in a run that say the marks belong to the amounts.
const MARKED_PAIRS_MIN: usize = 2;

/// A run of amounts each followed by its own voordeel/nadeel mark
/// (`89.926` ↵ `N` ↵ `84.307` ↵ `N`) is written so one cell per amount: every
/// pair becomes one cell (`89.926 N`), as the space-separated rows write it.
/// A run with a single mark, or with amounts without one, keeps its mark as a
/// cell of its own (a `V/N` column after the amounts).
fn join_sign_marks(cells: Vec<StreamCell>) -> Vec<StreamCell> {
    let mark = |c: &StreamCell| !c.breaker && is_sign_mark(&c.text);
    let amount = |c: &StreamCell| c.is_data_value() && !is_sign_mark(&c.text);
    let pairs_at = |i: usize| {
        let mut n = 0;
        while i + 2 * n + 1 < cells.len() && amount(&cells[i + 2 * n]) && mark(&cells[i + 2 * n + 1]) {
            n += 1;
        }
        n
    };
    let mut joined_at = vec![false; cells.len()];
    let mut i = 0;
    while i < cells.len() {
        let pairs = pairs_at(i);
        let end = i + 2 * pairs;
        let whole_run = (i == 0 || !cells[i - 1].is_data_value()) && cells.get(end).is_none_or(|c| !c.is_data_value());
        if pairs >= MARKED_PAIRS_MIN && whole_run {
            (i..end).step_by(2).for_each(|k| joined_at[k] = true);
        }
        i = end.max(i + 1);
    }
    if !joined_at.contains(&true) {
        return cells;
    }
    let mut out = Vec::with_capacity(cells.len());
    let mut cells = cells.into_iter().zip(joined_at);
    while let Some((amount, join)) = cells.next() {
        match join.then(|| cells.next()).flatten() {
            Some((mark, _)) => {
                let text = Cow::Owned(format!("{} {}", amount.text, mark.text));
                out.push(StreamCell { look: look(&text), items: amount.items.start..mark.items.end, text, ..amount });
            }
            None => out.push(amount),
        }
    }
    out
}

/// Fewest items of a bulleted list that can be the cells of a table.
const BULLET_CELLS_MIN: usize = 6;

/// Which items are cells of a table written as a bulleted list, one cell
/// per item (`• Totaal lasten` ↵ `• Realisatie 2015` ↵ `• 4.320`): a run of
/// short list items without blank lines between them, a quarter of them
/// (and at least three) values. Other list items break a table.
fn bullet_cells(items: &[Item]) -> Vec<bool> {
    let mut cells = vec![false; items.len()];
    let mut i = 0;
    while i < items.len() {
        let mut end = i;
        while end < items.len()
            && items[end].shape == Shape::ListItem
            && (end == i || !items[end].gap_before)
            && items[end].text.chars().count() <= GROUP_LINE_MAX_CHARS
        {
            end += 1;
        }
        let values = items[i..end].iter().filter(|it| look(it.text).kind.is_value()).count();
        if end - i >= BULLET_CELLS_MIN && values >= 3 && values * 4 >= end - i {
            cells[i..end].iter_mut().for_each(|c| *c = true);
        }
        i = end.max(i + 1);
    }
    cells
}

/// The text of a line as a cell: an export that ends every cell with a
/// pipe (`12.200 |`, a lone `|` for an empty cell) keeps the text before it.
fn cell_text(text: &str) -> &str {
    text.strip_suffix('|').map_or(text, str::trim_end)
}

fn cell<'a>(text: Cow<'a, str>, span: Range<usize>, items: &[Item], taken: bool) -> StreamCell<'a> {
    let look = look(&text);
    let list_item = items.iter().any(|i| i.shape == Shape::ListItem);
    // A clause that announces what follows (`… ziet er als volgt uit:`) stands between tables.
    let clause = text.ends_with(':') && !crate::normalize::at_most_words(&text, 4);
    StreamCell {
        breaker: taken || list_item || clause || look.kind == Kind::Prose,
        look,
        units: OnceCell::new(),
        structural: OnceCell::new(),
        value_word: OnceCell::new(),
        header_year: false,
        items: span,
        text,
    }
}

/// The lines of a blank-separated group as one cell (`Rekening` / `2020`,
/// `Streef-` / `cijfer 2020`, `2021` / `-` / `2023`, `Realisatie` / `30-06-2017`), when they can be one:
/// a few short lines, no amount after the first, no units line but the
/// units of a header cell in brackets under its words (`Bedrag` / `(x 1.000)`).
fn joined<'a>(group: &[Item<'a>]) -> Option<Cow<'a, str>> {
    if group.len() < 2 || group.len() > GROUP_MAX_LINES {
        return None;
    }
    let short = group.iter().all(|i| i.text.chars().count() <= GROUP_LINE_MAX_CHARS && i.shape != Shape::ListItem);
    let continues = |i: &Item| {
        let l = look(i.text);
        matches!(l.kind, Kind::Year | Kind::Date | Kind::Text) || matches!(i.text, "-" | "–") || i.text.starts_with('(')
    };
    let no_units = |i: &Item| units_multiplier(i.text).is_none();
    let (last, words) = group.split_last()?;
    let head_words = |i: &Item| look(i.text).kind == Kind::Text && crate::normalize::at_most_words(i.text, 3);
    let units_under_words = is_bare_units(last.text) && words.iter().any(head_words);
    if !(short
        && group[1..].iter().all(continues)
        && words.iter().all(no_units)
        && (no_units(last) || units_under_words))
    {
        return None;
    }
    let mut text = String::from(group[0].text);
    for item in &group[1..] {
        let glue = text.ends_with('-') && item.text.starts_with(char::is_lowercase);
        if !glue {
            text.push(' ');
        }
        text.push_str(item.text);
    }
    Some(Cow::Owned(text))
}

/// Mark runs of two or more ascending or descending years (`2021`, `2022`;
/// `2021 (w)`, `2022 (b)`; `2025`, `2024*`, `2023*`; `31-12-2018`,
/// `31-12-2017`): they head columns.
fn mark_header_years(cells: &mut [StreamCell]) {
    let year_led =
        |c: &StreamCell| matches!(c.look.kind, Kind::Year | Kind::Mixed | Kind::Date) && c.look.year.is_some();
    let mut start = 0;
    while start < cells.len() {
        let run = &cells[start..];
        let years = run.iter().enumerate().map(|(i, c)| {
            let joins = year_led(c) && (i == 0 || same_day(&run[i - 1], c));
            joins.then_some(c.look.year).flatten()
        });
        let end = start + ordered_years(years);
        if end - start >= 2 {
            cells[start..end].iter_mut().for_each(|c| c.header_year = true);
        }
        start = end.max(start + 1);
    }
}

/// Whether two cells of a run of header years agree in their day: neither
/// is a date, or both name the same day of their year (`31-12-2018`,
/// `31-12-2017`: balance dates head columns as years do; `1-3-2024`,
/// `1-9-2024` run on, as the dates of a planning do).
fn same_day(a: &StreamCell, b: &StreamCell) -> bool {
    let day = |c: &StreamCell| (c.look.kind == Kind::Date).then(|| super::cell::day_and_month(&c.text)).flatten();
    day(a) == day(b)
}

/// The first value cell of a run of values, at or after `floor`.
fn is_anchor(cells: &[StreamCell], a: usize, floor: usize) -> bool {
    a > floor && cells[a].is_data_value() && !cells[a - 1].is_data_value()
}

/// The cell after the run of values that starts at `a`.
fn run_end(cells: &[StreamCell], a: usize) -> usize {
    let mut end = a + 1;
    while end < cells.len() && cells[end].is_data_value() {
        end += 1;
    }
    end
}

/// A hypothesis: where the first row starts and what its columns hold.
#[derive(Debug, Clone)]
struct Hypothesis {
    /// The cell the first row starts at.
    first_row: usize,
    /// The class of every column.
    classes: Vec<Class>,
    /// Whether row labels may be numbers (years, running numbers).
    numeric_labels: bool,
    /// Text columns whose first cell bears a year (`1e helft 2017`): a
    /// period column, where a bare year (`2015`) is a text cell too.
    dated: Vec<bool>,
    /// Cells between the header and the first row that are group rows.
    groups: usize,
    /// The header.
    heads: Option<Heads>,
    score: f32,
}

/// The rows a hypothesis reads.
#[derive(Debug, Default)]
struct Rows {
    rows: Vec<RowCells>,
    /// The cell after the last row.
    end: usize,
}

/// One row: its cells (cell index, column), label cells included.
#[derive(Debug)]
struct RowCells {
    cells: Vec<(usize, usize)>,
}

impl RowCells {
    fn is_label_only(&self, label_columns: usize) -> bool {
        self.cells.iter().all(|(_, j)| *j < label_columns)
    }
}

struct Reader<'r, 'a> {
    cells: &'r [StreamCell<'a>],
    items: &'r [Item<'a>],
    /// Cells before this belong to an earlier table.
    floor: usize,
}

impl Reader<'_, '_> {
    /// The best hypothesis for the table whose first value cell is `a`, if
    /// one scores enough.
    fn best(&self, a: usize, trace: &mut Trace) -> Option<Hypothesis> {
        let (widths, longest) = self.widths(a);
        let mut best: Option<Hypothesis> = None;
        // The first row may start at the anchor itself when it is a row code (`1` ↵ `Aantal …`) or
        // a label led by its number (`3 - Verkeer` ↵ `5.716` ↵ …).
        let labelled = self.label_columns(a) == 2 || self.cells[a].look.kind == Kind::Mixed;
        let first_lead = if labelled { 0 } else { 1 };
        for lead in first_lead..=MAX_LEAD {
            let Some(r) = a.checked_sub(lead).filter(|&r| r >= self.floor) else { break };
            if self.cells[r..a].iter().any(|c| c.breaker || c.units().is_some()) {
                break;
            }
            let run = run_end(self.cells, a) - a;
            let mut candidates: Vec<usize> = widths.iter().copied().filter(|&n| n > lead).collect();
            if candidates.is_empty() {
                candidates.extend((0..=2).map(|t| lead + run + t));
            }
            // No row is narrower than its run of values: when the distances say
            // otherwise (the first rows lack cells), the longest run tells the width.
            if widths.iter().all(|&w| w <= longest) && !candidates.contains(&(lead + longest)) {
                candidates.push(lead + longest);
            }
            // A row led by its code (`0` ↵ `Bestuur` ↵ `4.953` ↵ `3.611` ↵ `1.342` ↵ `1` ↵ `Veiligheid`)
            // or by a numbered label: the label cells and the values after them, up to the next row's code.
            if lead == 0 {
                let labels = self.label_columns(a);
                let n = labels + self.values_before_next_code(a + labels);
                // (After a code, only when every distance measured falls short of it: the next row's
                // code joined the run. After a numbered label, also when group rows widen the distances.)
                let fits = labels == 1 || widths.iter().all(|&w| w < n);
                if n > labels && fits && !candidates.contains(&n) {
                    candidates.push(n);
                }
            }
            // A table of one row under a header the next table repeats: its own run tells the width.
            if self.repeats_header_above(r, lead + run, a + run) && !candidates.contains(&(lead + run)) {
                candidates.push(lead + run);
            }
            for n in candidates.into_iter().filter(|&n| n > lead && n <= MAX_WIDTH) {
                for classes in self.profiles(r, n) {
                    let h = self.score(a, r, classes);
                    trace.note(|| self.describe(&h));
                    if best.as_ref().is_none_or(|b| h.score > b.score) {
                        best = Some(h);
                    }
                }
            }
        }
        best.filter(|h| h.score >= ACCEPT)
    }

    /// The values of the run that starts at `v`, less a last one that is the
    /// code of the next row (a short number right before a text cell).
    fn values_before_next_code(&self, v: usize) -> usize {
        if !self.cells.get(v).is_some_and(StreamCell::is_data_value) {
            return 0;
        }
        let end = run_end(self.cells, v);
        let next_code = end - v > 1 && self.label_columns(end - 1) == 2;
        end - v - usize::from(next_code)
    }

    /// Candidate row widths: the most common distances between the starts
    /// of successive runs of values after `a`; and the longest run.
    fn widths(&self, a: usize) -> (Vec<usize>, usize) {
        let mut starts = Vec::new();
        let mut longest = 0;
        let mut run = 0;
        let mut i = a;
        let mut quiet = 0;
        while i < self.cells.len() && starts.len() < RUNS_MEASURED {
            let c = &self.cells[i];
            if c.breaker {
                break;
            }
            let number = |c: &StreamCell| c.is_data_value() && c.look.kind != Kind::Mixed;
            run = if number(c) { run + 1 } else { 0 };
            longest = longest.max(run);
            if number(c) && (i == a || !number(&self.cells[i - 1])) {
                starts.push(i);
                quiet = 0;
            } else if !number(c) {
                quiet += 1;
                if quiet > MAX_WIDTH {
                    break;
                }
            }
            i += 1;
        }
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for gap in starts.windows(2).map(|w| w[1] - w[0]) {
            match counts.iter_mut().find(|(g, _)| *g == gap) {
                Some((_, n)) => *n += 1,
                None => counts.push((gap, 1)),
            }
        }
        counts.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        (counts.into_iter().take(WIDTHS_WEIGHED).map(|(g, _)| g).collect(), longest)
    }

    /// Candidate column classes for rows of `n` cells starting at `r`: as the
    /// first row shows them, as most rows show them, and as the header words
    /// above the first row suggest.
    fn profiles(&self, r: usize, n: usize) -> Vec<Vec<Class>> {
        let labels = self.label_columns(r);
        // Text led by a number (`13.500 vrijwilligers`) fits both; it counts as text here.
        let is_value = |c: &StreamCell| c.look.kind.is_value() && c.look.kind != Kind::Mixed;
        let class_of = |c: &StreamCell| if is_value(c) { Class::Value } else { Class::Text };
        let mut first = vec![Class::Text; n];
        let mut votes = vec![(0usize, 0usize); n];
        for chunk in 0..ROWS_SCORED {
            for (j, vote) in votes.iter_mut().enumerate() {
                let Some(c) = self.cells.get(r + chunk * n + j).filter(|c| !c.breaker) else { continue };
                if chunk == 0 {
                    first[j] = class_of(c);
                }
                if is_value(c) {
                    vote.0 += 1;
                } else {
                    vote.1 += 1;
                }
            }
        }
        let majority: Vec<Class> = votes.iter().map(|(v, t)| if v > t { Class::Value } else { Class::Text }).collect();
        let hinted = self.header_hint(r, n, &first);
        let mut profiles = Vec::new();
        for mut p in [first, majority, hinted] {
            p[0] = if labels == 2 { Class::Code } else { Class::Label };
            if labels == 2 && n > 1 {
                p[1] = Class::Label;
            }
            // Rows of text cells only are a table when a code column numbers them ([`Self::score`] checks).
            let valued = p[labels.min(n)..].contains(&Class::Value) || labels == 2 && n > 2 && self.numbers_rows(r, n);
            if valued && !profiles.contains(&p) {
                profiles.push(p);
            }
        }
        profiles
    }

    /// Column classes from the header words above `r`: a value column under
    /// a year or a value word, a text column under other words.
    fn header_hint(&self, r: usize, n: usize, first: &[Class]) -> Vec<Class> {
        let above: Vec<&StreamCell> = self.cells[self.floor..r].iter().rev().take(n).collect();
        let mut hinted = first.to_vec();
        for (k, c) in above.iter().enumerate() {
            let j = n - 1 - k;
            if j == 0 || !is_header_like(&c.text, c.look) {
                break;
            }
            hinted[j] = if c.names_value() { Class::Value } else { Class::Text };
        }
        hinted
    }

    /// 2 when rows start with a code column (`I.06.`, `1`) before the label.
    fn label_columns(&self, r: usize) -> usize {
        let first = &self.cells[r];
        let code = first.look.kind == Kind::Code || (first.look.kind == Kind::Number && first.look.digits <= 3);
        let then_text = self.cells.get(r + 1).is_some_and(|c| matches!(c.look.kind, Kind::Text | Kind::Mixed));
        if code && then_text {
            2
        } else {
            1
        }
    }

    /// Score the rows from `r` under `classes` on the cells up to a fixed
    /// distance from the anchor `a` (every hypothesis is judged on the same
    /// cells), with the best header above: cells explained, less the cells
    /// the rows lack, the group rows, and text columns that say nothing.
    fn score(&self, a: usize, r: usize, classes: Vec<Class>) -> Hypothesis {
        let numeric_labels = self.cells[r].look.kind.is_value() && classes[0] == Class::Label;
        let dated = (0..classes.len())
            .map(|j| {
                classes[j] == Class::Text
                    && self
                        .cells
                        .get(r + j)
                        .is_some_and(|c| c.look.kind == Kind::Text && crate::numbers::find_year(&c.text).is_some())
            })
            .collect();
        let mut h = Hypothesis { first_row: r, classes, numeric_labels, dated, groups: 0, heads: None, score: 0.0 };
        let rows = self.rows(&h, a + WINDOW);
        let labels = h.classes.iter().take_while(|c| c.is_label()).count();
        let n = h.classes.len();
        let (mut explained, mut holes, mut groups, mut values, mut full) = (0, 0, 0, 0, 0);
        for (i, row) in rows.rows.iter().enumerate() {
            explained += row.cells.len();
            if row.is_label_only(labels) {
                groups += 1;
                continue;
            }
            // Dates alone (`Startdatum` ↵ `18-5-2015`) are a sheet of fields, no table of values.
            values += row
                .cells
                .iter()
                .filter(|(c, _)| matches!(self.cells[*c].look.kind, Kind::Number | Kind::Mixed | Kind::Year))
                .count();
            full += usize::from(row.cells.len() == n);
            let at_the_end = i + 1 == rows.rows.len() && rows.end >= self.cells.len();
            if !at_the_end {
                holes += n - row.cells.len();
            }
        }
        // A table starts with a row of cells (group rows above it are weighed with the header).
        let starts_with_cells = rows.rows.first().is_some_and(|row| !row.is_label_only(labels));
        let texts_only = !h.classes.contains(&Class::Value);
        if values < 2
            || full == 0
            || !starts_with_cells
            || texts_only && !self.numbered(&rows, &h.classes)
            || self.heads_years(&rows)
        {
            h.score = f32::NEG_INFINITY;
            return h;
        }
        let mut score = explained as f32
            - 0.5 * holes as f32
            - groups as f32
            - self.idle_columns(&rows, &h.classes)
            - self.numbering_columns(&rows, &h.classes)
            - f32::from(u8::from(self.swallows_sentence(&rows, &h.classes)));
        let (groups, heads) = self.header(&h, &rows);
        // A first row that reads like a header cell is the header, unless value headers stand
        // above it and its value follows it (`Begrotingstotaal 2019` ↵ `113.770` under `2019`).
        let valued_header = heads.as_ref().is_some_and(|x| x.columns.iter().any(|c| c.value));
        let valued_row = self.cells.get(r + 1).is_some_and(StreamCell::is_data_value);
        if self.looks_like_column_header(r) && !(valued_header && valued_row) {
            score -= 3.0;
        }
        // Without a header the rows alone tell the table: two at least, and not far wider than long.
        if heads.is_none() && (full < 2 || n > HEADERLESS_WIDTH_PER_ROW * full + 2) {
            h.score = f32::NEG_INFINITY;
            return h;
        }
        score += heads.as_ref().map_or(-10.0, |x| x.score);
        h.groups = groups;
        h.heads = heads;
        h.score = score;
        h
    }

    /// Whether the last row's cell in a text column is a sentence (six words
    /// or more, a full stop at the end) where the column's other cells are a
    /// few words (`Griffier` over `Er zijn geen … uitgekeerd.`): the text after
    /// the table, read as a cell.
    fn swallows_sentence(&self, rows: &Rows, classes: &[Class]) -> bool {
        let Some((last, above)) = rows.rows.split_last() else { return false };
        let text_of =
            |row: &RowCells, j: usize| row.cells.iter().find(|&&(_, k)| k == j).map(|&(c, _)| &*self.cells[c].text);
        let is_sentence = |t: &str| t.ends_with('.') && !at_most_words(t, SENTENCE_MIN_WORDS - 1);
        !above.is_empty()
            && (0..classes.len()).filter(|&j| classes[j] == Class::Text).any(|j| {
                text_of(last, j).is_some_and(is_sentence)
                    && above.iter().filter_map(|row| text_of(row, j)).all(|t| at_most_words(t, SHORT_TEXT_CELL_WORDS))
            })
    }

    /// Whether the first row's only value is a year where the rows below
    /// hold other values (`Onderwerp` ↵ `2023` over `Bomenfonds` ↵ `122`):
    /// that row is the header, its year names the column. (A year among
    /// other values, `1992` ↵ `1350` ↵ `1340`, is a count like them.)
    fn heads_years(&self, rows: &Rows) -> bool {
        let is_year = |c: usize| self.cells[c].look.kind == Kind::Year;
        let Some(first) = rows.rows.first() else { return false };
        let values = first.cells.iter().filter(|(c, _)| self.cells[*c].is_data_value()).count();
        values == 1
            && first.cells.iter().filter(|(c, _)| is_year(*c)).any(|&(_, j)| {
                let mut below = rows.rows[1..].iter().filter_map(|r| r.cells.iter().find(|(_, k)| *k == j)).peekable();
                below.peek().is_some() && below.all(|&(c, _)| !is_year(c))
            })
    }

    /// Whether a first row's label looks like a column header (`Doel 2022`,
    /// `B2020`), not like a row label (`0.10 Mutaties reserves`).
    fn looks_like_column_header(&self, r: usize) -> bool {
        let c = &self.cells[r];
        let coded = super::build::code_and_name(&c.text).is_some();
        is_header_like(&c.text, c.look) && !coded && c.names_value()
    }

    /// A penalty for text columns that say little: the same cell every time
    /// (`Lasten`), or empty in most rows — such cells are row labels above
    /// their rows, not a column; and for row labels that are all the same.
    fn idle_columns(&self, rows: &Rows, classes: &[Class]) -> f32 {
        let labels = classes.iter().take_while(|c| c.is_label()).count();
        let data_rows = rows.rows.iter().filter(|r| !r.is_label_only(labels)).count();
        let mut penalty = 0.0;
        // Rows named alike every time (`i` ↵ `2.034` ↵ `Pr. 01` …): the rows are read out of phase
        let label = labels - 1;
        let names: Vec<&str> = rows
            .rows
            .iter()
            .filter(|r| !r.is_label_only(labels))
            .filter_map(|r| r.cells.iter().find(|(_, k)| *k == label).map(|(c, _)| self.cells[*c].text.as_ref()))
            .collect();
        // (A total row may end them: `Totaal`.)
        let alike = names.iter().filter(|t| names.first() == Some(*t)).count();
        if alike >= SAME_NAMES_MIN && alike + 1 >= names.len() {
            penalty += 2.0 * names.len() as f32;
        } else {
            penalty += self.repeated_labels(rows, label) as f32;
        }
        for (j, _) in classes.iter().enumerate().filter(|(_, c)| **c == Class::Text) {
            let texts: Vec<&str> = rows
                .rows
                .iter()
                .flat_map(|r| r.cells.iter().filter(|(_, k)| *k == j))
                .map(|(c, _)| self.cells[*c].text.as_ref())
                .collect();
            if texts.len() >= 2 && texts[0].chars().count() > MARK_MAX_CHARS && texts.iter().all(|t| *t == texts[0]) {
                penalty += 2.0 * texts.len() as f32;
            }
            if texts.len() * 2 < data_rows {
                penalty += (data_rows - texts.len()) as f32;
            }
        }
        penalty
    }

    /// The data rows whose label (column `label`) comes back after other
    /// labels under the same group row: labels name rows and differ, a column
    /// whose cells come back (`aantal`, `%`, `aantal`) holds categories (the
    /// rows are read out of phase). Rows in a row may share a label (a column
    /// that groups them: `Pr. 01`, `Pr. 01`, `Pr. 03`), and under another
    /// group row a label may come again (`Lasten` ↵ `3 - Verkeer` … `Baten` ↵
    /// `3 - Verkeer` …).
    fn repeated_labels(&self, rows: &Rows, label: usize) -> usize {
        let mut seen: Vec<&str> = Vec::new();
        let mut repeated = 0;
        for row in &rows.rows {
            if row.is_label_only(label + 1) {
                seen.clear();
                continue;
            }
            let Some(&(c, _)) = row.cells.iter().find(|(_, k)| *k == label) else { continue };
            let name = &*self.cells[c].text;
            if seen.last() == Some(&name) {
                continue;
            }
            if seen.contains(&name) {
                repeated += 1;
            }
            seen.push(name);
        }
        repeated
    }

    /// A penalty for value columns that only number the rows (`1`, `2`,
    /// `3` …, one more in every row): such cells are row codes, and the
    /// hypothesis reads the rows out of phase (infinite when no other
    /// column holds values).
    fn numbering_columns(&self, rows: &Rows, classes: &[Class]) -> f32 {
        let labels = classes.iter().take_while(|c| c.is_label()).count();
        let mut penalty = 0.0;
        let mut values = classes.iter().filter(|&&c| c == Class::Value).count();
        for j in (labels..classes.len()).filter(|&j| classes[j] == Class::Value) {
            if self.running_numbers(rows, labels, j) {
                penalty += 2.0 * rows.rows.len() as f32;
                values -= 1;
            }
        }
        // Rows numbered and nothing else: text set out as a numbered list, no table of values.
        if values == 0 && penalty > 0.0 {
            return f32::INFINITY;
        }
        penalty
    }

    /// Whether the cells of column `j` number the data rows: `1`, `2`, `3` …,
    /// one more in every row (the last row may lack its cell: the page or
    /// the table ends in it).
    fn running_numbers(&self, rows: &Rows, labels: usize, j: usize) -> bool {
        let data_rows = rows.rows.iter().filter(|r| !r.is_label_only(labels));
        let cells = data_rows.clone().filter_map(|r| r.cells.iter().find(|(_, k)| *k == j).map(|(c, _)| *c));
        running_count(cells.map(|c| &*self.cells[c].text))
            .is_some_and(|count| count >= NUMBERED_ROWS_MIN && count + 1 >= data_rows.count())
    }

    /// Whether the first cells of the first rows of width `n` from `r` run
    /// `1`, `2`, `3` … (a cheap test before text-only columns are weighed).
    fn numbers_rows(&self, r: usize, n: usize) -> bool {
        let firsts = (0..NUMBERED_ROWS_MIN).map_while(|k| self.cells.get(r + k * n)).map(|c| &*c.text);
        running_count(firsts) == Some(NUMBERED_ROWS_MIN)
    }

    /// Whether a code column numbers the rows (a table of text cells needs it).
    fn numbered(&self, rows: &Rows, classes: &[Class]) -> bool {
        classes.first() == Some(&Class::Code) && self.running_numbers(rows, 2, 0)
    }

    /// The best header above the first row: cells between the header and
    /// the first row may be group rows; `rows`, the rows read under it.
    fn header(&self, h: &Hypothesis, rows: &Rows) -> (usize, Option<Heads>) {
        let in_body = |text: &str| {
            let mut cells = rows.rows.iter().flat_map(|r| r.cells.iter().map(|(c, _)| &self.cells[*c]));
            cells.any(|c| !c.look.kind.is_value() && c.text == text)
        };
        let mut best: (usize, Option<Heads>) = (0, None);
        for groups in 0..=2 {
            let Some(end) = h.first_row.checked_sub(groups).filter(|&e| e >= self.floor) else { break };
            let group_ok = (end..h.first_row).all(|g| {
                let c = &self.cells[g];
                !c.breaker
                    && matches!(c.look.kind, Kind::Text | Kind::Code | Kind::Mixed)
                    && !self.looks_like_column_header(g)
            });
            if !group_ok {
                break;
            }
            let offered = self.offered(end);
            // A header cell that is also a cell of the rows (`Pr. 01`) is a row read as header.
            let repeats_body = |x: &Heads| offered[offered.len() - x.used..].iter().any(|c| in_body(c.text));
            let heads = resolve(&offered, &h.classes).filter(|x| !repeats_body(x)).map(|mut x| {
                x.score -= 0.5 * groups as f32;
                x
            });
            if heads.as_ref().map(|x| x.score) > best.1.as_ref().map(|x| x.score) {
                best = (groups, heads);
            }
        }
        best
    }

    /// The header-like cells right above cell `end` (units lines skipped).
    /// A units line ends the header above it, unless only years stand
    /// under it (then it is the corner of the lower of two header rows).
    fn offered(&self, end: usize) -> Vec<HeadCell<'_>> {
        let mut offered: Vec<HeadCell> = Vec::new();
        for c in self.cells[self.floor..end].iter().rev() {
            if c.units().is_some() {
                let only_years = offered.iter().all(|h| h.look.year.is_some() && h.look.kind != Kind::Text);
                if offered.is_empty() || only_years {
                    continue;
                }
                // `Programma (bedragen x € 1.000)` before the heads: the corner, with the table's units.
                if let Some(words) = words_before_units(&c.text).filter(|_| offered.len() < MAX_HEADER_CELLS) {
                    offered.push(HeadCell::new(words).no_heading());
                }
                break;
            }
            if c.breaker || !is_header_like(&c.text, c.look) || c.is_structural() || offered.len() == MAX_HEADER_CELLS {
                break;
            }
            offered.push(HeadCell::known(&c.text, c.look, c.names_value()).no_heading());
        }
        offered.reverse();
        offered
    }

    /// Read rows from the hypothesis' first row, those that start before cell `stop`.
    fn rows(&self, h: &Hypothesis, stop: usize) -> Rows {
        let labels = h.classes.iter().take_while(|c| c.is_label()).count();
        let mut out = Rows { rows: Vec::new(), end: h.first_row };
        let mut pending: Vec<RowCells> = Vec::new();
        let mut p = h.first_row;
        while p < stop {
            if self.repeats_header(h, p) {
                break;
            }
            let Some((row, next)) = self.row(h, p) else { break };
            p = next;
            if row.is_label_only(labels) {
                pending.push(row);
                if pending.len() > 2 {
                    break;
                }
                continue;
            }
            out.rows.append(&mut pending);
            out.rows.push(row);
            out.end = p;
        }
        out
    }

    /// The rows without the rows of text cells only after the last row with
    /// a value, in a table of values (`Definities indicatoren` ↵ prose under
    /// the last indicator): the text after the table, read as rows.
    fn without_trailing_texts(&self, mut rows: Rows, h: &Hypothesis, labels: usize) -> Rows {
        if !h.classes.contains(&Class::Value) {
            return rows;
        }
        let valueless =
            |row: &RowCells| row.cells.iter().all(|&(c, j)| j < labels || !self.cells[c].look.kind.is_value());
        while rows.rows.len() > 1 && rows.rows.last().is_some_and(valueless) {
            rows.rows.pop();
            let last = rows.rows.last().and_then(|r| r.cells.last()).map_or(h.first_row, |&(c, _)| c);
            rows.end = last + 1;
        }
        rows
    }

    /// The row starting at cell `p`: its cells and the cell after it.
    fn row(&self, h: &Hypothesis, p: usize) -> Option<(RowCells, usize)> {
        let n = h.classes.len();
        let labels = h.classes.iter().take_while(|c| c.is_label()).count();
        let mut cells = Vec::with_capacity(n);
        let mut q = p;
        for j in 0..labels {
            let c = self.cells.get(q)?;
            if c.breaker || c.units().is_some() || c.header_year {
                return None;
            }
            if !self.fits_label(c, h.classes[j], h.numeric_labels) {
                // A row whose code cell vanished (`Totaal` under numbered rows) starts at its label.
                let code_vanished = h.classes[j] == Class::Code && self.fits_label(c, Class::Label, false);
                if !code_vanished {
                    return None;
                }
                continue;
            }
            cells.push((q, j));
            q += 1;
        }
        let mut j = labels;
        let next_code = self.next_code(h, &cells);
        while j < n {
            let Some(c) = self.cells.get(q) else { break };
            if c.breaker
                || c.units().is_some()
                || c.header_year
                || self.starts_numbered_row(q, next_code)
                || self.starts_coded_row(h, p, q)
            {
                break;
            }
            let fitting = fits(c, h.classes[j])
                || h.dated[j] && matches!(c.look.kind, Kind::Year | Kind::Date)
                || j + 1 == n && self.is_dotted_decimal_at_row_end(q, h.classes[j]);
            if fitting || self.is_remark_in_row(q, n - j, j > labels) {
                cells.push((q, j));
                j += 1;
                q += 1;
                continue;
            }
            // A value where a text cell should be: that text cell vanished.
            let skip_to = (j + 1..n)
                .find(|&k| h.classes[k] == Class::Value)
                .filter(|&k| c.look.kind.is_value() && h.classes[j..k].iter().all(|&x| x == Class::Text));
            match skip_to {
                Some(k) => j = k,
                None => break,
            }
        }
        let texts_only =
            cells.len() > labels && cells[labels..].iter().all(|(c, _)| !self.cells[*c].look.kind.is_value());
        if texts_only && self.is_block_label(p) {
            return None;
        }
        Some((RowCells { cells }, q))
    }

    /// Whether the text cell at `q`, in a value column of a row that has a
    /// value before it (`after_value`), is a remark in that column (`410 ¶
    /// nog niet bekend ¶ 455`) rather than the next row's label: it starts in
    /// lower case, and exactly the row's remaining `left - 1` values follow it
    /// before the next text cell (or the end).
    fn is_remark_in_row(&self, q: usize, left: usize, after_value: bool) -> bool {
        let c = &self.cells[q];
        let remark = after_value && c.look.kind == Kind::Text && c.text.starts_with(char::is_lowercase);
        remark && {
            let values = self.cells[q + 1..].iter().take(left).take_while(|c| c.is_data_value()).count();
            values + 1 == left && self.cells.get(q + left).is_none_or(|c| !c.is_data_value())
        }
    }

    /// The running number the next row's code will have, when rows are numbered (`1`, `2`, …).
    fn next_code(&self, h: &Hypothesis, cells: &[(usize, usize)]) -> Option<u32> {
        let &(c, _) = cells.iter().find(|(_, j)| *j == 0).filter(|_| h.classes[0] == Class::Code)?;
        self.cells[c].text.parse::<u32>().ok().map(|k| k + 1)
    }

    /// Whether cell `q` is the next running number followed by a label:
    /// the next row begins there (the cells before it vanished).
    fn starts_numbered_row(&self, q: usize, next_code: Option<u32>) -> bool {
        let numbered = next_code.is_some_and(|k| self.cells[q].text.parse::<u32>().ok() == Some(k));
        numbered && self.cells.get(q + 1).is_some_and(|c| matches!(c.look.kind, Kind::Text))
    }

    /// Whether cell `q`, a value cell of the row that starts at `p`, is the
    /// code of the next row (its cells before it vanished): rows led by a
    /// code of four digits or more (`60512` ↵ `Oudheidkunde` ↵ …), and `q` a
    /// code of the same length, higher than one within the last rows, followed
    /// by a label.
    fn starts_coded_row(&self, h: &Hypothesis, p: usize, q: usize) -> bool {
        let c = &self.cells[q];
        // Four digits or more with no thousands mark: no amount as these pages write them.
        let plain_digits = |c: &StreamCell| {
            c.look.kind == Kind::Number && c.text.len() >= 4 && c.text.bytes().all(|b| b.is_ascii_digit())
        };
        let labelled = |at: usize| self.cells.get(at + 1).is_some_and(|next| next.look.kind == Kind::Text);
        let coded = h.classes.len() > 2 && h.classes[0] == Class::Code && h.classes[1] == Class::Label;
        if !coded || !plain_digits(c) || !labelled(q) {
            return false;
        }
        let lower_code = |at: usize| {
            let e = &self.cells[at];
            plain_digits(e) && e.text.len() == c.text.len() && e.text < c.text && labelled(at)
        };
        let back = p.saturating_sub(CODED_ROWS_LOOKED_BACK * h.classes.len()).max(h.first_row);
        (back..=p).any(lower_code)
    }

    /// Whether the cell at `q`, in the last column (a value column), is a
    /// decimal written with a full stop (`28.1` after `28,1` and `27,5`)
    /// that ends its row: the row's last value, not a code of a row of its own.
    fn is_dotted_decimal_at_row_end(&self, q: usize, class: Class) -> bool {
        let c = &self.cells[q];
        let dotted = c.text.split_once('.').is_some_and(|(whole, part)| {
            !whole.is_empty()
                && (1..=2).contains(&part.len())
                && (whole.bytes().chain(part.bytes())).all(|b| b.is_ascii_digit())
        });
        let row_ends = self.cells.get(q + 1).is_none_or(|next| !next.is_data_value());
        // The value before it has a decimal comma: the full stop is that mark mistyped (a
        // code of the next row, `5.2` after `265`, is no value).
        let decimal_before =
            q > 0 && self.cells[q - 1].look.kind == Kind::Number && self.cells[q - 1].text.contains(',');
        class == Class::Value && c.look.kind == Kind::Code && dotted && row_ends && decimal_before
    }

    /// Whether the cells at `p` repeat the header above the first row
    /// (`Nr.` ↵ `Indicator` ↵ …): the next table's header, no row of this one.
    fn repeats_header(&self, h: &Hypothesis, p: usize) -> bool {
        p > h.first_row && self.repeats_header_above(h.first_row, h.classes.len(), p)
    }

    /// Whether the two text cells at `p` repeat cells of the header above a
    /// first row at `first_row` of rows `width` cells wide.
    fn repeats_header_above(&self, first_row: usize, width: usize, p: usize) -> bool {
        let above = &self.cells[self.floor.max(first_row.saturating_sub(width + 1))..first_row];
        let in_header = |q: usize| {
            self.cells.get(q).is_some_and(|c| !c.look.kind.is_value() && above.iter().any(|a| a.text == c.text))
        };
        in_header(p) && in_header(p + 1)
    }

    /// A block label (`Toelichting:`): it opens a block, it is no row of text cells.
    fn is_block_label(&self, p: usize) -> bool {
        let item = &self.items[self.cells[p].items.start];
        item.shape == Shape::Label
    }

    fn fits_label(&self, c: &StreamCell, class: Class, numeric_labels: bool) -> bool {
        match class {
            Class::Code => c.look.kind == Kind::Code || is_number_code(c),
            _ => {
                matches!(c.look.kind, Kind::Text | Kind::Mixed | Kind::Code) || numeric_labels && c.look.kind.is_value()
            }
        }
    }

    /// The table of the chosen hypothesis, read to its end, and the cell after it.
    fn draft(&self, h: &Hypothesis) -> (Draft, usize) {
        let labels = h.classes.iter().take_while(|c| c.is_label()).count();
        let rows = self.without_trailing_texts(self.rows(h, usize::MAX), h, labels);
        let heads = h.heads.clone();
        let header_cells = heads.as_ref().map_or(0, |x| x.used);
        let header_start = self.header_start(h.first_row - h.groups, header_cells);
        let caption_cell = self.caption(header_start);
        let mut first_cell = caption_cell.unwrap_or(header_start);
        // A units line right above the caption states the units of the table (`(bedragen x € 1.000)`
        // ¶ `Balans per 31 december 2018`).
        let units_above = |c: &StreamCell| c.units().is_some() && !c.breaker;
        if caption_cell.is_some() && first_cell > self.floor && units_above(&self.cells[first_cell - 1]) {
            first_cell -= 1;
        }
        let mut multiplier = None;
        for c in &self.cells[first_cell..h.first_row] {
            multiplier = multiplier.or(c.units());
        }
        let columns: Vec<super::Head> = heads
            .as_ref()
            .map_or_else(|| vec![super::Head::default(); h.classes.len()], |x| x.columns.clone())[labels..]
            .to_vec();
        // Units a column head states are the table's when every column states the same.
        let stated: Option<Vec<f64>> = columns.iter().map(|c| column_units(&c.label)).collect();
        let same = stated.and_then(|s| s.first().copied().filter(|first| s.iter().all(|u| u == first)));
        multiplier = multiplier.or(same);
        let corner = heads.as_ref().and_then(|x| x.corner.clone());
        multiplier = multiplier.or_else(|| corner.as_deref().and_then(units_multiplier));
        let mut draft_rows = Vec::new();
        let mut group = self.cells[h.first_row - h.groups..h.first_row].last().map(|c| c.text.to_string());
        // The page ends in the table, perhaps inside its last cell (`17.` of `17.520`).
        let trailing = &self.cells[rows.end.min(self.cells.len())..];
        let cut = trailing.is_empty() || trailing.len() == 1 && trailing[0].items.end >= self.items.len();
        let profiles = self.profiles_of(&rows, &h.classes);
        for (i, row) in rows.rows.iter().enumerate() {
            if row.is_label_only(labels) {
                group = Some(self.label_text(row, labels));
                continue;
            }
            let last = i + 1 == rows.rows.len();
            draft_rows.push(self.draft_row(row, h, labels, group.clone(), &profiles, cut && last));
        }
        settle_by_totals(&mut draft_rows, &columns);
        let end_item = self.cells.get(rows.end).map_or(self.items.len(), |c| c.items.start);
        let (notes, end_item, trailing_units) = notes_after(self.items, end_item);
        let start_item = self.cells[first_cell].items.start;
        // Every line from the caption to the last note: empty `|` cells included.
        let lines = self.items[start_item..end_item].iter().map(|i| i.no).collect();
        let after = rows.end.min(self.cells.len());
        let end_cell =
            self.cells[after..].iter().position(|c| c.items.start >= end_item).map_or(self.cells.len(), |i| after + i);
        let draft = Draft {
            layout: "cells",
            caption: caption_cell.map(|c| self.cells[c].text.trim_end_matches(':').to_string()),
            corner,
            multiplier: multiplier.or(trailing_units),
            columns,
            rows: draft_rows,
            notes,
            start: start_item,
            end: end_item,
            lines,
        };
        (draft, end_cell)
    }

    /// The first cell of a header of `used` cells ending at `end` (units lines inside it included).
    fn header_start(&self, end: usize, used: usize) -> usize {
        let mut start = end;
        let mut counted = 0;
        while start > self.floor && (counted < used || self.cells[start - 1].units().is_some()) {
            start -= 1;
            // (A units line counts when its word heads the label column: `Programma (bedragen x € 1.000)`.)
            let cell = &self.cells[start];
            let corner = counted > 0 && counted < used && words_before_units(&cell.text).is_some();
            if cell.units().is_none() || corner {
                counted += 1;
            }
        }
        // A header written twice side by side (`Activa ¶ 31-12-2018 ¶ 31-12-2017 ¶ Passiva ¶
        // 31-12-2018 ¶ 31-12-2017`): the first heads the same columns, so the table starts there.
        let repeated = |start: usize| {
            let first = &self.cells[start - used];
            first.look.kind == Kind::Text
                && !first.breaker
                && (1..used).all(|k| self.cells[start - used + k].text == self.cells[start + k].text)
        };
        while used >= 2 && counted == used && start >= self.floor + used && repeated(start) {
            start -= used;
        }
        start
    }

    /// The cell right above the header when it names the table: a short
    /// heading or label (not a structural heading, not running text).
    fn caption(&self, header_start: usize) -> Option<usize> {
        let c = header_start.checked_sub(1).filter(|&c| c >= self.floor)?;
        let cell = &self.cells[c];
        let item = &self.items[cell.items.start];
        let heading = matches!(item.shape, Shape::Heading | Shape::Label) || cell.units().is_some();
        (heading && !cell.breaker && cell.items.len() == 1 && !cell.is_structural()).then_some(c)
    }

    fn label_text(&self, row: &RowCells, labels: usize) -> String {
        row.cells
            .iter()
            .filter(|(_, j)| *j < labels)
            .map(|(c, _)| self.cells[*c].text.as_ref())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// What the complete rows show of each column.
    fn profiles_of(&self, rows: &Rows, classes: &[Class]) -> Vec<Profile> {
        let mut profiles = vec![Profile::default(); classes.len()];
        for row in rows.rows.iter().filter(|r| r.cells.len() == classes.len()) {
            for &(c, j) in &row.cells {
                profiles[j].observe(self.cells[c].look);
            }
        }
        profiles
    }

    fn draft_row(
        &self,
        row: &RowCells,
        h: &Hypothesis,
        labels: usize,
        group: Option<String>,
        profiles: &[Profile],
        cut: bool,
    ) -> DraftRow {
        let first = &self.cells[row.cells[0].0];
        let line = self.items[first.items.start].no;
        let text_in =
            |column: usize| row.cells.iter().find(|(_, j)| *j == column).map(|(c, _)| self.cells[*c].text.to_string());
        let code = if labels == 2 { text_in(0) } else { None };
        let label = text_in(labels - 1).unwrap_or_default();
        let body: Vec<(usize, usize)> = row.cells.iter().copied().filter(|(_, j)| *j >= labels).collect();
        let columns = self.columns_of(&body, h, labels, profiles, cut);
        let cells = body
            .iter()
            .zip(columns)
            .map(|(&(c, _), column)| {
                let cell = &self.cells[c];
                (cell.text.to_string(), column, self.items[cell.items.start].no)
            })
            .collect();
        DraftRow { label, code, group, cells, line }
    }

    /// The column (index among the cell columns) of each body cell: as read
    /// when the row is complete or its gaps are decided by class, else as
    /// [`place`] decides among the value columns.
    fn columns_of(
        &self,
        body: &[(usize, usize)],
        h: &Hypothesis,
        labels: usize,
        profiles: &[Profile],
        cut: bool,
    ) -> Vec<Option<usize>> {
        let n = h.classes.len();
        let values: Vec<usize> = (labels..n).filter(|&j| h.classes[j] == Class::Value).collect();
        let placed_values: Vec<&(usize, usize)> = body.iter().filter(|(_, j)| h.classes[*j] == Class::Value).collect();
        if body.len() + labels == n || placed_values.len() == values.len() {
            return body.iter().map(|(_, j)| Some(j - labels)).collect();
        }
        let slots: Vec<Slot> = values.iter().map(|&j| Slot { class: Class::Value, profile: &profiles[j] }).collect();
        let looks: Vec<Look> = placed_values.iter().map(|(c, _)| self.cells[*c].look).collect();
        let decided = place(&looks, &slots, cut);
        let mut decided = decided.into_iter();
        body.iter()
            .map(|(_, j)| {
                if h.classes[*j] == Class::Value {
                    decided.next().flatten().map(|k| values[k] - labels)
                } else {
                    Some(j - labels)
                }
            })
            .collect()
    }

    fn describe(&self, h: &Hypothesis) -> String {
        let line = self.items[self.cells[h.first_row].items.start].no;
        let classes: String = h.classes.iter().map(|c| c.letter()).collect();
        let header = h
            .heads
            .as_ref()
            .map_or("none".to_string(), |x| format!("{} using {} cells ({:.1})", x.shape, x.used, x.score));
        format!(
            "stream: line {line}: first row {:?}, columns {classes}, groups {}, header {header}: score {:.1}",
            self.cells[h.first_row].text, h.groups, h.score
        )
    }
}

/// How many texts there are when they run `k`, `k + 1`, `k + 2` … (whole
/// numbers, one more each time); `None` when they do not. Counted without
/// a vector: every hypothesis asks.
fn running_count<'t>(mut texts: impl Iterator<Item = &'t str>) -> Option<usize> {
    let mut previous: u32 = texts.next()?.parse().ok()?;
    let mut count = 1;
    for text in texts {
        let n: u32 = text.parse().ok()?;
        if previous.checked_add(1) != Some(n) {
            return None;
        }
        previous = n;
        count += 1;
    }
    Some(count)
}

/// A cell that is only a sign: `-`, `+`, `-/+`, `+/-`.
fn is_sign(text: &str) -> bool {
    matches!(text, "-" | "+" | "-/+" | "+/-" | "–")
}

/// Whether a cell can stand in a column of `class`.
fn fits(c: &StreamCell, class: Class) -> bool {
    match class {
        Class::Value => c.look.kind.is_value(),
        // A lone sign (`-` beside `+`) is a text cell too: in a column of signs it says minus, not "none".
        Class::Text => matches!(c.look.kind, Kind::Text | Kind::Code | Kind::Mixed) || is_sign(&c.text),
        Class::Label => matches!(c.look.kind, Kind::Text | Kind::Code | Kind::Mixed),
        Class::Code => matches!(c.look.kind, Kind::Code | Kind::Number),
    }
}

/// Longest row code written as a bare number (`60501`, a cost centre).
const NUMBER_CODE_MAX_DIGITS: usize = 6;

/// Whether a number cell can be a row code: a short number without a
/// decimal comma (`1`, `12`), or a bare run of digits (`60501`, a cost
/// centre); an amount with separators or decimals (`1.250`, `2,5`) cannot.
fn is_number_code(c: &StreamCell) -> bool {
    let plain = c.text.len() <= NUMBER_CODE_MAX_DIGITS && c.text.bytes().all(|b| b.is_ascii_digit());
    c.look.kind == Kind::Number && (plain || c.look.digits <= 3 && !c.text.contains(','))
}
