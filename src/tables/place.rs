//! Which columns the cells of a short row belong to, when empty cells
//! vanished in the export. A cell is placed only where the evidence decides:
//! the class of the column (a number never goes into a text column), the
//! magnitude of the numbers the column holds in the complete rows, and, for
//! the last row of a page that was cut, reading order. Where several
//! placements fit equally well, the cells they disagree on stay unplaced
//! (their row is then marked ambiguous), never shifted into a wrong year.

use super::cell::{Kind, Look};
use super::header::Class;

/// What the complete rows of a table show about one column.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Digit counts (magnitudes) of the numbers seen in the column.
    digits: Vec<u8>,
}

impl Profile {
    /// Record a cell seen in this column in a complete row.
    pub fn observe(&mut self, look: Look) {
        if look.kind == Kind::Number && look.digits > 0 && !self.digits.contains(&look.digits) {
            self.digits.push(look.digits);
        }
    }

    /// How far a number of `digits` digits is from what the column holds (0 when unknown).
    fn distance(&self, digits: u8) -> f32 {
        if digits == 0 || self.digits.is_empty() {
            return 0.0;
        }
        let nearest = self.digits.iter().map(|&d| d.abs_diff(digits)).min().unwrap_or(0);
        f32::from(nearest.min(3))
    }
}

/// A column a cell may go to.
#[derive(Debug, Clone)]
pub struct Slot<'p> {
    /// The column's class.
    pub class: Class,
    /// What the complete rows show of it.
    pub profile: &'p Profile,
}

/// Costs within this much of the best count as equally good.
const TIE: f32 = 0.49;
/// Most placements enumerated before giving up (the row stays ambiguous).
const MAX_PLACEMENTS: usize = 256;
/// What a cell costs in a column of the wrong class.
const WRONG_CLASS: f32 = 3.0;

/// Place `cells` (in reading order) into `slots` (in column order), keeping
/// their order. `cut`: the row is the last of a page cut short, so missing
/// cells are at its end. Returns per cell the index of its slot, or `None`
/// where the evidence does not decide.
pub fn place(cells: &[Look], slots: &[Slot], cut: bool) -> Vec<Option<usize>> {
    let (m, k) = (cells.len(), slots.len());
    if m > k {
        return vec![None; m];
    }
    if m == k {
        return (0..m).map(Some).collect();
    }
    let fit = |i: usize, j: usize| cost(cells[i], &slots[j]);
    // A cut row lost its last cells: skipping a column before its last cell costs something.
    let skip = |_column: usize, placed: usize| if cut && placed < m { 1.0 } else { 0.0 };
    // best[i][j]: least cost of placing the first i cells in the first j slots.
    let mut best = vec![vec![f32::INFINITY; k + 1]; m + 1];
    best[0][0] = 0.0;
    for j in 1..=k {
        for i in 0..=m.min(j) {
            let skipped = best[i][j - 1] + skip(j - 1, i);
            let taken = if i > 0 { best[i - 1][j - 1] + fit(i - 1, j - 1) } else { f32::INFINITY };
            best[i][j] = skipped.min(taken);
        }
    }
    let limit = best[m][k] + TIE;
    let mut agreed: Vec<Option<Option<usize>>> = vec![None; m];
    let mut count = 0;
    let mut path = vec![0usize; m];
    enumerate(m, k, 0.0, limit, &best, &fit, &skip, &mut path, &mut |p| {
        count += 1;
        for (i, &j) in p.iter().enumerate() {
            agreed[i] = match agreed[i] {
                None => Some(Some(j)),
                Some(Some(prev)) if prev == j => Some(Some(j)),
                _ => Some(None),
            };
        }
        count < MAX_PLACEMENTS
    });
    if count >= MAX_PLACEMENTS {
        return vec![None; m];
    }
    agreed.into_iter().map(Option::flatten).collect()
}

/// Walk every placement whose cost stays within `limit`, from the end
/// (cells `..i` into slots `..j`, `spent` already on the cells after them).
#[allow(clippy::too_many_arguments)]
fn enumerate(
    i: usize,
    j: usize,
    spent: f32,
    limit: f32,
    best: &[Vec<f32>],
    fit: &dyn Fn(usize, usize) -> f32,
    skip: &dyn Fn(usize, usize) -> f32,
    path: &mut Vec<usize>,
    found: &mut dyn FnMut(&[usize]) -> bool,
) -> bool {
    if spent + best[i][j] > limit {
        return true;
    }
    if j == 0 {
        return i > 0 || found(path);
    }
    if i > 0 {
        path[i - 1] = j - 1;
        if !enumerate(i - 1, j - 1, spent + fit(i - 1, j - 1), limit, best, fit, skip, path, found) {
            return false;
        }
    }
    if j > i {
        return enumerate(i, j - 1, spent + skip(j - 1, i), limit, best, fit, skip, path, found);
    }
    true
}

