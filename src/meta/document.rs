//! Document type and year.
//!
//! Every name of a document in the text (`data/document_types.tsv`: `de
//! programmabegroting 2025`, `1e bestuursrapportage 2016`, `Kadernota
//! 2020-2023` — the first year of a range) is evidence, ranked by where it
//! stands and by the words around it (`data/document_references.tsv`): the
//! page title line or the breadcrumb; the page naming itself (`Voor u ligt
//! de …`, `in deze begroting`); a heading; running text (with a year: `de
//! begroting` alone is a word there, not a document). A document the page
//! only refers to (`zoals opgenomen in de Begroting 2019`) is evidence
//! against it: it cancels a plain mention of the same document. The strongest
//! rank with evidence decides the type (the type named most there; a tie
//! leaves it open), and the year those names give, else the year other names
//! of that type give.
//!
//! When no name gives the year, in this order: a self-reference without a
//! type (`Deze verantwoording gaat over … 2021`), a label or question heading
//! with a year (`Activiteiten 2022`), table column headers (the latest year,
//! when it has a realisatie column — a column that names a document,
//! `Jaarrekening 2018`, also gives the type —, or one year throughout), for jaarstukken and rapportages the
//! begroting they refer to (`komt uit de begroting 2018`), a balance date
//! (`Balans per 31 december 2023`). Table headers and cells never count as
//! names of the document; a year at the start of a sentence (`In 2016 is
//! gestart met …`) is no evidence (pages tell of other years that way).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::organisation::ORGANISATION_HEADERS;
use super::{is_table_text, most_said, Said, CONTEXT_BYTES};
use crate::model::EvidenceRank;
use crate::normalize::{at_most_words, HeadLine, Item, Normalized, Shape};
use crate::numbers::find_year;
use crate::rules::{rules, ColumnClass, Naming};

