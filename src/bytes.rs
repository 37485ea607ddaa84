//! Byte-level helpers shared by the stages.

/// How many bytes of `bytes` satisfy `wanted`, counted in one branch-free
/// pass that the compiler vectorises (chunks of 255, so each chunk's count
/// fits a byte lane).
pub fn count_where(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> usize {
    bytes.chunks(255).map(|chunk| usize::from(chunk.iter().map(|&b| u8::from(wanted(b))).sum::<u8>())).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_across_chunks() {
        assert_eq!(count_where(b"", |b| b == b' '), 0);
        assert_eq!(count_where(b"a b  c", |b| b == b' '), 3);
        assert_eq!(count_where(&[b'x'; 1000], |b| b == b'x'), 1000);
    }
}
