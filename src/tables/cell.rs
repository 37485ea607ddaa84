//! What one table cell looks like, judged from its text alone: the features
//! the readers compare across the rows and columns of a table candidate. No
//! vocabulary: a cell is a year, a date, a number, a code, text or prose by
//! its characters.

use std::cell::OnceCell;

use crate::bytes::count_pairs_where;
use crate::normalize::{at_most_chars, at_most_words, is_value_like};
use crate::numbers::{parse_number, Number};

/// The kind of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bare year: `2024`.
    Year,
    /// A date with a year: `31-12-2023`, `1-1-2024`.
    Date,
    /// A number in Dutch notation, an amount, a percentage, a range or a
    /// word for "not available": `1.650`, `€ -9.113`, `N 31.393`, `nnb`, `-`.
    Number,
    /// Text led by a number: `13.000 per jaar`, `79,3% (TK)`.
    Mixed,
    /// A code that is no number: `0.10`, `4.1.2.1`, `I.06.`, `5A.`.
    Code,
    /// Short text.
    Text,
    /// Running text: long, or more than one sentence.
    Prose,
}

impl Kind {
    /// Whether the cell can be a value cell of a table (a number or date, or text led by one).
    pub fn is_value(self) -> bool {
        matches!(self, Kind::Year | Kind::Date | Kind::Number | Kind::Mixed)
    }

    /// A short name for the debug dump.
    pub fn letter(self) -> char {
        match self {
            Kind::Year => 'Y',
            Kind::Date => 'D',
            Kind::Number => 'N',
            Kind::Mixed => 'M',
            Kind::Code => 'C',
            Kind::Text => 'T',
            Kind::Prose => 'P',
        }
    }
}

/// The features of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// Its kind.
    pub kind: Kind,
    /// For numbers: how many digits the integer part has (its magnitude); 0 otherwise.
    pub digits: u8,
    /// The year a year or date cell names.
    pub year: Option<u16>,
}

/// Longest word for "not available" (`n.v.t.`), in bytes.
const NOT_AVAILABLE_MAX_BYTES: usize = 6;
/// Longer texts (in bytes) are neither a number nor a code.
const LONGEST_NUMBER: usize = 48;
/// Longest text that is still a short cell, in characters.
const TEXT_MAX_CHARS: usize = 200;
/// Most words a cell led by a number can have.
const MIXED_MAX_WORDS: usize = 6;

/// Whether a line carries numbers a table should hold: it is a number cell
/// itself (`1.650`, `11,6%`, `nnb`; a year or date alone is not), or at
/// least two of its words are numbers and they are at least half of them
/// (`Lasten 1.234 1.250`, `| 12 | 14 |`).
pub fn bears_numbers(text: &str) -> bool {
    // Every amount holds a run of digits of its own, and every piece between spaces that starts
    // with a letter or digit holds a word of its own: a line with too few digit runs for those
    // words (prose with a year or two, text without digits) is no row of amounts, and only a
    // number cell itself bears numbers.
    let (digit_runs, words_at_least) = digit_runs_and_word_starts(text);
    if digit_runs < 2 || 2 * digit_runs < words_at_least {
        return is_number_cell(text);
    }
    match look(text).kind {
        Kind::Number => return true,
        Kind::Year | Kind::Date => return false,
        _ => {}
    }
    let (words, numbers) = words_and_amounts(text);
    numbers >= 2 && 2 * numbers >= words
}

/// `look(text).kind == Kind::Number`, without looking at a long text not led by a digit
/// (prose or text for [`look`]).
fn is_number_cell(text: &str) -> bool {
    let led_by_digit = text.starts_with(|c: char| c.is_ascii_digit() || c == '€');
    (text.len() <= LONGEST_NUMBER || led_by_digit) && look(text).kind == Kind::Number
}

/// The runs of ASCII digits in `text`, and the pieces between spaces that start with an ASCII
/// letter or digit (at most the words [`words_and_amounts`] finds: each is a word there, and no
/// word spans a space). Each is counted where it starts: two vectorised passes over the bytes,
/// each byte beside the one before it.
fn digit_runs_and_word_starts(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else { return (0, 0) };
    let runs = count_pairs_where(bytes, |before, b| b.is_ascii_digit() & !before.is_ascii_digit());
    let words = count_pairs_where(bytes, |before, b| b.is_ascii_alphanumeric() & (before == b' '));
    (runs + usize::from(first.is_ascii_digit()), words + usize::from(first.is_ascii_alphanumeric()))
}

