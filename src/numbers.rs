//! Dutch number notation: `1.650`, `11,6%`, `€ -9.113`, `177.498-`, `245*`.
//!
//! Parsing keeps what can be known: a value and a unit, or nothing for text,
//! ranges and the words for "not available" (`nnb`, `n.v.t.`, `-`, `PM`).

/// A parsed cell value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    /// The value (before any table multiplier).
    pub value: f64,
    /// The unit the cell states.
    pub unit: Option<Unit>,
}

/// Units a cell can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// `%`.
    Percent,
    /// `€`.
    Euro,
}

impl Unit {
    /// The unit as written in output (`%`, `EUR`).
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::Euro => "EUR",
        }
    }
}

/// Parse a cell in Dutch notation. Returns `None` for text, ranges and n/a.
pub fn parse_number(raw: &str) -> Option<Number> {
    let mut s = raw.trim();
    let mut unit = None;
    if let Some(rest) = s.strip_prefix('€') {
        unit = Some(Unit::Euro);
        s = rest.trim_start();
    }
    if let Some(rest) = s.strip_suffix('%') {
        unit = Some(Unit::Percent);
        s = rest.trim_end();
    }
    s = s.trim_end_matches('*').trim_end();
    if let Some(rest) = s.strip_prefix("-/-") {
        return parse_unsigned(rest.trim_start().trim_start_matches('€').trim_start())
            .map(|v| Number { value: -v, unit });
    }
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return parse_unsigned(inner.trim().trim_start_matches('€').trim_start()).map(|v| Number { value: -v, unit });
    }
    let mut negative = false;
    if let Some(rest) = s.strip_prefix(['-', '−', '–']) {
        negative = true;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_suffix(['-', '−', '–']) {
        negative = true;
        s = rest.trim_end();
    }
    if unit.is_none() {
        if let Some(rest) = s.strip_prefix('€') {
            unit = Some(Unit::Euro);
            s = rest.trim_start();
        }
    }
    let value = parse_unsigned(s)?;
    Some(Number { value: if negative { -value } else { value }, unit })
}

/// `1.650` → 1650, `11,6` → 11.6, `9.016.000` → 9016000, `0,5` → 0.5: digits,
/// `.` between groups of three in the integer part, at most one decimal `,`.
/// Read in one pass (this runs for every cell and every value-like line).
fn parse_unsigned(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    if !bytes.first()?.is_ascii_digit() || !bytes.last()?.is_ascii_digit() {
        return None;
    }
    let mut mantissa = 0u64;
    let mut digits = 0;
    // Digits since the last `.` of the integer part (none before the first `.`), and after the `,`.
    let mut group: Option<usize> = None;
    let mut fraction: Option<usize> = None;
    for &b in bytes {
        match (b, fraction.as_mut()) {
            (b'0'..=b'9', in_fraction) => {
                // Wraps only past 19 digits, which take the slow path below.
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
                digits += 1;
                match (in_fraction, group.as_mut()) {
                    (Some(f), _) => *f += 1,
                    (None, Some(g)) => *g += 1,
                    (None, None) => {}
                }
            }
            (b'.' | b',', None) if group.is_some_and(|g| g != 3) => return None,
            (b'.', None) => group = Some(0),
            (b',', None) => fraction = Some(0),
            _ => return None,
        }
    }
    if fraction.is_none() && group.is_some_and(|g| g != 3) {
        return None;
    }
    let fraction = fraction.unwrap_or(0);
    if digits <= MAX_EXACT_DIGITS && fraction < POWERS_OF_TEN.len() {
        // Both numbers are exact in an f64, so one division rounds correctly (as `str::parse` does).
        return Some(mantissa as f64 / POWERS_OF_TEN[fraction]);
    }
    let plain: String =
        bytes.iter().filter(|&&b| b != b'.').map(|&b| if b == b',' { '.' } else { char::from(b) }).collect();
    plain.parse().ok()
}

/// Most decimal digits an integer can have and still be exact in an `f64`.
const MAX_EXACT_DIGITS: usize = 15;

