//! Rebuild flattened tables: a header (optional corner cell, then column
//! headers, one per cell) followed by rows of a row label and one value per
//! column, every cell on its own line.
//!
//! Header cells may span lines (`Rekening` / `2020`); a spanning header
//! (`Meerjarenraming` over `2023` `2024`) prefixes the bare years under it.
//! Rows with no values are group rows (`Lasten per taakveld`); rows with fewer
//! values than columns are kept but marked ambiguous instead of being shifted
//! into the wrong columns. Units lines set a multiplier; footnote markers glued
//! to row labels (`Jeugdteam1`) are split off and linked.

use std::sync::OnceLock;

use regex::Regex;

use super::line_table::read_line_table;
use super::Item;
use crate::model::{Cell, Column, Footnote, Row, Table};
use crate::normalize::{at_most_chars, at_most_words, Shape};
use crate::numbers::{find_year, parse_number, units_multiplier, Unit};
use crate::rules::{fold, rules};

/// A table read from the item stream.
#[derive(Debug)]
pub struct ParsedTable {
    /// The table.
    pub table: Table,
    /// Line numbers of every line it used (caption included).
    pub lines: Vec<usize>,
    /// Index of the first item after the table.
    pub end: usize,
}

/// Most words in a header cell with a year (`Begroting 2024 na wijziging`).
const HEADER_MAX_WORDS: usize = 6;
/// Longest header cell, in characters.
const HEADER_MAX_CHARS: usize = 50;
/// Most header cells read.
const MAX_COLUMNS: usize = 40;
/// Longest row label, in characters.
const ROW_LABEL_MAX_CHARS: usize = 160;
/// Longest text cell accepted when a row has text values.
const TEXT_CELL_MAX_CHARS: usize = 80;

/// Try to read a table of any form at `items[start]`: flattened (one cell
/// per line) or one row per line. `caption` is the heading just above it.
pub fn read_table(items: &[Item], start: usize, caption: Option<&Item>) -> Option<ParsedTable> {
    read_flattened(items, start, caption).or_else(|| read_line_table(items, start, caption))
}

/// A flattened table whose first cell (corner or first header) is `items[start]`.
fn read_flattened(items: &[Item], start: usize, caption: Option<&Item>) -> Option<ParsedTable> {
    let plausible = |i: usize| items.get(i).is_some_and(|it| might_be_header(it.text));
    if !(plausible(start) || plausible(start + 1)) {
        return None;
    }
    let mut reader = Reader { items, pos: start, lines: Vec::new(), multiplier: None, corner: None };
    if let Some(c) = caption {
        reader.lines.push(c.no);
        reader.multiplier = units_multiplier(c.text);
    }
    let columns = reader.header()?;
    let rows = reader.rows(columns.len());
    let enough = if columns.len() == 1 { rows.len() >= 2 } else { !rows.is_empty() };
    if !enough {
        return None;
    }
    let mut table = Table {
        caption: caption.map(|c| c.text.trim_end_matches(':').to_string()),
        corner: reader.corner.take(),
        multiplier: None,
        columns,
        rows,
        footnotes: Vec::new(),
        line_start: 0,
        line_end: 0,
    };
    reader.trailer(&mut table);
    table.multiplier = reader.multiplier;
    apply_multiplier(&mut table);
    table.line_start = reader.lines.iter().copied().min().unwrap_or(0);
    table.line_end = reader.lines.iter().copied().max().unwrap_or(0);
    Some(ParsedTable { table, lines: reader.lines, end: reader.pos })
}

struct Reader<'a> {
    items: &'a [Item<'a>],
    pos: usize,
    lines: Vec<usize>,
    multiplier: Option<f64>,
    /// The first line of the corner cell, which names the table when no caption does.
    corner: Option<String>,
}