/// The document type and year of a page, with the lines that say them.
pub(super) struct DocumentFacts {
    /// The type and its evidence.
    pub(super) doc_type: Option<(&'static str, Vec<Said>)>,
    /// The year and its evidence.
    pub(super) year: Option<(u16, Vec<Said>)>,
}

/// A name of a document in the text.
struct Named {
    doc_type: &'static str,
    year: Option<u16>,
    /// A name of a document the page refers to: evidence against it.
    reference: bool,
    said: Said,
}

/// The ranks that names of the document can have, strongest first.
const NAME_RANKS: [EvidenceRank; 4] =
    [EvidenceRank::Title, EvidenceRank::SelfReference, EvidenceRank::Heading, EvidenceRank::Mention];

/// Most words a table header cell on its own line has.
const CELL_MAX_WORDS: usize = 8;
/// Most words of a header cell without a year (`Realisatie`, `Begroting na wijziging`).
const HEADER_WORDS: usize = 3;

/// Read the document type and year of a page.
pub(super) fn document(normalized: &Normalized, items: &[Item]) -> DocumentFacts {
    let runs = header_runs(items);
    let table = table_lines(items, &runs);
    let (named, untyped_years) = names(normalized, items, &table);
    let headers = table_headers(items, &table, &runs);
    let chosen = choose_type(&named, &headers);
    let year = chosen
        .filter(|&(_, rank)| rank != EvidenceRank::TableHeader)
        .and_then(|(t, rank)| year_of(&named, t, rank))
        .or_else(|| most_said(untyped_years))
        .or_else(|| most_said(label_years(items, &table)))
        .or_else(|| most_said(headers.iter().map(|h| (h.year, h.said.clone()))))
        .or_else(|| most_said(reported_years(&named, chosen)))
        .or_else(|| most_said(balance_years(items, &table)));
    let doc_type = chosen.map(|(t, rank)| {
        let said = match rank {
            EvidenceRank::TableHeader => {
                headers.iter().filter(|h| h.doc_type == Some(t)).map(|h| h.said.clone()).collect()
            }
            _ => named
                .iter()
                .filter(|n| n.doc_type == t && !n.reference && n.said.rank == rank)
                .map(|n| n.said.clone())
                .collect(),
        };
        (t, said)
    });
    DocumentFacts { doc_type, year }
}

/// The type of the strongest rank that names one, and that rank.
fn choose_type(named: &[Named], headers: &[HeaderYear]) -> Option<(&'static str, EvidenceRank)> {
    for rank in NAME_RANKS {
        let mut counts: Vec<(&'static str, isize)> = Vec::new();
        for n in named.iter().filter(|n| !n.reference && n.said.rank == rank) {
            match counts.iter_mut().find(|(t, _)| *t == n.doc_type) {
                Some((_, count)) => *count += 1,
                None => counts.push((n.doc_type, 1)),
            }
        }
        if rank == EvidenceRank::Mention {
            for (t, count) in &mut counts {
                *count -= references_against(named, t);
            }
            counts.retain(|(_, count)| *count > 0);
        }
        let Some(most) = counts.iter().map(|(_, count)| *count).max() else { continue };
        let mut best = counts.iter().filter(|(_, count)| *count == most);
        let first = best.next().map(|(t, _)| *t);
        // Two documents named as strongly and as often: the page does not say which it is.
        return if best.next().is_some() { None } else { first.map(|t| (t, rank)) };
    }
    let (named_by_header, _) = most_said(headers.iter().filter_map(|h| Some((h.doc_type?, h.said.clone()))))?;
    Some((named_by_header, EvidenceRank::TableHeader))
}

/// How many references name a document of type `t` that a plain mention may
/// be: the same year, or a year on one side only.
fn references_against(named: &[Named], t: &str) -> isize {
    let mentions = named.iter().filter(|n| !n.reference && n.doc_type == t && n.said.rank == EvidenceRank::Mention);
    let mut years: Vec<Option<u16>> = mentions.map(|n| n.year).collect();
    years.sort_unstable();
    years.dedup();
    let mentioned = |year: Option<u16>| match year {
        None => !years.is_empty(),
        Some(_) => years.first() == Some(&None) || years.binary_search(&year).is_ok(),
    };
    named.iter().filter(|n| n.reference && n.doc_type == t && mentioned(n.year)).count() as isize
}

/// The year the names of type `t` give: those of the rank that decided
/// the type, else of the strongest rank that gives one.
fn year_of(named: &[Named], t: &str, decided: EvidenceRank) -> Option<(u16, Vec<Said>)> {
    let years = |rank: EvidenceRank| {
        let of_rank = named.iter().filter(move |n| n.doc_type == t && !n.reference && n.said.rank == rank);
        most_said(of_rank.filter_map(|n| Some((n.year?, n.said.clone()))))
    };
    years(decided).or_else(|| NAME_RANKS.into_iter().find_map(years))
}

/// The years of the documents a report names that it reports on (the
/// `reports_on` column of `data/document_types.tsv`): jaarstukken account
/// for the begroting of their year (`komt uit de begroting 2018`).
fn reported_years(named: &[Named], chosen: Option<(&'static str, EvidenceRank)>) -> Vec<(u16, Said)> {
    let Some(reported) = chosen.and_then(|(t, _)| rules().document_naming.reports_on(t)) else { return Vec::new() };
    let referred = named.iter().filter(|n| n.doc_type == reported && n.said.rank != EvidenceRank::SelfReference);
    referred.filter_map(|n| Some((n.year?, Said { rank: EvidenceRank::Reference, ..n.said.clone() }))).collect()
}

/// Which items are parts of tables: rows and cells (see
/// [`is_table_text`]), lines that are not running text with two or more
/// years (`Rekening 2019 Begroting 2020`) or three or more header words
/// (`Indicator Eenheid Werkelijk Begroting 2022 Bron`, `data/columns.tsv`),
/// and header cells on lines of their own (see [`header_runs`]).
fn table_lines(items: &[Item], runs: &[Range<usize>]) -> Vec<bool> {
    let mut table: Vec<bool> = (0..items.len()).map(|i| is_table_text(items, i) || is_header_line(&items[i])).collect();
    for run in runs {
        table[run.clone()].iter_mut().for_each(|t| *t = true);
    }
    table
}

/// Whether a line that is not running text is a line of column headers:
/// two or more years, or three or more words that name a column (`data/columns.tsv`).
fn is_header_line(item: &Item) -> bool {
    if matches!(item.shape, Shape::Paragraph | Shape::ListItem) || at_most_words(item.text, 2) {
        return false;
    }
    let years = line_years(item.text);
    // Words are asked only of a line that has something to say: a year or a document name.
    let worth_asking = || years == 1 || rules().document_types.patterns.is_match(item.text);
    let columns = &rules().columns.named.patterns;
    years >= 2 || worth_asking() && item.text.split(' ').filter(|w| columns.is_match(w)).nth(2).is_some()
}

/// The head lines of an HTML page that name it: its `<title>`, `og:title`
/// and `og:site_name` (not the description: a sentence about it).
pub(super) fn page_names<'a>(normalized: &Normalized<'a>) -> impl Iterator<Item = &'a HeadLine> {
    let head = normalized.markup.map_or(&[][..], |m| &m.head[..]);
    head.iter().filter(|h| h.field != "description")
}

/// The names of documents in the page's title line, head, breadcrumb and text
/// (table lines left out), and the years of self-references without a type.
fn names(normalized: &Normalized, items: &[Item], table: &[bool]) -> (Vec<Named>, Vec<(u16, Said)>) {
    let mut named = Vec::new();
    let mut untyped = Vec::new();
    let title = title_item(items).filter(|&i| rules().title_line(items[i].text).is_some());
    if let Some(i) = title {
        let item = &items[i];
        names_in(item.text, item.no, Some(EvidenceRank::Title), &mut named);
    }
    for head in page_names(normalized) {
        names_in(&head.text, head.line, Some(EvidenceRank::Title), &mut named);
    }
    let crumb_line = normalized.breadcrumb_line.unwrap_or_default();
    for crumb in &normalized.breadcrumb {
        names_in(crumb, crumb_line, Some(EvidenceRank::Title), &mut named);
    }
    for (i, item) in items.iter().enumerate() {
        if table[i] || title == Some(i) {
            continue;
        }
        let rank = matches!(item.shape, Shape::Heading | Shape::Label).then_some(EvidenceRank::Heading);
        names_in(item.text, item.no, rank, &mut named);
        untyped.extend(untyped_self_reference(item));
    }
    (named, untyped)
}

/// The line that can be the page's title: the first, or the second under an
/// organisation header (`Gemeente Leiderdorp`), as its place in `items`.
fn title_item(items: &[Item]) -> Option<usize> {
    let first = items.first()?;
    let organisation_header = ORGANISATION_HEADERS.iter().any(|p| first.text.starts_with(p));
    let i = usize::from(organisation_header);
    (i < items.len()).then_some(i)
}

/// Append the names of documents in `text` (line `line`). `rank` is what a
/// name is that its words do not make a self-reference or a reference:
/// `Title` (every name counts so), `Heading`, or `None` for running text.
fn names_in(text: &str, line: usize, rank: Option<EvidenceRank>, out: &mut Vec<Named>) {
    let r = rules();
    let mut from = 0;
    // The end of the previous name and what it was, for `de begroting en het jaarverslag`.
    let mut previous: Option<(usize, Option<Naming>)> = None;
    while let Some((row, word_start, word_end)) = r.document_types.find_at(text, from) {
        let doc_type = r.document_types.names[row].as_str();
        // The ordinal never reaches back into the previous name.
        let start = ordinal_start(text, word_start).max(from);
        let (year, end) = year_after(text, word_end);
        from = end;
        let after = &text[end..super::char_boundary(text, (end + CONTEXT_BYTES).min(text.len()))];
        let naming = match previous {
            Some((previous_end, naming)) if is_conjunction(&text[previous_end..start]) => naming,
            // `de Voortgangsrapportage Natuur`: the word starts the name of another document.
            _ if end == word_end && starts_name(&text[end..]) => Some(Naming::Reference),
            _ => r.document_naming.naming(&text_before(text, start), after),
        };
        previous = Some((end, naming));
        let self_only = r.document_naming.self_only[row];
        let rank = match (rank, naming) {
            (_, Some(Naming::Figure)) => continue,
            (Some(EvidenceRank::Title), _) => EvidenceRank::Title,
            (_, Some(Naming::SelfReference)) => EvidenceRank::SelfReference,
            _ if self_only => continue,
            (Some(rank), _) => rank,
            // `de begroting` in running text, without a year, is a word, not a document.
            (None, None) if year.is_none() => continue,
            (None, _) => EvidenceRank::Mention,
        };
        let reference = naming == Some(Naming::Reference) && rank != EvidenceRank::Title;
        out.push(Named { doc_type, year, reference, said: Said::new(line, text, (start, end), rank) });
    }
}

/// The text of the sentence before byte `at`: from the last `.` (not of an
/// abbreviation), `!`, `?`, `;` or `:` followed by a space (or the line start), at most
/// [`CONTEXT_BYTES`] back; a text cut shorter starts with `… ` (so that
/// rules for the start of a sentence do not match it).
fn text_before(text: &str, at: usize) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let floor = at.saturating_sub(CONTEXT_BYTES);
    let ends_sentence = |i: usize| match bytes[i - 1] {
        b'!' | b'?' | b';' | b':' => true,
        // A full stop, unless it ends an abbreviation (`o.b.v.`, `t.o.v.`).
        b'.' => !text[..i - 1].rsplit(' ').next().is_some_and(|w| w.contains('.') || w.len() < 2),
        _ => false,
    };
    let sentence = (floor.max(1)..at).rev().find(|&i| bytes[i] == b' ' && ends_sentence(i));
    match sentence {
        Some(i) => Cow::Borrowed(&text[i + 1..at]),
        None if floor == 0 => Cow::Borrowed(&text[..at]),
        None => Cow::Owned(format!("… {}", &text[super::char_boundary(text, floor)..at])),
    }
}