/// How many words of `text` are amounts (numbers with a digit; years and
/// dates are no amounts).
pub fn amounts_in(text: &str) -> usize {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return 0;
    }
    words_and_amounts(text).1
}

/// The words of a line (split at spaces and pipes) and how many are amounts.
fn words_and_amounts(text: &str) -> (usize, usize) {
    let (mut words, mut numbers) = (0, 0);
    for word in text.split(|c: char| c == '|' || c.is_whitespace()).filter(|w| !w.is_empty()) {
        words += 1;
        numbers += usize::from(word.bytes().any(|b| b.is_ascii_digit()) && look(word).kind == Kind::Number);
    }
    (words, numbers)
}

/// The features of a cell's text (folded, trimmed).
pub fn look(text: &str) -> Look {
    let plain = |kind| Look { kind, digits: 0, year: None };
    // Longer than any number or code, and not led by one: text (most lines of a page).
    let led_by_digit = text.starts_with(|c: char| c.is_ascii_digit() || c == '€');
    let long = text.len() > LONGEST_NUMBER && !led_by_digit;
    // Without a digit only the words for "not available" (`nnb`, `-`, `PM`) are numbers.
    if long || text.len() > NOT_AVAILABLE_MAX_BYTES && crate::numbers::digit_count(text) == 0 {
        return plain(if is_prose(text) { Kind::Prose } else { Kind::Text });
    }
    // A year, also one marked for a footnote (`2024*`).
    if let Some(year) = bare_year(text.trim_end_matches('*')) {
        return Look { kind: Kind::Year, digits: 4, year: Some(year) };
    }
    if let Some(year) = date_year(text) {
        return Look { kind: Kind::Date, digits: 0, year: Some(year) };
    }
    // The number the text parses as, asked once for the code test and the magnitude.
    let parsed = OnceCell::new();
    let number = || *parsed.get_or_init(|| parse_number(text));
    if has_code_form(text) && (text.ends_with('.') || number().is_none()) {
        return plain(Kind::Code);
    }
    if is_number(text) {
        let digits = match strip_sign_mark(text) {
            Some(amount) => integer_digits(parse_number(amount)),
            None => integer_digits(number()),
        };
        return Look { kind: Kind::Number, digits, year: None };
    }
    if led_by_number(text) && at_most_words(text, MIXED_MAX_WORDS) {
        let year = bare_year(text.split(' ').next().unwrap_or(""));
        return Look { kind: Kind::Mixed, digits: 0, year };
    }
    if is_prose(text) {
        plain(Kind::Prose)
    } else {
        plain(Kind::Text)
    }
}

/// `2024`: four digits that can be a year of these documents.
pub fn bare_year(text: &str) -> Option<u16> {
    let bytes = text.as_bytes();
    if bytes.len() != 4 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year = bytes.iter().fold(0u16, |y, &d| y * 10 + u16::from(d - b'0'));
    (1950..2100).contains(&year).then_some(year)
}

/// How many of `years` from the first make a run in order: each year later
/// than the one before, or each earlier (the first two set which: `2021`,
/// `2022`; `2025`, `2024`, `2023`); a `None` ends the run.
pub fn ordered_years(years: impl Iterator<Item = Option<u16>>) -> usize {
    let mut count = 0;
    let mut previous: Option<u16> = None;
    let mut ascending: Option<bool> = None;
    for year in years {
        let Some(year) = year else { break };
        if let Some(p) = previous {
            let up = year > p;
            if year == p || ascending.is_some_and(|a| a != up) {
                break;
            }
            ascending = Some(up);
        }
        previous = Some(year);
        count += 1;
    }
    count
}

/// `31-12-2023`, `1/1/2024`, `31.12.2023`: day, month and a four-digit year.
pub fn date_year(text: &str) -> Option<u16> {
    date_parts(text).map(|(_, _, year)| year)
}

