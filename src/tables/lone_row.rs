//! A table of one row written one cell per line, its label first: the label,
//! the years that head its columns, then one value per year
//! (`Weerstandsratio` ¶ `2025` ¶ `2024*` ¶ `2023*` ¶ `2,91` ¶ `3,5` ¶ `2,11`).
//! The stream reader wants a header above labelled rows, so it leaves these
//! alone; read here, the label names the row and the years its columns.

use super::cell::{look, ordered_years, Kind};
use super::header::Head;
use super::{notes_after, Draft, DraftRow, Trace};
use crate::normalize::{at_most_words, Item, Shape};

/// Fewest years (and so values) of such a row.
const MIN_COLUMNS: usize = 2;

/// Most words of the label.
const LABEL_MAX_WORDS: usize = 6;

/// Every lone row among the items no earlier reader took.
pub(super) fn read(items: &[Item], taken: &[bool], trace: &mut Trace) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let mut at = 0;
    while at < items.len() {
        match lone_row_at(items, taken, at) {
            Some(draft) => {
                trace.note(|| format!("lone row: line {}: {} columns", items[at].no, draft.columns.len()));
                at = draft.end;
                drafts.push(draft);
            }
            None => at += 1,
        }
    }
    drafts
}

/// The lone row whose label is item `at`, if one starts there.
fn lone_row_at(items: &[Item], taken: &[bool], at: usize) -> Option<Draft> {
    let label = &items[at];
    if taken[at] || label.shape == Shape::ListItem || label.text.ends_with(':') {
        return None;
    }
    if look(label.text).kind != Kind::Text || !at_most_words(label.text, LABEL_MAX_WORDS) {
        return None;
    }
    let years = years_from(items, taken, at + 1);
    let k = years.len();
    let values_end = at + 1 + 2 * k;
    if k < MIN_COLUMNS || values_end > items.len() {
        return None;
    }
    let values = &items[at + 1 + k..values_end];
    let is_value = |i: &Item| i.shape != Shape::ListItem && matches!(look(i.text).kind, Kind::Number | Kind::Mixed);
    let free = taken[at..values_end].iter().all(|t| !t);
    // A value after them would make this the start of something wider.
    let more = items.get(values_end).is_some_and(|i| look(i.text).kind.is_value());
    if !free || more || !values.iter().all(is_value) {
        return None;
    }
    let columns = years.iter().map(|y| Head { label: y.text.to_string(), value: true, ..Head::default() }).collect();
    let cells = values.iter().enumerate().map(|(c, v)| (v.text.to_string(), Some(c), v.no)).collect();
    let row = DraftRow { label: label.text.to_string(), cells, line: label.no, ..DraftRow::default() };
    let (notes, end, multiplier) = notes_after(items, values_end);
    Some(Draft {
        layout: "cells",
        caption: None,
        corner: None,
        multiplier,
        columns,
        rows: vec![row],
        notes,
        start: at,
        end,
        lines: items[at..end].iter().map(|i| i.no).collect(),
    })
}

/// The run of years from item `from` on, ascending or descending (`2025`,
/// `2024*`, `2023*`), none of them taken.
fn years_from<'i, 'a>(items: &'i [Item<'a>], taken: &[bool], from: usize) -> &'i [Item<'a>] {
    let years = items[from..].iter().zip(&taken[from..]).map(|(item, &taken)| {
        let l = look(item.text);
        (!taken && l.kind == Kind::Year).then_some(l.year).flatten()
    });
    &items[from..from + ordered_years(years)]
}
