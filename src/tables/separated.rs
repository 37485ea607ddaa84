//! Tables written one row per line with spaces between the cells:
//! `Exploitatie Begroting 2020 Wijzigingen 2020 Realisatie 2020` over
//! `Lasten -1.458.630 -81.550 -1.486.437`.
//!
//! A row is a label followed by value cells: the number-like words at the
//! end of the line, with the marks that belong to an amount joined to it
//! (`N 31.393`, `219.000 N`, `€ 6.847`). The header line above the rows is
//! split into cells by its own shape: a capital starts a cell, a year ends
//! one unless a lower-case word continues it (`Begroting 2024 na wijziging`),
//! a run of bare years gives a cell each, a parenthesis stays with its word;
//! the split is reduced to the width the rows show (a corner cell in front).
//! Two header lines are two levels (`Begroting 2023 …` over
//! `Lasten Baten Saldo …`).

use std::borrow::Cow;

use super::cell::{bare_year, is_number, is_written_date, year_range, Look};
use super::header::{resolve, resolve_levels, Class, Head, HeadCell, Heads};
use super::place::{place, settle_by_totals, Profile, Slot};
use super::{notes_after, Draft, DraftRow, Trace};
use crate::normalize::{is_value_like, Item, Shape};
use crate::numbers::{find_year, units_multiplier};
use crate::rules::rules;

/// Most cells a row of this layout can have.
const MAX_WIDTH: usize = 30;
/// Longest line that can be a row.
const ROW_MAX_BYTES: usize = 400;
/// Longest header line.
const HEADER_MAX_CHARS: usize = 300;
/// Longest mark in brackets after a year in a header (`2018 (w)`).
const MARK_MAX_BYTES: usize = 3;

/// Every space-separated table.
pub(super) fn read(items: &[Item], taken: &[bool], trace: &mut Trace) -> Vec<Draft> {
    let page = Page::of(items, taken);
    let mut drafts = Vec::new();
    let mut at = 0;
    while at < items.len() {
        let free = !taken[at] && items.get(at + 1).is_some_and(|_| !taken[at + 1]);
        // Cheap gates first: a header has a row under it (group rows between), a row ends in a value.
        let row_below = (at + 1..items.len().min(at + 1 + HEADER_ROW_REACH)).any(|i| page.ends_in_value[i]);
        let found = free
            .then(|| {
                let headed = row_below.then(|| table_at(&page, at)).flatten();
                headed.or_else(|| page.ends_in_value[at].then(|| headerless_at(&page, at)).flatten())
            })
            .flatten();
        match found {
            Some(draft) => {
                trace.note(|| {
                    format!("spaces: line {}: {} columns, {} rows", items[at].no, draft.columns.len(), draft.rows.len())
                });
                at = draft.end;
                drafts.push(draft);
            }
            None => at += 1,
        }
    }
    drafts
}

/// How many lines below a header its first row may stand (group rows
/// between: `Activa` ↵ `Vaste activa` ↵ `Immateriële vaste activa`).
const HEADER_ROW_REACH: usize = 5;

/// The lines as this reader sees them, each looked at once.
struct Page<'i, 'a> {
    items: &'i [Item<'a>],
    /// Which items earlier readers took.
    taken: &'i [bool],
    /// Each line as a row or text ([`line()`]).
    lines: Vec<Line<'a>>,
    /// Whether each line can be a row: it ends in a value.
    ends_in_value: Vec<bool>,
}

impl<'i, 'a> Page<'i, 'a> {
    fn of(items: &'i [Item<'a>], taken: &'i [bool]) -> Self {
        let (lines, ends_in_value) = items.iter().map(|i| line(i.text)).unzip();
        Page { items, taken, lines, ends_in_value }
    }
}

/// What a line is to this reader.
#[derive(Debug, Clone, Copy)]
enum Line<'a> {
    /// A label and value words (`values`: the rest of the line after the label).
    Row { label: &'a str, values: &'a str },
    /// Text only (a header, a group row, a caption).
    Text,
}

