//! Tables written one row per line with `|` between the cells: markdown
//! tables with or without leading and trailing pipes, with or without the
//! `---|---` separator row (which is never a data row), and exports whose
//! rows broke over several lines (`Lasten | 28.209.801 |` ↵ `23.893.367 |` …).
//!
//! Positions are explicit here, so empty cells keep their column. The header
//! is the rows above the first data row (one level or two; a title row with
//! a single cell above it is the caption); it is right-aligned to the data
//! rows when it lacks the corner cell. A row one cell wider than the header
//! whose first two cells are text carries its group in the first (a cell the
//! export wrote once for the rows it spans: `Programma 1 | Lasten | …`).

use super::cell::{is_code, look, ordered_years, Kind};
use super::header::{resolve, resolve_levels, Class, Head, HeadCell};
use super::{notes_after, Draft, DraftRow, Trace};
use crate::normalize::Item;
use crate::numbers::units_multiplier;
use crate::rules::rules;

/// One line split into cells.
#[derive(Debug, Clone)]
struct PipeRow {
    cells: Vec<String>,
    /// Item index of its first line.
    item: usize,
    /// Lines it was written on.
    lines: Vec<usize>,
}

impl PipeRow {
    /// How many cells up to the last non-empty one.
    fn content(&self) -> usize {
        self.cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1)
    }

    fn filled(&self) -> usize {
        self.cells.iter().filter(|c| !c.is_empty()).count()
    }

    /// A data row: a label and at least one value, or text cells under a header.
    fn has_values(&self) -> bool {
        self.cells.iter().skip(1).any(|c| !c.is_empty() && is_value_cell(c))
    }

    /// Only the first cell is filled, and the line wrote the empty cells
    /// (`Balans per 31 december 2023 | ||||`): a title or a group row.
    fn is_single(&self) -> bool {
        self.cells.len() >= 2 && self.filled() == 1 && !self.cells[0].is_empty()
    }
}

/// A value that is no year: what makes a row a data row.
fn is_value_cell(text: &str) -> bool {
    let look = look(text);
    look.kind.is_value() && look.year.is_none()
}

/// Every pipe table.
pub(super) fn read(items: &[Item], taken: &[bool], trace: &mut Trace) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let mut at = 0;
    while at < items.len() {
        if taken[at] || !is_pipe_line(items[at].text) {
            at += 1;
            continue;
        }
        let mut end = at;
        while end < items.len() && !taken[end] && is_pipe_line(items[end].text) {
            end += 1;
        }
        if one_cell_per_line(&items[at..end]) {
            // `Omschrijving |` ↵ `2025 |` …: one cell per line, the stream reader's.
            at = end;
            continue;
        }
        let rows = merge_broken(split_rows(items, at..end));
        for draft in tables(items, rows, end, trace) {
            drafts.push(draft);
        }
        at = end.max(at + 1);
    }
    drafts
}

/// A line of a pipe table: cells between `|`, or a separator row.
fn is_pipe_line(text: &str) -> bool {
    // Without a pipe only a separator row (`---:`) can be one.
    if memchr::memchr(b'|', text.as_bytes()).is_none() {
        return is_separator(text);
    }
    text.contains(" | ") || text.starts_with('|') || text.ends_with(" |") || text.ends_with("||") || is_separator(text)
}

/// Whether most lines hold a single cell ended by a pipe (`2025 |`, `|`).
fn one_cell_per_line(items: &[Item]) -> bool {
    let single = items.iter().filter(|i| i.text.ends_with('|') && !i.text.trim_end_matches('|').contains('|')).count();
    items.len() >= 4 && single * 10 >= items.len() * 8
}

/// `|---|---|`, `---|:---:|`: the row under a markdown header.
fn is_separator(text: &str) -> bool {
    text.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' ')) && text.contains("---")
}

/// The rows of items `range`, separator rows dropped.
fn split_rows(items: &[Item], range: std::ops::Range<usize>) -> Vec<(PipeRow, bool)> {
    let mut rows = Vec::new();
    // A leading pipe is the table's border when most lines have one; on the odd line of a table
    // without a border it ends an empty first cell (` | 2016 | 2017` over `Lasten | 499 | 603`).
    let led = range.clone().filter(|&i| items[i].text.starts_with('|')).count();
    let bordered = 2 * led >= range.len();
    for i in range {
        let text = items[i].text;
        if is_separator(text) {
            if let Some((_, before_separator)) = rows.last_mut() {
                *before_separator = true;
            }
            continue;
        }
        let inner = if bordered { text.strip_prefix('|').unwrap_or(text) } else { text };
        let mut cells: Vec<String> = inner.split('|').map(|c| c.trim().to_string()).collect();
        if inner.ends_with('|') {
            cells.pop();
        }
        rows.push((PipeRow { cells, item: i, lines: vec![items[i].no] }, false));
    }
    rows
}

