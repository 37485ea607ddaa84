//! The shape of one content line, judged from the line alone.

use std::borrow::Cow;

use super::Hint;
use crate::rules::rules;

/// What a content line looks like on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Short, no final full stop: may be a heading (the segmenter decides).
    Heading,
    /// A known block label (`Stand van zaken:`), or a short line ending in a colon.
    Label,
    /// An item of a bulleted list (marker removed from the text).
    ListItem,
    /// A number-like table cell (`1.350`, `11,6%`, `nnb`, `-`).
    Value,
    /// Running text.
    Paragraph,
    /// A status icon of an HTML page, written as its status word (`Groen`).
    Status,
}

/// Longest line (in characters) that can still be a heading.
const HEADING_MAX_CHARS: usize = 110;
/// Most words a heading can have.
const HEADING_MAX_WORDS: usize = 16;
/// Most words an unknown label ending in a colon can have.
const LABEL_MAX_WORDS: usize = 4;
/// Longest label (in characters, without its colon).
const LABEL_MAX_CHARS: usize = 60;

/// Longest line an HTML heading element makes a heading of, whatever its
/// text looks like.
const MARKUP_HEADING_MAX_CHARS: usize = 200;

/// The shape of a line of an HTML page: its text's shape, refined by the
/// element that made it (a status icon; a heading element whose text looks
/// like running text; a paragraph all in bold that reads as a label).
pub fn refined(shape: Shape, hint: Hint, text: &str) -> Shape {
    match hint {
        Hint::Status => Shape::Status,
        Hint::Heading(_) if shape == Shape::Paragraph && at_most_chars(text, MARKUP_HEADING_MAX_CHARS) => {
            Shape::Heading
        }
        Hint::Bold if shape == Shape::Paragraph && is_bold_label(text) => Shape::Label,
        _ => shape,
    }
}

/// Whether a paragraph all in bold is a label (`<p><strong>Wat hebben we in
/// 2024 gedaan voor de wijk:</strong></p>`), as a label line of a text export
/// is, though its text alone would be running text (too many words before
/// its colon, a small letter first): label-sized, and not a sentence (a
/// bold sentence is emphasis) nor a clause that announces what follows
/// (`De belangrijkste wijzigingen zijn:`).
fn is_bold_label(text: &str) -> bool {
    let bare = text.strip_suffix(':').unwrap_or(text).trim_end();
    let sentence_end = bare.ends_with(['.', ';', ',', '!']);
    !sentence_end && at_most_chars(bare, LABEL_MAX_CHARS) && at_most_words(bare, HEADING_MAX_WORDS) && !is_lead_in(bare)
}

/// Classify a folded, non-empty line; list markers are removed from the text.
pub fn classify(text: Cow<'_, str>) -> (Cow<'_, str>, Shape) {
    if let Some(start) = bullet_item_start(&text) {
        let item = match text {
            Cow::Borrowed(line) => Cow::Borrowed(&line[start..]),
            Cow::Owned(mut line) => {
                line.drain(..start);
                Cow::Owned(line)
            }
        };
        return (item, Shape::ListItem);
    }
    let shape = if is_value_like(&text) {
        Shape::Value
    } else if is_label(&text) {
        Shape::Label
    } else if is_heading_like(&text) {
        Shape::Heading
    } else {
        Shape::Paragraph
    };
    (text, shape)
}

/// Where the item of a list line starts: after the marker of `• tekst`,
/// `◦ tekst`, `- tekst` (a dash only before a letter) and the spaces after it.
fn bullet_item_start(text: &str) -> Option<usize> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    let is_bullet = match first {
        '•' | '◦' | '▪' | '●' | '·' | '○' | '■' => true,
        '-' | '–' => rest.starts_with(' ') && rest.trim_start().chars().next().is_some_and(char::is_alphabetic),
        _ => false,
    };
    let item = rest.trim_start();
    (is_bullet && !item.is_empty()).then(|| text.len() - item.len())
}

/// A known label, or a short capitalised line ending in a colon.
fn is_label(text: &str) -> bool {
    let bare = text.strip_suffix(':').unwrap_or(text).trim_end();
    if !at_most_chars(bare, LABEL_MAX_CHARS) {
        return false;
    }
    if rules().label(bare).is_some() {
        return true;
    }
    text.ends_with(':') && at_most_words(bare, LABEL_MAX_WORDS) && starts_upper(bare) && !is_lead_in(bare)
}

/// Words that open a sentence, not a label (`De belangrijkste wijzigingen
/// zijn:`, `Het gaat om:`, `Wij zetten in op twee doelen:`).
const SENTENCE_OPENERS: [&str; 14] =
    ["de", "het", "een", "dit", "deze", "die", "dat", "wij", "we", "er", "hier", "hierbij", "daarbij", "daarnaast"];

/// A clause of three words or more that announces what follows, opened by
/// an article or pronoun: running text, no label.
fn is_lead_in(bare: &str) -> bool {
    let first = bare.split(' ').next().unwrap_or("").to_lowercase();
    !at_most_words(bare, 2) && SENTENCE_OPENERS.contains(&first.as_str())
}