/// The day and month of a date (`31-12-2023` → 31, 12; `1/1/2024` → 1, 1).
pub fn day_and_month(text: &str) -> Option<(u8, u8)> {
    date_parts(text).map(|(day, month, _)| (day, month))
}

/// Day, month and year of `31-12-2023`, `1/1/2024`, `31.12.2023`.
fn date_parts(text: &str) -> Option<(u8, u8, u16)> {
    if !(8..=10).contains(&text.len()) || !text.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let mut parts = text.split(['-', '/', '.']);
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let small = |p: &str, max: u8| {
        let digits = (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| p.parse::<u8>().ok()).flatten().filter(|v| (1..=max).contains(v))
    };
    if parts.next().is_some() {
        return None;
    }
    Some((small(day, 31)?, small(month, 12)?, bare_year(year)?))
}

/// A number cell: what [`is_value_like`] accepts, also with a voordeel/nadeel
/// mark before or after the amount (`N 31.393`, `219.000 N`).
pub fn is_number(text: &str) -> bool {
    // `.` and `..`: the statistics offices' marks for a figure not (yet) known.
    is_value_like(text) || strip_sign_mark(text).is_some_and(is_value_like) || matches!(text, "." | "..")
}

/// A voordeel/nadeel mark on its own: `N`, `V` (either case).
pub fn is_sign_mark(text: &str) -> bool {
    text.eq_ignore_ascii_case("n") || text.eq_ignore_ascii_case("v")
}

/// `N 31.393` → `31.393`; `219.000 V` → `219.000` (an amount of one word).
pub(super) fn strip_sign_mark(text: &str) -> Option<&str> {
    // A mark is a lone `n` or `v` (either case) as the first or the last word.
    let bytes = text.as_bytes();
    let mark_byte = |b: u8| matches!(b | 0x20, b'n' | b'v');
    let n = bytes.len();
    let possible =
        n >= 2 && (mark_byte(bytes[0]) && bytes[1] == b' ' || mark_byte(bytes[n - 1]) && bytes[n - 2] == b' ');
    if !possible {
        return None;
    }
    match text.split_once(' ') {
        Some((mark, rest)) if is_sign_mark(mark) && !rest.contains(' ') => Some(rest),
        _ => {
            text.rsplit_once(' ').filter(|(rest, mark)| is_sign_mark(mark) && !rest.contains(' ')).map(|(rest, _)| rest)
        }
    }
}

/// Digits before the decimal comma of a number cell (its magnitude).
fn integer_digits(number: Option<Number>) -> u8 {
    let Some(number) = number else { return 0 };
    let mut value = number.value.abs().trunc();
    let mut digits = 1u8;
    while value >= 10.0 && digits < 20 {
        value /= 10.0;
        digits += 1;
    }
    digits
}

/// A code: dotted groups of digits that are no Dutch number (`0.10`, `6.3.1`,
/// `4.1.2.1`), optionally after up to three capitals (`I.06.`, `HD2`) and
/// with a final letter or full stop (`6.71a`, `5A.`, `1.`).
pub fn is_code(text: &str) -> bool {
    has_code_form(text) && (text.ends_with('.') || parse_number(text).is_none())
}

/// The form of a code (see [`is_code`]), before asking whether it is a Dutch number.
fn has_code_form(text: &str) -> bool {
    if text.len() > 16 {
        return false;
    }
    let body = text.strip_suffix('.').unwrap_or(text);
    let letters = body.bytes().take_while(u8::is_ascii_uppercase).count();
    let rest = body[letters..].strip_prefix('.').unwrap_or(&body[letters..]);
    // Every group starts with a digit.
    if letters > 3 || !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let group_ok = |g: &str| {
        let digits = g.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && g.len() - digits.len() <= 1
    };
    let dotted =
        rest.contains('.') || text.ends_with('.') || letters > 0 || rest.ends_with(|c: char| c.is_ascii_alphabetic());
    dotted && rest.split('.').all(group_ok)
}

/// Text whose first word is a number and whose next word is no name
/// (`13.000 per jaar`, `100% (=60 gemeenten)`; not `1 Burger en bestuur`,
/// not a code as in `0.4 Overhead`).
fn led_by_number(text: &str) -> bool {
    let mut words = text.split(' ');
    let first = words.next().unwrap_or("");
    let next = words.next().unwrap_or("");
    let number = first.starts_with(|c: char| c.is_ascii_digit() || c == '€') && is_value_like(first) && !is_code(first);
    number && !next.starts_with(char::is_uppercase) && !next.is_empty()
}

