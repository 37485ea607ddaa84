//! The tables of an HTML page, read from their markup: the grid says which
//! cell stands in which column (spans expanded, empty cells kept empty), so
//! nothing is guessed about vanished cells. What the markup does not say is
//! decided from the cells as in the other readers: which rows are the header
//! (`thead`, rows of `th`, else a first row of text over rows with values),
//! which columns hold the row label (text and codes, not values), and
//! whether the table is a table of data at all. A table without values is
//! layout (a speerpunt with its status, a box of text): its lines are left to
//! the segmenter and the other readers, as in a text export.

use super::cell::{is_code, look, Kind};
use super::header::{names_value_or_year, Head};
use super::{notes_after, Draft, DraftRow, Trace};
use crate::normalize::{GridRow, Item, Markup, MarkupTable, Shape};
use crate::numbers::units_multiplier;
use crate::rules::rules;

/// Every data table of the page's markup.
pub(super) fn read(items: &[Item], markup: &Markup, trace: &mut Trace) -> Vec<Draft> {
    markup.tables.iter().filter_map(|table| draft(items, table, trace)).collect()
}

/// One cell's text and where it is.
#[derive(Debug, Clone)]
struct Text {
    text: String,
    /// The item of its first line.
    item: usize,
    /// Its first line.
    line: usize,
}

/// A grid row with the cells' texts: one slot per column, the text in the
/// slot a cell starts at (`covers` says which cell a column lies under).
struct Row<'t> {
    grid: &'t GridRow,
    texts: Vec<Option<Text>>,
    /// Per column, the cell that covers it (so that looking a column up stays constant time).
    covers: Vec<Option<usize>>,
}

