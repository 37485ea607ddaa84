//! The organisation a page is by: a `Gemeente X` header; else the body the
//! text names as its author (`de gemeente Leiden`, `Leiden werkt samen`);
//! else the one it mentions most; else a gemeente whose name only stands
//! inside another name (`Sv Wassenaar`, `Meer Maashorst`) — never a
//! provincie or waterschap that way, whose names are regions that many plans
//! and programmes bear (`Integrale Netwerkvisie Overijssel`). Names in tables
//! (a comparison column `Zeeland`) and names of other bodies (`Metropoolregio
//! Eindhoven`) are not evidence. The words around a name are data
//! (`data/organisation_context.tsv`).

use super::names::{is_word_byte, name_at, name_index, official_name, word_end, GEMEENTE, KIND_WORDS, PROVINCIE};
use super::{is_table_text, Said};
use crate::model::EvidenceRank;
use crate::normalize::{HeadLine, Item, Shape};
use crate::rules::{rules, Organisation};

/// A page header naming the organisation: `Gemeente Leiderdorp`.
pub(super) const ORGANISATION_HEADERS: [&str; 3] = ["Gemeente ", "Provincie ", "Waterschap "];

/// How many leading content lines count as the page's header.
const HEADER_LINES: usize = 3;

/// The ranks of mentions, strongest first.
const MENTION_RANKS: [EvidenceRank; 3] = [EvidenceRank::Author, EvidenceRank::Mention, EvidenceRank::Weak];

/// The organisation a page is by, as the page names it.
#[derive(Debug)]
pub(super) struct Named<'t> {
    /// The organisation (its official name and kind).
    pub(super) org: &'static Organisation,
    /// The name as the page writes it, without a leading kind word that is
    /// not part of the name (`Leiderdorp` for the header `Gemeente
    /// Leiderdorp`; `Brabant`; `Waterschap Limburg`).
    pub(super) written: &'t str,
    /// The lines that name it.
    pub(super) said: Vec<Said>,
}

/// The organisation of a page and the lines that name it.
pub(super) fn organisation<'t>(items: &[Item<'t>], head: &[&'t HeadLine]) -> Option<Named<'t>> {
    let header = items.iter().take(HEADER_LINES).find_map(|i| {
        let (org, written) = header_organisation(i.text)?;
        Some(Named { org, written, said: vec![Said::new(i.no, i.text, (0, i.text.len()), EvidenceRank::Title)] })
    });
    header.or_else(|| head_organisation(head)).or_else(|| mentioned_organisation(items))
}

/// The organisation a part of an HTML page's title or site name names as
/// a header does (`Programmabegroting 2024 - Gemeente Zwolle`).
fn head_organisation<'t>(head: &[&'t HeadLine]) -> Option<Named<'t>> {
    head.iter().find_map(|h| {
        let mut parts = h.text.split(['|', '–', '—', ':']).flat_map(|p| p.split(" - "));
        let (org, written) = parts.find_map(|p| header_organisation(p.trim()))?;
        Some(Named { org, written, said: vec![Said::new(h.line, &h.text, (0, h.text.len()), EvidenceRank::Title)] })
    })
}

/// The organisation a page header names, and its name as written there:
/// `Gemeente Utrecht` (the gemeente, not the provincie; `Utrecht`),
/// `Waterschap Limburg` (the waterschap of that name, the kind word part of
/// it), `Gemeente Den Haag` (officially `'s-Gravenhage`; `Den Haag`).
fn header_organisation<'t>(text: &'t str) -> Option<(&'static Organisation, &'t str)> {
    let orgs = &rules().organisations;
    let (prefix, rest) = ORGANISATION_HEADERS.iter().find_map(|p| Some((p, text.strip_prefix(p)?.trim())))?;
    let header_kind = prefix.trim().to_lowercase();
    let bearer = |written: &'t str, kind: Option<&str>| {
        let name = official_name(written)?;
        orgs.iter().find(|o| o.name == name && kind.is_none_or(|k| o.kind == k)).map(|o| (o, written))
    };
    let (whole, kind) = (text.trim(), Some(header_kind.as_str()));
    bearer(whole, kind).or_else(|| bearer(rest, kind)).or_else(|| bearer(rest, None))
}