impl Reader<'_> {
    /// The item indices of the blank-separated group starting at `at`.
    fn group(&self, at: usize) -> std::ops::Range<usize> {
        let mut end = at + 1;
        while end < self.items.len() && !self.items[end].gap_before {
            end += 1;
        }
        at..end.min(self.items.len())
    }

    fn take(&mut self, range: std::ops::Range<usize>) {
        self.lines.extend(self.items[range.clone()].iter().map(|i| i.no));
        self.pos = range.end;
    }

    /// Corner cell (optional) and header cells → columns.
    fn header(&mut self) -> Option<Vec<Column>> {
        if self.pos >= self.items.len() {
            return None;
        }
        let first = self.group(self.pos);
        if header_cells(self.items, first.clone()).is_none() {
            // A corner cell only counts with header cells right after it (checked first: it is cheaper).
            let followed_by_header =
                first.end < self.items.len() && header_cells(self.items, self.group(first.end)).is_some();
            if !followed_by_header || !is_corner(&self.items[first.clone()]) {
                return None;
            }
            self.corner_units(first.clone());
            self.corner = Some(self.items[first.start].text.to_string());
            self.take(first);
        }
        let mut labels = Vec::new();
        while self.pos < self.items.len() && labels.len() < MAX_COLUMNS {
            let group = self.group(self.pos);
            let Some(cells) = header_cells(self.items, group.clone()) else {
                break;
            };
            labels.extend(cells);
            self.take(group);
        }
        let labels = merge_spanning(labels);
        let enough = labels.len() >= 2 || labels.first().is_some_and(|l| is_header_word(l));
        enough.then(|| labels.into_iter().map(column).collect())
    }

    fn corner_units(&mut self, range: std::ops::Range<usize>) {
        for item in &self.items[range] {
            if let Some(m) = units_multiplier(item.text) {
                self.multiplier = Some(m);
            }
        }
    }

    /// Read rows of `width` cells until something that is not a row.
    fn rows(&mut self, width: usize) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut group: Option<String> = None;
        while let Some(label) = self.items.get(self.pos) {
            if let Some(m) = units_multiplier(label.text) {
                self.multiplier.get_or_insert(m);
                self.take(self.pos..self.pos + 1);
                continue;
            }
            if !is_row_label(label) {
                break;
            }
            let values = self.count_values(self.pos + 1, width);
            let cells_end = if values == width {
                Some((self.pos + 1 + width, false))
            } else if let Some(end) = self.text_row_end(width) {
                Some((end, false))
            } else if values == 0 && self.is_row_at(self.pos + 1, width) {
                group = Some(label.text.to_string());
                self.take(self.pos..self.pos + 1);
                continue;
            } else if values > 0 {
                self.short_row_end(values)
            } else {
                None
            };
            let Some((end, ambiguous)) = cells_end else { break };
            rows.push(self.row(self.pos, end, group.clone(), ambiguous));
            self.take(self.pos..end);
        }
        rows
    }

    fn count_values(&self, from: usize, width: usize) -> usize {
        self.items[from.min(self.items.len())..].iter().take(width).take_while(|i| i.shape == Shape::Value).count()
    }

    fn is_row_at(&self, at: usize, width: usize) -> bool {
        self.items.get(at).is_some_and(is_row_label) && self.count_values(at + 1, width) == width
    }

    /// A row with text cells (`Uitstekend`, `13.500 vrijwilligers`): exactly
    /// `width` short cells, at least one of them a value, and no value after.
    fn text_row_end(&self, width: usize) -> Option<usize> {
        let end = self.pos + 1 + width;
        let cells = self.items.get(self.pos + 1..end)?;
        let short = cells.iter().all(|c| at_most_chars(c.text, TEXT_CELL_MAX_CHARS) && c.shape != Shape::Label);
        let has_value = cells.iter().any(|c| c.shape == Shape::Value);
        let next_ok = self.items.get(end).is_none_or(|n| n.shape != Shape::Value);
        (short && has_value && next_ok).then_some(end)
    }

    /// A row whose empty cells vanished: kept, marked ambiguous, when what
    /// follows is clearly the next row. At the end of the input the row was
    /// cut short, so its values stand in reading order from the first column.
    fn short_row_end(&self, values: usize) -> Option<(usize, bool)> {
        let end = self.pos + 1 + values;
        match self.items.get(end) {
            None => Some((end, false)),
            Some(next) => is_row_label(next).then_some((end, true)),
        }
    }

    fn row(&self, label_at: usize, end: usize, group: Option<String>, ambiguous: bool) -> Row {
        let label = &self.items[label_at];
        let cells = self.items[label_at + 1..end].iter().map(|i| cell_from(i.text, i.no)).collect();
        Row { group, ..row_from(label.text, cells, label.no, ambiguous) }
    }

    /// Footnotes and units lines right under the rows.
    fn trailer(&mut self, table: &mut Table) {
        while let Some(item) = self.items.get(self.pos) {
            if let Some(m) = units_multiplier(item.text) {
                self.multiplier.get_or_insert(m);
            } else if let Some((marker, text)) = footnote(item.text) {
                if !link_footnote(table, &marker) {
                    break;
                }
                table.footnotes.push(Footnote { marker, text, line: item.no });
            } else {
                break;
            }
            self.take(self.pos..self.pos + 1);
        }
    }
}