/// A line as a row (label + value words at its end) or text, and whether
/// it can be a row because its last word is a value.
fn line(text: &str) -> (Line<'_>, bool) {
    // Running text too long for a row is text.
    if text.len() > ROW_MAX_BYTES {
        return (Line::Text, false);
    }
    let last = last_word(text);
    let ends_in_value = is_value_like(last);
    // Most lines end in a word: text, whatever comes before it. The pipe reader's lines are text too.
    if !(ends_in_value || is_mark(last)) || memchr::memchr(b'|', text.as_bytes()).is_some() {
        return (Line::Text, false);
    }
    // Value words from the end, without splitting the rest of the line.
    let mut label_end = text.len();
    let mut values = 0;
    let mut only_marks = true;
    loop {
        let word = last_word(&text[..label_end]);
        if !(is_mark(word) || is_value_like(word)) {
            break;
        }
        only_marks &= is_mark(word);
        values += 1;
        if word.len() == label_end {
            label_end = 0;
            break;
        }
        label_end -= word.len() + 1;
    }
    if only_marks || label_end > 0 && is_dated_title(&text[..label_end], &text[label_end.min(text.len())..]) {
        return (Line::Text, ends_in_value);
    }
    if label_end == 0 || label_end > text.len() {
        // A row labelled by a year or a code: `2012 0 219.000 N …`.
        let first = text.split(' ').next().unwrap_or("");
        if values < 3 || !(bare_year(first).is_some() || super::cell::is_code(first)) {
            return (Line::Text, ends_in_value);
        }
        label_end = first.len();
    }
    (Line::Row { label: &text[..label_end], values: &text[label_end + 1..] }, ends_in_value)
}

/// Whether a line is a title led by its year whose value words name a
/// period, one year or a range (`2018 Kadernota Armoedebeleid 2018 - 2021`,
/// `2023 Verordening 2023`): an item of a list of documents, no row of amounts.
fn is_dated_title(label: &str, values: &str) -> bool {
    let year_led = label.split(' ').next().is_some_and(|w| bare_year(w).is_some());
    let values = values.trim_start();
    let period = bare_year(values).is_some() || year_range(values);
    year_led && period
}

/// The text after the last space (all of it without one).
fn last_word(text: &str) -> &str {
    // Words are short: a plain loop from the end beats a vectorised search's set-up.
    text.as_bytes().iter().rposition(|&b| b == b' ').map_or(text, |space| &text[space + 1..])
}

/// A word that only marks an amount: voordeel/nadeel, the euro sign.
fn is_mark(word: &str) -> bool {
    matches!(word, "N" | "V" | "€")
}

/// Whether the value words of a line are only ascending years: a header.
fn ascending_years(values: &str) -> bool {
    let mut years = values.split(' ').map(bare_year);
    let Some(mut previous) = years.next().flatten() else { return false };
    let mut count = 1;
    for year in years {
        match year {
            Some(y) if y > previous => previous = y,
            _ => return false,
        }
        count += 1;
    }
    count >= 2
}

/// A line that can head columns: text that splits into two cells or more,
/// with years (`Begroting 2020 Realisatie 2020`) or without.
fn is_header_line(page: &Page, at: usize) -> bool {
    let item = &page.items[at];
    let sentence = item.shape == Shape::Paragraph && item.text.ends_with('.');
    if item.text.len() > HEADER_MAX_CHARS || sentence || item.shape == Shape::ListItem || item.text.ends_with(';') {
        return false;
    }
    match page.lines[at] {
        Line::Row { values, .. } => {
            ascending_years(values)
                || years_in(item.text) >= 2
                || bare_year(values).is_some() && amounts_follow(page, at)
        }
        Line::Text => {
            !item.text.ends_with(['.', ':', '?', '|']) && may_split(item.text) && chunks(item.text).len() >= 2
        }
    }
}

/// Whether the line after `at` is a row of values that are no years: a
/// line ending in one year above it (`Indicator Doelwaarde 2021` ↵
/// `Nakomen moties 95%`) is their header, not a row.
fn amounts_follow(page: &Page, at: usize) -> bool {
    match page.lines.get(at + 1) {
        Some(Line::Row { values, .. }) => !page.taken[at + 1] && values.split(' ').all(|v| bare_year(v).is_none()),
        _ => false,
    }
}

/// Whether [`chunks`] can split `text` in two: a later cell starts with a
/// capital, or follows a year (a digit somewhere). Non-ASCII letters may be capitals.
fn may_split(text: &str) -> bool {
    let bytes = text.as_bytes();
    let after_first = bytes.iter().position(|&b| b == b' ').map_or(&[][..], |space| &bytes[space..]);
    after_first.iter().any(|&b| b.is_ascii_uppercase() || b >= 0x80) || bytes.iter().any(u8::is_ascii_digit)
}

fn years_in(text: &str) -> usize {
    text.split(' ').filter(|w| bare_year(w.trim_end_matches(',')).is_some()).count()
}

