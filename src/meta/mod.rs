//! Document metadata: organisation, year and document type from the page
//! text, never from the file name or URL. Unknown stays empty, and every
//! value keeps the lines it came from ([`Meta::evidence`]).
//!
//! Each value is read from evidence ranked by how the page says it
//! ([`EvidenceRank`]): its title line, header or breadcrumb first; then the
//! page naming itself (`Voor u ligt de begroting 2025`) or its author (`de
//! gemeente Leiden`); then headings and running text; a name inside another
//! name (`Sv Wassenaar`) last. A document the page only refers to (`zie de
//! jaarrekening`) counts against it. When no document says the year, labels
//! (`Activiteiten 2022`), table headers, balance dates and sentences that
//! start with a year (`In 2018 werkt …`) may.

mod document;
mod names;
mod organisation;

pub(crate) use names::official_name;

use crate::model::{EvidenceRank, Meta, MetaEvidence, MetaField};
use crate::normalize::{at_most_words, is_value_like, may_start_value, HeadLine, Item, Normalized, Shape};

/// How many lines of evidence are kept per value.
const MAX_EVIDENCE: usize = 3;
/// Bytes of content read (keeps huge inputs linear and cheap).
const SCAN_BYTES: usize = 1 << 20;
/// Bytes of a line kept on either side of the words evidence was read from.
const CONTEXT_BYTES: usize = 60;

/// A line that says a value: where, the words around it, and how.
#[derive(Debug, Clone, PartialEq)]
struct Said {
    line: usize,
    text: String,
    rank: EvidenceRank,
}

impl Said {
    /// What `text[start..end]`, on line `line`, says with strength `rank`.
    fn new(line: usize, text: &str, (start, end): (usize, usize), rank: EvidenceRank) -> Said {
        Said { line, text: snippet(text, start, end), rank }
    }
}

/// Derive the metadata of a page.
pub fn detect(normalized: &Normalized, items: &[Item]) -> Meta {
    let items = scanned(items);
    let head: Vec<&HeadLine> = document::page_names(normalized).collect();
    let organisation = organisation::organisation(items, &head);
    let document = document::document(normalized, items);
    let mut evidence = Vec::new();
    let mut keep = |field: MetaField, value: String, said: Vec<Said>| {
        let said = said.into_iter().take(MAX_EVIDENCE);
        evidence.extend(said.map(|s| MetaEvidence {
            field,
            value: value.clone(),
            line: s.line,
            text: s.text,
            rank: s.rank,
        }));
    };
    let (gemeente, organisation, organisation_kind) = match organisation {
        Some(named) => {
            keep(MetaField::Gemeente, named.written.to_string(), named.said);
            (Some(named.written.to_string()), Some(named.org.name.clone()), Some(named.org.kind.clone()))
        }
        None => (None, None, None),
    };
    let document_type = document.doc_type.map(|(t, said)| {
        keep(MetaField::DocumentType, t.to_string(), said);
        t.to_string()
    });
    let year = document.year.map(|(y, said)| {
        keep(MetaField::Year, y.to_string(), said);
        y
    });
    Meta {
        gemeente,
        organisation,
        organisation_kind,
        document_type,
        year,
        platform: normalized.platforms.iter().max_by_key(|(_, n)| **n).map(|(p, _)| p.clone()),
        breadcrumb: normalized.breadcrumb.clone(),
        built_at: normalized.built_at.clone(),
        exported_at: normalized.exported_at.clone(),
        evidence,
        title: head_line(normalized, "title").or_else(|| head_line(normalized, "og:title")),
        language: normalized.markup.and_then(|m| m.language.clone()),
        url: None,
        sources: Default::default(),
    }
}

/// The text of the head line `field` of an HTML page (`title`, `og:title`).
fn head_line(normalized: &Normalized, field: &str) -> Option<String> {
    normalized.markup?.head.iter().find(|h| h.field == field).map(|h| h.text.clone())
}

