//! Helpers for the readers' unit tests.

use super::{Draft, Trace};
use crate::normalize::{items_of, normalize_text, Item};

/// The drafts one reader finds in `text`.
pub(crate) fn drafts_of(text: &str, read: fn(&[Item], &[bool], &mut Trace) -> Vec<Draft>) -> Vec<Draft> {
    let normalized = normalize_text(text);
    let items = items_of(&normalized.lines);
    read(&items, &vec![false; items.len()], &mut Trace::off())
}