/// One row under a header: its item, its value cells (none for a group
/// row) and its label.
type RowLine<'a> = (usize, Vec<&'a str>, &'a str);

/// The table whose header line is `items[at]`, if rows follow it.
fn table_at(page: &Page, at: usize) -> Option<Draft> {
    let (items, taken) = (page.items, page.taken);
    let header = &items[at];
    if !is_header_line(page, at) {
        return None;
    }
    // A second header line below the first: two levels.
    let lower = items.get(at + 1).filter(|i| !i.gap_before && !taken[at + 1] && is_lower_level(i.text));
    let first_row = at + 1 + usize::from(lower.is_some());
    if items.get(first_row).is_none_or(|i| i.gap_before) {
        return None;
    }
    // The header is decided on the first rows; only a table that has one is read to its end
    // (else every header-like line of a long run would read the run again).
    let mut rows = rows(page, first_row, DECISION_ROWS);
    let value_rows: Vec<&RowLine> = rows.iter().filter(|r| !r.1.is_empty()).collect();
    if value_rows.is_empty() {
        return None;
    }
    let width_of_rows = value_rows.iter().map(|r| r.1.len()).max()?;
    let (heads, width) = match lower {
        Some(lower) => (two_levels(header.text, lower.text, width_of_rows)?, width_of_rows),
        None => one_level(header.text, width_of_rows, value_rows.len())?,
    };
    if value_rows.len() < 2 && heads.used < 2 {
        return None;
    }
    if rows.len() == DECISION_ROWS {
        rows = self::rows(page, first_row, usize::MAX);
    }
    let end = first_row + rows.iter().rposition(|r| !r.1.is_empty())? + 1;
    let (caption_at, units_at) = above_header(page, at);
    Some(build(items, Above { caption_at, units_at }, at, end, heads, width, &rows))
}

/// Fewest rows of a table without a header line.
const HEADERLESS_MIN_ROWS: usize = 3;

/// Rows without a header line (the export lost it, or wrote it as loose
/// lines): at least three rows of the same number of value cells (two or
/// more), blank lines between them allowed. The columns have no names.
fn headerless_at(page: &Page, at: usize) -> Option<Draft> {
    let width = value_row(page, at)?;
    if width < 2 || at > 0 && value_row(page, at - 1) == Some(width) {
        return None;
    }
    let mut end = at;
    let mut rows = 0;
    while end < page.items.len() && !page.taken[end] {
        match value_row(page, end) {
            Some(w) if w == width || w == width + 1 && label_ends_in_number(page, end) => rows += 1,
            // A group row (`Baten (x 1.000)`) between rows of the same width.
            None if end + 1 < page.items.len()
                && value_row(page, end + 1) == Some(width)
                && matches!(page.lines[end], Line::Text) => {}
            _ => break,
        }
        end += 1;
    }
    if rows < HEADERLESS_MIN_ROWS {
        return None;
    }
    let rows: Vec<RowLine> = (at..end)
        .map(|i| match page.lines[i] {
            Line::Row { label, values } => (i, join_marks(values), label),
            Line::Text => (i, Vec::new(), page.items[i].text),
        })
        .collect();
    let heads = Heads {
        corner: None,
        columns: vec![Head::default(); width + 1],
        used: 0,
        score: 0.0,
        shape: "none".to_string(),
    };
    Some(build(page.items, Above { caption_at: None, units_at: None }, at, end, heads, width, &rows))
}

/// Whether the first value word of a row line is a short whole number
/// that belongs to its label (`Totaal 01 18.558 22.010 …` under rows of
/// six amounts), as [`fit_width`] reads it.
fn label_ends_in_number(page: &Page, at: usize) -> bool {
    match page.lines[at] {
        Line::Row { label, values } => {
            let first = values.split(' ').next().unwrap_or("");
            !label.is_empty() && first.len() <= 3 && first.bytes().all(|b| b.is_ascii_digit())
        }
        Line::Text => false,
    }
}

/// The number of value cells of a row line that is no sentence and no
/// units line (`bedragen x € 1.000`).
fn value_row(page: &Page, at: usize) -> Option<usize> {
    let item = &page.items[at];
    let sentence = item.text.ends_with(['.', ':', ';']) || item.shape == Shape::ListItem;
    match page.lines[at] {
        Line::Row { values, .. } if !sentence && !ascending_years(values) && units_multiplier(item.text).is_none() => {
            Some(join_marks(values).len())
        }
        _ => None,
    }
}