/// Whether `rest` starts with a space and a capitalised word.
fn starts_name(rest: &str) -> bool {
    rest.strip_prefix(' ').and_then(|w| w.chars().next()).is_some_and(char::is_uppercase)
}

/// Whether the words between two names join them (`en het`, ` (en `).
fn is_conjunction(between: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*[,)]?\s*\(?\s*(?:en|of)\s+(?:de|het|hun|onze|uw)?\s*\(?\s*$").expect("conjunction")
    });
    between.len() <= 16 && re.is_match(between)
}

/// Where a name starting at `start` starts with its ordinal (`1e`, `tweede`).
fn ordinal_start(text: &str, start: usize) -> usize {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re =
        RE.get_or_init(|| Regex::new(r"(?i)(?-u:\b)(?:[0-9]{1,2}e|eerste|tweede|derde|vierde)\s+$").expect("ordinal"));
    let from = super::char_boundary(text, start.saturating_sub(12));
    re.find(&text[from..start]).map_or(start, |m| from + m.start())
}

/// The year written after a name ending at `end` (`2025`, the first of
/// `2022-2025`, `van 2023`, after an abbreviation such as `(burap)` or
/// `AGV` (the body's), a second name (`Voorjaarsnota/Eerste Herziening
/// 2024`) or the number of a report in its year: `II-2022`, `2-2022`), and where the
/// name with its year and abbreviation ends.
fn year_after(text: &str, end: usize) -> (Option<u16>, usize) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:\s*\([^()]{1,12}\))?(?:/\p{Lu}\p{Ll}+(?:\s+\p{L}+)?|\s+\p{Lu}{2,5}\s+)?(?:(?:\s+van)?\s*(?:(?:I{1,3}|IV|[1-4])\s*[-–]\s*)?((?:19|20)[0-9]{2})(?:\s*[-–/]\s*(?:19|20)?[0-9]{2})?(?-u:\b))?")
            .expect("year after a name")
    });
    let rest = &text[end..super::char_boundary(text, (end + 32).min(text.len()))];
    match re.captures(rest) {
        Some(caps) => (caps.get(1).and_then(|y| y.as_str().parse().ok()), end + caps[0].len()),
        None => (None, end),
    }
}