/// The header cells in a group: one cell for `Rekening` / `2020` (a label
/// over a year, or a word cut with a hyphen), else one cell per line.
fn header_cells(items: &[Item], range: std::ops::Range<usize>) -> Option<Vec<String>> {
    let group = &items[range];
    if let [one] = group {
        return is_header_like(one.text).then(|| vec![one.text.to_string()]);
    }
    let joined = join_header(group);
    if let Some(text) = joined {
        return is_header_like(&text).then(|| vec![text]);
    }
    group.iter().all(|i| is_header_like(i.text)).then(|| group.iter().map(|i| i.text.to_string()).collect())
}

fn join_header(group: &[Item]) -> Option<String> {
    match group {
        [a, b] if is_bare_year(b.text) && !is_bare_year(a.text) => Some(format!("{} {}", a.text, b.text)),
        [a, b] if a.text.ends_with('-') => Some(format!("{}{}", a.text, b.text)),
        _ => None,
    }
}

fn is_bare_year(text: &str) -> bool {
    text.len() == 4 && find_year(text).is_some()
}

/// Cheap test before the real one ([`is_header_like`]): a header cell is
/// short, does not end a sentence, and has a digit, a `(w)`/`(b)` mark or is
/// a header word.
fn might_be_header(text: &str) -> bool {
    if text.len() > HEADER_MAX_CHARS * 2 || text.ends_with('.') {
        return false;
    }
    let digits = text.bytes().fold(0u8, |found, b| found | u8::from(b.is_ascii_digit()));
    digits != 0 || has_value_mark(text) || is_header_word(text)
}

/// `(w)` or `(b)`: realisatie or begroting.
fn has_value_mark(text: &str) -> bool {
    text.contains('(') && (text.contains("(w)") || text.contains("(b)"))
}

/// A column header: a short cell with a year, `(w)`/`(b)`, `B2017`, or a header word.
fn is_header_like(text: &str) -> bool {
    if !at_most_chars(text, HEADER_MAX_CHARS) || text.ends_with('.') {
        return false;
    }
    let with_year = find_year(text).is_some() && at_most_words(text, HEADER_MAX_WORDS);
    with_year || has_value_mark(text) || is_header_word(text)
}

fn is_header_word(text: &str) -> bool {
    rules().header_words.is_match(text)
}

/// A corner cell: up to three short lines that are not running text
/// (a units line such as `bedragen x 1.000,-` may be one of them).
fn is_corner(group: &[Item]) -> bool {
    let fits = |i: &Item| {
        let short_label = at_most_chars(i.text, 100) && !matches!(i.shape, Shape::Paragraph | Shape::Value);
        let not_heading = !rules().is_structural_heading(i.text);
        (short_label || units_multiplier(i.text).is_some()) && not_heading
    };
    group.len() <= 3 && group.iter().all(fits)
}

/// `Meerjarenraming` `2023` `2024` → `Meerjarenraming 2023` `Meerjarenraming 2024`:
/// a header that names a value type (`data/columns.tsv`) over bare years.
fn merge_spanning(labels: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(labels.len());
    let mut span: Option<String> = None;
    for (i, label) in labels.iter().enumerate() {
        let next_is_year = labels.get(i + 1).is_some_and(|n| is_bare_year(n));
        let spans = find_year(label).is_none() && rules().columns.patterns.is_match(label);
        if i > 0 && spans && next_is_year {
            span = Some(label.clone());
            continue;
        }
        match (&span, is_bare_year(label)) {
            (Some(s), true) => out.push(format!("{s} {label}")),
            _ => {
                span = None;
                out.push(label.clone());
            }
        }
    }
    out
}

