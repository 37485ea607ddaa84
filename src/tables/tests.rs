//! Helpers for the readers' unit tests.

use super::{Draft, Reader, Trace};
use crate::normalize::{items_of, normalize_text};

/// The drafts one reader finds in `text`.
pub(crate) fn drafts_of(text: &str, read: Reader) -> Vec<Draft> {
    let normalized = normalize_text(text);
    let items = items_of(&normalized.lines);
    read(&items, &vec![false; items.len()], &mut Trace::off())
}
