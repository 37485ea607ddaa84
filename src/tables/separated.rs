//! Tables written one row per line with spaces between the cells.

use super::{Draft, Trace};
use crate::normalize::Item;

/// Every space-separated table.
pub(super) fn read(_items: &[Item], _taken: &[bool], _trace: &mut Trace) -> Vec<Draft> {
    Vec::new()
}
