//! Document metadata: organisation, year and document type from the page
//! text, never from the file name or URL. Unknown stays empty.
//!
//! Organisation: a `Gemeente X` header, else the official name (from
//! `data/organisations.tsv`) mentioned most. Year and type: the page title line
//! (`Programmabegroting 2022`), the breadcrumb, labels with a year
//! (`Activiteiten 2022`), a line of table headers that all name one year, and
//! phrases such as `in dit jaarverslag` or `de Begroting 2018`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use regex::Regex;

use crate::model::Meta;
use crate::normalize::{Normalized, Shape};
use crate::numbers::{digit_count, find_year};
use crate::rules::{rules, Organisation};
use crate::segment::Item;

/// A page header naming the organisation: `Gemeente Leiderdorp`.
const ORGANISATION_HEADERS: [&str; 3] = ["Gemeente ", "Provincie ", "Waterschap "];

/// How many leading content lines count as the page's header.
const HEADER_LINES: usize = 3;
/// Bytes of content scanned for organisation names (keeps huge inputs linear and cheap).
const SCAN_BYTES: usize = 1 << 20;

const ALIASES: &str = include_str!("../data/organisation_aliases.tsv");

/// Derive the metadata of a page.
pub fn detect(normalized: &Normalized, items: &[Item]) -> Meta {
    let (organisation, kind) =
        organisation(items).map_or((None, None), |o| (Some(o.name.clone()), Some(o.kind.clone())));
    let title = title_item(items).and_then(|i| rules().title_line(i.text));
    Meta {
        gemeente: organisation,
        organisation_kind: kind,
        document_type: title.map(|(t, _)| t.to_string()).or_else(|| document_type(normalized, items)),
        year: title.map(|(_, y)| y).or_else(|| year(normalized, items)),
        platform: normalized.platforms.iter().max_by_key(|(_, n)| **n).map(|(p, _)| p.clone()),
        breadcrumb: normalized.breadcrumb.clone(),
        built_at: normalized.built_at.clone(),
        exported_at: normalized.exported_at.clone(),
    }
}

/// Organisation names (and aliases) by their words, for lookup while walking
/// the text word by word.
struct NameIndex {
    /// Name → index of the first organisation bearing it.
    names: HashMap<String, usize, BuildHasherDefault<WordHasher>>,
    /// First word of a name → most words of the names it starts.
    first_words: HashMap<String, usize, BuildHasherDefault<WordHasher>>,
}

/// A fast hash for short words (the multiply-rotate hash of rustc's
/// `FxHasher`): the name index is asked about every capitalised word of a
/// page, and the keys are fixed data, so a keyed hash buys nothing here.
#[derive(Default)]
struct WordHasher(u64);

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

/// Build the organisation index now rather than on first use.
pub fn prepare() {
    name_index();
}

fn name_index() -> &'static NameIndex {
    static INDEX: OnceLock<NameIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let orgs = &rules().organisations;
        let mut names: HashMap<String, usize, BuildHasherDefault<WordHasher>> = HashMap::default();
        for (i, o) in orgs.iter().enumerate() {
            names.entry(o.name.clone()).or_insert(i);
        }
        for line in ALIASES.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let Some((alias, name)) = line.split_once('\t') else { continue };
            if let Some(&i) = names.get(name) {
                names.insert(alias.to_string(), i);
            }
        }
        let mut first_words: HashMap<String, usize, BuildHasherDefault<WordHasher>> = HashMap::default();
        for name in names.keys() {
            let first = name.split(' ').next().unwrap_or(name).to_string();
            let longest = first_words.entry(first).or_insert(0);
            *longest = (*longest).max(name.split(' ').count());
        }
        NameIndex { names, first_words }
    })
}

/// The words of a text with their start offsets: runs of letters, digits,
/// `-` and `'` (bytes of non-ASCII letters included; general punctuation
/// such as `’` and `–`, and Latin-1 signs such as `«`, end a word).
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !is_word_byte(bytes, i) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && is_word_byte(bytes, i) {
            i += 1;
        }
        (start < i).then(|| (start, &text[start..i]))
    })
}

