//! Where a line of extracted text starts in the HTML source: the parser
//! gives the line of each node; the column is found by looking for the
//! text's first word on that line, onwards from the last one found there.

use super::Origin;

/// Bytes of a source line searched for one word (keeps a minified page,
/// one line of megabytes, linear).
const SEARCH_BYTES: usize = 1 << 16;
/// Longest word looked for.
const NEEDLE_BYTES: usize = 24;

/// Finds columns in one source text, in reading order.
pub struct Locator<'a> {
    source: &'a str,
    /// Byte offset of the start of each line (line 1 at index 0).
    line_starts: Vec<usize>,
    /// The last place found: line, byte offset, column.
    last: (u32, usize, u32),
}

impl<'a> Locator<'a> {
    /// A locator over `source`.
    pub fn new(source: &'a str) -> Locator<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        Locator { source, line_starts, last: (0, 0, 1) }
    }

    /// The origin of `text`, which starts on source line `line`.
    pub fn locate(&mut self, line: u32, text: &str) -> Origin {
        let index = line as usize;
        let Some(&line_start) = self.line_starts.get(index.wrapping_sub(1)) else {
            return Origin { line, column: 1 };
        };
        let line_end = self.line_starts.get(index).map_or(self.source.len(), |&next| next - 1);
        let (from, column_at_from) =
            if self.last.0 == line && self.last.1 >= line_start { (self.last.1, self.last.2) } else { (line_start, 1) };
        let window_end = floor_char_boundary(self.source, line_end.min(from + SEARCH_BYTES));
        let Some(needle) = needle(text) else { return Origin { line, column: column_at_from } };
        let Some(found) = memchr::memmem::find(&self.source.as_bytes()[from..window_end], needle.as_bytes()) else {
            return Origin { line, column: column_at_from };
        };
        let offset = from + found;
        let chars = u32::try_from(self.source[from..offset].chars().count()).unwrap_or(u32::MAX);
        let column = column_at_from.saturating_add(chars);
        self.last = (line, offset, column);
        Origin { line, column }
    }
}

/// The first word of `text` made of ASCII letters and digits (entities
/// and other escapes can only stand between such words), cut short.
fn needle(text: &str) -> Option<&str> {
    let start = text.find(|c: char| c.is_ascii_alphanumeric())?;
    let rest = &text[start..];
    let end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len()).min(NEEDLE_BYTES);
    Some(&rest[..end])
}

/// The largest character boundary of `text` at or below `at`.
fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_words_on_a_line() {
        let source = "<p>Een</p>\n<td>&euro; 5</td><td>café Tien</td>";
        let mut locator = Locator::new(source);
        assert_eq!(locator.locate(1, "Een"), Origin { line: 1, column: 4 });
        assert_eq!(locator.locate(2, "€ 5"), Origin { line: 2, column: 12 }, "the column of the first word");
        assert_eq!(locator.locate(2, "café Tien"), Origin { line: 2, column: 22 });
        assert_eq!(locator.locate(2, "€"), Origin { line: 2, column: 22 }, "nothing to look for: the last column");
        assert_eq!(locator.locate(9, "Weg"), Origin { line: 9, column: 1 });
    }
}
