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

use crate::bytes::ByteSet;
use crate::model::Meta;
use crate::normalize::Item;
use crate::normalize::{Normalized, Shape};
use crate::numbers::{digit_count, find_year};
use crate::rules::{rules, Organisation};

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

/// Organisation names (and aliases) by their words, for lookup at each word
/// start of the text.
struct NameIndex {
    /// The first words of names (`Bergen`, `Bergen op`, `Bergen op Zoom`) →
    /// the first organisation bearing that name, when they are a whole name.
    prefixes: HashMap<String, Option<usize>, BuildHasherDefault<WordHasher>>,
    /// Whether a name starts with this byte.
    first_bytes: [bool; 256],
    /// The same bytes, for searching 16 bytes at a time (`None` if they do
    /// not fit a [`ByteSet`]: then byte by byte).
    first_byte_set: Option<ByteSet>,
    /// The first words of names, asked before the map (cheaper, and most
    /// capitalised words start no name).
    first_words: FirstWords,
    /// Organisation → the kinds of body (bits in [`KIND_WORDS`] order) bearing its name.
    bearer_kinds: Vec<u8>,
}

impl NameIndex {
    /// The next word start at or after `from` whose first byte can start a name.
    fn next_word_start(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let starts_name = |i: usize| self.first_bytes[usize::from(bytes[i])] && (i == 0 || !is_word_byte(bytes, i - 1));
        match &self.first_byte_set {
            Some(set) => set.find(bytes, from, starts_name),
            None => (from..bytes.len()).find(|&i| starts_name(i)),
        }
    }
}

/// A set of words that may answer "yes" for words not in it (a one-hash
/// Bloom filter over the first three bytes and the length of a word).
struct FirstWords([u64; FirstWords::WORDS]);

impl Default for FirstWords {
    fn default() -> Self {
        FirstWords([0; FirstWords::WORDS])
    }
}

impl FirstWords {
    /// 64-bit words in the filter (2 KB).
    const WORDS: usize = 256;

    fn bit(word: &[u8]) -> usize {
        let byte = |i: usize| word.get(i).map_or(0, |&b| u64::from(b));
        let key = byte(0) | byte(1) << 8 | byte(2) << 16 | (word.len().min(255) as u64) << 24;
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 50) as usize
    }

    fn insert(&mut self, word: &[u8]) {
        let bit = Self::bit(word);
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    fn contains(&self, word: &[u8]) -> bool {
        let bit = Self::bit(word);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
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
        let mut prefixes: HashMap<String, Option<usize>, BuildHasherDefault<WordHasher>> = HashMap::default();
        let mut first_bytes = [false; 256];
        let mut first_words = FirstWords::default();
        for (name, &org) in &names {
            first_bytes[usize::from(name.as_bytes()[0])] = true;
            first_words.insert(name.split(' ').next().unwrap_or(name).as_bytes());
            let ends = name.match_indices(' ').map(|(i, _)| i);
            for end in ends {
                prefixes.entry(name[..end].to_string()).or_insert(None);
            }
            prefixes.insert(name.clone(), Some(org));
        }
        let mut bearer_kinds = vec![0u8; orgs.len()];
        for o in orgs {
            let kind = KIND_WORDS.iter().position(|k| *k == o.kind).map_or(0, |k| 1 << k);
            bearer_kinds[names[&o.name]] |= kind;
        }
        let first_byte_set = ByteSet::of_members(&first_bytes);
        NameIndex { prefixes, first_bytes, first_byte_set, first_words, bearer_kinds }
    })
}

/// The words of a text as (start, end) byte offsets: runs of letters,
/// digits, `-` and `'` (bytes of non-ASCII letters included; general
/// punctuation such as `’` and `–`, and Latin-1 signs such as `«`, end a word).
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !is_word_byte(bytes, i) {
            i += 1;
        }
        let start = i;
        i = word_end(bytes, i);
        (start < i).then_some((start, i))
    })
}

/// Where the word that goes on at `i` ends.
fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_word_byte(bytes, i) {
        i += 1;
    }
    i
}

/// ASCII bytes that belong to a word: letters, digits, `-` and `'`.
const ASCII_WORD_BYTES: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'-' as usize || b == b'\'' as usize;
        b += 1;
    }
    table
};

/// Whether the byte at `i` belongs to a word (see [`words`]).
#[inline]
fn is_word_byte(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b @ 0..=0x7F => ASCII_WORD_BYTES[usize::from(b)],
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
    items.iter().take(HEADER_LINES).find_map(|i| header_organisation(i.text)).or_else(|| mentioned_organisation(items))
}