/// The mentions of one organisation's name of one rank.
struct Mention<'t> {
    org: usize,
    rank: EvidenceRank,
    count: usize,
    /// Offset of the first, in the text of all items.
    first: usize,
    /// The first as written.
    written: &'t str,
    said: Vec<Said>,
}

/// The organisation the text names at the strongest rank it names any (the
/// most mentioned there), preferring the kind of body the text speaks of;
/// its name as the first of those mentions writes it.
fn mentioned_organisation<'t>(items: &[Item<'t>]) -> Option<Named<'t>> {
    let orgs = &rules().organisations;
    let index = name_index();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut offset = 0;
    let mut candidate = String::new();
    for (i, item) in items.iter().enumerate() {
        let bytes = item.text.as_bytes();
        let mut from = 0;
        let mut table = None;
        // The end of the last name here that is another body's, which a dash may join a second name to.
        let mut other_body_end = None;
        while let Some(start) = index.next_word_start(bytes, from) {
            let end = word_end(bytes, start);
            from = end;
            if !index.first_words.contains(&bytes[start..end]) {
                continue;
            }
            let Some((org, name_end)) = name_at(index, item.text, start, end, &mut candidate) else { continue };
            if *table.get_or_insert_with(|| is_table_text(items, i)) {
                break;
            }
            if other_body_end.is_some_and(|e| e <= start && joined_by_dash(&item.text[e..start])) {
                other_body_end = Some(name_end);
                continue;
            }
            // A provincie named as the supervisor of the page's gemeente (`toezichthouder provincie Fryslân`).
            let provincie = index.bearer_kinds[org] == 1 << PROVINCIE
                || previous_word(item.text, start).is_some_and(|(w, _)| w.eq_ignore_ascii_case(KIND_WORDS[PROVINCIE]));
            let supervisor = provincie && near_third_party_word(item.text, start, name_end);
            let rank = (!supervisor).then(|| rank_of(item.text, start, name_end, prose(item.shape))).flatten();
            let Some(rank) = rank else {
                other_body_end = Some(name_end);
                continue;
            };
            let said = || Said::new(item.no, item.text, (start, name_end), rank);
            match mentions.iter_mut().find(|m| m.org == org && m.rank == rank) {
                Some(m) => {
                    m.count += 1;
                    if m.said.len() < super::MAX_EVIDENCE {
                        m.said.push(said());
                    }
                }
                None => {
                    let written = &item.text[start..name_end];
                    mentions.push(Mention { org, rank, count: 1, first: offset + start, written, said: vec![said()] });
                }
            }
        }
        offset += item.text.len() + 1;
    }
    // Weak evidence names only a gemeente.
    let allowed = |m: &Mention| m.rank != EvidenceRank::Weak || index.bearer_kinds[m.org] & (1 << GEMEENTE) != 0;
    let rank = MENTION_RANKS.into_iter().find(|&r| mentions.iter().any(|m| m.rank == r && allowed(m)))?;
    mentions.retain(|m| m.rank == rank && allowed(m));
    // The kind words matter only when the names mentioned are borne by bodies of different kinds.
    let kinds = mentions.iter().fold(0, |all, m| all | index.bearer_kinds[m.org]);
    let preferred = match rank {
        EvidenceRank::Weak => Some(GEMEENTE),
        _ if kinds.count_ones() > 1 => preferred_kind(items),
        _ => None,
    };
    let most_mentioned = |kind: Option<usize>| {
        mentions
            .iter()
            .filter(|m| kind.is_none_or(|k| index.bearer_kinds[m.org] & (1 << k) != 0))
            .max_by_key(|m| (m.count, std::cmp::Reverse(m.first)))
    };
    let chosen = preferred.and_then(|k| most_mentioned(Some(k))).or_else(|| most_mentioned(None))?;
    let named = &orgs[chosen.org];
    // Of the organisations bearing that name, the first of the preferred kind.
    let of_kind = |o: &&Organisation| o.name == named.name && preferred.is_some_and(|k| o.kind == KIND_WORDS[k]);
    let org = orgs.iter().find(of_kind).unwrap_or(named);
    Some(Named { org, written: chosen.written, said: chosen.said.clone() })
}

