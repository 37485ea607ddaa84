//! Indicator lists written as text: `Indicator 1: aantal X.` followed by
//! `Streefwaarde: Y.` become rows of a one-column table (`Streefwaarde`).
//! An indicator without a streefwaarde is kept as a row without cells.

use std::sync::OnceLock;

use regex::Regex;

use super::header::Head;
use super::{Draft, DraftRow, Trace};
use crate::normalize::Item;

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
    head.as_bytes().windows(8).any(|w| w == b"ndicator")
}

/// Cheap test before the pattern: the line starts as `streefwaarde` can (an
/// `s` of either case, or a letter outside ASCII such as `ſ`).
fn may_state_target(text: &str) -> bool {
    text.as_bytes().first().is_some_and(|&b| b | 0x20 == b's' || b >= 0x80)
}

/// Every indicator list.
pub(super) fn read(items: &[Item], taken: &[bool], trace: &mut Trace) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let mut at = 0;
    while at < items.len() {
        match (!taken[at] && mentions_indicator(items[at].text)).then(|| list_at(items, taken, at)).flatten() {
            Some(draft) => {
                trace.note(|| format!("list: line {}: {} indicators", items[at].no, draft.rows.len()));
                at = draft.end;
                drafts.push(draft);
            }
            None => at += 1,
        }
    }
    drafts
}

/// A run of `Indicator N:` items (each optionally followed by a `Streefwaarde:` item) at `at`.
fn list_at(items: &[Item], taken: &[bool], at: usize) -> Option<Draft> {
    let mut pos = at;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut column_label: Option<String> = None;
    let free = |p: usize| taken.get(p) == Some(&false);
    while let Some((caps, name)) =
        items.get(pos).filter(|_| free(pos)).and_then(|i| split_prefix(indicator_pattern(), i.text))
    {
        let mut row = DraftRow {
            code: Some(caps[1].to_string()),
            label: name.trim_end_matches('.').trim().to_string(),
            line: items[pos].no,
            ..DraftRow::default()
        };
        lines.push(items[pos].no);
        pos += 1;
        let target = items
            .get(pos)
            .filter(|i| free(pos) && may_state_target(i.text))
            .and_then(|i| split_prefix(target_pattern(), i.text).map(|t| (i, t)));
        if let Some((item, (caps, value))) = target {
            column_label.get_or_insert_with(|| caps[1].to_string());
            row.cells.push((value.to_string(), Some(0), item.no));
            lines.push(item.no);
            pos += 1;
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return None;
    }
    let label = column_label.unwrap_or_else(|| "Streefwaarde".to_string());
    Some(Draft {
        layout: "list",
        caption: None,
        corner: None,
        multiplier: None,
        columns: vec![Head { label, ..Head::default() }],
        rows,
        notes: Vec::new(),
        start: at,
        end: pos,
        lines,
    })
}
