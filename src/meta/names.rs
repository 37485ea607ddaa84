//! Organisation names found in text: the official names of
//! `data/organisations.tsv` and the other names of
//! `data/organisation_aliases.tsv`, looked up at each word start.

use std::sync::OnceLock;

use crate::bytes::{ByteSet, WordMap};
use crate::rules::rules;

pub(super) const ALIASES: &str = include_str!("../../data/organisation_aliases.tsv");

/// The words that say what kind of body an organisation is, in the order of
/// the bits of [`NameIndex::bearer_kinds`].
pub(super) const KIND_WORDS: [&str; 3] = ["gemeente", "provincie", "waterschap"];

/// The place of `gemeente` in [`KIND_WORDS`].
pub(super) const GEMEENTE: usize = 0;
/// The place of `provincie` in [`KIND_WORDS`].
pub(super) const PROVINCIE: usize = 1;

/// Organisation names (and aliases) by their words, for lookup at each word
/// start of the text.
pub(super) struct NameIndex {
    /// The first words of names (`Bergen`, `Bergen op`, `Bergen op Zoom`) →
    /// the first organisation bearing that name, when they are a whole name.
    pub(super) prefixes: WordMap<Option<usize>>,
    /// Whether a name starts with this byte.
    first_bytes: [bool; 256],
    /// The same bytes, for searching 16 bytes at a time (`None` if they do
    /// not fit a [`ByteSet`]: then byte by byte).
    first_byte_set: Option<ByteSet>,
    /// The first words of names, asked before the map (cheaper, and most
    /// capitalised words start no name).
    pub(super) first_words: FirstWords,
    /// Organisation → the kinds of body (bits in [`KIND_WORDS`] order) bearing its name.
    pub(super) bearer_kinds: Vec<u8>,
}

impl NameIndex {
    /// The next word start at or after `from` whose first byte can start a name.
    pub(super) fn next_word_start(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let starts_name = |i: usize| self.first_bytes[usize::from(bytes[i])] && (i == 0 || !is_word_byte(bytes, i - 1));
        match &self.first_byte_set {
            Some(set) => set.find(bytes, from, starts_name),
            None => (from..bytes.len()).find(|&i| starts_name(i)),
        }
    }
}

/// A set of words that may answer "yes" for words not in it (a one-hash
/// Bloom filter over the first three bytes and the length of a word).
pub(super) struct FirstWords([u64; FirstWords::WORDS]);

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

    pub(super) fn contains(&self, word: &[u8]) -> bool {
        let bit = Self::bit(word);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

pub(super) fn name_index() -> &'static NameIndex {
    static INDEX: OnceLock<NameIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let orgs = &rules().organisations;
        let mut names: WordMap<usize> = WordMap::default();
        for (i, o) in orgs.iter().enumerate() {
            names.entry(o.name.clone()).or_insert(i);
        }
        for line in ALIASES.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let Some((alias, name)) = line.split_once('\t') else { continue };
            if let Some(&i) = names.get(name) {
                names.insert(alias.to_string(), i);
            }
        }
        let mut prefixes: WordMap<Option<usize>> = WordMap::default();
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

/// The official name of the organisation `name` names, exactly as written
/// (an official name itself, or an alias: `Den Haag` → `'s-Gravenhage`).
pub(crate) fn official_name(name: &str) -> Option<&'static str> {
    let index = name_index().prefixes.get(name).copied().flatten()?;
    Some(rules().organisations[index].name.as_str())
}

/// The words of a text as (start, end) byte offsets: runs of letters,
/// digits, `-` and `'` (bytes of non-ASCII letters included; general
/// punctuation such as `’` and `–`, and Latin-1 signs such as `«`, end a word).
pub(super) fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
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
pub(super) fn word_end(bytes: &[u8], mut i: usize) -> usize {
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
pub(super) fn is_word_byte(bytes: &[u8], i: usize) -> bool {
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

/// The organisation whose name starts with the word `text[start..end]`: the
/// longest name its words (joined by one space) spell out, and where that
/// name ends in `text`.
pub(super) fn name_at(
    index: &NameIndex,
    text: &str,
    start: usize,
    end: usize,
    candidate: &mut String,
) -> Option<(usize, usize)> {
    candidate.clear();
    candidate.push_str(&text[start..end]);
    let mut found = None;
    let mut candidate_end = end;
    let mut following = words(&text[end..]);
    while let Some(&org) = index.prefixes.get(candidate.as_str()) {
        if let Some(org) = org {
            found = Some((org, candidate_end));
        }
        let Some((from, to)) = following.next() else { break };
        candidate.push(' ');
        candidate.push_str(&text[end + from..end + to]);
        candidate_end = end + to;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn aliases_name_official_organisations() {
        let orgs = &rules().organisations;
        for line in ALIASES.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let (alias, name) = line.split_once('\t').expect("two columns");
            let found = name_index().prefixes.get(alias).copied().flatten();
            assert_eq!(found.map(|i| orgs[i].name.as_str()), Some(name), "{alias}");
        }
    }
}
