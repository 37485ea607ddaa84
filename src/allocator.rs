//! Settings of mimalloc, the allocator the `begrip` binary (and the bench) uses.
//!
//! mimalloc gives freed memory back to the kernel a while after it is freed
//! ("purging"; v3 waits up to a second). A parse frees and allocates large
//! amounts in turn (the line list, the table stage's working vectors, the
//! tree), so the kernel zeroed and faulted in the same memory again (the
//! issue measured 1.55 s → 0.78 s wall time on a 108 MB input without it;
//! here, 200 MB to CSV, system time 1.15–1.78 s → 0.61–1.29 s). Without
//! purging, freed memory stays with the process for the next allocation and
//! the peak of a parse to CSV stays what it was (+3 %); it all goes back when
//! the process ends. Not for a large input to JSON: that output is held whole
//! in a buffer that doubles, and every freed size of it would stay too (200 MB:
//! peak 1.74–2.11 GB with the default delay, 2.46 GB without purging), so
//! `parse -f json` purges after 10 ms (1.72 GB) and `batch` (small pages)
//! keeps mimalloc's default. See docs/performance.md.

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
    set_purge_delay(-1);
}

/// Purge freed memory `ms` milliseconds after it is freed, unless the
/// environment sets the delay: for the JSON of a large input, whose doubling
/// buffer would otherwise hold every size it had until mimalloc's default
/// second has passed (the peak then depends on how fast the machine is).
pub fn purge_freed_memory_soon() {
    set_purge_delay(10);
}

fn set_purge_delay(ms: c_long) {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: `mi_option_set` is mimalloc's documented, thread-safe setter of an option by its
    // number (linked in through the `mimalloc` crate); it takes plain integers and touches no
    // memory of ours. An unknown number is ignored by mimalloc (it checks the range).
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, ms) }
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
