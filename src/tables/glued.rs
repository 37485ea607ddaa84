//! Tables whose label and value the export glued together:
//! `ActiviteitPlanning` over `Emmaüs en IKC opleveren2017 Q3` (the value is
//! the number-like end of the line, glued to a letter).

use super::header::Head;
use super::{Draft, DraftRow, Trace};
use crate::normalize::{is_value_like, Item};

/// Longest glued header (in bytes).
const GLUED_HEADER_MAX: usize = 40;
/// Longest value (in bytes) split off the end of a glued row.
const GLUED_VALUE_MAX: usize = 40;

/// Every glued table.
pub(super) fn read(items: &[Item], taken: &[bool], trace: &mut Trace) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let mut at = 0;
    while at < items.len() {
        match (!taken[at]).then(|| table_at(items, at)).flatten() {
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

fn table_at(items: &[Item], at: usize) -> Option<Draft> {
    let (corner, label) = glued_header(items[at].text)?;
    let rows: Vec<DraftRow> = items[at + 1..]
        .iter()
        .take_while(|i| !i.gap_before)
        .map_while(|i| split_glued_row(i.text).map(|(label, value)| (i, label, value)))
        .map(|(item, label, value)| DraftRow {
            label: label.to_string(),
            cells: vec![(value.to_string(), Some(0), item.no)],
            line: item.no,
            ..DraftRow::default()
        })
        .collect();
    if rows.is_empty() {
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
