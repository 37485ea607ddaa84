//! Tables whose rows stand on one line each:
//!
//! - separated by spaces: `Exploitatie Begroting 2020 Wijzigingen 2020 …`
//!   over `Lasten -1.458.630 -81.550 …` (header cells end in a year; the
//!   values are the number-like words at the end of each row);
//! - separated by ` | `;
//! - glued by the export: `ActiviteitPlanning` over `Emmaüs en IKC opleveren2017 Q3`
//!   (the value is the number-like end of the line, glued to a letter).

use super::table::{cell_from, column, row_from, ParsedTable};
use super::Item;
use crate::model::{Row, Table};
use crate::normalize::is_value_like;
use crate::numbers::{digit_count, find_year};
use crate::rules::rules;

/// Longest one-line header (in bytes).
const HEADER_LINE_MAX: usize = 300;
/// Longest glued header (in bytes).
const GLUED_HEADER_MAX: usize = 40;
/// Longest value (in bytes) split off the end of a glued row.
const GLUED_VALUE_MAX: usize = 40;

/// Try the one-line-per-row table forms at `items[at]`.
pub fn read_line_table(items: &[Item], at: usize, caption: Option<&Item>) -> Option<ParsedTable> {
    let header = items.get(at).filter(|h| h.text.len() <= HEADER_LINE_MAX)?;
    let (corner, labels, rows) = match glued_header(header.text) {
        Some((corner, label)) => (Some(corner), vec![label], read_glued_rows(items, at + 1)),
        None => {
            let (corner, labels) = split_header(header.text)?;
            let rows = read_separated_rows(items, at + 1, labels.len(), header.text.contains(" | "));
            (corner, labels, rows)
        }
    };
    if rows.is_empty() {
        return None;
    }
    // Columns (their value types) only once there are rows.
    let columns = labels.into_iter().map(column).collect();
    let end = at + 1 + rows.len();
    let mut lines: Vec<usize> = caption.map(|c| c.no).into_iter().collect();
    lines.extend(items[at..end].iter().map(|i| i.no));
    let table = Table {
        caption: caption.map(|c| c.text.trim_end_matches(':').to_string()),
        corner,
        multiplier: None,
        columns,
        rows,
        footnotes: Vec::new(),
        line_start: lines[0],
        line_end: items[end - 1].no,
    };
    Some(ParsedTable { table, lines, end })
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

fn read_glued_rows(items: &[Item], from: usize) -> Vec<Row> {
    items[from.min(items.len())..]
        .iter()
        .take_while(|i| !i.gap_before)
        .map_while(|i| split_glued_row(i.text).map(|(label, value)| (i, label, value)))
        .map(|(item, label, value)| row_from(label, vec![cell_from(value, item.no)], item.no, false))
        .collect()
}

/// Split a one-line header into an optional corner and column labels:
/// on ` | `, or after every year (`Begroting 2020 Wijzigingen 2020`).
fn split_header(text: &str) -> Option<(Option<String>, Vec<String>)> {
    let piped = memchr::memchr(b'|', text.as_bytes()).is_some() && text.contains(" | ");
    // Without pipes, every header cell ends in a year: so does the line, and it has two of them.
    let two_years_at_the_end = ends_in_year(text) && digit_count(text) >= 8;
    if !(piped || two_years_at_the_end) {
        return None;
    }
    if piped {
        let mut parts = text.split(" | ").map(|p| p.trim().to_string());
        let corner = parts.next()?;
        let labels: Vec<String> = parts.collect();
        return (!labels.is_empty()).then_some((Some(corner), labels));
    }
    let mut labels = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        current.push(word);
        if word.len() == 4 && find_year(word).is_some() {
            labels.push(current.join(" "));
            current.clear();
        }
    }
    if labels.len() < 2 || !current.is_empty() {
        return None;
    }
    let corner = split_corner(&mut labels[0]);
    Some((corner, labels))
}

/// Whether the last word of `text` is a year (looked at from the end, without splitting).
fn ends_in_year(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(start) = bytes.len().checked_sub(4) else { return false };
    let word_starts = start == 0 || bytes[start - 1] == b' ';
    // Four ASCII digits at the end: `start` is a character boundary.
    word_starts && bytes[start..].iter().all(u8::is_ascii_digit) && find_year(&text[start..]).is_some()
}