/// A second header line: single words that repeat (`Lasten Baten Saldo
/// Lasten Baten Saldo`) or years, no values.
fn is_lower_level(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    let years = words.iter().all(|w| bare_year(w).is_some());
    let repeated = words.len() >= 4
        && (2..=6)
            .any(|p| p < words.len() && words.len() % p == 0 && words.iter().zip(&words[p..]).all(|(a, b)| a == b));
    let plain = words.iter().all(|w| w.chars().all(char::is_alphabetic));
    words.len() >= 2 && (years || repeated && plain)
}

/// Rows a header is judged on (a bound on the work per header line).
const DECISION_ROWS: usize = 64;

/// The rows from `items[from]`, at most `limit`; a group row has no cells.
fn rows<'a>(page: &Page<'_, 'a>, from: usize, limit: usize) -> Vec<RowLine<'a>> {
    let items = page.items;
    let mut rows = Vec::new();
    let mut at = from;
    while rows.len() < limit && at < items.len() && !page.taken[at] && !(at > from && breaks_rows(page, at, &rows)) {
        let item = &items[at];
        let line = page.lines[at];
        if item.shape == Shape::ListItem || at > from && matches!(line, Line::Row { .. }) && is_header_line(page, at) {
            break;
        }
        match line {
            Line::Row { label, values } => rows.push((at, join_marks(values), label)),
            // (A group row has words: a value alone on its line is a cell of a table one cell per line.)
            Line::Text
                if item.shape != Shape::Paragraph && item.text.chars().count() <= 120 && !is_value_like(item.text) =>
            {
                rows.push((at, Vec::new(), item.text))
            }
            Line::Text => break,
        }
        at += 1;
    }
    rows
}

/// Rows of values the table must have read before a blank line can stand
/// inside it.
const ROWS_BEFORE_GAP: usize = 2;

/// Whether the blank line before `items[at]` ends the rows read so far: it
/// does unless the line is a row (no sentence) of as many values as each of the last
/// [`ROWS_BEFORE_GAP`] rows (the table goes on after an empty row:
/// `Subtotaal 142.141 40.396` ¶ `Totale bezoldiging 142.141 40.396`).
fn breaks_rows(page: &Page, at: usize, rows: &[RowLine]) -> bool {
    if !page.items[at].gap_before {
        return false;
    }
    let Some(width) = value_row(page, at) else { return true };
    let mut last = rows.iter().rev().take(ROWS_BEFORE_GAP);
    rows.len() < ROWS_BEFORE_GAP || !last.all(|(_, cells, _)| cells.len() == width)
}

/// The text from the start of `first` to the end of `last`, two pieces of
/// `text` in this order (words of a line joined with the spaces between them).
fn span<'t>(text: &'t str, first: &str, last: &str) -> &'t str {
    let base = text.as_ptr() as usize;
    &text[first.as_ptr() as usize - base..last.as_ptr() as usize + last.len() - base]
}

/// Value words (`values`: the words, single spaces between them) → cells:
/// `€` joined to the amount after it, `N`/`V` to the amount before or after
/// it (whichever way the row writes them), a mark left over at the end of a
/// cut row dropped. Every cell is a piece of `values`.
fn join_marks(values: &str) -> Vec<&str> {
    let mut words = values.split(' ');
    let first = words.next();
    let prefix = first.is_some_and(|w| matches!(w, "N" | "V")) && words.next().is_some_and(|w| !is_mark(w));
    let mut cells: Vec<&str> = Vec::with_capacity(values.len() / 4 + 1);
    let mut pending: Option<&str> = None;
    for w in values.split(' ') {
        let attach_forward = w == "€" || prefix && matches!(w, "N" | "V");
        match (pending.take(), attach_forward) {
            (Some(mark), _) if !is_mark(w) => cells.push(span(values, mark, w)),
            (Some(mark), _) => {
                cells.push(mark);
                pending = Some(w);
            }
            (None, true) => pending = Some(w),
            (None, false) if matches!(w, "N" | "V") && !prefix && cells.last().is_some_and(|c| is_number(c)) => {
                let last = cells.last_mut().expect("checked");
                *last = span(values, last, w);
            }
            (None, false) => cells.push(w),
        }
    }
    cells
}