/// Build the organisation index now rather than on first use.
pub fn prepare() {
    names::name_index();
}

/// The items metadata is read from: those that start within the first
/// [`SCAN_BYTES`] of content.
fn scanned<'i, 'a>(items: &'i [Item<'a>]) -> &'i [Item<'a>] {
    let mut offset = 0;
    let end = items
        .iter()
        .position(|i| {
            offset += i.text.len() + 1;
            offset > SCAN_BYTES
        })
        .map_or(items.len(), |i| i + 1);
    &items[..end]
}

/// Whether item `i` is part of a table rather than text: a row of cells
/// (`a | b | c`), a line of three or more numbers that make a third of its
/// words or more, or a short cell standing next to a number on its own line
/// (`Zeeland ¶ 209`, also as list items: `• Begroting 2016 ¶ • 4.419`).
fn is_table_text(items: &[Item], i: usize) -> bool {
    let text = items[i].text;
    if memchr::memchr_iter(b'|', text.as_bytes()).nth(1).is_some() {
        return true;
    }
    if mostly_numbers(text) {
        return true;
    }
    let value = |j: Option<usize>| {
        j.and_then(|j| items.get(j)).is_some_and(|n| n.shape == Shape::Value || is_value_like(n.text))
    };
    at_most_words(text, 3) && items[i].shape != Shape::Paragraph && (value(i.checked_sub(1)) || value(Some(i + 1)))
}

/// Whether three or more of the words of `text` (split at each space) are
/// numbers ([`is_value_like`]) and they make a third of its words or more.
/// The words that can start a number are counted first: most lines have too few.
fn mostly_numbers(text: &str) -> bool {
    let bytes = text.as_bytes();
    let words = crate::bytes::count_where(bytes, |b| b == b' ') + 1;
    let needed = words.div_ceil(3).max(3);
    // Branch-free over the pairs of bytes (a space and the byte after it), which the compiler vectorises.
    let pairs = bytes.chunks(255).zip(bytes.get(1..).unwrap_or_default().chunks(255));
    let after_spaces: usize = pairs
        .map(|(first, second)| {
            let starts =
                first.iter().zip(second).map(|(&b, &next)| u8::from(b == b' ') & u8::from(may_start_value(next)));
            usize::from(starts.sum::<u8>())
        })
        .sum();
    let may_be_numbers = after_spaces + usize::from(bytes.first().is_some_and(|&b| may_start_value(b)));
    may_be_numbers >= needed && text.split(' ').filter(|word| is_value_like(word)).count() >= needed
}

/// `text[start..end]` with up to [`CONTEXT_BYTES`] on either side, cut at
/// spaces; `…` marks a cut.
fn snippet(text: &str, start: usize, end: usize) -> String {
    let from = if start <= CONTEXT_BYTES {
        0
    } else {
        let floor = char_boundary(text, start - CONTEXT_BYTES);
        text[floor..start].find(' ').map_or(start, |i| floor + i + 1)
    };
    let to = if text.len() - end <= CONTEXT_BYTES {
        text.len()
    } else {
        let ceil = char_boundary(text, end + CONTEXT_BYTES);
        text[end..ceil].rfind(' ').map_or(end, |i| end + i)
    };
    let mut cut = String::with_capacity(to - from + 8);
    if from > 0 {
        cut.push('…');
    }
    cut.push_str(&text[from..to]);
    if to < text.len() {
        cut.push('…');
    }
    cut
}

/// The first character boundary of `text` at or after byte `i` (at most
/// three bytes on).
fn char_boundary(text: &str, i: usize) -> usize {
    (i..text.len()).find(|&b| text.is_char_boundary(b)).unwrap_or(text.len())
}