/// What it costs to put a cell into a column.
fn cost(cell: Look, slot: &Slot) -> f32 {
    match slot.class {
        Class::Value if cell.kind == Kind::Mixed => 0.5,
        Class::Value if cell.kind.is_value() => slot.profile.distance(cell.digits),
        Class::Text if matches!(cell.kind, Kind::Text | Kind::Code) => 0.0,
        Class::Text if cell.kind == Kind::Mixed => 1.0,
        _ => WRONG_CLASS,
    }
}

/// Which columns the cells of a block's short rows and of its total row
/// take, decided by the sums: every detail row has the same number of
/// cells, and the placement under which the most columns add up to what
/// the total row says (within one unit per row, for rounding) wins, when at
/// least two columns agree, one of them on more than zero. Among placements the sums cannot tell
/// apart, the one that keeps the magnitudes of sibling columns (`family`:
/// columns headed alike, such as a run of years) closest wins, if alone.
/// Returns, per cell position, the column of the detail rows and of the total row.
pub fn by_totals(
    details: &[Vec<Option<f64>>],
    total: &[Option<f64>],
    family: &[usize],
) -> Option<(Vec<usize>, Vec<usize>)> {
    let columns = family.len();
    let width = details.first()?.len();
    if details.iter().any(|d| d.len() != width) || width > columns || total.len() > columns || details.len() < 2 {
        return None;
    }
    let detail_patterns = patterns(width, columns)?;
    let total_patterns = patterns(total.len(), columns)?;
    let tolerance = details.len() as f64;
    let mut best: Option<Choice> = None;
    let mut tied = false;
    for dp in &detail_patterns {
        let spread = -spread(details, dp, family);
        for tp in &total_patterns {
            let (mut agree, mut zeros, mut disagree) = (0, 0, 0);
            for (t, &column) in tp.iter().enumerate() {
                let Some(stated) = total[t] else { continue };
                let sum: f64 =
                    details.iter().filter_map(|d| dp.iter().position(|&c| c == column).and_then(|i| d[i])).sum();
                if (sum - stated).abs() > tolerance {
                    disagree += 1;
                } else if stated == 0.0 {
                    zeros += 1;
                } else {
                    agree += 1;
                }
            }
            // Two columns must add up, one of them to more than nothing.
            if disagree > 0 || agree == 0 || agree + zeros < 2 {
                continue;
            }
            let rank = (agree, spread);
            match &best {
                Some((n, _, _)) if rank < *n => {}
                Some((n, _, _)) if rank == *n => tied = true,
                _ => {
                    tied = false;
                    best = Some((rank, dp.clone(), tp.clone()));
                }
            }
        }
    }
    best.filter(|_| !tied).map(|(_, d, t)| (d, t))
}

/// A placement by the sums: its rank (columns that add up, closeness of
/// sibling magnitudes), the detail rows' columns and the total row's.
type Choice = ((usize, i32), Vec<usize>, Vec<usize>);

/// How far apart (in digits) the magnitudes of the detail cells are within
/// each family of columns, summed, when placed by `pattern`.
fn spread(details: &[Vec<Option<f64>>], pattern: &[usize], family: &[usize]) -> i32 {
    let families = family.iter().max().map_or(0, |f| f + 1);
    let mut ranges: Vec<(i32, i32)> = vec![(i32::MAX, i32::MIN); families];
    for d in details {
        for (i, &column) in pattern.iter().enumerate() {
            let Some(v) = d[i].filter(|v| *v != 0.0) else { continue };
            let digits = v.abs().log10().floor() as i32;
            let r = &mut ranges[family[column]];
            *r = (r.0.min(digits), r.1.max(digits));
        }
    }
    ranges.iter().filter(|r| r.0 <= r.1).map(|r| r.1 - r.0).sum()
}

/// Re-place the rows of each block that ends in a total row (`Totaal …`)
/// by the sums the total states ([`by_totals`]), when every detail row of
/// the block lacks the same number of cells.
pub(super) fn settle_by_totals(rows: &mut [super::DraftRow], heads: &[super::Head]) {
    let family: Vec<usize> =
        heads.iter().enumerate().map(|(i, h)| if is_year_head(&h.label) { 0 } else { i + 1 }).collect();
    let value = |raw: &str| crate::numbers::parse_number(super::build::strip_sign_mark(raw)).map(|n| n.value);
    let mut start = 0;
    for end in 0..rows.len() {
        if !super::build::is_total(&rows[end].label) {
            continue;
        }
        let block = start..end;
        start = end + 1;
        let short = rows[block.clone()].first().is_some_and(|r| r.cells.len() < heads.len());
        if !short {
            continue;
        }
        let details: Vec<Vec<Option<f64>>> =
            rows[block.clone()].iter().map(|r| r.cells.iter().map(|c| value(&c.0)).collect()).collect();
        let total: Vec<Option<f64>> = rows[end].cells.iter().map(|c| value(&c.0)).collect();
        let Some((dp, tp)) = by_totals(&details, &total, &family) else { continue };
        for row in &mut rows[block] {
            row.cells.iter_mut().zip(&dp).for_each(|(c, &j)| c.1 = Some(j));
        }
        rows[end].cells.iter_mut().zip(&tp).for_each(|(c, &j)| c.1 = Some(j));
    }
}