/// The header cells of one header line for rows of up to `widest` cells:
/// the heads and the width (columns of cells).
fn one_level(text: &str, widest: usize, rows: usize) -> Option<(Heads, usize)> {
    let chunks = chunks(text);
    let mut known = KnownCells::default();
    let mut best: Option<(Heads, usize)> = None;
    // The header may name more columns than the rows fill (their last cells vanished).
    for width in [widest, chunks.len().saturating_sub(1), chunks.len()] {
        if width == 0 || width > MAX_WIDTH || width < widest || width > widest + 2 && rows > 1 {
            continue;
        }
        for target in [width + 1, width] {
            let Some(cells) = reduce(text, &chunks, target) else { continue };
            let offered = known.offer(&cells);
            let mut classes = vec![Class::Value; width + 1];
            classes[0] = Class::Label;
            let heads = resolve(&offered, &classes);
            known.keep(offered);
            let Some(mut heads) = heads else { continue };
            // Every cell the line splits into that must be joined to another weakens the split.
            heads.score -= 2.0 * (width - widest) as f32 + (chunks.len() - target) as f32;
            if best.as_ref().is_none_or(|(b, _)| heads.score > b.score) {
                best = Some((heads, width));
            }
        }
    }
    best
}

/// Upper header line over a lower one of `width` single cells.
fn two_levels(upper: &str, lower: &str, width: usize) -> Option<Heads> {
    let subs: Vec<&str> = lower.split(' ').collect();
    if subs.len() != width {
        return None;
    }
    let chunks = chunks(upper);
    let mut classes = vec![Class::Value; width + 1];
    classes[0] = Class::Label;
    let mut known = KnownCells::default();
    let mut best: Option<Heads> = None;
    for tops in (1..=width).filter(|t| width % t == 0) {
        for target in [tops + 1, tops] {
            let Some(mut cells) = reduce(upper, &chunks, target) else { continue };
            cells.extend(&subs);
            let offered = known.offer(&cells);
            let heads = resolve_levels(&offered, &classes, Some((width, Some(tops))));
            known.keep(offered);
            let Some(heads) = heads else { continue };
            if best.as_ref().is_none_or(|b| heads.score > b.score) {
                best = Some(heads);
            }
        }
    }
    best
}

/// The header cells the splits of one header line offered so far, with
/// what was asked of them: a split that offers the same piece of the line
/// again does not ask again.
#[derive(Default)]
struct KnownCells<'a> {
    cells: Vec<HeadCell<'a>>,
}

impl<'a> KnownCells<'a> {
    /// Header cells for `texts` (pieces of the header lines).
    fn offer(&self, texts: &[&'a str]) -> Vec<HeadCell<'a>> {
        let known = |text: &str| self.cells.iter().find(|c| std::ptr::eq(c.text, text)).cloned();
        texts.iter().map(|&text| known(text).unwrap_or_else(|| HeadCell::new(text))).collect()
    }

    /// Keep what was asked of `offered`.
    fn keep(&mut self, offered: Vec<HeadCell<'a>>) {
        for cell in offered {
            if !self.cells.iter().any(|c| std::ptr::eq(c.text, cell.text)) {
                self.cells.push(cell);
            }
        }
    }
}

/// Split a header line into cells by its shape (see the module comment);
/// every cell is a piece of `text`.
fn chunks(text: &str) -> Vec<&str> {
    let units = units(text);
    let mut chunks: Vec<&str> = Vec::new();
    let mut previous: Option<&str> = None;
    for (i, &unit) in units.iter().enumerate() {
        let yearish = is_yearish(unit);
        // (`APRIL 2024 2024 2025`: the year the next one repeats belongs to the words before it.)
        let next_yearish =
            units.get(i + 1).is_some_and(|n| marked_year(n).is_some_and(|y| marked_year(unit) != Some(y)));
        let starts = match previous {
            None => true,
            Some(p) if is_yearish(p) => !unit.starts_with(char::is_lowercase) && !unit.starts_with('('),
            // A year after a word ends that word's cell, unless a run of bare years starts here;
            // a written date (`31 december 2023`) is a cell of its own.
            Some(_) if yearish => is_written_date(unit) || marked_year(unit).is_some() && next_yearish,
            Some(p) => {
                let capital = unit.starts_with(char::is_uppercase);
                // (`MEERJARIG BEGROTINGSRESULTAAT (9 november 2023)`: the words before the brackets.)
                let caps_run = is_all_caps(p) && is_all_caps(unit.split(" (").next().unwrap_or(unit));
                capital && !caps_run && !p.ends_with(['-', '/'])
            }
        };
        match chunks.last_mut() {
            Some(last) if !starts => *last = span(text, last, unit),
            _ => chunks.push(unit),
        }
        previous = Some(unit);
    }
    chunks
}

/// The words of a header line, with parentheses and year ranges kept whole
/// (pieces of `text`).
fn units(text: &str) -> Vec<&str> {
    let mut units: Vec<&str> = Vec::new();
    let mut open = false;
    let words: Vec<&str> = text.split(' ').collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if open || w.starts_with('(') && !units.is_empty() {
            let last = units.last_mut().expect("open");
            *last = span(text, last, w);
            open = !w.contains(')');
        } else if i + 2 < words.len()
            && (year_range(span(text, w, words[i + 2])) || is_written_date(span(text, w, words[i + 2])))
        {
            units.push(span(text, w, words[i + 2]));
            i += 2;
        } else {
            units.push(w);
        }
        i += 1;
    }
    units
}

fn is_yearish(unit: &str) -> bool {
    let bare = unit.trim_end_matches(',');
    marked_year(bare).is_some() || year_range(bare) || is_written_date(bare)
}

/// The year of a unit that is a year, bare or with a short mark in brackets
/// after it (`2018 (w)`, `2024 (b)`: realised, budgeted).
fn marked_year(unit: &str) -> Option<u16> {
    let short_mark = |mark: &str| mark.len() <= MARK_MAX_BYTES && mark.bytes().all(|b| b.is_ascii_alphabetic());
    match unit.split_once(" (") {
        Some((year, rest)) => rest.strip_suffix(')').filter(|m| short_mark(m)).and_then(|_| bare_year(year)),
        None => bare_year(unit),
    }
}

fn is_all_caps(word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase)
}