/// Join rows the export broke over several lines: a line that starts with
/// a value continues the row above (`Lasten | 28.209.801 |` ↵ `23.893.367 |`),
/// and a line of one cell continues into the header row below it.
fn merge_broken(rows: Vec<(PipeRow, bool)>) -> Vec<(PipeRow, bool)> {
    let mut out: Vec<(PipeRow, bool)> = Vec::with_capacity(rows.len());
    let mut pending_header: Option<PipeRow> = None;
    let widest = rows.iter().map(|(r, _)| r.cells.len()).max().unwrap_or(0);
    for (mut row, separated) in rows {
        if let Some(mut first) = pending_header.take() {
            if !row.has_values() {
                first.cells.extend(row.cells);
                first.lines.extend(row.lines);
                out.push((first, separated));
                continue;
            }
            out.push((first, false));
        }
        // (A line as wide as the widest row is a row of its own: `25-06-2024 | Vergadering | Raad |`;
        // so is a line under a complete row: a total without a label.)
        let continues = row.cells.first().is_some_and(|c| is_value_cell(c)) && row.cells.len() < widest;
        if let Some((previous, _)) = out.last_mut().filter(|(p, _)| continues && p.content() < widest) {
            previous.cells.retain(|c| !c.is_empty());
            previous.cells.append(&mut row.cells);
            previous.lines.append(&mut row.lines);
            continue;
        }
        if row.cells.len() == 1 && !row.has_values() && !separated {
            pending_header = Some(row);
            continue;
        }
        out.push((row, separated));
    }
    out.extend(pending_header.map(|r| (r, false)));
    out
}

/// The tables in one block of pipe rows: a title row (one cell) or a
/// repeated header starts a new one.
fn tables(items: &[Item], rows: Vec<(PipeRow, bool)>, block_end: usize, trace: &mut Trace) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let (draft, next) = table(items, &rows, start, block_end);
        if let Some(d) = draft {
            trace.note(|| {
                format!("pipes: line {}: {} columns, {} rows", items[d.start].no, d.columns.len(), d.rows.len())
            });
            drafts.push(d);
        }
        start = next.max(start + 1);
    }
    drafts
}

/// The table whose first row is `rows[start]`, and the index after it.
fn table(items: &[Item], rows: &[(PipeRow, bool)], start: usize, block_end: usize) -> (Option<Draft>, usize) {
    let mut at = start;
    // A title row above the header names the table; a structural heading is left to the segmenter.
    let title = rows.get(at).filter(|(r, _)| {
        r.is_single() && look(&r.cells[0]).kind == Kind::Text && !rows.get(at + 1).is_some_and(|(n, _)| n.is_single())
    });
    let mut caption = None;
    if let Some((r, _)) = title {
        if rules().is_structural_heading(&r.cells[0]) {
            return (None, at + 1);
        }
        caption = Some(r.cells[0].clone());
        at += 1;
    }
    let header_start = at;
    // Up to two rows without values; a row of one cell is a header only as the first (`31-12-2020 | |`),
    // and a row labelled by a date or number is a row of text cells (`25-06-2024 | Vergadering |`).
    let labelled_by_value = |r: &PipeRow| {
        let texts = r.cells.iter().skip(1).any(|c| look(c).kind == Kind::Text);
        texts && r.cells.first().map(|c| look(c).kind).is_some_and(|k| k.is_value() && k != Kind::Year)
    };
    while at < rows.len()
        && at - header_start < 2
        && (!rows[at].0.has_values() || heads_years(&rows[at].0))
        && (at == header_start || !rows[at].0.is_single() && !labelled_by_value(&rows[at].0))
    {
        at += 1;
    }
    let header: Vec<&PipeRow> = rows[header_start..at].iter().map(|(r, _)| r).collect();
    let body_start = at;
    while at < rows.len() && !(at > body_start && starts_new_table(&rows[at].0, &header, caption.as_deref())) {
        at += 1;
    }
    let body: Vec<&PipeRow> = rows[body_start..at].iter().map(|(r, _)| r).collect();
    if body.is_empty() || header.is_empty() && body.iter().all(|r| !r.has_values()) {
        return (None, at);
    }
    let last_item = rows[at - 1].0.item;
    let end_item = if at == rows.len() { block_end } else { rows[at].0.item };
    let first_item = rows[start].0.item;
    (Some(draft(items, caption, &header, &body, first_item, end_item.max(last_item + 1))), at)
}

