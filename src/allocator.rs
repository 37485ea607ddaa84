//! Settings of mimalloc, the allocator the `begrip` binary (and the bench) uses.
//!
//! mimalloc gives freed memory back to the kernel a while after it is freed
//! ("purging"; v3 waits up to a second). A parse frees and allocates large amounts in turn (the line
//! list, the table stage's working vectors, the tree), so the kernel zeroed
//! and faulted in the same memory again: on a 108 MB input purging cost half
//! the wall time (1.55 s → 0.78 s without it; system time 0.82 s → 0.11 s),
//! and a third of the 20 MB bench. Without purging, freed memory stays with
//! the process for the next allocation; the peak (what the kernel must give
//! the process anyway) is unchanged, and it is all returned when the process
//! ends. See docs/performance.md.

use std::os::raw::{c_int, c_long};

// Links mimalloc's C library (which defines the functions below) also where its allocator is
// not installed, as in the library's own tests.
extern crate mimalloc;

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e` (`mimalloc.h`;
/// libmimalloc-sys 0.1.49, pinned in Cargo.lock). The test below checks that
/// this option still has its default of 1000 ms (`src/options.c`).
const MI_OPTION_PURGE_DELAY: c_int = 15;

extern "C" {
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_option_set(option: c_int, value: c_long);
}

/// Turn mimalloc's purging of freed memory off (`MIMALLOC_PURGE_DELAY=-1`),
/// unless the environment sets the delay (then that value stays).
pub fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: `mi_option_set` is mimalloc's documented, thread-safe setter of an option by its
    // number (linked in through the `mimalloc` crate); it takes plain integers and touches no
    // memory of ours. An unknown number is ignored by mimalloc (it checks the range).
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// The purge delay mimalloc uses now, in milliseconds (-1: never).
pub fn purge_delay() -> c_long {
    // SAFETY: as above; a getter of an integer option.
    unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    /// The option number names the purge delay: its default is 1000 ms (unless
    /// the environment sets it), and setting it is seen.
    #[test]
    fn the_option_number_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        let before = super::purge_delay();
        assert!(before == 1000 || before == -1, "purge delay {before}: not mimalloc v3's option 15?");
        super::keep_freed_memory();
        assert_eq!(super::purge_delay(), -1);
    }
}