/// Whether a line of this shape is running text, whose first word starts a
/// sentence (rather than a title, whose first word may start a name).
fn prose(shape: Shape) -> bool {
    matches!(shape, Shape::Paragraph | Shape::ListItem)
}

/// How the words around the name at `text[start..end]` make it evidence
/// (see the module documentation), or `None` when the name is another
/// body's (`Metropoolregio Eindhoven`); `prose` as [`prose`] says.
fn rank_of(text: &str, start: usize, end: usize, prose: bool) -> Option<EvidenceRank> {
    let context = &rules().organisation_context;
    let before = previous_word(text, start);
    let after = next_word(text, end);
    if before.is_some_and(|(w, _)| context.is_other_body(w)) {
        return None;
    }
    if before.is_some_and(|(w, _)| context.is_author_before(w)) || after.is_some_and(|w| context.is_author_after(w)) {
        return Some(EvidenceRank::Author);
    }
    let glued = start >= 2 && text.as_bytes()[start - 1] == b'.' && is_word_byte(text.as_bytes(), start - 2);
    let sentence_start = |at: usize| prose && text[..at].trim_end().chars().last().is_none_or(|c| ".!?:".contains(c));
    let in_name_before =
        before.is_some_and(|(w, at)| capitalised(w) && !context.is_plain_before(w) && !sentence_start(at));
    if glued || in_name_before || after.is_some_and(capitalised) {
        return Some(EvidenceRank::Weak);
    }
    Some(EvidenceRank::Mention)
}

/// How many words on either side of a name [`near_third_party_word`] reads.
const THIRD_PARTY_REACH: usize = 8;

/// Whether a word that makes the body a third party (`toezichthouder`) is
/// one of the [`THIRD_PARTY_REACH`] words on either side of the name at
/// `text[start..end]`, no sentence end (`.`, `?`, `!`, `;` before a space)
/// between them.
fn near_third_party_word(text: &str, start: usize, end: usize) -> bool {
    let context = &rules().organisation_context;
    let bytes = text.as_bytes();
    let ends_sentence = |gap: &[u8]| gap.windows(2).any(|w| matches!(w[0], b'.' | b'?' | b'!' | b';') && w[1] == b' ');
    // Backwards from the name, a word at a time.
    let mut i = start;
    for _ in 0..THIRD_PARTY_REACH {
        let gap_end = i;
        while i > 0 && !is_word_byte(bytes, i - 1) {
            i -= 1;
        }
        let word_end = i;
        while i > 0 && is_word_byte(bytes, i - 1) {
            i -= 1;
        }
        if i == word_end || ends_sentence(&bytes[word_end..gap_end]) {
            break;
        }
        if context.is_third_party(&text[i..word_end]) {
            return true;
        }
    }
    // Forwards from it.
    let mut i = end;
    for _ in 0..THIRD_PARTY_REACH {
        let gap_start = i;
        while i < bytes.len() && !is_word_byte(bytes, i) {
            i += 1;
        }
        let word_start = i;
        let word_end = word_end(bytes, i);
        if word_start == word_end || ends_sentence(&bytes[gap_start..word_start]) {
            break;
        }
        if context.is_third_party(&text[word_start..word_end]) {
            return true;
        }
        i = word_end;
    }
    false
}