/// The year named in the sentence after a self-reference without a type
/// (`Deze verantwoording gaat over de inspanningen in 2021`), when it names one.
fn untyped_self_reference(item: &Item) -> Option<(u16, Said)> {
    let naming = &rules().document_naming;
    let text = item.text;
    // The year is four digits of the line: without them there is nothing to look for.
    if crate::numbers::digit_count(text) < 4 {
        return None;
    }
    let mut found = naming.untyped.find_iter(text);
    let found = found.find(|w| naming.naming(&text_before(text, w.start()), "") == Some(Naming::SelfReference))?;
    let rest = &text[found.end()..];
    let sentence_end = rest.find(". ").unwrap_or(rest.len());
    let years = year_tokens(&rest[..sentence_end]);
    let year = years.first().filter(|&&y| years.iter().all(|&other| other == y))?;
    let end = super::char_boundary(text, found.end() + sentence_end.min(CONTEXT_BYTES));
    Some((*year, Said::new(item.no, text, (found.start(), end), EvidenceRank::SelfReference)))
}

/// The years a text names as words of their own: `2021`, `(2021)`, both of
/// `2022-2025` and the year of `31-12-2020`; not `12021` or `vaststellen2017`.
fn year_tokens(text: &str) -> Vec<u16> {
    // A year is four digits: most lines have fewer.
    if crate::numbers::digit_count(text) < 4 {
        return Vec::new();
    }
    let apart = |c: char| !c.is_alphanumeric();
    text.split(apart).filter(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit())).filter_map(find_year).collect()
}