/// The value said most often (the first said wins ties), with the lines
/// that say it.
fn most_said<T: PartialEq + Copy>(said: impl IntoIterator<Item = (T, Said)>) -> Option<(T, Vec<Said>)> {
    let mut values: Vec<(T, Vec<Said>)> = Vec::new();
    for (value, s) in said {
        match values.iter_mut().find(|(v, _)| *v == value) {
            Some((_, lines)) => lines.push(s),
            None => values.push((value, vec![s])),
        }
    }
    let most = values.iter().map(|(_, lines)| lines.len()).max()?;
    values.into_iter().find(|(_, lines)| lines.len() == most)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{items_of, normalize_text};

    pub(super) fn meta(text: &str) -> Meta {
        let n = normalize_text(text);
        let items = items_of(&n.lines);
        detect(&n, &items)
    }

    #[test]
    fn nothing_known_stays_empty() {
        let m = meta("Wat gaan we doen?\n\nWe werken aan de 2030 doelen in 2026.");
        assert_eq!(m, Meta::default());
    }

    #[test]
    fn every_value_keeps_the_line_it_came_from() {
        let m = meta("Gemeente Leiderdorp\n\nProgrammabegroting 2022\n\nTekst.");
        let lines: Vec<(&str, &str, usize, &str)> =
            m.evidence.iter().map(|e| (e.field.as_str(), e.value.as_str(), e.line, e.rank.as_str())).collect();
        assert_eq!(
            lines,
            vec![
                ("gemeente", "Leiderdorp", 1, "title"),
                ("document_type", "begroting", 3, "title"),
                ("year", "2022", 3, "title")
            ]
        );
    }

    #[test]
    fn snippets_cut_long_lines_at_spaces() {
        let long = format!("{} de gemeente Leiden {}", "woord ".repeat(30), "ander ".repeat(30));
        let start = long.find("Leiden").unwrap();
        let cut = snippet(&long, start, start + 6);
        assert!(cut.starts_with("…woord") && cut.ends_with("ander…"), "{cut}");
        assert!(cut.len() < 2 * CONTEXT_BYTES + 20, "{cut}");
        assert_eq!(snippet("Leiden", 0, 6), "Leiden");
        assert_eq!(snippet("één", 0, "één".len()), "één");
    }

    #[test]
    fn table_rows_and_cells_are_not_text() {
        let n = normalize_text("Zeeland\n\n209\n\nIn Zeeland wonen we.\n\nA | B | C\n\nLasten 1.200 3.400 5.600\n");
        let items = items_of(&n.lines);
        let table: Vec<bool> = (0..items.len()).map(|i| is_table_text(&items, i)).collect();
        assert_eq!(table, vec![true, false, false, true, true]);
    }

    #[test]
    fn mostly_numbers_is_the_count_of_value_words() {
        let by_rule = |text: &str| {
            let words: Vec<&str> = text.split(' ').collect();
            let numbers = words.iter().filter(|w| is_value_like(w)).count();
            numbers >= 3 && 3 * numbers >= words.len()
        };
        let words = ["1.200", "Lasten", "-", "nvt", "€", "12%", "", "Q3", "2017", "x", "(5)", "–", "tekst", "pm"];
        for n in 0..3000usize {
            let len = n % 11;
            let text: Vec<&str> = (0..len).map(|k| words[(n / 11 + k * 7 + k * k * n) % words.len()]).collect();
            let text = text.join(" ");
            assert_eq!(mostly_numbers(&text), by_rule(&text), "{text:?}");
        }
    }

    #[test]
    fn the_value_said_most_wins_and_the_first_wins_ties() {
        let said = |v: u16, line: usize| (v, Said { line, text: String::new(), rank: EvidenceRank::Mention });
        let (v, lines) = most_said([said(1, 1), said(2, 2), said(2, 3)]).unwrap();
        assert_eq!((v, lines.len()), (2, 2));
        assert_eq!(most_said([said(1, 1), said(2, 2)]).map(|(v, _)| v), Some(1));
        assert_eq!(most_said(Vec::<(u16, Said)>::new()), None);
    }
}