/// The organisation a page header names: `Gemeente Utrecht` (the gemeente,
/// not the provincie), `Waterschap Limburg` (the waterschap of that name),
/// `Gemeente Den Haag` (by its official name, `'s-Gravenhage`).
fn header_organisation(text: &str) -> Option<&'static Organisation> {
    let orgs = &rules().organisations;
    let (prefix, rest) = ORGANISATION_HEADERS.iter().find_map(|p| Some((p, text.strip_prefix(p)?.trim())))?;
    let header_kind = prefix.trim().to_lowercase();
    // The official name a name stands for (itself, or the name an alias gives).
    let official = |name: &str| name_index().prefixes.get(name).copied().flatten().map(|i| orgs[i].name.as_str());
    let bearer = |name: Option<&str>, kind: Option<&str>| {
        let name = name?;
        orgs.iter().find(|o| o.name == name && kind.is_none_or(|k| o.kind == k))
    };
    let (whole, rest, kind) = (official(text.trim()), official(rest), Some(header_kind.as_str()));
    bearer(whole, kind).or_else(|| bearer(rest, kind)).or_else(|| bearer(rest, None))
}

/// The organisation whose name the page mentions most, preferring the kind of
/// body the text speaks of.
fn mentioned_organisation(items: &[Item]) -> Option<&'static Organisation> {
    let orgs = &rules().organisations;
    let index = name_index();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut offset = 0;
    let mut scanned = 0;
    let mut candidate = String::new();
    for item in items {
        if offset > SCAN_BYTES {
            break;
        }
        scanned += 1;
        let bytes = item.text.as_bytes();
        let mut from = 0;
        while let Some(start) = index.next_word_start(bytes, from) {
            let end = word_end(bytes, start);
            from = end;
            if !index.first_words.contains(&bytes[start..end]) {
                continue;
            }
            if let Some(org) = name_at(index, item.text, start, end, &mut candidate) {
                match mentions.iter_mut().find(|x| x.org == org) {
                    Some(x) => x.count += 1,
                    None => mentions.push(Mention { org, count: 1, first: offset + start }),
                }
            }
        }
        offset += item.text.len() + 1;
    }
    // The kind words matter only when the names mentioned are borne by bodies of different kinds.
    let kinds = mentions.iter().fold(0, |all, m| all | index.bearer_kinds[m.org]);
    let preferred = if kinds.count_ones() > 1 { preferred_kind(&items[..scanned]) } else { None };
    let most_mentioned = |kind: Option<usize>| {
        mentions
            .iter()
            .filter(|m| kind.is_none_or(|k| index.bearer_kinds[m.org] & (1 << k) != 0))
            .max_by_key(|m| (m.count, std::cmp::Reverse(m.first)))
    };
    let named = &orgs[preferred.and_then(|k| most_mentioned(Some(k))).or_else(|| most_mentioned(None))?.org];
    // Of the organisations bearing that name, the first of the preferred kind.
    let of_kind = |o: &&Organisation| o.name == named.name && preferred.is_some_and(|k| o.kind == KIND_WORDS[k]);
    orgs.iter().find(of_kind).or(Some(named))
}

/// The organisation whose name starts with the word `text[start..end]`: the
/// longest name its words (joined by one space) spell out.
fn name_at(index: &NameIndex, text: &str, start: usize, end: usize, candidate: &mut String) -> Option<usize> {
    candidate.clear();
    candidate.push_str(&text[start..end]);
    let mut found = None;
    let mut following = words(&text[end..]);
    while let Some(&org) = index.prefixes.get(candidate.as_str()) {
        found = org.or(found);
        let Some((from, to)) = following.next() else { break };
        candidate.push(' ');
        candidate.push_str(&text[end + from..end + to]);
    }
    found
}

/// Count `gemeente`, `provincie`, `waterschap` (either case of the first
/// letter, and words they start, such as `gemeentelijke`).
fn count_kind_words(items: &[Item]) -> [usize; 3] {
    let finders = KIND_WORDS.map(|k| memchr::memmem::Finder::new(&k.as_bytes()[1..]));
    let mut counts = [0; 3];
    for item in items {
        for (k, finder) in finders.iter().enumerate() {
            counts[k] += finder.find_iter(item.text.as_bytes()).count();
        }
    }
    counts
}

/// One organisation's mentions in the text.
struct Mention {
    org: usize,
    count: usize,
    first: usize,
}

/// The words that say what kind of body wrote the page.
const KIND_WORDS: [&str; 3] = ["gemeente", "provincie", "waterschap"];