/// The powers of ten that are exact in an `f64`.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Longest line (in bytes) that is searched for a units statement.
const UNITS_MAX_BYTES: usize = 160;

/// The multiplier a units statement states: `bedragen x € 1.000`,
/// `(x €1.000)`, `Bedragen * € 1.000,-`, `(in € 1.000)`, `x € 1 mln` →
/// 1000 or 1,000,000. Found anywhere in a short line (a caption, a corner
/// cell, the sentence above a table).
pub fn units_multiplier(line: &str) -> Option<f64> {
    // Cheap test first: every units statement names a thousand or a million.
    if line.len() > UNITS_MAX_BYTES {
        return None;
    }
    if !names_an_amount(line) {
        return None;
    }
    let caps = units_pattern().captures(line)?;
    let amount = caps.name("amount")?.as_str().to_lowercase();
    match amount.as_str() {
        "1.000.000" | "1000000" | "1 mln" | "1 miljoen" | "miljoen" | "mln" => Some(1_000_000.0),
        _ => Some(1000.0),
    }
}

/// Whether `line` holds `1.000`, `1000`, `mln`, `miljoen` or `duizend`
/// (one pass for the bytes they start with).
fn names_an_amount(line: &str) -> bool {
    let bytes = line.as_bytes();
    memchr::memchr3_iter(b'1', b'm', b'd', bytes).any(|i| {
        let rest = &bytes[i..];
        match rest[0] {
            b'1' => rest.starts_with(b"1.000") || rest.starts_with(b"1000"),
            b'm' => rest.starts_with(b"mln") || rest.starts_with(b"miljoen"),
            _ => rest.starts_with(b"duizend"),
        }
    })
}

fn units_pattern() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let amount = r"(?P<amount>1\.000\.000|1000000|1\.000|1000|1 mln|1 miljoen|mln|miljoen|duizend)";
        regex::Regex::new(&format!(
            r"(?i-u)(?:(?:\bx|\*)\s*(?:€|eur\b|euro\b)?|\bin\s*(?:€|eur\b|euro\b))\s*{amount}(?:[,.=\-\s)]|$)"
        ))
        .expect("units pattern")
    })
}

/// How many ASCII digits `text` has (one branch-free pass, which the compiler vectorises).
pub fn digit_count(text: &str) -> usize {
    text.as_bytes()
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().map(|b| u8::from(b.is_ascii_digit())).sum::<u8>()))
        .sum()
}