fn starts_upper(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Short, capitalised, no final full stop, semicolon or comma.
pub fn is_heading_like(text: &str) -> bool {
    if is_contents_entry(text) || ends_in_glued_numbers(text) {
        return false;
    }
    let last = text.chars().last().unwrap_or('.');
    // (`§ Verbonden partijen`: a paragraph sign opens a heading too.)
    let first_ok =
        text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || matches!(c, '\'' | '§'));
    first_ok
        && !matches!(last, '.' | ';' | ',' | ':')
        && at_most_chars(text, HEADING_MAX_CHARS)
        && at_most_words(text, HEADING_MAX_WORDS)
        || text.ends_with("...") && at_most_chars(text, HEADING_MAX_CHARS)
}

/// An entry of a table of contents: a title, a dot leader and its page
/// (`Aanbiedingsbrief ...... 5`, `I. BELEIDSBEGROTING ...... 7`): never a heading.
fn is_contents_entry(text: &str) -> bool {
    let Some(leader) = text.find("....") else { return false };
    let after = text[leader..].trim_start_matches(['.', ' ', '…']);
    after.starts_with(|c: char| c.is_ascii_digit())
}

/// A row whose values the export glued to its label and to each other
/// (`Netto arbeidsparticipatiegraad70,869,669,1`): the last word runs from
/// a letter straight into digits and holds two separators or more. Never a
/// heading (`B2020`, `COVID-19` are).
fn ends_in_glued_numbers(text: &str) -> bool {
    let last = text.rsplit(' ').next().unwrap_or(text);
    let bytes = last.as_bytes();
    let letter_then_digit = bytes.windows(2).any(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_digit());
    letter_then_digit && bytes.iter().filter(|&&b| b == b',' || b == b'.').count() >= 2
}

/// Whether `text` has at most `n` characters (the byte length settles most texts without counting).
pub fn at_most_chars(text: &str, n: usize) -> bool {
    text.len() <= n || (text.len() <= 4 * n && text.chars().count() <= n)
}

/// Whether folded `text` (single spaces, trimmed: see
/// [`crate::normalize::fold_spaces`]) has at most `n` words: fewer than `n`
/// spaces, counted in one vectorised pass.
pub fn at_most_words(text: &str, n: usize) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() < n {
        return true;
    }
    crate::bytes::count_where(bytes, |b| b == b' ') < n || text.is_empty()
}

/// Longest word in [`NOT_AVAILABLE`], in bytes.
const NOT_AVAILABLE_MAX_BYTES: usize = 6;

/// Words that stand for a missing value in a table cell.
/// `V` and `N` (voordeel, nadeel) mark the sign of an amount in financial tables.
const NOT_AVAILABLE: [&str; 16] =
    ["nnb", "n.n.b.", "n.n.b", "nvt", "n.v.t.", "n.v.t", "pm", "p.m.", "-", "–", "n.b.", "n.b", "x", "nb", "v", "n"];

/// A number-like cell: digits with Dutch separators, signs, `%`, `€`, stars,
/// comparison signs (`> 2,0`, `6- 6,5*`), quarters (`2017 Q3`), or a word for n/a.
/// A number with a closing bracket (`1)`) marks a note or a list item.
pub fn is_value_like(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() > 40 {
        return false;
    }
    // Every word for n/a starts with `n`, `p`, `x`, `v` (either case), `-` or `–` (0xE2 …).
    let may_be_na = bytes.first().is_some_and(|&b| matches!(b | 0x20, b'n' | b'p' | b'x' | b'v' | b'-' | 0xE2));
    if may_be_na
        && bytes.len() <= NOT_AVAILABLE_MAX_BYTES
        && NOT_AVAILABLE.iter().any(|na| na.eq_ignore_ascii_case(text))
    {
        return true;
    }
    let mut digits = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => digits += 1,
            b'.' | b',' | b'%' | b'*' | b'<' | b'>' | b'=' | b'+' | b'-' | b' ' | b'x' | b'/' | b'(' | b')' => {}
            // `€`, `−` and `–`, the only other characters a value has.
            0xE2 if matches!(bytes.get(i + 1..i + 3), Some([0x82, 0xAC] | [0x88, 0x92] | [0x80, 0x93])) => i += 2,
            _ => return is_quarter(text),
        }
        i += 1;
    }
    digits > 0 && !is_note_mark(bytes)
}

/// A note's or a list item's number with its closing bracket (`1)`, `12)`).
fn is_note_mark(bytes: &[u8]) -> bool {
    matches!(bytes, [d, b')'] | [d, _, b')'] if d.is_ascii_digit())
        && bytes[..bytes.len() - 1].iter().all(u8::is_ascii_digit)
}

/// Whether a word (no space in it) starting with byte `b` can be [`is_value_like`]: a digit,
/// a sign or mark (`(` to `>` holds `( ) * + , - . /`, the digits and
/// `< = >`), `%`, the lead byte of `€`, `−` and `–`, or the first letter of
/// a word for n/a (`nvt`, `pm`, `x`, `v`) or of a quarter (`Q3 2017`).
pub fn may_start_value(b: u8) -> bool {
    matches!(b, b'('..=b'>' | b'%' | 0xE2) || matches!(b | 0x20, b'n' | b'p' | b'q' | b'v' | b'x')
}

