//! Normalise stage: decoded text (or HTML) → a typed line stream.
//!
//! Line ends are unified, odd spaces folded, platform boilerplate removed and
//! counted (rules in `data/boilerplate.tsv`), the breadcrumb and the export
//! footer turned into metadata. Every remaining line gets a [`Shape`] from the
//! line alone; the segmenter decides the rest from neighbours. Line numbers are
//! 1-based and refer to the text as read (for HTML: the text extracted from it).

mod html;
mod shape;

pub use html::{
    html_to_text, markup_warning, GridCell, GridRow, HeadLine, Hint, Markup, MarkupTable, MAX_ATTRIBUTES, MAX_DEPTH,
};
pub use shape::{at_most_chars, at_most_words, is_heading_like, is_value_like, may_start_value, Shape};

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::input::{Format, Source};
use crate::model::RemovedCount;
use crate::rules::{rules, BoilerplateAction};

/// One line of the normalised stream; borrows from the input text unless
/// folding changed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    /// 1-based line number in the input.
    pub no: usize,
    /// The text, spaces folded and trimmed, list marker removed.
    pub text: Cow<'a, str>,
    /// What kind of line it is.
    pub kind: LineKind,
}

/// Blank, boilerplate or content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Empty after trimming.
    Blank,
    /// Removed by a boilerplate rule.
    Boilerplate,
    /// Page content, with its shape.
    Content(Shape),
}

impl Line<'_> {
    /// The content shape, or `None` for blank and boilerplate lines.
    pub fn shape(&self) -> Option<Shape> {
        match self.kind {
            LineKind::Content(s) => Some(s),
            _ => None,
        }
    }
}

/// The output of normalisation; its lines borrow from the text normalised.
#[derive(Debug, Clone, Default)]
pub struct Normalized<'a> {
    /// All lines, in order (blank and boilerplate lines included).
    pub lines: Vec<Line<'a>>,
    /// Breadcrumb items, split where they were glued together.
    pub breadcrumb: Vec<String>,
    /// Line number of the breadcrumb, if any.
    pub breadcrumb_line: Option<usize>,
    /// Build time from the export footer, ISO 8601.
    pub built_at: Option<String>,
    /// Export time from the export footer, ISO 8601.
    pub exported_at: Option<String>,
    /// Platform families signalled by boilerplate, with counts.
    pub platforms: BTreeMap<String, usize>,
    /// Lines removed, per rule.
    pub removed: Vec<RemovedCount>,
    /// For HTML: what the markup says (tables, head, where lines start).
    pub markup: Option<&'a Markup>,
    /// The number of the last line (0 for an empty text); kept when [`take_items`] takes the lines.
    pub last_line: usize,
}

/// A content line as the stages after normalisation see it.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// 1-based line number.
    pub no: usize,
    /// Normalised text.
    pub text: &'a str,
    /// Shape from normalisation.
    pub shape: Shape,
    /// Whether a blank or boilerplate line stands between it and the previous item.
    pub gap_before: bool,
}

/// The content lines of a normalised stream.
pub fn items_of<'a>(lines: &'a [Line<'_>]) -> Vec<Item<'a>> {
    let mut items = Vec::with_capacity(lines.len());
    let mut gap = true;
    for line in lines {
        match line.kind {
            LineKind::Content(shape) => {
                items.push(Item { no: line.no, text: &line.text, shape, gap_before: gap });
                gap = false;
            }
            LineKind::Blank | LineKind::Boilerplate => gap = true,
        }
    }
    items
}

/// The content lines of a normalised stream, as [`items_of`] gives them,
/// with the line list taken out of `normalized` and freed: the items borrow
/// the text, and `folded`, which receives the lines that folding rewrote.
/// The list (40 bytes a line, blank lines included) is most of the memory
/// normalisation adds to a large input's, and no stage after this one reads it.
pub fn take_items<'a>(normalized: &mut Normalized<'a>, folded: &'a mut Vec<String>) -> Vec<Item<'a>> {
    let mut lines = std::mem::take(&mut normalized.lines);
    let mut content_lines = 0;
    for line in lines.iter_mut().filter(|l| matches!(l.kind, LineKind::Content(_))) {
        content_lines += 1;
        if let Cow::Owned(text) = &mut line.text {
            folded.push(std::mem::take(text));
        }
    }
    let folded: &'a [String] = folded;
    let mut rewritten = folded.iter();
    let mut items = Vec::with_capacity(content_lines);
    let mut gap = true;
    for line in lines {
        match line.kind {
            LineKind::Content(shape) => {
                let text = match line.text {
                    Cow::Borrowed(text) => text,
                    Cow::Owned(_) => rewritten.next().expect("one folded text per rewritten content line"),
                };
                items.push(Item { no: line.no, text, shape, gap_before: gap });
                gap = false;
            }
            LineKind::Blank | LineKind::Boilerplate => gap = true,
        }
    }
    items
}

/// Longest boilerplate line (the export footer is about 90 bytes); longer
/// lines skip the boilerplate patterns, except the navigation line whose
/// heading can be long.
const BOILERPLATE_MAX_BYTES: usize = 160;

/// A decoded source ready to be normalised: its text, and for HTML what the
/// markup says of it.
#[derive(Debug, Clone)]
pub struct Page<'a> {
    /// The page text (for HTML: extracted from the markup).
    pub text: Cow<'a, str>,
    /// For HTML: the markup read.
    pub markup: Option<Markup>,
}

