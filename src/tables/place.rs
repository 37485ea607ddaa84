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
    fn a_cut_row_is_read_from_the_left() {
        let placed = run(&["9", "7"], &[(V, &["2,9"]), (V, &["2,9"]), (V, &["2,0"])], true);
        assert_eq!(placed, vec![Some(0), Some(1)]);
    }
}