impl<'t> Row<'t> {
    fn new(items: &[Item], grid: &'t GridRow) -> Row<'t> {
        let width = grid.cells.iter().map(|c| c.col + c.span).max().unwrap_or(0);
        let mut covers = vec![None; width];
        for (i, cell) in grid.cells.iter().enumerate() {
            covers[cell.col..cell.col + cell.span].iter_mut().for_each(|c| *c = Some(i));
        }
        Row { grid, texts: texts_of(items, grid), covers }
    }

    /// The text of the cell that covers column `col`.
    fn covering(&self, col: usize) -> Option<&Text> {
        let cell = (*self.covers.get(col)?)?;
        self.texts[cell].as_ref()
    }

    /// The text of the cell written at column `col` (not one spanned from the left or above).
    fn at(&self, col: usize) -> Option<&Text> {
        let cell = (*self.covers.get(col)?)?;
        let c = &self.grid.cells[cell];
        (c.col == col && !c.continued).then(|| self.texts[cell].as_ref()).flatten()
    }

    /// Whether every cell with text is a `th` (a header row of a table without `thead`).
    fn all_headers(&self) -> bool {
        let mut cells = self.grid.cells.iter().zip(&self.texts).filter(|(_, t)| t.is_some()).peekable();
        cells.peek().is_some() && cells.all(|(c, _)| c.header)
    }

    fn values(&self, from_col: usize) -> usize {
        let written = self.grid.cells.iter().zip(&self.texts).filter(|(c, _)| c.col >= from_col && !c.continued);
        written.filter(|(_, t)| t.as_ref().is_some_and(|t| is_value(&t.text))).count()
    }
}

fn is_value(text: &str) -> bool {
    look(text).kind.is_value()
}

fn draft(items: &[Item], table: &MarkupTable, trace: &mut Trace) -> Option<Draft> {
    let rows: Vec<Row> = table.rows.iter().map(|grid| Row::new(items, grid)).collect();
    // Columns where a cell starts: a cell spanning past them (`colspan="1000"`) adds none.
    let width = table.rows.iter().flat_map(|r| r.cells.iter().map(|c| c.col + 1)).max().unwrap_or(0);
    let first = rows.iter().flat_map(|r| r.texts.iter().flatten()).map(|t| t.item).min()?;
    let head_rows = header_rows(&rows);
    let body = &rows[head_rows..];
    let labels = label_columns(body, width);
    let values: usize = body.iter().map(|r| r.values(labels)).sum();
    trace.note(|| {
        let kind = if values > 0 && labels < width { "data" } else { "layout" };
        format!(
            "html table at line {}: {} rows x {width} columns, {head_rows} header rows, {labels} label columns, {values} value cells: {kind}",
            items[first].no,
            rows.len()
        )
    });
    if values == 0 || labels >= width {
        return None;
    }
    let columns: Vec<Head> = (labels..width).map(|col| head_of(&rows[..head_rows], col)).collect();
    let corner = rows[..head_rows].iter().rev().find_map(|r| r.covering(0)).map(|t| t.text.clone());
    let last = rows.iter().flat_map(|r| r.texts.iter().flatten()).map(|t| t.item).max().unwrap_or(first);
    let (caption, start) = caption(items, table, first);
    let (notes, end, noted) = notes_after(items, last_item_of(items, table).max(last) + 1);
    // A units line right above the table (`Bedragen x € 1.000`) states its multiplier too.
    let above = start.checked_sub(1).map(|a| items[a].text).filter(|t| t.chars().count() <= 80);
    let stated = [caption.as_deref(), corner.as_deref(), above].into_iter().flatten().find_map(units_multiplier);
    let multiplier = stated.or(noted);
    Some(Draft {
        layout: "html",
        caption,
        corner,
        multiplier,
        columns,
        rows: body_rows(body, labels, width),
        notes,
        start,
        end,
        lines: items[start..end].iter().map(|i| i.no).collect(),
    })
}

/// The text of each cell of a grid row, from the items of its lines.
fn texts_of(items: &[Item], row: &GridRow) -> Vec<Option<Text>> {
    row.cells
        .iter()
        .map(|cell| {
            let (first, last) = cell.lines?;
            let from = items.partition_point(|i| i.no < first);
            let to = items.partition_point(|i| i.no <= last);
            let cell_items = items.get(from..to).filter(|c| !c.is_empty())?;
            let text = cell_items.iter().map(|i| i.text).collect::<Vec<_>>().join(" ");
            Some(Text { text, item: from, line: cell_items[0].no })
        })
        .collect()
}

/// The last item of any line of the table (its last cell may be empty and a
/// cell with text above it longer).
fn last_item_of(items: &[Item], table: &MarkupTable) -> usize {
    let last_line =
        table.rows.iter().flat_map(|r| r.cells.iter().filter_map(|c| c.lines.map(|l| l.1))).max().unwrap_or(0);
    items.partition_point(|i| i.no <= last_line).saturating_sub(1)
}

/// How many rows at the top are the header: the `thead` rows, or the rows
/// of `th` cells; without either, a first row without numbers (a year or
/// `2022 (b)` names a column) over rows with them.
fn header_rows(rows: &[Row]) -> usize {
    let marked = rows.iter().take_while(|r| r.grid.head || r.all_headers()).count();
    if marked > 0 || rows.len() < 2 {
        return marked.min(rows.len().saturating_sub(1));
    }
    let first = &rows[0];
    let numbers = first.texts.iter().flatten().any(|t| is_value(&t.text) && !names_value_or_year(&t.text));
    let below = rows[1..].iter().any(|r| r.values(1) > 0);
    usize::from(!numbers && below)
}

/// How many columns at the left hold the row label: a column of text (at
/// most half its cells values), and a column of codes before one.
fn label_columns(body: &[Row], width: usize) -> usize {
    let texts_in = |col: usize| body.iter().filter_map(|r| r.at(col)).collect::<Vec<_>>();
    let is_label_column = |col: usize| {
        let texts = texts_in(col);
        !texts.is_empty() && 2 * texts.iter().filter(|t| is_value(&t.text)).count() <= texts.len()
    };
    let codes = texts_in(0);
    let code_column = !codes.is_empty() && codes.iter().all(|t| is_code(&t.text)) && width > 2 && is_label_column(1);
    if code_column {
        2
    } else {
        usize::from(width > 1 && is_label_column(0))
    }
}

/// The head of column `col`: the header cells over it, top down, each once
/// (a cell spanning rows or columns names all it covers).
fn head_of(header: &[Row], col: usize) -> Head {
    let mut levels: Vec<&str> = Vec::new();
    for row in header {
        if let Some(t) = row.covering(col) {
            if levels.last() != Some(&t.text.as_str()) {
                levels.push(&t.text);
            }
        }
    }
    let label = levels.join(" ");
    let value = names_value_or_year(&label);
    match levels[..] {
        [top, .., lower] => {
            let year_below = matches!(look(lower).kind, Kind::Year | Kind::Date);
            Head {
                label,
                measure: (!year_below).then(|| lower.to_string()),
                top: Some(top.to_string()),
                value,
                top_value: Some(names_value_or_year(top)),
            }
        }
        _ => Head { label, value, ..Head::default() },
    }
}

/// The body rows as draft rows: the label from the label columns, each
/// cell with text in its column; a row with a label and no cells above rows
/// with cells is their group.
fn body_rows(body: &[Row], labels: usize, width: usize) -> Vec<DraftRow> {
    let mut out = Vec::with_capacity(body.len());
    let mut group: Option<String> = None;
    for (i, row) in body.iter().enumerate() {
        let label_texts: Vec<&Text> = (0..labels).filter_map(|c| row.at(c).or_else(|| row.covering(c))).collect();
        let cells: Vec<(String, Option<usize>, usize)> =
            (labels..width).filter_map(|c| row.at(c).map(|t| (t.text.clone(), Some(c - labels), t.line))).collect();
        let (code, label) = match (labels, &label_texts[..]) {
            (2, [code, name]) => (Some(code.text.clone()), name.text.clone()),
            _ => (None, label_texts.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ")),
        };
        let line = label_texts.first().map(|t| t.line).or(cells.first().map(|c| c.2)).unwrap_or(0);
        if cells.is_empty() {
            let heads_rows = body.get(i + 1).is_some_and(|next| next.values(labels) > 0);
            if heads_rows && !label.is_empty() {
                group = Some(label);
            }
            continue;
        }
        out.push(DraftRow { label, code, group: group.clone(), cells, line });
    }
    out
}

/// The table's name: its `<caption>`, else a short heading right above it
/// (as the other readers take one); and the item the table starts at.
fn caption(items: &[Item], table: &MarkupTable, first: usize) -> (Option<String>, usize) {
    let name = |item: &Item| item.text.trim_end_matches(':').to_string();
    if let Some(line) = table.caption {
        let at = items.partition_point(|i| i.no < line);
        if let Some(item) = items.get(at).filter(|i| i.no == line) {
            return (Some(name(item)), at.min(first));
        }
    }
    let above = first.checked_sub(1).filter(|&a| {
        let item = &items[a];
        matches!(item.shape, Shape::Heading | Shape::Label) && !rules().is_structural_heading(item.text)
    });
    match above {
        Some(a) => (Some(name(&items[a])), a),
        None => (None, first),
    }
}