/// How many years a line names.
fn line_years(text: &str) -> usize {
    if crate::numbers::digit_count(text) < 8 {
        return 0;
    }
    year_tokens(text).len()
}

/// The years of labels (`Activiteiten 2022`, `Acties o.b.v. begroting
/// 2022`) and of question headings (`Welke resultaten willen we in 2019
/// behalen?`) that name one year.
fn label_years(items: &[Item], table: &[bool]) -> Vec<(u16, Said)> {
    let r = rules();
    let mut years = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let bare = item.text.trim_end_matches(':');
        let label = item.shape == Shape::Label && r.label(bare).is_some();
        let question = matches!(item.shape, Shape::Heading | Shape::Label) && bare.ends_with('?');
        if table[i] || !(label || question) {
            continue;
        }
        let named = year_tokens(bare);
        if named.len() != 1 {
            continue;
        }
        years.push((named[0], Said::new(item.no, item.text, (0, item.text.len()), EvidenceRank::Label)));
    }
    years
}

/// The year a group of table column headers is about.
struct HeaderYear {
    year: u16,
    /// The document the realisatie column of that year names, if any
    /// (`Jaarrekening 2018`: jaarstukken).
    doc_type: Option<&'static str>,
    said: Said,
}

/// One column header with a year, and its value type (`data/columns.tsv`).
struct HeaderCell<'a> {
    text: &'a str,
    year: u16,
    value_type: Option<&'a str>,
}

/// The years table headers are about, one per header: the latest year
/// when a realisatie column has it (`Begroting 2019 | Rekening 2019`), else
/// the one year of all its columns (`Begroting 2020 Prognose 2020`,
/// `Werkelijk Begroting 2022`).
fn table_headers(items: &[Item], table: &[bool], runs: &[Range<usize>]) -> Vec<HeaderYear> {
    let mut found = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if table[i] && (line_years(item.text) >= 2 || is_header_line(item)) {
            let cells = line_cells(item.text);
            found.extend(header_year(&cells).map(|(year, doc_type)| HeaderYear {
                year,
                doc_type,
                said: Said::new(item.no, item.text, (0, item.text.len()), EvidenceRank::TableHeader),
            }));
        }
    }
    for run in runs {
        let cells: Vec<HeaderCell> = items[run.clone()].iter().filter_map(|i| header_cell(i.text)).collect();
        let first = &items[run.start];
        found.extend(header_year(&cells).map(|(year, doc_type)| HeaderYear {
            year,
            doc_type,
            said: Said::new(first.no, first.text, (0, first.text.len()), EvidenceRank::TableHeader),
        }));
    }
    found
}