/// The kind of body the page speaks of most (`de provincie …`), if any, as
/// its place in [`KIND_WORDS`].
fn preferred_kind(items: &[Item]) -> Option<usize> {
    let counts = count_kind_words(items);
    let (i, n) = counts.iter().enumerate().max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))?;
    (*n > 0).then_some(i)
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
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    FINDER.get_or_init(|| memchr::memmem::Finder::new("egroting ")).find(text.as_bytes())?;
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
    use crate::normalize::items_of;
    use crate::normalize::normalize_text;

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
        let kind_and_name = |text: &str| {
            let m = meta(text);
            (m.organisation_kind.unwrap_or_default(), m.gemeente.unwrap_or_default())
        };
        assert_eq!(kind_and_name("Provincie Utrecht\n\nTekst."), ("provincie".into(), "Utrecht".into()));
        assert_eq!(kind_and_name("Gemeente Utrecht\n\nTekst."), ("gemeente".into(), "Utrecht".into()));
        let waterschap = ("waterschap".into(), "Waterschap Limburg".into());
        assert_eq!(kind_and_name("Waterschap Limburg\n\nDe provincie Limburg."), waterschap);
        assert_eq!(kind_and_name("Gemeente Den Haag\n\nTekst."), ("gemeente".into(), "'s-Gravenhage".into()));
        assert_eq!(kind_and_name("Provincie Friesland\n\nTekst."), ("provincie".into(), "Fryslân".into()));
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
        let text = "In ’s-Hertogenbosch, Súdwest-Fryslân en «Breda»: 12 %";
        let w: Vec<&str> = words(text).map(|(start, end)| &text[start..end]).collect();
        assert_eq!(w, vec!["In", "s-Hertogenbosch", "Súdwest-Fryslân", "en", "Breda", "12"]);
    }

    #[test]
    fn first_word_filter_keeps_every_name_and_lets_few_other_words_through() {
        let index = name_index();
        for name in index.prefixes.keys() {
            assert!(index.first_words.contains(name.split(' ').next().unwrap().as_bytes()), "{name}");
        }
        let common = "Wat Dit In We Ook Deze Voor Het Om Bij Daarnaast Hiervoor Met Op Zo Er Als Door Naar Wij";
        let passed = common.split(' ').filter(|w| index.first_words.contains(w.as_bytes())).count();
        assert!(passed <= 3, "{passed} of 20 common words pass the filter");
    }

    /// The rule stated plainly: at each word start, the longest name whose
    /// words (joined by one space) follow; the most mentioned name wins,
    /// among the names borne by the kind of body the text speaks of most.
    fn organisation_by_rule(items: &[Item]) -> Option<String> {
        let orgs = &rules().organisations;
        let mut names: Vec<(&str, &str)> = orgs.iter().map(|o| (o.name.as_str(), o.name.as_str())).collect();
        let aliases = ALIASES.lines().filter(|l| !l.starts_with('#')).skip(1).filter_map(|l| l.split_once('\t'));
        names.extend(aliases);
        let mut mentions: Vec<(&str, usize, usize)> = Vec::new();
        let mut kinds = [0; 3];
        let mut offset = 0;
        for item in items {
            for (k, kind) in KIND_WORDS.iter().enumerate() {
                kinds[k] += item.text.matches(&kind[1..]).count();
            }
            let words: Vec<(usize, &str)> = words(item.text).map(|(s, e)| (s, &item.text[s..e])).collect();
            for (w, &(start, _)) in words.iter().enumerate() {
                let spelled = |name: &str| {
                    let parts: Vec<&str> = name.split(' ').collect();
                    words.len() >= w + parts.len() && parts.iter().zip(&words[w..]).all(|(p, (_, x))| p == x)
                };
                let longest = names.iter().filter(|(n, _)| spelled(n)).max_by_key(|(n, _)| n.split(' ').count());
                if let Some(&(_, official)) = longest {
                    match mentions.iter_mut().find(|m| m.0 == official) {
                        Some(m) => m.1 += 1,
                        None => mentions.push((official, 1, offset + start)),
                    }
                }
            }
            offset += item.text.len() + 1;
        }
        let (k, n) = kinds.iter().enumerate().max_by_key(|(k, n)| (**n, std::cmp::Reverse(*k)))?;
        let preferred = (*n > 0).then(|| KIND_WORDS[k]);
        let borne = |name: &str, kind: &str| orgs.iter().any(|o| o.name == name && o.kind == kind);
        let best = |of_kind: bool| {
            let of_kind = |m: &&(&str, usize, usize)| !of_kind || preferred.is_some_and(|p| borne(m.0, p));
            mentions.iter().filter(of_kind).max_by_key(|m| (m.1, std::cmp::Reverse(m.2)))
        };
        let (name, _, _) = best(true).or_else(|| best(false))?;
        let bearer = orgs.iter().find(|o| o.name == *name && preferred == Some(o.kind.as_str()));
        Some(bearer.map_or(name.to_string(), |o| o.name.clone()))
    }

    #[test]
    fn organisation_follows_the_rule_on_generated_pages() {
        let orgs = &rules().organisations;
        let mut vocabulary: Vec<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
        vocabulary.extend(["Den Haag", "Friesland", "Bergen op", "Het", "het", "De", "Groningen,", "(Utrecht)"]);
        vocabulary.extend(["gemeente", "Gemeente", "provincie", "Provinciale", "waterschap", "en", "in", "-", "«"]);
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(40) {
                text.push_str(vocabulary[next(vocabulary.len())]);
                text.push_str(["", " ", " ", " ", ", ", "\n\n", "-", "’"][next(8)]);
            }
            let n = normalize_text(&text);
            let items = items_of(&n.lines);
            let found = mentioned_organisation(&items).map(|o| o.name.clone());
            assert_eq!(found, organisation_by_rule(&items), "{text:?}");
        }
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