/// Whether the byte at `i` belongs to a word (see [`words`]).
fn is_word_byte(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'\'' => true,
        0x80..=0xBF => !starts_punctuation(bytes, i),
        0xC2 | 0xE2 => bytes.get(i + 1).is_some_and(|&n| !(bytes[i] == 0xC2 || n == 0x80)),
        b => b >= 0xC3,
    }
}

/// Whether the continuation byte at `i` is part of a punctuation character
/// (one whose lead byte is `0xC2`, or `0xE2 0x80`).
fn starts_punctuation(bytes: &[u8], i: usize) -> bool {
    let lead = (i.saturating_sub(3)..i).rev().find(|&k| bytes[k] >= 0xC0);
    match lead {
        Some(k) => bytes[k] == 0xC2 || (bytes[k] == 0xE2 && bytes.get(k + 1) == Some(&0x80)),
        None => false,
    }
}

/// `Gemeente X` in the header, else the name mentioned most (first seen
/// wins ties), preferring the kind of body the text speaks of.
fn organisation(items: &[Item]) -> Option<&'static Organisation> {
    let orgs = &rules().organisations;
    for item in items.iter().take(HEADER_LINES) {
        for prefix in ORGANISATION_HEADERS {
            let rest = item.text.strip_prefix(prefix).map(str::trim);
            if let Some(o) = rest.and_then(|r| orgs.iter().find(|o| o.name == r)) {
                return Some(o);
            }
        }
    }
    let index = name_index();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut kind_words = [0usize; 3];
    let mut offset = 0;
    let mut candidate = String::new();
    for item in items {
        if offset > SCAN_BYTES {
            break;
        }
        count_kind_words(item.text, &mut kind_words);
        let bytes = item.text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            // Every name starts with a capital, `'s-` or `het`, at the start of a word.
            let could_start = b.is_ascii_uppercase() || b == b'\'' || b == b'h';
            if !could_start || (i > 0 && is_word_byte(bytes, i - 1)) {
                continue;
            }
            if let Some(org) = name_at(index, &item.text[i..], &mut candidate) {
                match mentions.iter_mut().find(|x| x.org == org) {
                    Some(x) => x.count += 1,
                    None => mentions.push(Mention { org, count: 1, first: offset + i }),
                }
            }
        }
        offset += item.text.len() + 1;
    }
    let preferred = preferred_kind(&kind_words);
    // The organisations bearing a mentioned name, the preferred kind first.
    let bearers = |org: usize| {
        let name = &orgs[org].name;
        let mut same: Vec<&Organisation> = orgs.iter().filter(|o| &o.name == name).collect();
        same.sort_by_key(|o| Some(o.kind.as_str()) != preferred);
        same
    };
    let pick = |of_kind: bool| {
        mentions
            .iter()
            .filter(|m| !of_kind || bearers(m.org).iter().any(|o| Some(o.kind.as_str()) == preferred))
            .max_by_key(|m| (m.count, std::cmp::Reverse(m.first)))
            .map(|m| bearers(m.org)[0])
    };
    pick(true).or_else(|| pick(false))
}

/// The organisation whose name the text starts with (the longest such name).
fn name_at(index: &NameIndex, text: &str, candidate: &mut String) -> Option<usize> {
    let mut words = words(text).map(|(_, w)| w);
    let first = words.next()?;
    let longest = *index.first_words.get(first)?;
    let following: Vec<&str> = words.take(longest - 1).collect();
    (0..=following.len()).rev().find_map(|n| {
        candidate.clear();
        candidate.push_str(first);
        for w in &following[..n] {
            candidate.push(' ');
            candidate.push_str(w);
        }
        index.names.get(candidate.as_str()).copied()
    })
}

/// Count `gemeente`, `provincie`, `waterschap` (either case of the first
/// letter, and words they start, such as `gemeentelijke`).
fn count_kind_words(text: &str, counts: &mut [usize; 3]) {
    for (k, finder) in kind_finders().iter().enumerate() {
        counts[k] += finder.find_iter(text.as_bytes()).count();
    }
}