/// A column from its header text: period and value type (`data/columns.tsv`).
pub(super) fn column(label: String) -> Column {
    let value_type = rules().columns.name_in(&label).map(str::to_string);
    Column { period: find_year(&label), value_type, label }
}

/// A row label: a line that is not a value, a block label, a structural
/// heading or running text.
fn is_row_label(item: &Item) -> bool {
    let bare = item.text.trim_end_matches(':');
    item.shape != Shape::Value
        && at_most_chars(item.text, ROW_LABEL_MAX_CHARS)
        && !(item.shape == Shape::Label && rules().label(bare).is_some())
        && !(item.shape == Shape::Paragraph && item.text.ends_with('.'))
        && !rules().is_structural_heading(item.text)
}

/// A cell from its raw text: the Dutch number parsed when there is one.
pub(super) fn cell_from(raw: &str, line: usize) -> Cell {
    let number = parse_number(raw);
    Cell {
        raw: raw.to_string(),
        value: number.map(|n| n.value),
        unit: number.and_then(|n| n.unit).map(|u| u.as_str().to_string()),
        line,
    }
}

/// A row from its label (code split off, taakveld looked up) and cells.
pub(super) fn row_from(label: &str, cells: Vec<Cell>, line: usize, ambiguous: bool) -> Row {
    let (code, name) = split_code(label);
    let taakveld = code.as_deref().and_then(|c| taakveld_for(c, &name));
    Row { code, name, group: None, footnote: None, taakveld, ambiguous, cells, line }
}

fn apply_multiplier(table: &mut Table) {
    let Some(m) = table.multiplier else { return };
    for cell in table.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
        if cell.unit.as_deref() != Some(Unit::Percent.as_str()) {
            if let Some(v) = cell.value.as_mut() {
                *v *= m;
            }
        }
    }
}