/// The table's title row, its header repeated or a row of years inside
/// the block starts the next table (other rows of one cell are group rows).
fn starts_new_table(row: &PipeRow, header: &[&PipeRow], caption: Option<&str>) -> bool {
    let repeated = header.first().is_some_and(|h| h.cells.first() == row.cells.first() && h.cells.len() > 1);
    let title = row.is_single() && caption == row.cells.first().map(String::as_str);
    repeated || title || heads_years(row)
}

/// A row whose filled cells after the first are a run of two years or more
/// in order ([`ordered_years`]) and nothing else (`Jaar van investeren | 2025
/// | 2026 | 2027`): it heads the rows below.
fn heads_years(row: &PipeRow) -> bool {
    let filled: Vec<&String> = row.cells.iter().skip(1).filter(|c| !c.is_empty()).collect();
    let year = |c: &&String| Some(look(c)).filter(|l| l.kind == Kind::Year).and_then(|l| l.year);
    filled.len() >= 2 && ordered_years(filled.iter().map(year)) == filled.len()
}

fn draft(
    items: &[Item],
    caption: Option<String>,
    header: &[&PipeRow],
    body: &[&PipeRow],
    start: usize,
    end: usize,
) -> Draft {
    let header_width = header.iter().map(|r| r.content()).max().unwrap_or(0);
    let mut rows: Vec<(Option<String>, Vec<String>, &PipeRow)> =
        body.iter().map(|r| with_group(r, header_width)).collect();
    // Columns empty in every row and in the header (a trailing `| |`) are no columns.
    let width = rows.iter().map(|(_, cells, _)| content_len(cells)).max().unwrap_or(0).max(header_width);
    for (_, cells, _) in &mut rows {
        cells.truncate(width);
        right_align_unlabelled(cells, width);
    }
    let classes = classes(&rows, width);
    let labels = classes.iter().take_while(|c| c.is_label()).count();
    let flags = flag_columns(&rows, width, labels);
    for (_, cells, _) in &mut rows {
        right_align_out_of_flags(cells, &flags, labels);
    }
    let heads = header_heads(header, &classes);
    let corner = heads.as_ref().and_then(|h| h.corner.clone());
    let columns: Vec<Head> = heads.map_or_else(|| vec![Head::default(); width], |h| h.columns)[labels..].to_vec();
    let header_cells = || header.iter().flat_map(|r| r.cells.iter());
    let multiplier = [corner.as_deref(), caption.as_deref()]
        .into_iter()
        .flatten()
        .find_map(units_multiplier)
        .or_else(|| header_cells().find_map(|c| units_multiplier(c)));
    let mut draft_rows = Vec::new();
    let mut group: Option<String> = None;
    let mut lines: Vec<usize> = items[start..end].iter().map(|i| i.no).collect();
    for (row_group, cells, row) in &rows {
        if let Some(g) = row_group {
            group = Some(g.clone());
        }
        let filled: Vec<(usize, &String)> =
            cells.iter().enumerate().skip(labels).filter(|(_, c)| !c.is_empty()).collect();
        let label = cells.get(labels - 1).cloned().unwrap_or_default();
        if filled.is_empty() {
            group = Some(label);
            continue;
        }
        let line = row.lines[0];
        draft_rows.push(DraftRow {
            label,
            code: (labels == 2).then(|| cells[0].clone()).filter(|c| !c.is_empty()),
            group: group.clone(),
            cells: filled.into_iter().map(|(j, c)| (c.clone(), Some(j - labels), line)).collect(),
            line,
        });
    }
    let (notes, end, trailing_units) = notes_after(items, end);
    lines.extend(notes.iter().map(|(_, line)| *line));
    Draft {
        layout: "pipes",
        caption,
        corner,
        multiplier: multiplier.or(trailing_units),
        columns,
        rows: draft_rows,
        notes,
        start,
        end,
        lines,
    }
}