/// Read a decoded source: text as it is, HTML through its markup.
pub fn read_page(source: &Source) -> Page<'_> {
    match source.format {
        Format::Text => Page { text: Cow::Borrowed(&source.text), markup: None },
        Format::Html => {
            let mut markup = if source.bounded { html::read_bounded(&source.text) } else { html::read(&source.text) };
            let text = Cow::Owned(std::mem::take(&mut markup.text));
            Page { text, markup: Some(markup) }
        }
    }
}

/// Normalise a page: its text as [`normalize_text`] does, then for HTML the
/// lines' shapes refined by the elements that made them.
pub fn normalize_page<'a>(page: &'a Page) -> Normalized<'a> {
    let mut out = normalize_text(&page.text);
    let Some(markup) = page.markup.as_ref() else { return out };
    for line in &mut out.lines {
        if let LineKind::Content(shape) = line.kind {
            line.kind = LineKind::Content(shape::refined(shape, markup.mark(line.no).hint, &line.text));
        }
    }
    out.markup = Some(markup);
    out
}

/// Normalise exported page text into the line stream.
pub fn normalize_text(text: &str) -> Normalized<'_> {
    let mut out = Normalized::default();
    // One allocation for the line list instead of a dozen growing copies.
    out.lines.reserve(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let mut removed: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut last_content: Option<usize> = None;
    for (i, raw) in split_lines(text).enumerate() {
        let folded = fold_spaces(raw);
        let line = classify_line(i + 1, folded, &mut out, &mut removed, last_content);
        if matches!(line.kind, LineKind::Content(_)) {
            last_content = Some(out.lines.len());
        }
        out.lines.push(line);
    }
    if text.ends_with(['\n', '\r']) {
        out.lines.pop();
    }
    out.last_line = out.lines.last().map_or(0, |l| l.no);
    out.removed = removed.into_iter().map(|(rule, lines)| RemovedCount { rule: rule.to_string(), lines }).collect();
    out
}

/// The lines of `text`, split at `\n`, `\r\n` and a lone `\r` (with the SIMD
/// search of `memchr`).
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let ends = memchr::memchr2_iter(b'\n', b'\r', bytes).chain(std::iter::once(text.len()));
    let mut start = 0;
    ends.filter_map(move |end| {
        // The `\n` of a `\r\n` pair: its line ended at the `\r`.
        if end < start {
            return None;
        }
        let line = &text[start..end];
        let crlf = bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n');
        start = end + 1 + usize::from(crlf);
        Some(line)
    })
}