/// A column headed by a year or a year range alone.
fn is_year_head(label: &str) -> bool {
    super::cell::bare_year(label).is_some() || super::cell::year_range(label)
}

/// Every way to keep `len` of `columns` columns in order (none when there are too many).
fn patterns(len: usize, columns: usize) -> Option<Vec<Vec<usize>>> {
    let mut out = Vec::new();
    let mut current = Vec::with_capacity(len);
    fn walk(next: usize, len: usize, columns: usize, current: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) -> bool {
        if current.len() == len {
            out.push(current.clone());
            return out.len() <= MAX_PLACEMENTS;
        }
        for c in next..columns {
            if columns - c < len - current.len() {
                break;
            }
            current.push(c);
            let more = walk(c + 1, len, columns, current, out);
            current.pop();
            if !more {
                return false;
            }
        }
        true
    }
    walk(0, len, columns, &mut current, &mut out).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::cell::look;

    fn run(cells: &[&str], columns: &[(Class, &[&str])], cut: bool) -> Vec<Option<usize>> {
        let profiles: Vec<Profile> = columns
            .iter()
            .map(|(_, seen)| {
                let mut p = Profile::default();
                seen.iter().for_each(|s| p.observe(look(s)));
                p
            })
            .collect();
        let slots: Vec<Slot> =
            columns.iter().zip(&profiles).map(|((class, _), profile)| Slot { class: *class, profile }).collect();
        let looks: Vec<Look> = cells.iter().map(|c| look(c)).collect();
        place(&looks, &slots, cut)
    }

    const V: Class = Class::Value;
    const T: Class = Class::Text;

    #[test]
    fn a_vanished_text_cell_is_identified_by_class() {
        let placed =
            run(&["333", "457", "0"], &[(T, &["Lasten"]), (V, &["28.224"]), (V, &["58.210"]), (V, &["-8.473"])], false);
        assert_eq!(placed, vec![Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn equal_columns_leave_the_row_ambiguous() {
        let placed = run(&["9", "7", "4"], &[(V, &["2,9"]), (V, &["2,9"]), (V, &["2,0"]), (V, &["2,5"])], false);
        assert_eq!(placed, vec![None, None, None]);
    }

    #[test]
    fn magnitudes_decide_where_they_can() {
        let columns: &[(Class, &[&str])] =
            &[(V, &["200.000"]), (V, &["40", "20"]), (V, &["8.000"]), (V, &["7.925"]), (V, &["7.850"])];
        let placed = run(&["240.000", "40", "9.510", "9.420"], columns, false);
        assert_eq!(placed, vec![Some(0), Some(1), None, None]);
        let placed = run(&["153.284", "164.461"], &[(V, &["1", "2"]), (V, &["12.144"]), (V, &["12.343"])], true);
        assert_eq!(placed, vec![Some(1), Some(2)], "a cut row keeps reading order, but not against the magnitudes");
    }

    #[test]
    fn totals_decide_which_cells_vanished() {
        // Items miss their first year column, the total misses the term column.
        let details = vec![
            vec![Some(240.0), Some(40.0), Some(9.6), Some(9.5)],
            vec![Some(200.0), Some(20.0), Some(8.0), Some(7.9)],
        ];
        let total = vec![Some(440.0), Some(0.0), Some(17.6), Some(17.4)];
        let family = [0, 1, 2, 2, 2];
        assert_eq!(by_totals(&details, &total, &family), Some((vec![0, 1, 3, 4], vec![0, 2, 3, 4])));
        assert_eq!(by_totals(&details, &total, &[0, 1, 2, 3, 4]), None, "without siblings the sums leave it open");
        let no_evidence = vec![Some(1.0), Some(0.0), Some(0.0), Some(0.0)];
        assert_eq!(by_totals(&details, &no_evidence, &family), None);
    }

    #[test]
    fn a_cut_row_is_read_from_the_left() {
        let placed = run(&["9", "7"], &[(V, &["2,9"]), (V, &["2,9"]), (V, &["2,0"])], true);
        assert_eq!(placed, vec![Some(0), Some(1)]);
    }
}