/// A row of values without a label, shorter than the table (a total under
/// its rows: `17.963 | - | 17.963 |`): its values are the last columns'.
fn right_align_unlabelled(cells: &mut Vec<String>, width: usize) {
    let unlabelled = cells.first().is_some_and(|c| is_value_cell(c));
    if unlabelled && content_len(cells) < width {
        *cells = right_aligned(cells, 0, width);
    }
}

/// The cells up to the last filled one.
fn content_len(cells: &[String]) -> usize {
    cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1)
}

/// `cells` with the filled ones from `from` on moved to the last of `width`
/// columns (empty cells put before them).
fn right_aligned(cells: &[String], from: usize, width: usize) -> Vec<String> {
    let content = content_len(cells);
    let mut aligned: Vec<String> = cells[..from.min(content)].to_vec();
    aligned.extend(std::iter::repeat_n(String::new(), width.saturating_sub(content)));
    aligned.extend(cells[from.min(content)..content].iter().cloned());
    aligned
}

/// Fewest complete rows that show a column to be a flag column.
const FLAG_ROWS_MIN: usize = 2;

/// The columns of signs: every cell in the complete rows bears no digit and
/// one at least is a sign (`+`, `-`, `V`, `N`: the column of an EMU-saldo
/// table, a voordeel/nadeel column; a column of `-` alone, a year not yet
/// realised, is none), seen in at least [`FLAG_ROWS_MIN`] complete rows.
fn flag_columns(rows: &[(Option<String>, Vec<String>, &PipeRow)], width: usize, labels: usize) -> Vec<bool> {
    let complete: Vec<&Vec<String>> = rows
        .iter()
        .map(|(_, cells, _)| cells)
        .filter(|c| c.len() >= width && c[labels..width].iter().all(|x| !x.is_empty()))
        .collect();
    let no_digit = |c: &str| crate::numbers::digit_count(c) == 0;
    let sign = |c: &str| c == "+" || super::cell::is_sign_mark(c);
    let flags = |j: usize| complete.iter().all(|c| no_digit(&c[j])) && complete.iter().any(|c| sign(&c[j]));
    (0..width).map(|j| j >= labels && complete.len() >= FLAG_ROWS_MIN && flags(j)).collect()
}

/// A row whose values stop short of the last column and put an amount in
/// a flag column (`Saldo na bestemming | 16.193 | 41.956 | 508.456 | |`
/// under `Effect | 2020 | 2021 | 2022`): the export dropped an empty cell
/// before them, so they are the last columns' (when that puts no amount in
/// a flag column).
fn right_align_out_of_flags(cells: &mut Vec<String>, flags: &[bool], labels: usize) {
    let width = flags.len();
    let amount_in_flag =
        |cells: &[String]| cells.iter().zip(flags).any(|(c, &flag)| flag && crate::numbers::digit_count(c) > 0);
    let content = content_len(cells);
    if content >= width || content <= labels || !amount_in_flag(cells) {
        return;
    }
    let aligned = right_aligned(cells, labels, width);
    if !amount_in_flag(&aligned) {
        *cells = aligned;
    }
}

/// A row `k` cells wider than the header whose first `k + 1` cells are
/// text: the first `k` are the groups it starts, outer first (written once
/// for the rows they span: `Passiva | Vaste passiva | Vaste schuld | 5.683 |`).
fn with_group(row: &PipeRow, header_width: usize) -> (Option<String>, Vec<String>, &PipeRow) {
    let text = |c: &str| matches!(look(c).kind, Kind::Text) && !c.is_empty();
    let extra = row.content().saturating_sub(header_width);
    let spanned =
        header_width > 0 && extra > 0 && row.cells.len() > extra && row.cells[..=extra].iter().all(|c| text(c));
    if spanned {
        (Some(row.cells[..extra].join(" / ")), row.cells[extra..].to_vec(), row)
    } else {
        (None, row.cells.clone(), row)
    }
}