fn classify_line<'a>(
    no: usize,
    text: Cow<'a, str>,
    out: &mut Normalized<'a>,
    removed: &mut BTreeMap<&'static str, usize>,
    last_content: Option<usize>,
) -> Line<'a> {
    if text.is_empty() {
        return Line { no, text, kind: LineKind::Blank };
    }
    let bp = &rules().boilerplate;
    let could_be = text.len() <= BOILERPLATE_MAX_BYTES || text.starts_with("Terug naar navigatie");
    let Some(index) = could_be.then(|| bp.set.first(&text)).flatten() else {
        return content_line(no, text);
    };
    let rule = &bp.rules[index];
    if matches!(rule.action, BoilerplateAction::WidgetPart | BoilerplateAction::SitePart) {
        return content_line(no, text);
    }
    // A widget's units line without its `Complete` line: a widget only under a label, a share and an amount.
    if rule.action == BoilerplateAction::WidgetUnits && !ends_widget(&out.lines) {
        return content_line(no, text);
    }
    if rule.action == BoilerplateAction::WidgetShare && !labels_an_amount(&out.lines) {
        return content_line(no, text);
    }
    *removed.entry(rule.name.as_str()).or_default() += 1;
    if let Some(p) = &rule.platform {
        *out.platforms.entry(p.clone()).or_default() += 1;
    }
    let caps = rule.pattern.captures(&text).expect("set matched");
    let group = |n: usize| caps.get(n).map_or("", |m| m.as_str());
    match rule.action {
        BoilerplateAction::Drop => {}
        BoilerplateAction::Breadcrumb => {
            out.breadcrumb = split_breadcrumb(group(1));
            out.breadcrumb_line = Some(no);
        }
        BoilerplateAction::Footer => {
            out.built_at = us_datetime_to_iso(group(1));
            out.exported_at = us_datetime_to_iso(group(2));
        }
        BoilerplateAction::WidgetEnd | BoilerplateAction::WidgetUnits | BoilerplateAction::WidgetShare => {
            let parts = remove_parts(&mut out.lines, BoilerplateAction::WidgetPart);
            *removed.entry(rule.name.as_str()).or_default() += parts;
        }
        BoilerplateAction::SiteEnd => {
            let parts = remove_parts(&mut out.lines, BoilerplateAction::SitePart);
            *removed.entry(rule.name.as_str()).or_default() += parts;
        }
        BoilerplateAction::WidgetPart | BoilerplateAction::SitePart => unreachable!("returned above"),
        BoilerplateAction::Strip => return content_line(no, Cow::Owned(group(1).to_string())),
        BoilerplateAction::NavHeading => {
            let previous = last_content.map(|i| &*out.lines[i].text).unwrap_or("");
            let rest = glued_rest(group(1), previous);
            // The navigation line confirms that the line it repeats is a heading.
            if let Some(i) = last_content.filter(|_| group(1).starts_with(previous) && !previous.is_empty()) {
                if out.lines[i].kind == LineKind::Content(Shape::Paragraph) {
                    out.lines[i].kind = LineKind::Content(Shape::Label);
                }
            }
            if !rest.is_empty() {
                return content_line(no, Cow::Owned(rest.to_string()));
            }
        }
    }
    Line { no, text, kind: LineKind::Boilerplate }
}

/// Most content lines a summary widget has above its last line.
const WIDGET_PARTS: usize = 4;

/// Turn the parts (lines of the `data/boilerplate.tsv` rules of action
/// `part`: `widget_part`, `site_part`) right above a widget's or a site
/// header's last line into boilerplate; returns how many.
fn remove_parts(lines: &mut [Line], part: BoilerplateAction) -> usize {
    let bp = &rules().boilerplate;
    let is_part = |text: &str| bp.rules.iter().any(|r| r.action == part && r.pattern.is_match(text));
    let mut removed = 0;
    for line in lines.iter_mut().rev() {
        match line.kind {
            LineKind::Blank | LineKind::Boilerplate => continue,
            LineKind::Content(_) if removed < WIDGET_PARTS && is_part(&line.text) => {
                line.kind = LineKind::Boilerplate;
                removed += 1;
            }
            LineKind::Content(_) => break,
        }
    }
    removed
}

/// Whether the content lines right above are a widget's label, share and
/// amount (`Saldo`, `369,58%`, `€ -48.787`).
fn ends_widget(lines: &[Line]) -> bool {
    let [amount, share, label] = last_content(lines, 3)[..] else { return false };
    amount.starts_with('€') && share.ends_with('%') && is_widget_label(label)
}

/// Whether the content lines right above are a widget's label and amount
/// (`Lasten`, `€ 31.422`): a share line under them ends the widget.
fn labels_an_amount(lines: &[Line]) -> bool {
    let [amount, label] = last_content(lines, 2)[..] else { return false };
    let is_amount = !amount.ends_with('%') && !is_widget_label(amount) && is_widget_part(amount);
    is_amount && is_widget_label(label)
}