/// `chunks` (pieces of `text`) reduced to `target` cells: a cell without a
/// year before one with a year joins it when most cells end in years
/// (`Actuele` `Begroting 2020`), then leading cells join the first (the corner).
fn reduce<'t>(text: &'t str, chunks: &[&'t str], target: usize) -> Option<Vec<&'t str>> {
    if chunks.len() < target || target == 0 {
        return None;
    }
    let mut cells = chunks.to_vec();
    let with_year = cells.iter().filter(|c| find_year(c).is_some()).count();
    let mut i = 1;
    while cells.len() > target && with_year * 2 > cells.len() && i + 1 < cells.len() {
        if find_year(cells[i]).is_none() && find_year(cells[i + 1]).is_some() && bare_year(cells[i + 1]).is_none() {
            let next = cells.remove(i + 1);
            cells[i] = span(text, cells[i], next);
        } else {
            i += 1;
        }
    }
    while cells.len() > target {
        let second = cells.remove(1);
        cells[0] = span(text, cells[0], second);
    }
    Some(cells)
}

/// A short heading right above the header that names the table.
fn is_caption(page: &Page, c: usize) -> bool {
    let item = &page.items[c];
    !page.taken[c]
        && matches!(item.shape, Shape::Heading | Shape::Label)
        && matches!(page.lines[c], Line::Text)
        && !rules().is_structural_heading(item.text)
}

/// The lines right above a header that belong to its table.
struct Above {
    /// A short heading that names the table.
    caption_at: Option<usize>,
    /// A units line (`Bedragen x € 1.000`), above or below the caption.
    units_at: Option<usize>,
}

/// The caption and the units line right above the header at `at`, in either order.
fn above_header(page: &Page, at: usize) -> (Option<usize>, Option<usize>) {
    let (mut caption_at, mut units_at) = (None, None);
    let mut top = at;
    while let Some(c) = top.checked_sub(1).filter(|&c| !page.taken[c]) {
        if units_at.is_none() && units_multiplier(page.items[c].text).is_some() {
            units_at = Some(c);
        } else if caption_at.is_none() && is_caption(page, c) {
            caption_at = Some(c);
        } else {
            break;
        }
        top = c;
    }
    (caption_at, units_at)
}

fn build(
    items: &[Item],
    above: Above,
    header_at: usize,
    end: usize,
    heads: Heads,
    width: usize,
    rows: &[RowLine],
) -> Draft {
    let Above { caption_at, units_at } = above;
    let start = [caption_at, units_at].into_iter().flatten().min().unwrap_or(header_at);
    let columns: Vec<Head> = heads.columns[1..].to_vec();
    let usual = usual_width(rows);
    let profiles = profiles(rows, width, usual);
    let slots: Vec<Slot> = profiles.iter().map(|p| Slot { class: Class::Value, profile: p }).collect();
    let cut = end == items.len();
    let mut draft_rows = Vec::new();
    let mut group = None;
    for (k, (at, cells, label)) in rows.iter().enumerate().filter(|(_, r)| r.0 < end) {
        let line = items[*at].no;
        if cells.is_empty() {
            group = Some(label.to_string());
            continue;
        }
        let (label, cells) = fit_width(label, cells, width, usual);
        let looks: Vec<Look> = cells.iter().map(|c| super::cell::look(c)).collect();
        let last = k + 1 == rows.len() || rows[k + 1..].iter().all(|r| r.0 >= end);
        let columns = place(&looks, &slots, cut && last);
        let cells = cells.iter().zip(columns).map(|(c, column)| (c.to_string(), column, line)).collect();
        draft_rows.push(DraftRow { label: label.into_owned(), code: None, group: group.clone(), cells, line });
    }
    settle_by_totals(&mut draft_rows, &columns);
    let (notes, end, trailing_units) = notes_after(items, end);
    let mut lines: Vec<usize> = items[start..end].iter().map(|i| i.no).collect();
    lines.sort_unstable();
    let caption = caption_at.map(|c| items[c].text.trim_end_matches(':').to_string());
    let units = units_at.map(|u| items[u].text);
    let multiplier = [units, caption.as_deref(), heads.corner.as_deref(), Some(items[header_at].text)]
        .into_iter()
        .flatten()
        .find_map(units_multiplier)
        .or(trailing_units);
    Draft {
        layout: "spaces",
        caption,
        corner: heads.corner,
        multiplier,
        columns,
        rows: draft_rows,
        notes,
        start,
        end,
        lines,
    }
}

/// More value words than columns, or than the other rows have when the
/// first is a year: the first ones belong to the label (`Totaal jaarschijf
/// 2023 1.585.000 …`).
fn fit_width<'c>(label: &'c str, cells: &'c [&'c str], width: usize, usual: usize) -> (Cow<'c, str>, &'c [&'c str]) {
    let extra = if cells.len() > width {
        cells.len() - width
    } else {
        usize::from(cells.len() > usual && bare_year(cells[0]).is_some())
    };
    if extra == 0 {
        return (Cow::Borrowed(label), cells);
    }
    (Cow::Owned(format!("{label} {}", cells[..extra].join(" "))), &cells[extra..])
}

/// The most common number of cells in the rows.
fn usual_width(rows: &[RowLine]) -> usize {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for n in rows.iter().map(|r| r.1.len()).filter(|&n| n > 0) {
        match counts.iter_mut().find(|(w, _)| *w == n) {
            Some((_, c)) => *c += 1,
            None => counts.push((n, 1)),
        }
    }
    counts.into_iter().max_by_key(|&(w, c)| (c, w)).map_or(0, |(w, _)| w)
}

/// What the rows with every cell show of each column.
fn profiles(rows: &[RowLine], width: usize, usual: usize) -> Vec<Profile> {
    let mut profiles = vec![Profile::default(); width];
    for (label, cells) in rows.iter().map(|r| fit_width(r.2, &r.1, width, usual)) {
        if cells.len() != width || label.is_empty() {
            continue;
        }
        for (p, c) in profiles.iter_mut().zip(cells) {
            p.observe(super::cell::look(c));
        }
    }
    profiles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::tests::drafts_of;

    fn cells_of(d: &Draft) -> Vec<String> {
        d.rows
            .iter()
            .flat_map(|r| {
                r.cells.iter().map(move |(raw, c, _)| {
                    format!("{} | {} = {raw}", r.label, c.map_or("?", |c| d.columns[c].label.as_str()))
                })
            })
            .collect()
    }

    #[test]
    fn a_lower_header_level_repeats_its_words_or_is_years() {
        assert!(is_lower_level("Lasten Baten Saldo Lasten Baten Saldo"));
        assert!(is_lower_level("Lasten Baten Lasten Baten"));
        assert!(is_lower_level("2023 2024"));
        // Four or more plain words that do not repeat are no header level.
        assert!(!is_lower_level("Lasten Baten Saldo Totaal"));
        assert!(!is_lower_level("Wij werken hard door"));
    }

    #[test]
    fn header_cells_from_the_shape_of_the_line() {
        let split = chunks;
        assert_eq!(
            split("Exploitatie Begroting 2020 Realisatie 2020"),
            ["Exploitatie", "Begroting 2020", "Realisatie 2020"]
        );
        assert_eq!(
            split("Indicator Opgave 2012 t/m 2027 2022 2023 2025 t/m 2027"),
            ["Indicator", "Opgave 2012 t/m 2027", "2022", "2023", "2025 t/m 2027"]
        );
        assert_eq!(
            split("OMSCHRIJVING JAARSCHIJF 2023 Investering Afschr. 2023 2024"),
            ["OMSCHRIJVING JAARSCHIJF 2023", "Investering", "Afschr.", "2023", "2024"]
        );
        assert_eq!(
            split("Jaar Primitieve begroting Na 1e berap Jaarrekening (voor resultaat)"),
            ["Jaar", "Primitieve begroting", "Na 1e berap", "Jaarrekening (voor resultaat)"]
        );
        assert_eq!(
            split("Kosten- en baten Begroting 2021, inclusief wijzigingen Prognose 2021"),
            ["Kosten- en baten", "Begroting 2021, inclusief wijzigingen", "Prognose 2021"]
        );
        assert_eq!(
            split("Balans 31 december 2022 31 december 2023"),
            ["Balans", "31 december 2022", "31 december 2023"]
        );
        // A caption in capitals ends in its own year before the run of years.
        assert_eq!(split("MUTATIES T/M MEI 2025 2025 2026 2027"), ["MUTATIES T/M MEI 2025", "2025", "2026", "2027"]);
        assert_eq!(split("STAND REKENING (1 maart 2025) 2025 2026"), ["STAND REKENING (1 maart 2025)", "2025", "2026"]);
    }

    #[test]
    fn a_header_line_ending_in_one_year_heads_rows_of_amounts() {
        let d = drafts_of("Indicator Streefwaarde 2026\nTevredenheid inwoners 80%\nDigitale aanvragen 65%\n", read);
        assert_eq!(d[0].corner.as_deref(), Some("Indicator"));
        assert_eq!(
            cells_of(&d[0]),
            ["Tevredenheid inwoners | Streefwaarde 2026 = 80%", "Digitale aanvragen | Streefwaarde 2026 = 65%"]
        );
    }

    #[test]
    fn written_dates_head_columns() {
        let d = drafts_of("Balans 31 december 2022 31 december 2023\nLeningen 653 577\nKassaldi 12 10\n", read);
        assert_eq!(d[0].corner.as_deref(), Some("Balans"));
        assert_eq!(cells_of(&d[0])[..2], ["Leningen | 31 december 2022 = 653", "Leningen | 31 december 2023 = 577"]);
    }

    #[test]
    fn only_lines_that_may_split_are_split() {
        for text in [
            "Exploitatie Begroting 2020 Realisatie 2020",
            "Jaar Primitieve begroting Na 1e berap Jaarrekening (voor resultaat)",
            "2021 & meer",
            "Kosten Énige baten",
        ] {
            assert!(may_split(text) && chunks(text).len() >= 2, "{text}");
        }
        for text in ["Wat gaan we daarvoor doen", "kosten en baten", "Omschrijving"] {
            assert!(!may_split(text) && chunks(text).len() < 2, "{text}");
        }
    }

    #[test]
    fn rows_under_a_header_of_years() {
        let d = drafts_of("Exploitatie Begroting 2020 Actuele Begroting 2020 Realisatie 2020\nLasten -1.458 -1.540 -1.486\nBaten 12 0 5", read);
        assert_eq!(d[0].corner.as_deref(), Some("Exploitatie"));
        assert_eq!(cells_of(&d[0])[1], "Lasten | Actuele Begroting 2020 = -1.540");
    }

    #[test]
    fn marks_join_their_amounts() {
        assert_eq!(join_marks("N 31.393 N 31.682 N"), ["N 31.393", "N 31.682"], "a mark cut off is dropped");
        assert_eq!(join_marks("0 219.000 N 25.000 V"), ["0", "219.000 N", "25.000 V"]);
        assert_eq!(join_marks("€ 6.847 € 6.281"), ["€ 6.847", "€ 6.281"]);
    }

    #[test]
    fn two_header_lines() {
        let d = drafts_of(
            "Programma Begroting 2023 Begroting 2024\nLasten Baten Lasten Baten\n01 Wonen 10 - 12 -\nTotaal 10 - 12 -",
            read,
        );
        let labels: Vec<_> = d[0].columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Begroting 2023 Lasten", "Begroting 2023 Baten", "Begroting 2024 Lasten", "Begroting 2024 Baten"]
        );
        assert_eq!(d[0].rows.len(), 2);
    }

    #[test]
    fn prose_is_no_table() {
        assert!(drafts_of("De kosten stegen in 2021 en 2022 sterk.\nDat komt door de inflatie van 10 procent.", read)
            .is_empty());
    }
}