/// `Exploitatie Begroting 2020` → corner `Exploitatie`, label `Begroting 2020`:
/// the label starts where a column type word (`data/columns.tsv`) does.
fn split_corner(first: &mut String) -> Option<String> {
    let start = rules().columns.patterns.leftmost_start(first)?;
    if start == 0 {
        return None;
    }
    let corner = first[..start].trim().to_string();
    *first = first[start..].to_string();
    Some(corner)
}

/// Rows of `width` values after a label; a last row cut short by the end of
/// the input keeps its values from the first column on.
fn read_separated_rows(items: &[Item], from: usize, width: usize, piped: bool) -> Vec<Row> {
    let mut rows = Vec::new();
    for (offset, item) in items[from.min(items.len())..].iter().enumerate() {
        let last = from + offset + 1 == items.len();
        let Some((label, values)) = split_row(item.text, piped) else { break };
        if values.len() != width && !(last && values.len() < width) {
            break;
        }
        let cells = values.iter().map(|v| cell_from(v, item.no)).collect();
        rows.push(row_from(label, cells, item.no, false));
    }
    rows
}

/// A row line → (label, values): ` | `-separated, or the number-like words at the end.
fn split_row(text: &str, piped: bool) -> Option<(&str, Vec<&str>)> {
    if piped {
        let mut parts = text.split(" | ").map(str::trim);
        let label = parts.next()?;
        let values: Vec<&str> = parts.collect();
        return (!values.is_empty()).then_some((label, values));
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let values = words.iter().rev().take_while(|w| is_value_like(w)).count();
    let label_words = words.len() - values;
    if values == 0 || label_words == 0 {
        return None;
    }
    let label_end = words[..label_words].iter().map(|w| w.len()).sum::<usize>() + label_words - 1;
    let label = text.get(..label_end).filter(|l| l.split_whitespace().eq(words[..label_words].iter().copied()))?;
    Some((label, words[label_words..].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<Table> {
        crate::segment::read_from_text(text, read_line_table)
    }

    #[test]
    fn a_line_ends_in_a_year_when_its_last_word_is_one() {
        let by_words = |t: &str| t.rsplit(' ').next().is_some_and(|w| w.len() == 4 && find_year(w).is_some());
        for text in
            ["2020", "Begroting 2020", "B2020", "Begroting 1850", "x 20201", "", "202", " 2024", "é2024", "€ 2024"]
        {
            assert_eq!(ends_in_year(text), by_words(text), "{text:?}");
        }
    }

    #[test]
    fn space_separated_rows_under_a_year_header() {
        let t = read(
            "Exploitatie Begroting 2020 Wijzigingen 2020 Realisatie 2020\nLasten -1.458.630 -81.550 -1.486.437\nBaten 12 0",
        )
        .unwrap();
        assert_eq!(t.corner.as_deref(), Some("Exploitatie"));
        let labels: Vec<_> = t.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, vec!["Begroting 2020", "Wijzigingen 2020", "Realisatie 2020"]);
        assert_eq!(t.rows[0].name, "Lasten");
        assert_eq!(t.rows[0].cells[2].value, Some(-1_486_437.0));
        assert_eq!(t.rows[1].cells.len(), 2, "last row cut short keeps its values from the left");
    }

    #[test]
    fn glued_rows() {
        let t = read("ActiviteitPlanning\nEmmaüs en IKC opleveren2017 Q3\nBouw starten2018\nDe Lokale Educat").unwrap();
        assert_eq!(t.corner.as_deref(), Some("Activiteit"));
        assert_eq!(t.columns[0].label, "Planning");
        let rows: Vec<_> = t.rows.iter().map(|r| (r.name.as_str(), r.cells[0].raw.as_str())).collect();
        assert_eq!(rows, vec![("Emmaüs en IKC opleveren", "2017 Q3"), ("Bouw starten", "2018")]);
    }

    #[test]
    fn piped_rows_and_non_tables() {
        let t = read("Omschrijving | 2022 | 2023\nAantal | 5 | 6").unwrap();
        assert_eq!(t.rows[0].cells[1].raw, "6");
        assert!(read("Wat omvatte het programma | Wie is verantwoordelijk\nNr. Taakveld Portefeuillehouder").is_none());
        assert!(read("Begroting 2020 en verder\nTekst 2021").is_none());
    }
}