/// The texts of the last `n` content lines, last first.
fn last_content<'l>(lines: &'l [Line], n: usize) -> Vec<&'l str> {
    lines.iter().rev().filter(|l| matches!(l.kind, LineKind::Content(_))).take(n).map(|l| &*l.text).collect()
}

/// A widget part (`data/boilerplate.tsv`, `widget_part`) that is a label, no number.
fn is_widget_label(text: &str) -> bool {
    !text.starts_with(['€', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) && is_widget_part(text)
}

/// Whether `text` is a widget part (`data/boilerplate.tsv`, `widget_part`).
fn is_widget_part(text: &str) -> bool {
    rules().boilerplate.rules.iter().any(|r| r.action == BoilerplateAction::WidgetPart && r.pattern.is_match(text))
}

/// `Terug naar navigatie - Lokale heffingenLokale heffingen`: the repeat of the
/// heading is boilerplate; what is glued after it is content.
fn glued_rest<'a>(after: &'a str, previous_heading: &str) -> &'a str {
    match after.strip_prefix(previous_heading) {
        Some(rest) if !previous_heading.is_empty() => rest.trim(),
        _ => "",
    }
}

fn content_line(no: usize, text: Cow<'_, str>) -> Line<'_> {
    let (text, shape) = shape::classify(text);
    Line { no, text, kind: LineKind::Content(shape) }
}

/// Fold non-breaking and other odd spaces to one space, drop zero-width
/// characters, collapse runs of white space and trim.
pub fn fold_spaces(raw: &str) -> Cow<'_, str> {
    let trimmed = trim_spaces_and_tabs(raw);
    if is_plain(trimmed) {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut pending_space = false;
    let mut rest = trimmed;
    while !rest.is_empty() {
        // Copy runs of ordinary characters whole; look at the others one by one.
        let run = ordinary_run(rest.as_bytes());
        let (kept, c) = if run > 0 {
            (&rest[..run], None)
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            (&rest[..c.len_utf8()], Some(c))
        };
        rest = &rest[kept.len()..];
        match c {
            Some('\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}') => continue,
            Some(c) if c.is_whitespace() => pending_space = true,
            _ => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(kept);
            }
        }
    }
    Cow::Owned(out)
}

/// Length of the run of bytes at the start that folding leaves alone:
/// ordinary bytes, and single spaces between them.
fn ordinary_run(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if !FOLD_CANDIDATE[b as usize] {
            i += 1;
        } else if b == b' ' && i > 0 && bytes.get(i + 1).is_some_and(|&n| !FOLD_CANDIDATE[n as usize]) {
            i += 2;
        } else {
            break;
        }
    }
    i
}

/// Bytes that may start a character folding changes: white space, control
/// bytes, and the lead bytes of non-ASCII spaces and invisible characters.
const FOLD_CANDIDATE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b <= b' ' as usize {
        table[b] = true;
        b += 1;
    }
    table[0xC2] = true;
    table[0xE1] = true;
    table[0xE2] = true;
    table[0xE3] = true;
    table[0xEF] = true;
    table
};

/// True when a line has nothing to fold: no control character, odd space,
/// invisible character or double space. One branch-free pass, which the
/// compiler vectorises, finds control bytes and double spaces (something to
/// fold) and the lead bytes of odd spaces and invisible characters (maybe
/// something to fold); only lines with lead bytes have them looked at, one by
/// one. The lines it flags go the slow way, which copies in runs.
fn is_plain(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let mut found = bytes.last().map_or(0, |&b| fold_lead(b));
    let n = bytes.len().saturating_sub(1);
    let (first, second) = (&bytes[..n], &bytes[1.min(bytes.len())..][..n]);
    for i in 0..n {
        found |= fold_lead(first[i]) | u8::from(first[i] == b' ') & u8::from(second[i] == b' ');
    }
    match found {
        0 => true,
        LEAD => !has_foldable_character(bytes),
        _ => false,
    }
}

/// What [`fold_lead`] says of a lead byte of a non-ASCII space or invisible character.
const LEAD: u8 = 2;

