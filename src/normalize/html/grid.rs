//! A `<table>` as its rows were read → the grid of columns it covers:
//! `colspan` and `rowspan` expanded, empty cells kept in their column.

use super::{GridCell, GridRow, MarkupTable};

/// Most columns a table grid has (`colspan="1000"` stays bounded).
pub const MAX_COLUMNS: usize = 256;
/// Most rows a `rowspan` covers (HTML itself stops at 65,534).
const MAX_ROWSPAN: usize = 1000;

/// Where a row stands in its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    /// `thead`.
    Head,
    /// `tbody`, or rows outside any group.
    #[default]
    Body,
    /// `tfoot`.
    Foot,
}

/// A cell as written.
#[derive(Debug, Clone, Default)]
pub struct WrittenCell {
    /// `colspan`, at least 1.
    pub colspan: usize,
    /// `rowspan`; 0 spans the rest of the row group.
    pub rowspan: usize,
    /// A `th`.
    pub header: bool,
    /// The extracted lines of its text, first and last.
    pub lines: Option<(usize, usize)>,
}

/// A row as written.
#[derive(Debug, Clone, Default)]
pub struct WrittenRow {
    /// Its cells.
    pub cells: Vec<WrittenCell>,
    /// Its row group.
    pub part: Part,
}

/// A cell spanning rows below the row it was written in.
#[derive(Debug, Clone)]
struct Pending {
    cell: GridCell,
    rows_left: usize,
    part: Part,
}

/// Lay the written rows out on the grid.
pub fn grid(rows: Vec<WrittenRow>, caption: Option<usize>) -> MarkupTable {
    let mut pending: Vec<Option<Pending>> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = Vec::with_capacity(row.cells.len());
        let mut col = 0;
        let mut written = row.cells.into_iter();
        loop {
            if let Some(p) = pending.get_mut(col).and_then(|p| p.as_mut().filter(|p| p.part == row.part)) {
                cells.push(GridCell { continued: true, ..p.cell.clone() });
                let span = p.cell.span;
                p.rows_left -= 1;
                if p.rows_left == 0 {
                    pending[col] = None;
                }
                col += span;
                continue;
            }
            let Some(cell) = written.next() else {
                // Spans from above may still stand right of the last cell written.
                match (col + 1..pending.len()).find(|&c| pending[c].as_ref().is_some_and(|p| p.part == row.part)) {
                    Some(next) => {
                        col = next;
                        continue;
                    }
                    None => break,
                }
            };
            if col >= MAX_COLUMNS {
                break;
            }
            let span = cell.colspan.clamp(1, MAX_COLUMNS - col);
            let placed = GridCell { col, span, lines: cell.lines, header: cell.header, continued: false };
            let below = if cell.rowspan == 0 { MAX_ROWSPAN } else { cell.rowspan.min(MAX_ROWSPAN) } - 1;
            if below > 0 {
                if pending.len() < col + 1 {
                    pending.resize(col + 1, None);
                }
                pending[col] = Some(Pending { cell: placed.clone(), rows_left: below, part: row.part });
            }
            cells.push(placed);
            col += span;
        }
        // A span from another row group ends where its group ends.
        pending.iter_mut().filter(|p| p.as_ref().is_some_and(|p| p.part != row.part)).for_each(|p| *p = None);
        out.push(GridRow { cells, head: row.part == Part::Head, foot: row.part == Part::Foot });
    }
    MarkupTable { caption, rows: out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(colspan: usize, rowspan: usize, line: usize) -> WrittenCell {
        WrittenCell { colspan, rowspan, header: false, lines: Some((line, line)) }
    }

    fn layout(table: &MarkupTable) -> Vec<Vec<(usize, usize, bool)>> {
        table
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| (c.col, c.lines.map_or(0, |l| l.0), c.continued)).collect())
            .collect()
    }

    #[test]
    fn spans_cover_their_columns_and_rows() {
        let rows = vec![
            WrittenRow { cells: vec![cell(1, 2, 1), cell(2, 1, 2), cell(1, 1, 3)], part: Part::Head },
            WrittenRow { cells: vec![cell(1, 1, 4), cell(1, 1, 5), cell(1, 1, 6)], part: Part::Head },
            WrittenRow {
                cells: vec![cell(1, 1, 7), WrittenCell { colspan: 1, ..Default::default() }, cell(1, 1, 8)],
                part: Part::Body,
            },
        ];
        let table = grid(rows, None);
        assert_eq!(
            layout(&table),
            vec![
                vec![(0, 1, false), (1, 2, false), (3, 3, false)],
                vec![(0, 1, true), (1, 4, false), (2, 5, false), (3, 6, false)],
                vec![(0, 7, false), (1, 0, false), (2, 8, false)],
            ]
        );
    }

    #[test]
    fn huge_spans_stay_bounded() {
        let rows = vec![
            WrittenRow { cells: vec![cell(1000, 1, 1), cell(1, 1, 2)], part: Part::Body },
            WrittenRow { cells: vec![cell(1, 0, 3), cell(1, 1, 4)], part: Part::Body },
            WrittenRow { cells: vec![cell(1, 1, 5)], part: Part::Body },
            WrittenRow { cells: vec![cell(1, 1, 6)], part: Part::Foot },
        ];
        let table = grid(rows, None);
        assert_eq!(table.rows[0].cells.len(), 1, "the span fills the grid, the next cell has no room");
        assert_eq!(table.rows[0].cells[0].span, MAX_COLUMNS);
        assert_eq!(layout(&table)[2], vec![(0, 3, true), (1, 5, false)], "rowspan 0 runs on in its group");
        assert_eq!(layout(&table)[3], vec![(0, 6, false)], "and ends with it");
    }
}
