//! Byte-level helpers shared by the stages.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// How many bytes of `bytes` satisfy `wanted`, counted in one branch-free
/// pass that the compiler vectorises (chunks of 255, so each chunk's count
/// fits a byte lane).
pub fn count_where(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> usize {
    bytes.chunks(255).map(|chunk| usize::from(chunk.iter().map(|&b| u8::from(wanted(b))).sum::<u8>())).sum()
}

/// How many neighbouring pairs `(bytes[i - 1], bytes[i])` satisfy `wanted`,
/// counted as [`count_where`] counts (the two slices walked in step).
pub fn count_pairs_where(bytes: &[u8], wanted: impl Fn(u8, u8) -> bool) -> usize {
    let Some(rest) = bytes.get(1..) else { return 0 };
    let pair_count = |(before, after): (&[u8], &[u8])| {
        usize::from(before.iter().zip(after).map(|(&a, &b)| u8::from(wanted(a, b))).sum::<u8>())
    };
    bytes.chunks(255).zip(rest.chunks(255)).map(pair_count).sum()
}

/// Eight bytes as one word, for the word-at-a-time tests below.
pub fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Non-zero when some byte of `word` is below `n` (`n` at most 128): the
/// classic word-at-a-time test, exact for "some byte", not for which.
pub fn any_below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH
}

/// Non-zero when some byte of `word` is `b`.
pub fn any_equal(word: u64, b: u8) -> u64 {
    any_below(word ^ (ONES * u64::from(b)), 1)
}

/// A set of bytes held as one range plus up to four single bytes, so that a
/// text is searched for them 16 bytes at a time (SSE2 compares on x86_64;
/// byte by byte elsewhere), where a lookup table goes byte by byte.
#[derive(Debug, Clone)]
pub struct ByteSet {
    low: u8,
    /// `high - low`.
    span: u8,
    /// Members outside the range (unused places repeat `low`).
    singles: [u8; 4],
}

impl ByteSet {
    /// The set of the bytes `members` marks, held as the range from its
    /// smallest to its largest capital letter (`A`–`Z` for names) and the
    /// others singly; `None` when more than four are not capital letters.
    /// Bytes in the range that are not members are found too: callers check
    /// each position found.
    pub fn of_members(members: &[bool; 256]) -> Option<ByteSet> {
        let capitals: Vec<u8> = (b'A'..=b'Z').filter(|&b| members[usize::from(b)]).collect();
        let (&low, &high) = (capitals.first().unwrap_or(&b'A'), capitals.last().unwrap_or(&b'A'));
        let others: Vec<u8> = (0..=255u8).filter(|&b| members[usize::from(b)] && !(low..=high).contains(&b)).collect();
        let mut singles = [low; 4];
        singles.get_mut(..others.len())?.copy_from_slice(&others);
        Some(ByteSet { low, span: high - low, singles })
    }

    /// Whether `b` is in the range or one of the single bytes.
    #[inline]
    fn holds(&self, b: u8) -> bool {
        b.wrapping_sub(self.low) <= self.span || self.singles.contains(&b)
    }

    /// Bit `i` set when `chunk[i]` is held.
    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn mask(&self, chunk: &[u8; 16]) -> u32 {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_sub_epi8,
        };
        let splat = |b: u8| i8::from_ne_bytes([b]);
        // SAFETY: SSE2 is part of every x86_64 CPU; the load reads the 16 bytes of `chunk`
        // (unaligned loads are allowed). Nothing else touches memory.
        let held = unsafe {
            let bytes = _mm_loadu_si128(chunk.as_ptr().cast());
            // In the range: b - low <= span, compared unsigned.
            let offset = _mm_sub_epi8(bytes, _mm_set1_epi8(splat(self.low)));
            let mut held = _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(splat(self.span))), offset);
            for single in self.singles {
                held = _mm_or_si128(held, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(splat(single))));
            }
            _mm_movemask_epi8(held)
        };
        held as u32 & 0xFFFF
    }

    /// Bit `i` set when `chunk[i]` is held.
    #[cfg(not(target_arch = "x86_64"))]
    fn mask(&self, chunk: &[u8; 16]) -> u32 {
        chunk.iter().enumerate().fold(0, |mask, (i, &b)| mask | u32::from(self.holds(b)) << i)
    }

    /// The first position at or after `from` whose byte is held and that
    /// `wanted` accepts.
    pub fn find(&self, bytes: &[u8], from: usize, wanted: impl Fn(usize) -> bool) -> Option<usize> {
        let mut at = from;
        while let Some(chunk) = bytes.get(at..at + 16) {
            let mut mask = self.mask(chunk.try_into().ok()?);
            while mask != 0 {
                let i = at + mask.trailing_zeros() as usize;
                if wanted(i) {
                    return Some(i);
                }
                mask &= mask - 1;
            }
            at += 16;
        }
        (at.min(bytes.len())..bytes.len()).find(|&i| self.holds(bytes[i]) && wanted(i))
    }
}

