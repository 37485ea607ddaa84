//! Byte-level helpers shared by the stages.

/// How many bytes of `bytes` satisfy `wanted`, counted in one branch-free
/// pass that the compiler vectorises (chunks of 255, so each chunk's count
/// fits a byte lane).
pub fn count_where(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> usize {
    bytes.chunks(255).map(|chunk| usize::from(chunk.iter().map(|&b| u8::from(wanted(b))).sum::<u8>())).sum()
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

    #[test]
    fn counts_across_chunks() {
        assert_eq!(count_where(b"", |b| b == b' '), 0);
        assert_eq!(count_where(b"a b  c", |b| b == b' '), 3);
        assert_eq!(count_where(&[b'x'; 1000], |b| b == b'x'), 1000);
    }
}
