//! Indicator lists written as text: `Indicator 1: aantal X.` followed by
//! `Streefwaarde: Y.` become rows of a one-column table (`Streefwaarde`).
//! An indicator without a streefwaarde is kept as a row without cells.

use std::sync::OnceLock;

use regex::Regex;

use super::table::ParsedTable;
use super::Item;
use crate::model::{Cell, Column, Row, Table};
use crate::numbers::parse_number;

fn indicator_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?i:(?:prestatie-?|effect-?)?indicator) +([0-9]{1,3}[a-z]?) *[:.] *").expect("indicator")
    })
}

fn target_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^((?i:streefwaarde)(?: +[0-9]{4})?) *: *").expect("streefwaarde"))
}

/// The prefix `pattern` matches and the non-empty text after it.
fn split_prefix<'t>(pattern: &Regex, text: &'t str) -> Option<(regex::Captures<'t>, &'t str)> {
    let caps = pattern.captures(text)?;
    let rest = text[caps.get(0)?.end()..].trim_end();
    (!rest.is_empty()).then_some((caps, rest))
}

/// Cheap test before the pattern: `indicator` near the start of the line.
fn mentions_indicator(text: &str) -> bool {
    let head = text.get(..text.len().min(24)).unwrap_or(text);
    head.contains("ndicator")
}

/// Read a run of `Indicator N:` items (each optionally followed by a
/// `Streefwaarde:` item) starting at `at`. The caller names the table.
pub fn read_indicator_list(items: &[Item], at: usize) -> Option<ParsedTable> {
    if !items.get(at).is_some_and(|i| mentions_indicator(i.text)) {
        return None;
    }
    let mut pos = at;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut column_label: Option<String> = None;
    while let Some((caps, name)) = items.get(pos).and_then(|i| split_prefix(indicator_pattern(), i.text)) {
        let mut row = Row {
            code: Some(caps[1].to_string()),
            name: name.trim_end_matches('.').trim().to_string(),
            group: None,
            footnote: None,
            taakveld: None,
            ambiguous: false,
            cells: Vec::new(),
            line: items[pos].no,
        };
        lines.push(items[pos].no);
        pos += 1;
        let target = items.get(pos).and_then(|i| split_prefix(target_pattern(), i.text).map(|t| (i, t)));
        if let Some((item, (caps, value))) = target {
            column_label.get_or_insert_with(|| caps[1].to_string());
            let raw = value.to_string();
            let number = parse_number(&raw);
            row.cells.push(Cell { value: number.map(|n| n.value), unit: None, raw, line: item.no });
            lines.push(item.no);
            pos += 1;
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return None;
    }
    let label = column_label.unwrap_or_else(|| "Streefwaarde".to_string());
    let column = Column { period: crate::numbers::find_year(&label), value_type: Some("streefwaarde".into()), label };
    let table = Table {
        caption: None,
        corner: None,
        multiplier: None,
        columns: vec![column],
        rows,
        footnotes: Vec::new(),
        line_start: lines[0],
        line_end: *lines.last().expect("not empty"),
    };
    Some(ParsedTable { table, lines, end: pos })
}
