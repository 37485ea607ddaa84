//! Tables whose label and value the export glued together:
//! `ActiviteitPlanning` over `Emmaüs en IKC opleveren2017 Q3` (the value is
//! the number-like end of the line, glued to a letter), or joined by a single
//! space: `Indicator Omschrijving` over `Planning Conform planning` (the
//! label is the row's first word, the value the rest).

use super::header::Head;
use super::{Draft, DraftRow, Trace};
use crate::normalize::{is_value_like, Item, Shape};

/// Longest glued header (in bytes).
const GLUED_HEADER_MAX: usize = 40;
/// Longest value (in bytes) split off the end of a glued row.
const GLUED_VALUE_MAX: usize = 40;

/// Every glued table.
pub(super) fn read(items: &[Item], taken: &[bool], trace: &mut Trace) -> Vec<Draft> {
    let repeated = repeated_spaced_sheets(items);
    let mut drafts = Vec::new();
    let mut at = 0;
    while at < items.len() {
        match (!taken[at]).then(|| table_at(items, at, &repeated)).flatten() {
            Some(draft) => {
                trace.note(|| format!("glued: line {}: {} rows", items[at].no, draft.rows.len()));
                at = draft.end;
                drafts.push(draft);
            }
            None => at += 1,
        }
    }
    drafts
}

/// The items that head a sheet of two words joined by a space (see
/// [`spaced_header`]) repeated on the page with the same row labels: a
/// sheet per project (`Indicator Omschrijving` over `Planning …`, `Budget
/// …`, `Risico …`, again under the next project). A single space does not
/// say where a row's label ends, so the labels must recur to be labels: over
/// `Portefeuillehouder Thema` the first words are first names that differ.
fn repeated_spaced_sheets(items: &[Item]) -> Vec<usize> {
    // (header text, item index, row labels) of every candidate sheet, in page order.
    let mut sheets: Vec<(&str, usize, Vec<&str>)> = Vec::new();
    for (at, item) in items.iter().enumerate() {
        if item.shape == Shape::ListItem || spaced_header(item.text).is_none() || sheets.len() >= MAX_SPACED_SHEETS {
            continue;
        }
        let labels =
            sheet_rows(items, at, split_spaced_row).take(SHEET_ROWS_COMPARED).map(|(_, label, _)| label).collect();
        sheets.push((item.text, at, labels));
    }
    let shares_labels = |a: &[&str], b: &[&str]| 2 * a.iter().filter(|l| b.contains(l)).count() >= a.len().max(1);
    sheets
        .iter()
        .filter(|(text, at, labels)| {
            sheets.iter().any(|(t, other, ls)| t == text && other != at && shares_labels(labels, ls))
        })
        .map(|&(_, at, _)| at)
        .collect()
}

/// The rows under the header at `at`, each split into label and value by
/// `split`: the lines joined to it (no blank line, no list item) up to the
/// first that does not split, or that repeats the header.
fn sheet_rows<'i, 't>(
    items: &'i [Item<'t>],
    at: usize,
    split: fn(&'t str) -> Option<(&'t str, &'t str)>,
) -> impl Iterator<Item = (&'i Item<'t>, &'t str, &'t str)> {
    let header = items[at].text;
    items[at + 1..]
        .iter()
        .take_while(move |i| !i.gap_before && i.shape != Shape::ListItem && i.text != header)
        .map_while(move |i| split(i.text).map(|(label, value)| (i, label, value)))
}

fn table_at(items: &[Item], at: usize, repeated: &[usize]) -> Option<Draft> {
    let text = items[at].text;
    // A spaced header over one joined line is as likely a heading over a sentence.
    type Split = fn(&str) -> Option<(&str, &str)>;
    let (corner, label, split, fewest): (String, String, Split, usize) = match glued_header(text) {
        Some((corner, label)) => (corner, label, split_glued_row, 1),
        None if repeated.binary_search(&at).is_ok() => {
            let (corner, label) = spaced_header(text)?;
            (corner, label, split_spaced_row, MIN_SPACED_ROWS)
        }
        None => return None,
    };
    let rows: Vec<DraftRow> = sheet_rows(items, at, split)
        .map(|(item, label, value)| DraftRow {
            label: label.to_string(),
            cells: vec![(value.to_string(), Some(0), item.no)],
            line: item.no,
            ..DraftRow::default()
        })
        .collect();
    if rows.len() < fewest {
        return None;
    }
    let end = at + 1 + rows.len();
    Some(Draft {
        layout: "glued",
        caption: None,
        corner: Some(corner),
        multiplier: None,
        columns: vec![Head { label, ..Head::default() }],
        rows,
        notes: Vec::new(),
        start: at,
        end,
        lines: items[at..end].iter().map(|i| i.no).collect(),
    })
}