/// A fast hash for short words (the multiply-rotate hash of rustc's
/// `FxHasher`), for sets of fixed words asked about many times (the
/// organisation names about every capitalised word of a page, the HTML
/// rules about every class name): with keys that are data shipped with the
/// crate, a keyed hash buys nothing.
#[derive(Default)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of words hashed by [`WordHasher`].
pub type WordSet = HashSet<String, BuildHasherDefault<WordHasher>>;

/// A map from words hashed by [`WordHasher`].
pub type WordMap<V> = HashMap<String, V, BuildHasherDefault<WordHasher>>;

/// Call `check` with every byte value in every place of a word of
/// otherwise plain bytes (`a`–`h`), for testing word-at-a-time tests.
#[cfg(test)]
pub fn each_byte_in_each_place(mut check: impl FnMut(u64, u8)) {
    for b in 0..=255u8 {
        for place in 0..8 {
            let mut bytes = *b"abcdefgh";
            bytes[place] = b;
            check(u64::from_le_bytes(bytes), b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_tests_agree_with_byte_tests() {
        each_byte_in_each_place(|word, b| {
            assert_eq!(any_below(word, 0x20) != 0, b < 0x20, "{b:#x}");
            assert_eq!(any_equal(word, b'"') != 0, b == b'"', "{b:#x}");
            assert_eq!(any_equal(word, 0x7F) != 0, b == 0x7F, "{b:#x}");
        });
        assert_eq!(word_at(b"abcdefgh", 0), Some(u64::from_le_bytes(*b"abcdefgh")));
        assert_eq!(word_at(b"1234567", 0), None);
    }

    /// Every position a byte set finds, in texts of every length around the
    /// chunk size, is what a byte-by-byte search finds.
    #[test]
    fn byte_sets_find_what_a_byte_search_finds() {
        let mut members = [false; 256];
        for b in *b"ABGZ'h\xC3@" {
            members[usize::from(b)] = true;
        }
        let set = ByteSet::of_members(&members).expect("four bytes outside A-Z");
        let text: Vec<u8> = (0..200u32).map(|i| b"xA h'Bq\xC3\xA9zZ@[`G 9"[(i * 7 % 16) as usize]).collect();
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 64, 65, 100, 200] {
            let text = &text[..len];
            for from in 0..=len.min(40) {
                let by_byte: Vec<usize> = (from..len).filter(|&i| members[usize::from(text[i])]).collect();
                let mut found = Vec::new();
                let mut at = from;
                while let Some(i) = set.find(text, at, |i| members[usize::from(text[i])]) {
                    found.push(i);
                    at = i + 1;
                }
                assert_eq!(found, by_byte, "len {len} from {from}");
            }
        }
        members[usize::from(b'a')] = true;
        assert!(ByteSet::of_members(&members).is_none(), "five bytes outside A-Z");
    }

    #[test]
    fn counts_across_chunks() {
        assert_eq!(count_where(b"", |b| b == b' '), 0);
        assert_eq!(count_where(b"a b  c", |b| b == b' '), 3);
        assert_eq!(count_where(&[b'x'; 1000], |b| b == b'x'), 1000);
        let text: Vec<u8> = (0..1000u32).map(|i| b"a 1 22 b3"[(i * 5 % 9) as usize]).collect();
        for len in [0, 1, 2, 254, 255, 256, 257, 511, 1000] {
            let text = &text[..len];
            let by_window = text.windows(2).filter(|w| w[0] == b' ' && w[1] != b' ').count();
            assert_eq!(count_pairs_where(text, |a, b| a == b' ' && b != b' '), by_window, "{len}");
        }
    }
}