/// Running text: too long for a cell, or two sentences and more.
fn is_prose(text: &str) -> bool {
    if !at_most_chars(text, TEXT_MAX_CHARS) {
        return true;
    }
    // A full stop, a space and a capital: a sentence ends there (not the
    // full stop of a leading number: `1b. Netto schuldquote (gecorrigeerd …)`).
    let bytes = text.as_bytes();
    if text.len() <= 60 {
        return false;
    }
    let number_end = leading_number_stop(text);
    memchr::memchr_iter(b'.', bytes).any(|i| {
        Some(i) != number_end && bytes.get(i + 1) == Some(&b' ') && text[i + 2..].starts_with(char::is_uppercase)
    })
}

/// Where the full stop of a leading number stands (`1.`, `1b.`, `1.1.`: a code ending in one).
fn leading_number_stop(text: &str) -> Option<usize> {
    let head = text.split(' ').next()?;
    (head.ends_with('.') && is_code(head)).then(|| head.len() - 1)
}

/// Whether the cell can stand in a header row: short text (no sentence, no
/// question), a year, a date or a code-free mix such as `B2017` or `2018 (w)`.
pub fn is_header_like(text: &str, look: Look) -> bool {
    if is_written_date(text) {
        return true;
    }
    match look.kind {
        Kind::Year | Kind::Date => true,
        // `2021 (b)`, `2024 Werkelijk`: a year with a mark or a word.
        Kind::Mixed => {
            year_range(text) || bare_year(text.split(' ').next().unwrap_or("")).is_some() && at_most_words(text, 4)
        }
        Kind::Number | Kind::Code | Kind::Prose => year_range(text),
        Kind::Text => {
            let last = text.chars().last().unwrap_or(' ');
            let abbreviation = last == '.' && !text.contains(' ');
            at_most_chars(text, 70)
                && at_most_words(text, 10)
                && (!matches!(last, '.' | '?' | ':' | ';' | ',') || abbreviation)
        }
    }
}

/// `2021-2023`, `2021 - 2023`, `2025 t/m 2027`: a range of years.
pub fn year_range(text: &str) -> bool {
    let (Some(first), Some(last)) = (text.get(..4), text.get(text.len().saturating_sub(4)..)) else { return false };
    let joiner = text.get(4..text.len() - 4).map(str::trim);
    text.len() >= 9
        && bare_year(first).is_some()
        && bare_year(last).is_some()
        && matches!(joiner, Some("-" | "–" | "t/m" | "tot en met" | "tot"))
}

/// Months as header dates write them (`31 december 2023`, `1 jan 2024`).
const MONTHS: [&str; 24] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "jan",
    "feb",
    "mrt",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dec",
];