/// `2017 Q3`, `Q4 2022`.
fn is_quarter(text: &str) -> bool {
    if text.len() != 7 {
        return false;
    }
    let parts: Vec<&str> = text.split_whitespace().collect();
    let quarter = |s: &str| s.len() == 2 && s.starts_with('Q') && s[1..].chars().all(|c| ('1'..='4').contains(&c));
    let year = |s: &str| s.len() == 4 && s.chars().all(|c| c.is_ascii_digit());
    parts.len() == 2 && ((year(parts[0]) && quarter(parts[1])) || (quarter(parts[0]) && year(parts[1])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(s: &str) -> Shape {
        classify(s.into()).1
    }

    #[test]
    fn a_bold_paragraph_is_a_label_unless_it_is_a_sentence() {
        for text in ["Wat hebben we in 2024 gedaan voor de binnenstad:", "ontwikkelingen", "stand per 1 juli"] {
            assert_eq!(refined(shape(text), Hint::Bold, text), Shape::Label, "{text}");
        }
        let heading = "Bedrijventerrein De Hoek";
        assert_eq!(refined(shape(heading), Hint::Bold, heading), Shape::Heading, "the segmenter decides, as in text");
        let sentence = "Let op: de cijfers zijn nog voorlopig.";
        assert_eq!(refined(shape(sentence), Hint::Bold, sentence), Shape::Paragraph);
        let lead_in = "De belangrijkste wijzigingen zijn:";
        assert_eq!(refined(shape(lead_in), Hint::Bold, lead_in), Shape::Paragraph, "it announces a list");
        let long = "de gemeente heeft in het afgelopen jaar met alle partners in de regio afspraken gemaakt";
        assert_eq!(refined(shape(long), Hint::Bold, long), Shape::Paragraph, "longer than a label");
        let plain = "Wat hebben we in 2024 gedaan voor de binnenstad:";
        assert_eq!(refined(shape(plain), Hint::Text, plain), Shape::Paragraph, "not bold: running text");
    }

    #[test]
    fn word_limits_on_folded_text() {
        assert!(at_most_words("", 0) && at_most_words("een", 1) && !at_most_words("een twee", 1));
        assert!(at_most_words("een twee drie", 3) && !at_most_words("een twee drie vier", 3));
        assert!(NOT_AVAILABLE.iter().all(|na| na.len() <= NOT_AVAILABLE_MAX_BYTES));
    }

    #[test]
    fn values_start_with_bytes_that_can_start_them() {
        for b in (0..=255u8).filter(|&b| b != b' ') {
            for second in [b'1', b'.', b'x', b'%'] {
                if let Ok(word) = std::str::from_utf8(&[b, second]) {
                    assert!(!is_value_like(word) || may_start_value(b), "{word:?}");
                }
            }
        }
        for word in ["nnb", "N.v.t.", "n.b", "PM", "x", "V", "–", "€ 5", "−3", "(1.234)", "2017\tQ3", "Q3\t2017", "%5"]
        {
            assert!(is_value_like(word) && may_start_value(word.as_bytes()[0]), "{word}");
        }
    }

    #[test]
    fn values() {
        for v in [
            "1.350",
            "11,6%",
            "85 %",
            "€ -9.113",
            "nnb",
            "-",
            "- 20.820",
            "6- 6,5*",
            "> 2,0",
            "2017 Q3",
            "177.498-",
            "-/- 1.234",
            "(1.234)",
            "V",
            "N",
        ] {
            assert_eq!(shape(v), Shape::Value, "{v}");
        }
        assert_eq!(shape("2018 (w)"), Shape::Heading);
        // The first-byte test before the n/a words lets every one of them through.
        assert!(NOT_AVAILABLE.iter().all(|na| is_value_like(na) && is_value_like(&na.to_uppercase())));
    }

    #[test]
    fn labels_and_headings() {
        assert_eq!(shape("Stand van zaken:"), Shape::Label);
        assert_eq!(shape("Relevante documenten:"), Shape::Label);
        assert_eq!(shape("Inleiding"), Shape::Label);
        assert_eq!(shape("Sociaal Kompas"), Shape::Heading);
        assert_eq!(shape("§ 4.3 Weerstandsvermogen"), Shape::Heading);
        assert_eq!(shape("Algemene doelstellingen binnen dit programma zijn:"), Shape::Paragraph);
        assert_eq!(shape("Nog te bepalen."), Shape::Paragraph);
    }

    #[test]
    fn list_items_lose_their_marker() {
        assert_eq!(classify("• Cultuurnota".into()), ("Cultuurnota".into(), Shape::ListItem));
        assert_eq!(classify("- Een punt".into()), ("Een punt".into(), Shape::ListItem));
        assert_eq!(shape("- 20.820"), Shape::Value);
    }
}