/// SIMD substring finders for the kind words without their first letter.
fn kind_finders() -> &'static [memchr::memmem::Finder<'static>; 3] {
    static FINDERS: OnceLock<[memchr::memmem::Finder<'static>; 3]> = OnceLock::new();
    FINDERS.get_or_init(|| KIND_WORDS.map(|k| memchr::memmem::Finder::new(&k.as_bytes()[1..])))
}

/// One organisation's mentions in the text.
struct Mention {
    org: usize,
    count: usize,
    first: usize,
}

/// The words that say what kind of body wrote the page.
const KIND_WORDS: [&str; 3] = ["gemeente", "provincie", "waterschap"];

/// The kind of body the page speaks of most (`de provincie …`), if any.
fn preferred_kind(counts: &[usize; 3]) -> Option<&'static str> {
    let (i, n) = counts.iter().enumerate().max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))?;
    (*n > 0).then(|| KIND_WORDS[i])
}

fn document_type(normalized: &Normalized, items: &[Item]) -> Option<String> {
    let r = rules();
    let from_crumb = normalized.breadcrumb.iter().find_map(|c| r.document_type_in(c));
    let from_phrase = || items.iter().find_map(|i| self_reference(i.text));
    let from_header = || {
        items
            .iter()
            .take(HEADER_LINES)
            .filter(|i| match i.shape {
                Shape::Heading => find_year(i.text).is_none(),
                _ => document_name(i.text).is_some() && !is_header_line(i.text),
            })
            .find_map(|i| r.document_type_in(i.text))
    };
    from_crumb.or_else(from_phrase).or_else(from_header).map(str::to_string)
}

/// The line that can be the page's title: the first, or the second under an
/// organisation header (`Gemeente Leiderdorp`).
fn title_item<'a>(items: &'a [Item<'a>]) -> Option<&'a Item<'a>> {
    let first = items.first()?;
    let organisation_header = ORGANISATION_HEADERS.iter().any(|p| first.text.starts_with(p));
    if organisation_header {
        items.get(1)
    } else {
        Some(first)
    }
}

fn self_reference_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\bin (?:dit|deze) ([a-z]+)").expect("self reference"))
}

/// `in dit jaarverslag` → jaarstukken.
fn self_reference(text: &str) -> Option<&'static str> {
    static FINDERS: OnceLock<[memchr::memmem::Finder<'static>; 2]> = OnceLock::new();
    let [dit, deze] = FINDERS.get_or_init(|| [" dit ", " deze "].map(memchr::memmem::Finder::new));
    if dit.find(text.as_bytes()).is_none() && deze.find(text.as_bytes()).is_none() {
        return None;
    }
    let caps = self_reference_pattern().captures(text)?;
    rules().document_type_in(caps.get(1)?.as_str())
}

fn document_name_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(?:de |het )?((?:Programma)?[Bb]egroting|Jaarstukken|Jaarrekening|Jaarverslag|Voorjaarsnota|Najaarsnota|Kadernota) ((?:19|20)[0-9]{2})\b")
            .expect("document name")
    })
}

/// `de Begroting 2018`, `uit de begroting 2018` → 2018.
fn document_name(text: &str) -> Option<u16> {
    document_name_pattern().captures(text)?.get(2)?.as_str().parse().ok()
}

/// `de begroting 2018`, `de Programmabegroting 2018` → 2018.
fn budget_name(text: &str) -> Option<u16> {
    if !text.contains("egroting ") {
        return None;
    }
    let caps = document_name_pattern().captures(text)?;
    caps[1].to_lowercase().ends_with("begroting").then(|| caps[2].parse().ok()).flatten()
}

fn year(normalized: &Normalized, items: &[Item]) -> Option<u16> {
    let from_crumb = normalized.breadcrumb.iter().find_map(|c| rules().title_line(c).map(|(_, y)| y));
    let from_label = items.iter().find_map(|i| {
        let bare = i.text.trim_end_matches(':');
        (i.shape == Shape::Label && rules().label(bare).is_some()).then(|| find_year(bare)).flatten()
    });
    from_crumb.or(from_label).or_else(|| one_year_header(items)).or_else(|| agreed_document_year(items))
}

