//! Lists written as text that are tables:
//!
//! - `Indicator 1: aantal X.` followed by `Streefwaarde: Y.` become rows of a
//!   one-column table (`Streefwaarde`); an indicator without a streefwaarde
//!   is kept as a row without cells;
//! - groups of labelled fields that repeat (`Indicator:` ↵ name ↵
//!   `Toelichting:` ↵ text ↵ `Bron:` ↵ source, then `Indicator:` again): one
//!   row per group, named by the value of the label that starts every group,
//!   the other labels its columns. A group cut by the page end keeps what it
//!   has.

use std::sync::OnceLock;

use regex::Regex;

use super::header::Head;
use super::{Draft, DraftRow, Trace};
use crate::normalize::{Item, Shape};

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

/// Every indicator list and every run of repeated field groups.
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
            None => match groups_at(items, taken, at) {
                Some(draft) => {
                    trace.note(|| format!("list: line {}: {} groups of fields", items[at].no, draft.rows.len()));
                    at = draft.end;
                    drafts.push(draft);
                }
                None => at += 1,
            },
        }
    }
    drafts
}

/// Fewest groups that make a table of fields.
const MIN_GROUPS: usize = 2;
/// Longest value that can name a row.
const ROW_NAME_MAX_CHARS: usize = 160;

/// A labelled field: its label (colon removed), its value, and the lines of both.
struct Field<'t> {
    label: &'t str,
    value: Option<&'t str>,
    lines: Vec<usize>,
}

/// The field at `at`: a label line and the item under it, when that is no
/// label itself (a label at the end of the stream has no value).
fn field_at<'t>(items: &[Item<'t>], taken: &[bool], at: usize) -> Option<Field<'t>> {
    let free = |p: usize| taken.get(p) == Some(&false);
    let item = items.get(at).filter(|i| free(at) && i.shape == Shape::Label)?;
    let label = item.text.trim_end_matches(':').trim_end();
    let value = items.get(at + 1).filter(|v| free(at + 1) && v.shape != Shape::Label);
    let mut lines = vec![item.no];
    lines.extend(value.map(|v| v.no));
    Some(Field { label, value: value.map(|v| v.text), lines })
}

/// A run of field groups at `at`, each starting with the label of the
/// first field and holding each other label at most once: a table when
/// there are at least [`MIN_GROUPS`] groups of two fields or more.
fn groups_at(items: &[Item], taken: &[bool], at: usize) -> Option<Draft> {
    let first = field_at(items, taken, at)?;
    let key = first.label;
    first.value.filter(|v| names_a_row(v))?;
    let mut groups: Vec<Vec<Field>> = Vec::new();
    let mut pos = at;
    while let Some(field) = field_at(items, taken, pos) {
        let starts_group = field.label.eq_ignore_ascii_case(key);
        let repeated = groups.last().is_some_and(|g| g.iter().any(|f| f.label.eq_ignore_ascii_case(field.label)));
        if starts_group && field.value.is_some_and(|v| !names_a_row(v)) || !starts_group && repeated {
            break;
        }
        pos += field.lines.len();
        let valueless = field.value.is_none();
        if starts_group {
            groups.push(vec![field]);
        } else if let Some(group) = groups.last_mut() {
            group.push(field);
        }
        if valueless {
            break;
        }
    }
    let full = groups.iter().filter(|g| g.len() >= 2).count();
    (full >= MIN_GROUPS).then(|| fields_draft(groups, key, at, pos))
}

/// Whether a field value can name a row (a longer one is text, not a name).
fn names_a_row(value: &str) -> bool {
    value.chars().count() <= ROW_NAME_MAX_CHARS
}

/// The table of field groups: a row per group, a column per other label
/// (in the order they first appear).
fn fields_draft(groups: Vec<Vec<Field>>, key: &str, start: usize, end: usize) -> Draft {
    let mut columns: Vec<Head> = Vec::new();
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for group in groups {
        let mut fields = group.into_iter();
        let Some(name) = fields.next() else { continue };
        let line = name.lines.last().copied().unwrap_or_default();
        let mut row = DraftRow { label: name.value.unwrap_or_default().to_string(), line, ..DraftRow::default() };
        lines.extend(name.lines);
        for field in fields {
            let column = columns.iter().position(|c| c.label.eq_ignore_ascii_case(field.label)).unwrap_or_else(|| {
                columns.push(Head { label: field.label.to_string(), ..Head::default() });
                columns.len() - 1
            });
            if let Some(value) = field.value {
                row.cells.push((value.to_string(), Some(column), field.lines.last().copied().unwrap_or_default()));
            }
            lines.extend(field.lines);
        }
        rows.push(row);
    }
    Draft {
        layout: "list",
        caption: None,
        corner: Some(key.to_string()),
        multiplier: None,
        columns,
        rows,
        notes: Vec::new(),
        start,
        end,
        lines,
    }
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

#[cfg(test)]
mod tests {
    use super::read;
    use crate::tables::tests::drafts_of;

    const GROUPS: &str = "Kengetal:\n\nBezoekers\n\nEenheid:\n\naantal\n\nBron:\n\nTelling\n\n\
                          Kengetal:\n\nLeden\n\nEenheid:\n\nper 1.000 inwoners\n\nKengetal:\n\nUitleningen\n";

    #[test]
    fn repeated_field_groups_are_rows_with_their_labels_as_columns() {
        let drafts = drafts_of(GROUPS, read);
        assert_eq!(drafts.len(), 1);
        let d = &drafts[0];
        assert_eq!(d.corner.as_deref(), Some("Kengetal"));
        let columns: Vec<&str> = d.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(columns, ["Eenheid", "Bron"]);
        let rows: Vec<(&str, usize)> = d.rows.iter().map(|r| (r.label.as_str(), r.cells.len())).collect();
        assert_eq!(rows, [("Bezoekers", 2), ("Leden", 1), ("Uitleningen", 0)]);
        assert_eq!(d.rows[1].cells[0].0, "per 1.000 inwoners");
        assert_eq!(d.rows[1].cells[0].1, Some(0));
    }

    #[test]
    fn one_group_or_groups_of_one_field_are_no_table() {
        assert!(drafts_of("Kengetal:\n\nBezoekers\n\nBron:\n\nTelling\n", read).is_empty());
        assert!(drafts_of("Toelichting:\n\nEen.\n\nToelichting:\n\nTwee.\n", read).is_empty());
    }
}