/// The year of one header, and the document its realisatie column of that
/// year names (`Jaarrekening 2018`), if any.
fn header_year(cells: &[HeaderCell]) -> Option<(u16, Option<&'static str>)> {
    let latest = cells.iter().map(|c| c.year).max()?;
    let realised = cells.iter().filter(|c| c.year == latest && c.value_type == Some("realisatie"));
    let mut realised = realised.peekable();
    if realised.peek().is_some() {
        return Some((latest, realised.find_map(|c| rules().document_type_in(c.text))));
    }
    let one_year = cells.iter().all(|c| c.year == latest) && cells.iter().any(|c| c.value_type.is_some());
    one_year.then_some((latest, None))
}

/// The cells with a year of a header line: split at `|`; else each year
/// with the word before it (`… Bijgestelde begroting 2021 Realisatie 2021`
/// → `begroting 2021`, `Realisatie 2021`), the word that names the column.
fn line_cells(text: &str) -> Vec<HeaderCell<'_>> {
    if text.contains('|') {
        return text.split('|').filter_map(|c| header_cell(c.trim())).collect();
    }
    let mut cells = Vec::new();
    let mut previous: Option<usize> = None;
    let mut at = 0;
    for word in text.split(' ') {
        let end = at + word.len();
        let bare = word.trim_end_matches(|c: char| c.is_ascii_punctuation());
        if bare.len() == 4 && find_year(bare).is_some() {
            cells.extend(header_cell(&text[previous.unwrap_or(at)..at + bare.len()]));
            previous = None;
        } else {
            previous = Some(at);
        }
        at = end + 1;
    }
    cells
}

/// A column header naming one year, with its value type when that is one
/// of values (not `Toelichting`, `Bron`: their class in `data/columns.tsv`).
fn header_cell(text: &str) -> Option<HeaderCell<'_>> {
    let years = year_tokens(text);
    let columns = &rules().columns;
    let value_type = || columns.named_in(text).filter(|&(_, class)| class == ColumnClass::Value).map(|(name, _)| name);
    (years.len() == 1).then(|| HeaderCell { text, year: years[0], value_type: value_type() })
}

