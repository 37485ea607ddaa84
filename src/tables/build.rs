//! A reader's [`Draft`] → the model's [`Table`]: columns named and typed,
//! row labels split into code and name, numbers parsed, the units
//! multiplier applied, footnote markers linked.

use std::sync::OnceLock;

use regex::Regex;

use super::{Draft, DraftRow, Placed};
use crate::model::{Cell, Column, Footnote, Note, Row, Table};
use crate::numbers::{find_year, parse_number, Unit};
use crate::rules::{fold, rules};

/// The placed table a draft becomes.
pub(super) fn placed(draft: Draft) -> Placed {
    let (start, end, lines) = (draft.start, draft.end, draft.lines.clone());
    let first = lines.iter().copied().min().unwrap_or(0);
    let last = lines.iter().copied().max().unwrap_or(0);
    let mut table = table(draft);
    table.line_start = first;
    table.line_end = last;
    Placed { start, end, table, lines }
}

fn table(draft: Draft) -> Table {
    let columns: Vec<Column> = draft.columns.iter().map(column).collect();
    let rows = draft.rows.into_iter().map(|r| row(r, draft.multiplier)).collect();
    let mut table = Table {
        caption: draft.caption,
        corner: draft.corner,
        multiplier: draft.multiplier,
        layout: draft.layout.to_string(),
        columns,
        rows,
        footnotes: Vec::new(),
        notes: Vec::new(),
        line_start: 0,
        line_end: 0,
    };
    for (text, line) in draft.notes {
        match footnote(&text).filter(|(marker, _)| link_footnote(&mut table, marker)) {
            Some((marker, text)) => table.footnotes.push(Footnote { marker, text, line }),
            None => table.notes.push(Note { text, line }),
        }
    }
    table
}

/// A column from its head: period and value type (`data/columns.tsv`; the
/// upper level of a two-level header names it when it names one).
fn column(head: &super::Head) -> Column {
    let types = &rules().columns;
    let value_type = head.top.as_deref().and_then(|t| types.name_in(t)).or_else(|| types.name_in(&head.label));
    Column {
        label: head.label.clone(),
        period: find_year(&head.label),
        value_type: value_type.map(str::to_string),
        measure: head.measure.clone(),
    }
}

fn row(draft: DraftRow, multiplier: Option<f64>) -> Row {
    let (code, name) = match draft.code {
        Some(code) => (Some(code), draft.label),
        None => split_code(&draft.label),
    };
    let taakveld = code.as_deref().and_then(|c| taakveld_for(c, &name));
    let ambiguous = draft.cells.iter().any(|(_, column, _)| column.is_none());
    let cells = draft.cells.into_iter().map(|(raw, column, line)| cell(raw, column, line, multiplier)).collect();
    let total = is_total(&name);
    Row { code, name, group: draft.group, footnote: None, taakveld, ambiguous, total, cells, line: draft.line }
}

/// A cell from its raw text: the Dutch number parsed when there is one, the
/// table's multiplier applied to amounts (not to percentages).
fn cell(raw: String, column: Option<usize>, line: usize, multiplier: Option<f64>) -> Cell {
    let number = parse_number(strip_sign_mark(&raw));
    let unit = number.and_then(|n| n.unit);
    let scale = if unit == Some(Unit::Percent) { 1.0 } else { multiplier.unwrap_or(1.0) };
    Cell { column, value: number.map(|n| n.value * scale), unit: unit.map(|u| u.as_str().to_string()), raw, line }
}

/// `N 31.393` / `31.393 V` → `31.393`: the voordeel/nadeel mark is kept in
/// the raw text only.
pub(super) fn strip_sign_mark(raw: &str) -> &str {
    super::cell::strip_sign_mark(raw).unwrap_or(raw)
}

/// A total or subtotal row (`Totaal …`, `Subtotaal …`, `Eindtotaal`, `Saldo`).
pub(super) fn is_total(name: &str) -> bool {
    // ASCII case folding says what lower-casing says here: no other letter lower-cases
    // to one of these words' letters without a mark after it.
    let head = name.as_bytes();
    ["totaal", "subtotaal", "eindtotaal", "saldo", "generaal totaal"]
        .iter()
        .any(|w| head.get(..w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w.as_bytes())))
}

/// `1.1 Aantal inwoners` → (`1.1`, `Aantal inwoners`): a code of dotted
/// numbers (`6.3.1`, `6.71a`), an optional final full stop, then the name.
pub fn split_code(text: &str) -> (Option<String>, String) {
    match code_and_name(text) {
        Some((code, name)) => (Some(code.to_string()), name.to_string()),
        None => (None, text.to_string()),
    }
}

/// The code and the name of a row label that starts with a code (see [`split_code`]).
pub fn code_and_name(text: &str) -> Option<(&str, &str)> {
    // The code starts with one or two digits.
    if !text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let head = text.split(' ').next().unwrap_or("");
    let code = head.strip_suffix('.').unwrap_or(head);
    let mut parts = code.split('.');
    let first_ok = parts.next().is_some_and(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let mut rest = parts.peekable();
    let rest_ok = rest.peek().is_some() && rest.all(is_sub_code);
    let name = text[head.len()..].trim_start();
    (first_ok && rest_ok && !name.is_empty()).then_some((code, name))
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
pub(super) fn footnote(text: &str) -> Option<(String, String)> {
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
    fn cells_keep_the_raw_text_and_parse_the_number() {
        let c = cell("N 31.393".into(), Some(2), 7, Some(1000.0));
        assert_eq!((c.raw.as_str(), c.value, c.column), ("N 31.393", Some(31_393_000.0), Some(2)));
        let c = cell("11,6%".into(), None, 7, Some(1000.0));
        assert_eq!((c.value, c.unit.as_deref()), (Some(11.6), Some("%")));
        assert_eq!(cell("nnb".into(), Some(0), 1, None).value, None);
    }

    #[test]
    fn totals() {
        assert!(is_total("Totaal lasten") && is_total("Subtotaal programma's") && is_total("Saldo"));
        assert!(!is_total("Lasten"));
    }
}