/// A line of table headers (`Begroting 2020 Realisatie 2020`): two or more years.
fn is_header_line(text: &str) -> bool {
    line_years(text).len() >= 2
}

fn line_years(text: &str) -> Vec<u16> {
    text.split_whitespace().filter_map(|w| (w.len() == 4).then(|| find_year(w)).flatten()).collect()
}

/// A line of three or more table headers that all name the same year.
fn one_year_header(items: &[Item]) -> Option<u16> {
    items.iter().filter(|i| digit_count(i.text) >= 12).find_map(|i| {
        let years = line_years(i.text);
        (years.len() >= 3 && years.iter().all(|&y| y == years[0])).then(|| years[0])
    })
}

/// `de begroting 2018` mentioned in the text, when all such mentions agree.
/// (Other documents named with a year, `Jaarstukken 2016`, are references.)
fn agreed_document_year(items: &[Item]) -> Option<u16> {
    let mut years = items.iter().filter_map(|i| budget_name(i.text));
    let first = years.next()?;
    years.all(|y| y == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_text;
    use crate::segment::items_of;

    fn meta(text: &str) -> Meta {
        let n = normalize_text(text);
        let items = items_of(&n.lines);
        detect(&n, &items)
    }

    #[test]
    fn header_names_the_organisation() {
        let m = meta("Gemeente Leiderdorp\n\nDe gemeente Leiden voert taken uit voor Leiden.");
        assert_eq!(m.gemeente.as_deref(), Some("Leiderdorp"));
        assert_eq!(m.organisation_kind.as_deref(), Some("gemeente"));
    }

    #[test]
    fn most_mentioned_name_wins_and_words_must_be_whole() {
        let m = meta("In Breda en Breda-Noord.\n\nHet Rijk aan Breda en Tilburg.");
        assert_eq!(m.gemeente.as_deref(), Some("Breda"));
        assert_eq!(meta("Leidschendam-Noord is een wijk.").gemeente, None);
        assert_eq!(meta("We werken in Den Haag.").gemeente.as_deref(), Some("'s-Gravenhage"));
    }

    #[test]
    fn a_page_about_the_provincie_names_the_provincie() {
        let m = meta("De provincie werkt samen met Amsterdam en Texel aan projecten in Noord-Holland.");
        assert_eq!(m.gemeente.as_deref(), Some("Noord-Holland"));
        assert_eq!(m.organisation_kind.as_deref(), Some("provincie"));
        let m = meta("Wij werken met Amsterdam en Texel.");
        assert_eq!(m.gemeente.as_deref(), Some("Amsterdam"));
    }

    #[test]
    fn words_split_on_spaces_and_punctuation() {
        let w: Vec<&str> = words("In ’s-Hertogenbosch, Súdwest-Fryslân en «Breda»: 12 %").map(|(_, w)| w).collect();
        assert_eq!(w, vec!["In", "s-Hertogenbosch", "Súdwest-Fryslân", "en", "Breda", "12"]);
    }

    #[test]
    fn title_line_gives_type_and_year() {
        let m = meta("Programmabegroting 2022\n\nDekkingsmiddelen\n\nTekst.");
        assert_eq!((m.document_type.as_deref(), m.year), (Some("begroting"), Some(2022)));
    }

    #[test]
    fn labels_phrases_and_breadcrumbs() {
        assert_eq!(meta("Activiteiten 2022\n\nWe doen dit.").year, Some(2022));
        let m = meta("Titel\n\nDit staat in dit jaarverslag. Het komt uit de begroting 2018.");
        assert_eq!((m.document_type.as_deref(), m.year), (Some("jaarstukken"), Some(2018)));
        let m = meta("U bent hier: HomeBeleidsbegrotingProgramma 1\n\nTekst.");
        assert_eq!(m.document_type.as_deref(), Some("begroting"));
        assert_eq!(meta("Exploitatie Begroting 2020 Wijzigingen 2020 Realisatie 2020\n").year, Some(2020));
    }

    #[test]
    fn nothing_known_stays_empty() {
        let m = meta("Wat gaan we doen?\n\nWe werken aan de 2030 doelen in 2026.");
        assert_eq!(m, Meta::default());
    }
}