/// The class of each column, from the body: label (and a code column before
/// it), then value or text by the majority of filled cells.
fn classes(rows: &[(Option<String>, Vec<String>, &PipeRow)], width: usize) -> Vec<Class> {
    let mut votes = vec![(0usize, 0usize); width];
    for (_, cells, _) in rows {
        for (j, c) in cells.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
            if look(c).kind.is_value() {
                votes[j].0 += 1;
            } else {
                votes[j].1 += 1;
            }
        }
    }
    let mut classes: Vec<Class> = votes.iter().map(|(v, t)| if v > t { Class::Value } else { Class::Text }).collect();
    let codes = rows.iter().filter(|(_, c, _)| c.first().is_some_and(|c| is_code(c) || is_letter_code(c))).count();
    let coded = width >= 3 && codes * 2 > rows.len() && votes[1].1 > votes[1].0;
    if let Some(first) = classes.first_mut() {
        *first = if coded { Class::Code } else { Class::Label };
    }
    if coded {
        classes[1] = Class::Label;
    }
    classes
}

/// A row's letter (`A`, `B`, … of `A | Investering | 4.300`): a code, as
/// formulas under the table refer to the rows (`Afschrijving (C x D)`).
fn is_letter_code(text: &str) -> bool {
    text.len() == 1 && text.as_bytes()[0].is_ascii_uppercase()
}

/// The header rows' filled cells, upper row first, resolved against the
/// columns (as two levels when there are two rows).
fn header_heads(header: &[&PipeRow], classes: &[Class]) -> Option<super::header::Heads> {
    let cells: Vec<HeadCell> =
        header.iter().flat_map(|r| r.cells.iter().filter(|c| !c.is_empty())).map(|c| HeadCell::new(c)).collect();
    let levels = (header.len() == 2).then(|| {
        let subs = header[1].filled();
        // The lower row's cells stand under the last columns; the upper cells there head them.
        let first_sub_column = classes.len().saturating_sub(subs);
        let tops = header[0].cells.iter().skip(first_sub_column).filter(|c| !c.is_empty()).count();
        (subs, (tops > 0).then_some(tops))
    });
    resolve_levels(&cells, classes, levels).or_else(|| resolve(&cells, classes))
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
    fn markdown_table_with_separator() {
        let d = drafts_of("Omschrijving | Rekening 2022 | Begroting 2023 | |\n---|---|---|---|\nLasten | 48 | 54 | |\nBaten | 13 | 15 |", read);
        assert_eq!(
            cells_of(&d[0]),
            [
                "Lasten | Rekening 2022 = 48",
                "Lasten | Begroting 2023 = 54",
                "Baten | Rekening 2022 = 13",
                "Baten | Begroting 2023 = 15"
            ]
        );
        assert_eq!(d[0].corner.as_deref(), Some("Omschrijving"));
    }

    #[test]
    fn header_without_corner_and_rows_broken_over_lines() {
        let d = drafts_of("2026 | 2027 |\nSaldo | 8.590 |\n6.072 |\nTotaal | 1 | 2 |", read);
        assert_eq!(
            cells_of(&d[0]),
            ["Saldo | 2026 = 8.590", "Saldo | 2027 = 6.072", "Totaal | 2026 = 1", "Totaal | 2027 = 2"]
        );
    }

    #[test]
    fn group_rows_and_spanned_group_cells() {
        let d = drafts_of("Omschrijving | Begroting | Rekening | |\nProgramma 1 | Lasten | 84 | 86 |\nBaten | -2 | -3 | |\nHalt | |||\nGemeente | 1 | 2 | |", read);
        let groups: Vec<_> = d[0].rows.iter().map(|r| (r.label.as_str(), r.group.as_deref())).collect();
        assert_eq!(
            groups,
            [("Lasten", Some("Programma 1")), ("Baten", Some("Programma 1")), ("Gemeente", Some("Halt"))]
        );
        assert_eq!(cells_of(&d[0])[1], "Lasten | Rekening = 86");
    }

    #[test]
    fn two_header_rows_with_collapsed_spans() {
        let d = drafts_of(
            "Nr. | Indicator | Bron | Realisatie | Streefwaarde | ||\n---|---|---|---|---|---|---|\n2021 | 2022 | 2024 | 2027 | |||\n\
             0.1 | Formatie | CBS | 7,1 | 7,3 | 7,5 | 7,7 |",
            read,
        );
        let labels: Vec<_> = d[0].columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["Bron", "Realisatie 2021", "Realisatie 2022", "Streefwaarde 2024", "Streefwaarde 2027"]);
        assert_eq!(d[0].rows[0].code.as_deref(), Some("0.1"));
    }
}