/// Runs of two or more consecutive lines that are each one column header:
/// a short line with a year and a value type (`data/columns.tsv`), a line
/// of a few words that names a column, or a year alone: `Begroting 2018 ¶
/// Jaarrekening 2018`, `Realisatie ¶ Begroting`, `Realisatie t/m 2022 ¶
/// 2023 ¶ 2024`. As ranges of `items`.
fn header_runs(items: &[Item]) -> Vec<Range<usize>> {
    let is_cell = |i: &Item| {
        let header = matches!(i.shape, Shape::Heading | Shape::Label)
            && at_most_words(i.text, CELL_MAX_WORDS)
            && (header_cell(i.text).is_some_and(|c| c.value_type.is_some())
                || at_most_words(i.text, HEADER_WORDS) && rules().columns.named.patterns.is_match(i.text));
        header || i.text.len() == 4 && year_tokens(i.text).len() == 1
    };
    let mut runs = Vec::new();
    let mut start = None;
    for (i, item) in items.iter().enumerate() {
        match (is_cell(item), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= 2 {
                    runs.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start.filter(|&s| items.len() - s >= 2) {
        runs.push(s..items.len());
    }
    runs
}

/// Balance dates in headings and tables (`Balans per 31 december 2023`,
/// `31-12-2020`), when they all name one year.
fn balance_years(items: &[Item], table: &[bool]) -> Vec<(u16, Said)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)31[-./ ](?:12|dec(?:ember)?\.?)[-./ ]((?:19|20)[0-9]{2})(?-u:\b)")
            .expect("balance date")
    });
    let mut years = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !(table[i] || matches!(item.shape, Shape::Heading | Shape::Label)) || !item.text.contains("31") {
            continue;
        }
        for caps in re.captures_iter(item.text) {
            let (Some(date), Some(year)) = (caps.get(0), caps.get(1).and_then(|y| y.as_str().parse().ok())) else {
                continue;
            };
            years.push((year, Said::new(item.no, item.text, (date.start(), date.end()), EvidenceRank::BalanceDate)));
        }
    }
    let first = years.first().map(|(y, _)| *y);
    if years.iter().all(|(y, _)| Some(*y) == first) {
        years
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::meta;
    use crate::model::EvidenceRank;

    fn type_and_year(text: &str) -> (Option<String>, Option<u16>) {
        let m = meta(text);
        (m.document_type, m.year)
    }

    fn is(t: &str, y: u16) -> (Option<String>, Option<u16>) {
        (Some(t.to_string()), Some(y))
    }

    #[test]
    fn title_line_gives_type_and_year() {
        assert_eq!(type_and_year("Programmabegroting 2022\n\nDekkingsmiddelen\n\nTekst."), is("begroting", 2022));
        assert_eq!(type_and_year("Beleidsbegroting 2024-2027 Begroting 2024-2027\n\nTekst."), is("begroting", 2024));
        assert_eq!(type_and_year("Gemeente Leiden\n\nJaarstukken 2023\n\nTekst."), is("jaarstukken", 2023));
    }

    #[test]
    fn the_page_naming_itself_outranks_other_mentions() {
        let text = "Inleiding\n\nHierbij bieden wij u de 1e bestuursrapportage 2016 aan. Deze verschijnt met de \
                    jaarrekening 2015 en de kadernota 2017. In de begroting 2016 staan de plannen.";
        assert_eq!(type_and_year(text), is("bestuursrapportage", 2016));
        let text = "Inleiding\n\nVoor u ligt de programmabegroting 2025. Zie ook de kadernota 2024.";
        assert_eq!(type_and_year(text), is("begroting", 2025));
        let text = "Inleiding\n\nDe jaarstukken 2023 bestaan uit het jaarverslag en de jaarrekening.";
        assert_eq!(type_and_year(text), is("jaarstukken", 2023));
        let text = "Tekst\n\nDit is opgenomen in deze bestuursrapportage (burap) 2024.";
        assert_eq!(type_and_year(text), is("bestuursrapportage", 2024));
    }

    #[test]
    fn a_self_reference_without_a_year_takes_the_year_of_other_names() {
        let text = "Financiën\n\nDe raad autoriseert de budgetten in deze programmabegroting.\n\n\
                    • Het hoofdstuk De Begroting 2021 in hoofdlijnen;";
        assert_eq!(type_and_year(text), is("begroting", 2021));
        // Jaarstukken are about the year of the begroting they account for.
        let m = meta("Tekst\n\nDit staat in dit jaarverslag. Het komt uit de begroting 2018.");
        assert_eq!((m.document_type.as_deref(), m.year), (Some("jaarstukken"), Some(2018)));
        assert_eq!(m.evidence.last().map(|e| e.rank), Some(EvidenceRank::Reference));
        let m = meta("Tekst\n\nIn deze kadernota staat wat uit de begroting 2018 komt.");
        assert_eq!((m.document_type.as_deref(), m.year), (Some("kadernota"), None));
    }

    #[test]
    fn a_document_the_page_refers_to_is_evidence_against_it() {
        assert_eq!(type_and_year("Tekst\n\nZoals opgenomen in de Begroting 2019 doen we dit."), (None, None));
        let text = "Tekst\n\nHet college sluit de begroting 2026 - 2029 met een overschot. Bij het opstellen van de \
                    begroting 2027 - 2030 en in de kadernota 2027 kijken we verder.";
        assert_eq!(type_and_year(text), is("begroting", 2026));
        let text = "Tekst\n\nWe nemen dit op in de begroting en het jaarverslag. De jaarverslag-cijfers volgen.";
        assert_eq!(type_and_year(text).0, None);
    }

    #[test]
    fn budget_figures_are_not_documents() {
        let text = "Overhead\n\nHet saldo van de rekening en de begroting na wijziging is klein.";
        assert_eq!(type_and_year(text), (None, None));
    }

    #[test]
    fn two_documents_named_as_strongly_leave_the_type_open() {
        let text = "Programma 2: Wegen\n\nBegroting\n\nWat willen we bereiken?\n\nVeilige wegen.\n\n\
                    Eerste bestuursrapportage\n\nGewenste resultaten";
        assert_eq!(meta(text).document_type, None);
    }

    #[test]
    fn compounds_and_headings_name_types() {
        assert_eq!(
            type_and_year("Tekst\n\nIn deze meerjarenprogrammabegroting 2022 staat het.").0.as_deref(),
            Some("begroting")
        );
        assert_eq!(type_and_year("Najaarsbericht 2019\n\nTekst.").0.as_deref(), Some("najaarsnota"));
        assert_eq!(
            type_and_year("Tweede kwartaalrapportage 2024\n\nTekst.").0.as_deref(),
            Some("voortgangsrapportage")
        );
        assert_eq!(
            type_and_year("Programma 1\n\nDe begroting op hoofdlijnen\n\nTekst.").0.as_deref(),
            Some("begroting")
        );
        let m = meta("U bent hier: HomeBeleidsbegrotingProgramma 1\n\nTekst.");
        assert_eq!(m.document_type.as_deref(), Some("begroting"));
    }

    #[test]
    fn years_without_a_document_name() {
        assert_eq!(meta("Activiteiten 2022\n\nWe doen dit.").year, Some(2022));
        assert_eq!(meta("Doelen\n\nWelke resultaten willen we in 2019 behalen?\n\nTekst.").year, Some(2019));
        let m = meta("Tekst\n\nDeze verantwoording gaat over wat we in 2021 hebben gedaan.");
        assert_eq!((m.year, m.evidence[0].rank), (Some(2021), EvidenceRank::SelfReference));
        assert_eq!(meta("Exploitatie Begroting 2020 Wijzigingen 2020 Realisatie 2020\n").year, Some(2020));
        assert_eq!(meta("Balans\n\n| Balans per 31 december 2023 | |\n| Activa | 1 |\n").year, Some(2023));
        assert_eq!(meta("Tekst\n\nIn 2018 werkt de stad verder aan de plannen.").year, None);
    }

    #[test]
    fn table_headers_give_the_year_they_account_for() {
        let m = meta(
            "Overhead\n\nBegroting 2018\n\nBegroting 2018 na 2e wijziging\n\nJaarrekening 2018\n\nLasten\n\n20.570\n",
        );
        assert_eq!((m.document_type.as_deref(), m.year), (Some("jaarstukken"), Some(2018)));
        let m = meta("Kosten\n\nOmschrijving | Begroting 2019 | Rekening 2019 | Verschil |\nLasten | 1 | 2 | 1 |\n");
        assert_eq!((m.document_type.as_deref(), m.year), (None, Some(2019)));
        let m =
            meta("Kosten\n\nOmschrijving | Rekening 2022 | Begroting 2023 | Begroting 2024 |\nLasten | 1 | 2 | 3 |\n");
        assert_eq!((m.document_type, m.year), (None, None));
        // Each year is named by the word before it, not by all words since the previous year.
        let m = meta("Indicatoren\n\nNr. Indicator Eenheid Werkelijk Begroting 2022 Bron\n\nTekst.");
        assert_eq!((m.document_type, m.year), (None, Some(2022)));
    }
}
