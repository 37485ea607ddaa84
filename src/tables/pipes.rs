//! Tables written one row per line with `|` between the cells.

use super::{Draft, Trace};
use crate::normalize::Item;

/// Every pipe table.
pub(super) fn read(_items: &[Item], _taken: &[bool], _trace: &mut Trace) -> Vec<Draft> {
    Vec::new()
}