/// Day, month name and year, three words: `31 december 2023`.
pub fn is_written_date(text: &str) -> bool {
    let mut words = text.split(' ');
    let (Some(day), Some(month), Some(year), None) = (words.next(), words.next(), words.next(), words.next()) else {
        return false;
    };
    let day_ok = (1..=2).contains(&day.len()) && day.bytes().all(|b| b.is_ascii_digit());
    let month_ok = MONTHS.contains(&month.to_lowercase().trim_end_matches('.'));
    day_ok && month_ok && bare_year(year.trim_end_matches(',')).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_order_ascend_or_descend_as_the_first_two_say() {
        let run = |years: &[Option<u16>]| ordered_years(years.iter().copied());
        assert_eq!(run(&[Some(2021), Some(2022), Some(2023), None, Some(2024)]), 3);
        assert_eq!(run(&[Some(2025), Some(2024), Some(2023)]), 3);
        assert_eq!(run(&[Some(2025), Some(2024), Some(2026)]), 2);
        assert_eq!(run(&[Some(2024), Some(2024)]), 1);
        assert_eq!(run(&[None, Some(2024)]), 0);
        assert_eq!(day_and_month("31-12-2018"), day_and_month("31.12.2017"));
        assert_eq!(day_and_month("01-03-2030"), Some((1, 3)));
        assert_eq!(day_and_month("2018"), None);
    }

    #[test]
    fn lines_with_numbers_are_number_cells_or_rows_mostly_of_numbers() {
        for line in ["1.650", "11,6%", "€ -9.113", "nnb", "Lasten 1.234 1.250", "| 12 | 14 |"] {
            assert!(bears_numbers(line), "{line}");
        }
        for line in ["2024", "31-12-2023", "Programma 2", "In 2023 waren er 12 meldingen meer", "Tekst"] {
            assert!(!bears_numbers(line), "{line}");
        }
    }

    /// The screen by digit runs and word starts decides as reading every word does.
    #[test]
    fn screened_number_lines_agree_with_reading_every_word() {
        let plainly = |text: &str| match look(text).kind {
            Kind::Number => true,
            Kind::Year | Kind::Date => false,
            _ if !text.bytes().any(|b| b.is_ascii_digit()) => false,
            _ => {
                let (words, numbers) = words_and_amounts(text);
                numbers >= 2 && 2 * numbers >= words
            }
        };
        let tokens = [
            "12",
            "1.234",
            "-9",
            "2024",
            "a",
            "Lasten",
            "|",
            " ",
            "\u{a0}",
            "\t",
            "12|14",
            "€",
            "3%",
            "x1",
            "nnb",
            "(12)",
            "de",
            "x\u{2003}y",
            "||",
            "'24",
            "Het college werkt aan betaalbare woningen.",
        ];
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            for k in 0..(seed >> 60) as usize + 1 {
                let pick = (seed >> (k * 4 % 56)) as usize % tokens.len();
                text.push_str(tokens[pick]);
                if (seed >> (k % 61)) & 1 == 1 {
                    text.push(' ');
                }
            }
            assert_eq!(bears_numbers(&text), plainly(&text), "{text:?}");
        }
    }

    fn kind(text: &str) -> Kind {
        look(text).kind
    }

    #[test]
    fn kinds_from_the_text_alone() {
        for (text, expected) in [
            ("2024", Kind::Year),
            ("1850", Kind::Number),
            ("31-12-2023", Kind::Date),
            ("1-1-2024", Kind::Date),
            ("1.650", Kind::Number),
            ("€ -9.113", Kind::Number),
            ("177.498-", Kind::Number),
            ("N 31.393", Kind::Number),
            ("219.000 N", Kind::Number),
            ("11,6%", Kind::Number),
            ("nnb", Kind::Number),
            ("-", Kind::Number),
            ("V", Kind::Number),
            ("6- 6,5*", Kind::Number),
            ("0.10", Kind::Code),
            ("0.4", Kind::Code),
            ("4.1.2.1", Kind::Code),
            ("I.06.", Kind::Code),
            ("1.", Kind::Code),
            ("5A.", Kind::Code),
            ("6.71a", Kind::Code),
            ("13.000 per jaar", Kind::Mixed),
            ("79,3% (TK)", Kind::Mixed),
            ("Lasten", Kind::Text),
            ("Begroting 2021", Kind::Text),
            ("B2017", Kind::Text),
            ("Top 3", Kind::Text),
            ("0.4 Overhead", Kind::Text),
            ("1 Burger en Bestuur", Kind::Text),
            ("Het aantal meldingen steeg. Dat komt door de nieuwe regeling van het rijk.", Kind::Prose),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
    }

    #[test]
    fn magnitudes() {
        assert_eq!(look("9.016.000").digits, 7);
        assert_eq!(look("0,5").digits, 1);
        assert_eq!(look("N 31.393").digits, 5);
        assert_eq!(look("-").digits, 0);
    }

    #[test]
    fn header_cells() {
        assert!(
            year_range("2025 t/m 2027")
                && year_range("2021-2023")
                && !year_range("2023 2025 t/m")
                && !year_range("2023 2025")
        );
        for text in ["Omschrijving", "Begroting 2021", "Nr.", "2021 (b)", "2024", "31-12-2020", "2021 - 2023", "V/N"] {
            assert!(is_header_like(text, look(text)), "{text}");
        }
        for text in ["Wat mag het kosten?", "1.350", "De kosten stijgen.", "Toelichting:", "0.10"] {
            assert!(!is_header_like(text, look(text)), "{text}");
        }
    }
}