/// The first plausible year (1990–2099) in a text.
pub fn find_year(text: &str) -> Option<u16> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 4 {
            let year = bytes[start..i].iter().fold(0u16, |y, &d| y * 10 + u16::from(d - b'0'));
            if (1990..2100).contains(&year) {
                return Some(year);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(raw: &str) -> Option<(f64, Option<&'static str>)> {
        parse_number(raw).map(|n| (n.value, n.unit.map(Unit::as_str)))
    }

    #[test]
    fn dutch_notation() {
        assert_eq!(v("1.650"), Some((1650.0, None)));
        assert_eq!(v("11,6%"), Some((11.6, Some("%"))));
        assert_eq!(v("85 %"), Some((85.0, Some("%"))));
        assert_eq!(v("€ -9.113"), Some((-9113.0, Some("EUR"))));
        assert_eq!(v("-€ 9.113"), Some((-9113.0, Some("EUR"))));
        assert_eq!(v("177.498-"), Some((-177498.0, None)));
        assert_eq!(v("- 20.820"), Some((-20820.0, None)));
        assert_eq!(v("245*"), Some((245.0, None)));
        assert_eq!(v("9.016.000"), Some((9016000.0, None)));
        assert_eq!(v("0"), Some((0.0, None)));
        assert_eq!(v("-/- 1.234"), Some((-1234.0, None)));
        assert_eq!(v("(1.234)"), Some((-1234.0, None)));
        assert_eq!(v("€ (1.234)"), Some((-1234.0, Some("EUR"))));
        assert_eq!(v("0,1"), Some((0.1, None)));
        assert_eq!(v("1.234.567.890.123.456,789"), Some(("1234567890123456.789".parse().expect("f64"), None)));
        assert_eq!(v("0,30000000000000004"), Some((0.30000000000000004, None)));
    }

    #[test]
    fn decimals_round_as_the_standard_parser_does() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let int = x % 1_000_000_000;
            let frac = format!("{:0width$}", (x >> 32) % 10_000_000, width = (x % 8) as usize);
            let dutch = if frac.is_empty() { int.to_string() } else { format!("{int},{frac}") };
            let expected: f64 = format!("{int}.{frac}0").parse().expect("decimal");
            assert_eq!(v(&dutch), Some((expected, None)), "{dutch}");
        }
    }

    /// The rules of [`parse_unsigned`] one at a time, as first written.
    fn parse_unsigned_by_rules(s: &str) -> Option<f64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
            return None;
        }
        if !s.starts_with(|c: char| c.is_ascii_digit()) || !s.ends_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let (int_part, frac_part) = match s.split_once(',') {
            Some((i, f)) if !f.contains([',', '.']) => (i, f),
            Some(_) => return None,
            None => (s, ""),
        };
        if int_part.contains('.') && !int_part.split('.').skip(1).all(|g| g.len() == 3) {
            return None;
        }
        format!("{}.{frac_part}0", int_part.replace('.', "")).parse().ok()
    }

    #[test]
    fn one_pass_agrees_with_the_rules_one_at_a_time() {
        let alphabet = ["0", "1", "9", ".", ",", "x"];
        // Every text of up to six of these, and a few long ones.
        let (mut texts, mut level) = (vec![String::new()], vec![String::new()]);
        for _ in 0..6 {
            level = level.iter().flat_map(|t| alphabet.map(|a| format!("{t}{a}"))).collect();
            texts.extend(level.iter().cloned());
        }
        texts.extend(
            [
                "12.345.678.901.234.567",
                "1.234.567.890.123.456,789",
                "99999999999999999999,5",
                "1,2345678901234567890123",
            ]
            .map(String::from),
        );
        assert!(texts.len() > 40_000);
        for t in &texts {
            assert_eq!(parse_unsigned(t), parse_unsigned_by_rules(t), "{t:?}");
        }
    }

    #[test]
    fn no_value_for_text_ranges_and_na() {
        for raw in ["nnb", "n.v.t.", "-", "PM", "6- 6,5*", "1,4 < x < 2,0", "2017 Q3", "1.65", "1,2,3", "", "V", "()"] {
            assert_eq!(v(raw), None, "{raw}");
        }
    }

    #[test]
    fn units_lines() {
        assert_eq!(units_multiplier("bedragen x € 1.000"), Some(1000.0));
        assert_eq!(units_multiplier("Bedragen x € 1.000,-"), Some(1000.0));
        assert_eq!(units_multiplier("bedragen x 1.000,-"), Some(1000.0));
        assert_eq!(units_multiplier("Lasten (bedragen x € 1.000)"), Some(1000.0));
        assert_eq!(units_multiplier("Aantal inwoners"), None);
        assert_eq!(units_multiplier("(bedragen x €1.000)"), Some(1000.0));
        assert_eq!(units_multiplier("Bedragen * € 1.000,-"), Some(1000.0));
        assert_eq!(units_multiplier("Programma (in € 1.000)"), Some(1000.0));
        assert_eq!(units_multiplier("ACTIVA (x € 1.000,=)"), Some(1000.0));
        assert_eq!(units_multiplier("bedragen x € 1 mln"), Some(1_000_000.0));
        assert_eq!(units_multiplier("In 2020 kregen 1.000 inwoners hulp"), None);
        assert_eq!(units_multiplier("De index is 1.000x hoger"), None);
    }

    #[test]
    fn digits_counted() {
        assert_eq!(digit_count(""), 0);
        assert_eq!(digit_count("a1b22 € 3"), 4);
        assert_eq!(digit_count(&"7".repeat(1000)), 1000);
    }

    #[test]
    fn years() {
        assert_eq!(find_year("Begroting 2021"), Some(2021));
        assert_eq!(find_year("B2017"), Some(2017));
        assert_eq!(find_year("12018 en 1850"), None);
    }
}