/// Most sheets under spaced headers compared on a page, and the rows of
/// each whose labels are compared (bounds on the work: the comparison is
/// pairwise).
const MAX_SPACED_SHEETS: usize = 64;
const SHEET_ROWS_COMPARED: usize = 16;
/// Fewest rows under a header of two words joined by a space.
const MIN_SPACED_ROWS: usize = 2;
/// Longest row label (in bytes) of a table joined by spaces: one word.
const SPACED_LABEL_MAX: usize = 24;

/// `Indicator Omschrijving` → (`Indicator`, `Omschrijving`): two
/// capitalised words and nothing else.
fn spaced_header(text: &str) -> Option<(String, String)> {
    let (first, second) = text.split_once(' ')?;
    let word = |w: &str| {
        w.chars().count() >= 3 && w.starts_with(char::is_uppercase) && w.chars().skip(1).all(char::is_lowercase)
    };
    (text.len() <= GLUED_HEADER_MAX && word(first) && word(second)).then(|| (first.to_string(), second.to_string()))
}

/// `Planning Conform planning` → (`Planning`, `Conform planning`): a
/// capitalised word, then the value.
fn split_spaced_row(text: &str) -> Option<(&str, &str)> {
    let (label, value) = text.split_once(char::is_whitespace)?;
    let value = value.trim_start();
    let word = label.len() <= SPACED_LABEL_MAX && label.starts_with(char::is_uppercase) && !value.is_empty();
    word.then_some((label, value))
}

/// `ActiviteitPlanning` → (`Activiteit`, `Planning`): two capitalised words glued.
fn glued_header(text: &str) -> Option<(String, String)> {
    if text.len() > GLUED_HEADER_MAX || text.contains(' ') || !text.starts_with(char::is_uppercase) {
        return None;
    }
    let mut previous_lower = false;
    let cut = text.char_indices().find_map(|(i, c)| {
        let cut_here = previous_lower && c.is_uppercase();
        previous_lower = c.is_lowercase();
        cut_here.then_some(i)
    })?;
    let (first, second) = text.split_at(cut);
    let word = |w: &str| w.chars().count() >= 3 && w.chars().skip(1).all(char::is_lowercase);
    (word(first) && word(second)).then(|| (first.to_string(), second.to_string()))
}

/// `Emmaüs en IKC opleveren2017 Q3` → (`Emmaüs en IKC opleveren`, `2017 Q3`).
fn split_glued_row(text: &str) -> Option<(&str, &str)> {
    let start = text.len().saturating_sub(GLUED_VALUE_MAX);
    text.char_indices().filter(|(i, _)| *i >= start).map(|(i, _)| i).find_map(|i| {
        let (label, value) = text.split_at(i);
        let glued = label.chars().last().is_some_and(char::is_alphabetic);
        (glued && value.starts_with(|c: char| c.is_ascii_digit()) && is_value_like(value)).then_some((label, value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_rows() {
        let d = crate::tables::tests::drafts_of(
            "ActiviteitPlanning\nEmmaüs en IKC opleveren2017 Q3\nBouw starten2018\nDe Lokale Educat",
            read,
        );
        assert_eq!(d[0].corner.as_deref(), Some("Activiteit"));
        assert_eq!(d[0].columns[0].label, "Planning");
        let rows: Vec<_> = d[0].rows.iter().map(|r| (r.label.as_str(), r.cells[0].0.as_str())).collect();
        assert_eq!(rows, vec![("Emmaüs en IKC opleveren", "2017 Q3"), ("Bouw starten", "2018")]);
    }
}