/// `1.1 Aantal inwoners` → (`1.1`, `Aantal inwoners`): a code of dotted
/// numbers (`6.3.1`, `6.71a`), an optional final full stop, then the name.
pub fn split_code(text: &str) -> (Option<String>, String) {
    let head = text.split(' ').next().unwrap_or("");
    let code = head.strip_suffix('.').unwrap_or(head);
    let mut parts = code.split('.');
    let first_ok = parts.next().is_some_and(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let rest: Vec<&str> = parts.collect();
    let rest_ok = !rest.is_empty() && rest.iter().all(|p| is_sub_code(p));
    let name = text[head.len()..].trim_start();
    if first_ok && rest_ok && !name.is_empty() {
        (Some(code.to_string()), name.to_string())
    } else {
        (None, text.to_string())
    }
}

/// `1`, `71`, `713`, `71a`: one to three digits and an optional letter a–d.
fn is_sub_code(part: &str) -> bool {
    let digits = part.trim_end_matches(['a', 'b', 'c', 'd']);
    let letters = part.len() - digits.len();
    (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && letters <= 1
}

/// The official taakveld for a row such as `0.4 Overhead`: the code must be
/// official and the name must agree with the official name.
pub fn taakveld_for(code: &str, name: &str) -> Option<String> {
    let t = rules().taakveld(code)?;
    // The official name's key is folded already (with a final sign kept, which `fold` never yields).
    let (a, b) = (fold(name), t.key.trim_end_matches(['+', '-']));
    let agree = a.len() >= 5 && (a.starts_with(b) || b.starts_with(&a));
    agree.then(|| t.code.clone())
}

fn footnote_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(?:[0-9]{1,2}\. +)?([0-9]{1,2}|\*+) ?(\p{Lu}.*)$").expect("footnote pattern"))
}

/// `1. 1Vanaf juli 2021 …` → (`1`, `Vanaf juli 2021 …`).
fn footnote(text: &str) -> Option<(String, String)> {
    let c = footnote_pattern().captures(text)?;
    Some((c[1].to_string(), c[2].to_string()))
}

/// Split `marker` off the row labels it is glued to; false when no row has it.
fn link_footnote(table: &mut Table, marker: &str) -> bool {
    let mut linked = false;
    for row in &mut table.rows {
        let Some(stem) = row.name.strip_suffix(marker) else {
            continue;
        };
        if stem.ends_with(|c: char| c.is_alphabetic() || c == ')' || c == '*') || marker.starts_with('*') {
            row.name = stem.trim_end().to_string();
            row.footnote = Some(marker.to_string());
            linked = true;
        }
    }
    linked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<Table> {
        crate::segment::read_from_text(text, read_table)
    }

    #[test]
    fn indicator_table_with_footnote() {
        let t = read(
            "Omschrijving\n\n2021 (w)\n\n2022 (b)\n\n1.1 Aantal meldingen Jeugdteam1\n\n1.350\n\nnnb\n\n\
             2.2 % jongeren\n\n11,6%\n\n12%\n\n1. 1Vanaf juli 2021 anders.",
        )
        .unwrap();
        let cols: Vec<_> = t.columns.iter().map(|c| (c.label.as_str(), c.period, c.value_type.as_deref())).collect();
        assert_eq!(
            cols,
            vec![("2021 (w)", Some(2021), Some("realisatie")), ("2022 (b)", Some(2022), Some("begroting"))]
        );
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].code.as_deref(), Some("1.1"));
        assert_eq!(t.rows[0].name, "Aantal meldingen Jeugdteam");
        assert_eq!(t.rows[0].footnote.as_deref(), Some("1"));
        assert_eq!(t.rows[0].cells[0].value, Some(1350.0));
        assert_eq!(t.rows[0].cells[1].value, None);
        assert_eq!(t.rows[1].cells[0].unit.as_deref(), Some("%"));
        assert_eq!(t.footnotes[0].text, "Vanaf juli 2021 anders.");
    }

    #[test]
    fn spanning_headers_group_rows_and_units() {
        let t = read("Rekening\n2020\n\nMeerjarenraming\n\n2023\n\n2024\n\nLasten\n\n63\n\n-45\n\n0").unwrap();
        let labels: Vec<_> = t.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, vec!["Rekening 2020", "Meerjarenraming 2023", "Meerjarenraming 2024"]);
        assert_eq!(t.rows[0].cells.len(), 3);
        let t = read(
            "Algemene middelen\nbedragen x 1.000,-\n\nRekening\n2020\n\nBegroting\n2021\n\nDividend\n\nLasten\n\n63\n\n-45\n\n\
             Baten\n\n-3.021\n\n2.630-",
        )
        .unwrap();
        assert_eq!(t.multiplier, Some(1000.0));
        assert_eq!(t.rows[0].group.as_deref(), Some("Dividend"));
        assert_eq!(t.rows[1].cells[1].value, Some(-2_630_000.0));
    }

    #[test]
    fn text_cells_and_short_rows() {
        let t = read(
            "Score\n\nRatio weerstand\n\nBetekenis\n\nA\n\n> 2,0\n\nUitstekend\n\nB\n\n1,4 < x < 2,0\n\nRuim voldoende",
        )
        .unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cells[1].raw, "Ruim voldoende");
        let t = read("Omschrijving\n\n2021\n\n2022\n\nAantal\n\n5\n\nTotaal\n\n4\n\n6").unwrap();
        assert!(t.rows[0].ambiguous);
        assert!(!t.rows[1].ambiguous);
    }

    #[test]
    fn row_codes() {
        assert_eq!(split_code("1.1 Aantal inwoners"), (Some("1.1".into()), "Aantal inwoners".into()));
        assert_eq!(split_code("6.3.1 Bij groen"), (Some("6.3.1".into()), "Bij groen".into()));
        assert_eq!(split_code("6.71a. Maatwerk"), (Some("6.71a".into()), "Maatwerk".into()));
        assert_eq!(split_code("2018 Aantal"), (None, "2018 Aantal".into()));
        assert_eq!(split_code("1. Meer inwoners"), (None, "1. Meer inwoners".into()));
        assert_eq!(split_code("1.1"), (None, "1.1".into()));
    }

    #[test]
    fn prose_is_not_a_table() {
        assert!(read("Activiteiten 2022\n\n1.1 We verstrekken voorzieningen.\n\n2.1 We organiseren hulp.").is_none());
        assert!(read("Voortgang 2022\n\nBestuurlijke hoofdlijnen 2023-2026\n\nDoel: Goede huisvesting").is_none());
    }
}