/// Whether the text between two names joins them into one name by a dash
/// (`Rotterdam – Den Haag`).
fn joined_by_dash(between: &str) -> bool {
    matches!(between.trim(), "-" | "–" | "—")
}

/// The word that ends one space before `start`, and where it starts.
fn previous_word(text: &str, start: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let end = start.checked_sub(1).filter(|&e| bytes[e] == b' ')?;
    let from = (0..end).rev().take_while(|&i| is_word_byte(bytes, i)).last()?;
    Some((&text[from..end], from))
}

/// The word that starts one space after `end`.
fn next_word(text: &str, end: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let from = end + 1;
    (bytes.get(end) == Some(&b' ') && from < bytes.len() && is_word_byte(bytes, from))
        .then(|| &text[from..word_end(bytes, from)])
}

/// Whether the first letter of a word is a capital (`Sv`, `02-Woonplaats`).
fn capitalised(word: &str) -> bool {
    word.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase)
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

/// The kind of body the page speaks of most (`de provincie …`), if any, as
/// its place in [`KIND_WORDS`].
fn preferred_kind(items: &[Item]) -> Option<usize> {
    let counts = count_kind_words(items);
    let (i, n) = counts.iter().enumerate().max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))?;
    (*n > 0).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::super::names::{words, ALIASES};
    use super::super::tests::meta;
    use super::*;
    use crate::normalize::{items_of, normalize_text};

    /// The kind, the name as written and the official name of a page's organisation.
    fn kind_and_names(text: &str) -> (String, String, String) {
        let m = meta(text);
        (m.organisation_kind.unwrap_or_default(), m.gemeente.unwrap_or_default(), m.organisation.unwrap_or_default())
    }

    /// `(kind, written, official)`, as [`kind_and_names`] gives them.
    fn names(kind: &str, written: &str, official: &str) -> (String, String, String) {
        (kind.into(), written.into(), official.into())
    }

    #[test]
    fn header_names_the_organisation() {
        let m = meta("Gemeente Leiderdorp\n\nDe gemeente Leiden voert taken uit voor Leiden.");
        assert_eq!(m.gemeente.as_deref(), Some("Leiderdorp"));
        assert_eq!(m.organisation.as_deref(), Some("Leiderdorp"));
        assert_eq!(m.organisation_kind.as_deref(), Some("gemeente"));
        assert_eq!(kind_and_names("Provincie Utrecht\n\nTekst."), names("provincie", "Utrecht", "Utrecht"));
        assert_eq!(kind_and_names("Gemeente Utrecht\n\nTekst."), names("gemeente", "Utrecht", "Utrecht"));
        let waterschap = names("waterschap", "Waterschap Limburg", "Waterschap Limburg");
        assert_eq!(kind_and_names("Waterschap Limburg\n\nDe provincie Limburg."), waterschap);
        assert_eq!(kind_and_names("Gemeente Den Haag\n\nTekst."), names("gemeente", "Den Haag", "'s-Gravenhage"));
        assert_eq!(kind_and_names("Provincie Friesland\n\nTekst."), names("provincie", "Friesland", "Fryslân"));
    }

    #[test]
    fn most_mentioned_name_wins_and_words_must_be_whole() {
        let m = meta("In Breda en Breda-Noord.\n\nHet Rijk aan Breda en Tilburg.");
        assert_eq!(m.gemeente.as_deref(), Some("Breda"));
        assert_eq!(meta("Leidschendam-Noord is een wijk.").gemeente, None);
        assert_eq!(kind_and_names("We werken in Den Haag."), names("gemeente", "Den Haag", "'s-Gravenhage"));
    }

    #[test]
    fn the_first_form_of_the_most_mentioned_name_is_the_written_one() {
        let text = "We werken in Brabant.\n\nIn Noord-Brabant en Brabant wonen we.\n\nIn Zeeland en Zeeland ook.";
        assert_eq!(kind_and_names(text), names("provincie", "Brabant", "Noord-Brabant"));
        let m = meta(text);
        assert!(m.evidence.iter().all(|e| e.value == "Brabant"), "{:?}", m.evidence);
        // The first at the rank that decides, not the first on the page.
        let text = "Tekst over Den Haag.\n\nDe gemeente 's-Gravenhage betaalt.";
        assert_eq!(kind_and_names(text), names("gemeente", "'s-Gravenhage", "'s-Gravenhage"));
    }

    #[test]
    fn a_page_about_the_provincie_names_the_provincie() {
        let m = meta("De provincie werkt samen met Amsterdam en Texel aan projecten in Noord-Holland.");
        assert_eq!(m.gemeente.as_deref(), Some("Noord-Holland"));
        assert_eq!(m.organisation_kind.as_deref(), Some("provincie"));
        let m = meta("Wij werken met Amsterdam en Texel.");
        assert_eq!(m.gemeente.as_deref(), Some("Amsterdam"));
        assert_eq!(
            kind_and_names("Wij werken aan een bereikbaar Brabant."),
            names("provincie", "Brabant", "Noord-Brabant")
        );
    }

    #[test]
    fn the_author_outranks_names_mentioned_more() {
        let m = meta("We werken in Breda, Breda en Breda.\n\nDe gemeente Tilburg betaalt.");
        assert_eq!(m.gemeente.as_deref(), Some("Tilburg"));
        assert_eq!(m.evidence[0].rank, EvidenceRank::Author);
        assert_eq!(m.evidence[0].text, "De gemeente Tilburg betaalt.");
        assert_eq!(
            meta("Tekst over Breda.\n\nZaanstad werkt samen met de buren.").gemeente.as_deref(),
            Some("Zaanstad")
        );
    }

    #[test]
    fn a_name_inside_another_name_is_weak() {
        assert_eq!(
            meta("Met Sv Wassenaar en de Kieviten.\n\nWe werken in Leiden.").gemeente.as_deref(),
            Some("Leiden")
        );
        assert_eq!(meta("Met Sv Wassenaar en de Kieviten.").gemeente.as_deref(), Some("Wassenaar"));
        assert_eq!(meta("Meer Maashorst, landschap Uden\n\nTekst.").gemeente.as_deref(), Some("Uden"));
        assert_eq!(meta("Uitvoering van Breda Doet.").evidence[0].rank, EvidenceRank::Weak);
        assert_eq!(meta("We bouwen aan MAAK.Zaanstad en de stad.").evidence[0].rank, EvidenceRank::Weak);
        assert_eq!(meta("In Breda wonen we.").evidence[0].rank, EvidenceRank::Mention);
        // A provincie or waterschap is never named by weak evidence alone.
        assert_eq!(meta("De Integrale Netwerkvisie Overijssel is klaar.").gemeente, None);
        assert_eq!(meta("02-Woonplaats Zeeland\n\nTekst.").gemeente, None);
        // A name another body bears is no evidence at all.
        assert_eq!(meta("1. Metropoolregio Eindhoven (MRE)\n\nTekst.").gemeente, None);
    }

    #[test]
    fn a_supervisor_and_a_second_name_of_another_body_are_no_evidence() {
        let text = "We voldoen aan de eisen van toezichthouder provincie Utrecht.\n\nWe werken in Woerden.";
        assert_eq!(meta(text).gemeente.as_deref(), Some("Woerden"));
        let text = "Wel heeft de provincie Gelderland, in zijn rol van financieel toezichthouder, normen.\n\nIn Ede.";
        assert_eq!(meta(text).gemeente.as_deref(), Some("Ede"));
        // The word counts only in the name's own sentence.
        let text = "De toezichthouder keurt het goed. Verder werkt de provincie Gelderland aan wegen.";
        assert_eq!(meta(text).gemeente.as_deref(), Some("Gelderland"));
        // A gemeente may be a supervisor itself (of the kinderopvang): its own evidence stands.
        let text = "De gemeente Utrecht is toezichthouder op de kinderopvang.\n\nIn Woerden en Woerden.";
        assert_eq!(meta(text).gemeente.as_deref(), Some("Utrecht"));
        let text = "- Metropoolregio Rotterdam – Den Haag\n\n- Regeling Archief Midden-Delfland";
        assert_eq!(meta(text).gemeente.as_deref(), Some("Midden-Delfland"));
    }

    #[test]
    fn names_in_tables_are_not_evidence() {
        assert_eq!(meta("Winkeldiefstallen\n\n1,6\n\nZeeland\n\nGeweld\n\n5,9\n\nZeeland\n").gemeente, None);
        assert_eq!(meta("Indicator | Leiden | Nederland\n\nHalt | 4 | 9\n").gemeente, None);
    }

    /// The rule stated plainly: at each word start, the longest name whose
    /// words (joined by one space) follow, ranked by its neighbours (as
    /// [`rank_of`] says, written out on the words); the strongest rank any
    /// name has decides (weak only for gemeente names), and there the most
    /// mentioned name wins, among the names borne by the kind of body the
    /// text speaks of most.
    fn organisation_by_rule(items: &[Item]) -> Option<String> {
        let orgs = &rules().organisations;
        let context = &rules().organisation_context;
        let mut names: Vec<(&str, &str)> = orgs.iter().map(|o| (o.name.as_str(), o.name.as_str())).collect();
        let aliases = ALIASES.lines().filter(|l| !l.starts_with('#')).skip(1).filter_map(|l| l.split_once('\t'));
        names.extend(aliases);
        let borne = |name: &str, kind: &str| orgs.iter().any(|o| o.name == name && o.kind == kind);
        let mut mentions: Vec<(&str, EvidenceRank, usize, usize)> = Vec::new();
        let mut kinds = [0; 3];
        let mut offset = 0;
        for (i, item) in items.iter().enumerate() {
            for (k, kind) in KIND_WORDS.iter().enumerate() {
                kinds[k] += item.text.matches(&kind[1..]).count();
            }
            let text = item.text;
            let words: Vec<(usize, usize)> = words(text).collect();
            let mut table_checked = false;
            let mut other_body_end: Option<usize> = None;
            for (w, &(start, _)) in words.iter().enumerate() {
                let spelled = |name: &str| {
                    let parts: Vec<&str> = name.split(' ').collect();
                    words.len() >= w + parts.len()
                        && parts.iter().zip(&words[w..]).all(|(p, &(s, e))| *p == &text[s..e])
                };
                let longest = names.iter().filter(|(n, _)| spelled(n)).max_by_key(|(n, _)| n.split(' ').count());
                let Some(&(name, official)) = longest else { continue };
                if !table_checked && is_table_text(items, i) {
                    break;
                }
                table_checked = true;
                let end = words[w + name.split(' ').count() - 1].1;
                // The neighbouring words, when one space separates them from the name.
                let previous = (w > 0 && words[w - 1].1 + 1 == start && text[..start].ends_with(' '))
                    .then(|| &text[words[w - 1].0..words[w - 1].1]);
                let next = words
                    .get(w + name.split(' ').count())
                    .filter(|&&(s, _)| s == end + 1 && text[end..].starts_with(' '))
                    .map(|&(s, e)| &text[s..e]);
                let capital = |word: &str| word.chars().find(|c| c.is_alphabetic()).is_some_and(|c| c.is_uppercase());
                let sentence_start = w > 0
                    && prose(item.shape)
                    && ".!?:".contains(text[..words[w - 1].0].trim_end().chars().last().unwrap_or('.'));
                let dash_joined =
                    other_body_end.is_some_and(|e| e <= start && ["-", "–", "—"].contains(&text[e..start].trim()));
                // A third party's word among the eight words on either side, no sentence end between.
                let parts = name.split(' ').count();
                let third_party = |&&(s, e): &&(usize, usize)| {
                    let (from, to) = if e <= start { (e, start) } else { (end, s) };
                    context.is_third_party(&text[s..e])
                        && ![". ", "? ", "! ", "; "].iter().any(|x| text[from..to].contains(x))
                };
                let near = words[w.saturating_sub(8)..w].iter().chain(words[w + parts..].iter().take(8));
                let provincie =
                    borne(official, "provincie") && !borne(official, "gemeente") && !borne(official, "waterschap")
                        || previous.is_some_and(|p| p.eq_ignore_ascii_case("provincie"));
                let supervisor = provincie && near.clone().any(|x| third_party(&x));
                if dash_joined || previous.is_some_and(|p| context.is_other_body(p)) || supervisor {
                    other_body_end = Some(end);
                    continue;
                }
                let rank = if previous.is_some_and(|p| context.is_author_before(p))
                    || next.is_some_and(|n| context.is_author_after(n))
                {
                    EvidenceRank::Author
                } else if text[..start].ends_with('.') && w > 0 && words[w - 1].1 + 1 == start
                    || previous.is_some_and(|p| capital(p) && !context.is_plain_before(p) && !sentence_start)
                    || next.is_some_and(capital)
                {
                    EvidenceRank::Weak
                } else {
                    EvidenceRank::Mention
                };
                match mentions.iter_mut().find(|m| m.0 == official && m.1 == rank) {
                    Some(m) => m.2 += 1,
                    None => mentions.push((official, rank, 1, offset + start)),
                }
            }
            offset += item.text.len() + 1;
        }
        let allowed = |m: &&(&str, EvidenceRank, usize, usize)| m.1 != EvidenceRank::Weak || borne(m.0, "gemeente");
        let rank = MENTION_RANKS.into_iter().find(|&r| mentions.iter().filter(allowed).any(|m| m.1 == r))?;
        let mentions: Vec<_> = mentions.iter().filter(allowed).filter(|m| m.1 == rank).collect();
        let preferred = if rank == EvidenceRank::Weak {
            Some("gemeente")
        } else {
            let (k, n) = kinds.iter().enumerate().max_by_key(|(k, n)| (**n, std::cmp::Reverse(*k)))?;
            (*n > 0).then(|| KIND_WORDS[k])
        };
        let best = |of_kind: bool| {
            let of_kind =
                |m: &&&(&str, EvidenceRank, usize, usize)| !of_kind || preferred.is_some_and(|p| borne(m.0, p));
            mentions.iter().filter(of_kind).max_by_key(|m| (m.2, std::cmp::Reverse(m.3)))
        };
        let (name, _, _, _) = best(true).or_else(|| best(false))?;
        let bearer = orgs.iter().find(|o| o.name == *name && preferred == Some(o.kind.as_str()));
        Some(bearer.map_or(name.to_string(), |o| o.name.clone()))
    }

    #[test]
    fn organisation_follows_the_rule_on_generated_pages() {
        let orgs = &rules().organisations;
        let mut vocabulary: Vec<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
        vocabulary.extend(["Den Haag", "Friesland", "Bergen op", "Het", "het", "De", "Groningen,", "(Utrecht)"]);
        vocabulary.extend(["gemeente", "Gemeente", "provincie", "Provinciale", "waterschap", "en", "in", "-", "«"]);
        vocabulary.extend(["werkt", "Sv", "In", "12", "1.200", "MAAK.", "|", "Brabant", "Rivierenland", "Regio"]);
        vocabulary.extend(["–", "toezichthouder", "toezichthouder.", "Toezichthouder,"]);
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
                text.push_str(["", " ", " ", " ", ", ", "\n\n", "-", "’", ". "][next(9)]);
            }
            let n = normalize_text(&text);
            let items = items_of(&n.lines);
            let found = mentioned_organisation(&items).map(|n| n.org.name.clone());
            assert_eq!(found, organisation_by_rule(&items), "{text:?}");
        }
    }
}