/// 1 for a control byte, [`LEAD`] for the lead byte of a non-ASCII space or
/// invisible character, else 0.
fn fold_lead(b: u8) -> u8 {
    let lead = u8::from(b == 0xC2) | u8::from((0xE1..=0xE3).contains(&b)) | u8::from(b == 0xEF);
    u8::from(b < 0x20) | (LEAD * lead)
}

/// `raw` without leading and trailing spaces and tabs.
fn trim_spaces_and_tabs(raw: &str) -> &str {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let bytes = raw.as_bytes();
    let start = bytes.iter().position(|b| !blank(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !blank(b)).map_or(start, |i| i + 1);
    // Spaces and tabs are ASCII: both ends fall on character boundaries.
    &raw[start..end.max(start)]
}

/// Whether a non-ASCII space or invisible character starts at one of the
/// lead bytes (see [`fold_lead`]) of a line.
fn has_foldable_character(bytes: &[u8]) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let foldable = |i: usize| match (bytes[i], at(i + 1), at(i + 2)) {
        (0xC2, b, _) => matches!(b, 0x85 | 0xA0 | 0xAD),
        (0xE1, b, c) => b == 0x9A && c == 0x80,
        (0xE2, 0x80, c) => c & 0xF0 == 0x80 || (0xA8..=0xAF).contains(&c),
        (0xE2, b, c) => b == 0x81 && c == 0x9F,
        (0xE3, b, c) => b == 0x80 && c == 0x80,
        (0xEF, b, c) => b == 0xBB && c == 0xBF,
        _ => false,
    };
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, bytes).chain(memchr::memchr2_iter(0xE1, 0xE3, bytes)).any(foldable)
}

/// Split a breadcrumb whose items were glued together
/// (`HomeBeleidsbegrotingProgramma 1: Meedoen in...1C: …`).
pub fn split_breadcrumb(text: &str) -> Vec<String> {
    let separators = ['>', '›', '»', '|', '/'];
    if text.contains(separators) {
        return text.split(separators).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut items = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let after_ellipsis = i >= 3 && chars[i - 3..i].iter().all(|&d| d == '.') && c != '.';
        let case_break = prev.is_some_and(|p| p.is_lowercase()) && c.is_uppercase();
        if (after_ellipsis || case_break) && !current.trim().is_empty() {
            items.push(current.trim().to_string());
            current.clear();
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        items.push(current.trim().to_string());
    }
    items
}

/// `08/24/2022 13:58:51` (US order) → `2022-08-24T13:58:51`.
pub fn us_datetime_to_iso(s: &str) -> Option<String> {
    let (date, time) = s.split_once(' ')?;
    let mut parts = date.split('/');
    let (month, day, year) = (parts.next()?, parts.next()?, parts.next()?);
    let valid = month.parse::<u8>().ok().is_some_and(|m| (1..=12).contains(&m))
        && day.parse::<u8>().ok().is_some_and(|d| (1..=31).contains(&d));
    valid.then(|| format!("{year}-{month}-{day}T{time}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Taking the items out of the line list gives the items the list gives,
    /// rewritten lines (odd spaces, list marks) and borrowed ones alike.
    #[test]
    fn taken_items_are_the_items_of_the_lines() {
        let text = "Programma 1\u{a0}Wonen\n\n\u{2022} een\u{2003}punt\r\nGewoon\n  Lasten\t1.234 \n\nTerug naar navigatie\n- twee\n";
        let mut normalized = normalize_text(text);
        let expected: Vec<(usize, String, Shape, bool)> =
            items_of(&normalized.lines).iter().map(|i| (i.no, i.text.to_string(), i.shape, i.gap_before)).collect();
        assert!(normalized.lines.iter().any(|l| matches!(l.text, Cow::Owned(_))), "some line rewritten");
        let last_line = normalized.last_line;
        let mut folded = Vec::new();
        let items = take_items(&mut normalized, &mut folded);
        let taken: Vec<(usize, String, Shape, bool)> =
            items.iter().map(|i| (i.no, i.text.to_string(), i.shape, i.gap_before)).collect();
        assert_eq!(taken, expected);
        assert!(normalized.lines.is_empty() && !folded.is_empty());
        assert_eq!(last_line, 8);
    }

    fn kinds(text: &str) -> Vec<LineKind> {
        normalize_text(text).lines.into_iter().map(|l| l.kind).collect()
    }

    #[test]
    fn folds_odd_spaces_and_zero_width() {
        assert_eq!(fold_spaces("\u{a0} a\u{200b}b \t c\u{a0}"), "ab c");
        assert_eq!(fold_spaces("x\u{202f}y\u{2007}z  q"), "x y z q");
        assert_eq!(fold_spaces(" • plain ‘quoted’ text "), "• plain ‘quoted’ text");
        assert_eq!(fold_spaces("a\u{1680}b\u{205f}c\u{3000}d\u{2028}e\u{85}f"), "a b c d e f");
        assert_eq!(fold_spaces("x\u{1}y\u{ad}z €\u{a0}5"), "x\u{1}yz € 5");
        assert_eq!(fold_spaces("‘a’ – b • c\u{a0}"), "‘a’ – b • c");
        assert_eq!(fold_spaces("a\u{200b}"), "a");
        assert_eq!(fold_spaces("a \t"), "a");
        assert_eq!(fold_spaces("a\u{2002} b"), "a b");
    }

    #[test]
    fn unifies_line_ends_and_numbers_lines() {
        let n = normalize_text("a\r\nb\rc\n");
        let texts: Vec<(usize, &str)> = n.lines.iter().map(|l| (l.no, &*l.text)).collect();
        assert_eq!(texts, vec![(1, "a"), (2, "b"), (3, "c")]);
        let numbered = |text: &str| -> Vec<(usize, String)> {
            normalize_text(text).lines.iter().map(|l| (l.no, l.text.to_string())).collect()
        };
        for (text, unified) in [("a\r\n\r\nb", "a\n\nb"), ("\r\r\nx\r", "\n\nx\n"), ("\n\r", "\n\n"), ("a\r", "a\n")] {
            assert_eq!(numbered(text), numbered(unified), "{text:?}");
        }
    }

    #[test]
    fn removes_and_counts_boilerplate() {
        let n = normalize_text("tabele11\nTekst hier.\ntabele11\nGa naar boven\n");
        assert_eq!(n.lines[0].kind, LineKind::Boilerplate);
        assert!(matches!(n.lines[1].kind, LineKind::Content(_)));
        let counts: Vec<(&str, usize)> = n.removed.iter().map(|r| (r.rule.as_str(), r.lines)).collect();
        assert_eq!(counts, vec![("ga_naar_boven", 1), ("table_marker", 2)]);
    }

    #[test]
    fn breadcrumb_and_footer_become_metadata() {
        let n = normalize_text(
            "U bent hier: HomeBeleidsbegrotingProgramma 1: Meedoen in...1C: Ondersteunde inwoners\n\
             Deze pagina is gebouwd op 08/24/2022 13:58:51 met de export van 08/24/2022 13:39:34",
        );
        assert_eq!(
            n.breadcrumb,
            vec!["Home", "Beleidsbegroting", "Programma 1: Meedoen in...", "1C: Ondersteunde inwoners"]
        );
        assert_eq!(n.built_at.as_deref(), Some("2022-08-24T13:58:51"));
        assert_eq!(n.exported_at.as_deref(), Some("2022-08-24T13:39:34"));
        assert_eq!(kinds("U bent hier: Home"), vec![LineKind::Boilerplate]);
    }

    #[test]
    fn nav_heading_keeps_glued_text() {
        let n = normalize_text("Lokale heffingen\nTerug naar navigatie - Lokale heffingenDe tarieven stijgen.");
        assert_eq!(n.lines[1].text, "De tarieven stijgen.");
        assert!(matches!(n.lines[1].kind, LineKind::Content(_)));
        let n = normalize_text("Ambitie\nTerug naar navigatie - Ambitie");
        assert_eq!(n.lines[1].kind, LineKind::Boilerplate);
        let n = normalize_text("Wat doen we in 2024 voor de wijken, en met wie?.\nTerug naar navigatie - Wat doen we in 2024 voor de wijken, en met wie?.");
        assert_eq!(n.lines[0].kind, LineKind::Content(Shape::Label), "confirmed as a heading");
    }

    #[test]
    fn rejects_impossible_footer_dates() {
        assert_eq!(us_datetime_to_iso("24/08/2022 13:58:51"), None);
    }
}
