//! Hostile markup bounded before it is parsed: start tags nested deeper
//! than [`MAX_DEPTH`] are dropped (their text is kept: the page is flattened
//! there), and so are the attributes of a tag beyond [`MAX_ATTRIBUTES`]; the
//! HTML parser's work per tag grows with both.

use std::borrow::Cow;
use std::ops::Range;

/// What reading an HTML page changes in `html` before parsing it, as a warning;
/// `None` for any page of ordinary depth and size.
pub fn markup_warning(html: &str) -> Option<String> {
    let b = bound_markup(html);
    let mut parts = Vec::new();
    if b.dropped_elements > 0 {
        let n = b.dropped_elements;
        parts.push(format!("{n} elements nested deeper than {MAX_DEPTH} levels flattened (their text kept)"));
    }
    if b.dropped_attributes > 0 {
        let n = b.dropped_attributes;
        parts.push(format!("{n} attributes beyond {MAX_ATTRIBUTES} on one tag dropped"));
    }
    (!parts.is_empty()).then(|| format!("HTML flattened: {}", parts.join("; ")))
}

/// Deepest nesting of elements kept. Browsers stop at 512 too; no page
/// comes near it.
pub const MAX_DEPTH: usize = 512;

/// Most attributes kept on one tag (the HTML tokenizer checks each new
/// attribute against all before it).
pub const MAX_ATTRIBUTES: usize = 256;

/// Elements without content (never closed).
const VOID: [&str; 19] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose end tag may be left out: the parser closes them when the
/// next one starts, so they do not deepen the tree (and are never dropped).
const OPTIONAL_END: [&str; 20] = [
    "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc", "rp", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup",
];

/// Elements whose content is text up to their end tag, not markup.
const RAW_TEXT: [&str; 9] =
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"];

/// HTML with its nesting and attribute counts bounded, and what was dropped.
pub(super) struct Bounded<'a> {
    /// The markup to parse.
    pub html: Cow<'a, str>,
    dropped_elements: usize,
    dropped_attributes: usize,
}

/// Bound the markup of `html` (a single pass; the tags are read the way the
/// HTML tokenizer reads them: comments, quoted values and raw text skipped).
pub(super) fn bound_markup(html: &str) -> Bounded<'_> {
    let mut scan = Scan { bytes: html.as_bytes(), ..Scan::default() };
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &scan.bytes[at..]) {
        at = scan.markup(at + lt);
    }
    let (dropped_elements, dropped_attributes) = (scan.dropped_elements, scan.dropped_attributes);
    if scan.cuts.is_empty() {
        return Bounded { html: Cow::Borrowed(html), dropped_elements, dropped_attributes };
    }
    let mut kept = String::with_capacity(html.len());
    let mut from = 0;
    for cut in &scan.cuts {
        kept.push_str(&html[from..cut.start]);
        from = cut.end;
    }
    kept.push_str(&html[from..]);
    Bounded { html: Cow::Owned(kept), dropped_elements, dropped_attributes }
}

/// The state of [`bound_markup`]'s pass.
#[derive(Default)]
struct Scan<'a> {
    bytes: &'a [u8],
    /// The elements open, as counted (see [`Scan::counted`]): at most
    /// [`MAX_DEPTH`]. An end tag closes the nearest of its name and those
    /// above it, as the parser does, except formatting elements, which the
    /// parser may open again (counting them open errs on the safe side).
    open: Vec<Open<'a>>,
    /// The names of the start tags dropped whose end tag has not come yet.
    dropped: Vec<&'a [u8]>,
    /// Byte ranges to leave out, in order.
    cuts: Vec<Range<usize>>,
    dropped_elements: usize,
    dropped_attributes: usize,
}

/// An element open, as [`Scan`] counts them.
struct Open<'a> {
    name: &'a [u8],
    /// Inside `svg` or `math`, where `<x/>` closes itself.
    foreign: bool,
    /// One of [`SPECIAL`], and one of [`SCOPE`] (looked up once, at the start tag).
    special: bool,
    scope: bool,
}

/// Elements the parser reopens after an end tag closed them (the active formatting elements).
const FORMATTING: [&str; 14] =
    ["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"];

/// The counted elements HTML calls special: an end tag of another kind does
/// not close anything past one of them.
const SPECIAL: [&str; 41] = [
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "button",
    "caption",
    "center",
    "details",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "listing",
    "main",
    "marquee",
    "menu",
    "nav",
    "object",
    "ol",
    "pre",
    "search",
    "section",
    "select",
    "summary",
    "table",
    "template",
    "ul",
];

/// The counted elements that bound the scope a special end tag looks in.
const SCOPE: [&str; 6] = ["applet", "caption", "marquee", "object", "table", "template"];

/// Longest element name in the lists above.
const LONGEST_LISTED: usize = 10;

fn is_one_of(list: &[&str], name: &[u8]) -> bool {
    if name.len() > LONGEST_LISTED {
        return false;
    }
    // Lower-cased once, then compared byte for byte (a tag name is ASCII or in no list).
    let mut lower = [0u8; LONGEST_LISTED];
    for (l, n) in lower.iter_mut().zip(name) {
        *l = n.to_ascii_lowercase();
    }
    let lower = &lower[..name.len()];
    list.iter().any(|n| n.as_bytes() == lower)
}

/// A tag as read: its name and where it ends.
struct Tag<'a> {
    name: &'a [u8],
    /// Just after its `>`.
    end: usize,
    /// Written `<x/>`.
    self_closing: bool,
}

impl<'a> Scan<'a> {
    /// Read the markup starting at the `<` at `at`; return where to go on.
    fn markup(&mut self, at: usize) -> usize {
        let rest = &self.bytes[at..];
        let len = self.bytes.len();
        if rest.starts_with(b"<!--") {
            return memchr::memmem::find(&rest[4..], b"-->").map_or(len, |end| at + 4 + end + 3);
        }
        match rest.get(1) {
            Some(b'!' | b'?') => memchr::memchr(b'>', rest).map_or(len, |end| at + end + 1),
            Some(b'/') if rest.get(2).is_some_and(u8::is_ascii_alphabetic) => match self.tag(at + 2) {
                Some(tag) => self.end_tag(at, &tag),
                None => len,
            },
            Some(c) if c.is_ascii_alphabetic() => match self.tag(at + 1) {
                Some(tag) => self.start_tag(at, &tag),
                None => len,
            },
            _ => at + 1,
        }
    }

    /// Whether an element counts for the depth: not void, not closed by the
    /// next of its kind, not raw text.
    fn counted(name: &[u8]) -> bool {
        !is_one_of(&VOID, name) && !is_one_of(&OPTIONAL_END, name) && !is_one_of(&RAW_TEXT, name)
    }

    fn start_tag(&mut self, at: usize, tag: &Tag<'a>) -> usize {
        let foreign = self.open.last().is_some_and(|e| e.foreign) || is_one_of(&["svg", "math"], tag.name);
        let closes_itself = tag.self_closing && foreign;
        if Self::counted(tag.name) && !closes_itself {
            if self.open.len() >= MAX_DEPTH {
                self.drop_tag(at..tag.end);
                self.dropped.push(tag.name);
                self.dropped_elements += 1;
                return tag.end;
            }
            let (special, scope) = (is_one_of(&SPECIAL, tag.name), is_one_of(&SCOPE, tag.name));
            self.open.push(Open { name: tag.name, foreign, special, scope });
        }
        if is_one_of(&RAW_TEXT, tag.name) {
            return self.raw_text_end(tag.end, tag.name);
        }
        tag.end
    }

    /// An end tag: dropped with its start tag; else it closes the nearest
    /// open element of its name (and, deeper, every dropped one) where the
    /// parser would: a special end tag within its scope, another only when
    /// no special element is open above it. Else it closes nothing (and is
    /// dropped while start tags are).
    fn end_tag(&mut self, at: usize, tag: &Tag<'a>) -> usize {
        if !Self::counted(tag.name) {
            return tag.end;
        }
        if self.dropped.last().is_some_and(|name| name.eq_ignore_ascii_case(tag.name)) {
            self.drop_tag(at..tag.end);
            self.dropped.pop();
            return tag.end;
        }
        let special = is_one_of(&SPECIAL, tag.name);
        for i in (0..self.open.len()).rev() {
            let open = &self.open[i];
            if open.name.eq_ignore_ascii_case(tag.name) {
                let above = self.open.split_off(i);
                self.open.extend(above.into_iter().skip(1).filter(|e| is_one_of(&FORMATTING, e.name)));
                self.dropped.clear();
                return tag.end;
            }
            if (special && open.scope) || (!special && open.special) {
                break;
            }
        }
        // It closes nothing. While the page is being flattened, leave it out
        // too: the parser would look through its whole stack to ignore it.
        if !self.dropped.is_empty() {
            self.drop_tag(at..tag.end);
        }
        tag.end
    }

    /// Leave out a whole tag (and the cut of its attributes, if one was made).
    fn drop_tag(&mut self, range: Range<usize>) {
        if self.cuts.last().is_some_and(|cut| cut.start >= range.start) {
            self.cuts.pop();
        }
        self.cuts.push(range);
    }

    /// Where the raw text that starts at `from` ends: at `</name`, any case.
    fn raw_text_end(&self, from: usize, name: &[u8]) -> usize {
        let mut at = from;
        while let Some(lt) = memchr::memchr(b'<', &self.bytes[at..]) {
            let candidate = &self.bytes[at + lt..];
            if candidate.get(1) == Some(&b'/')
                && candidate.get(2..2 + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name))
            {
                return at + lt;
            }
            at += lt + 1;
        }
        self.bytes.len()
    }

    /// Read the tag whose name starts at `name_start` up to its `>`,
    /// cutting the attributes beyond [`MAX_ATTRIBUTES`]; `None` when the
    /// input ends inside it (the tokenizer drops such a tag).
    fn tag(&mut self, name_start: usize) -> Option<Tag<'a>> {
        let bytes = self.bytes;
        let name_end = name_start + bytes[name_start..].iter().position(|&b| is_space(b) || b == b'/' || b == b'>')?;
        let (mut i, mut count, mut cut, mut self_closing) = (name_end, 0, None, false);
        loop {
            i += bytes[i..].iter().position(|&b| !is_space(b))?;
            match bytes[i] {
                b'>' => break,
                b'/' => {
                    self_closing = bytes.get(i + 1) == Some(&b'>');
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let start = i;
            i = attribute_end(bytes, i)?;
            count += 1;
            if count > MAX_ATTRIBUTES && cut.is_none() {
                cut = Some(start);
            }
            self_closing = false;
        }
        if let Some(start) = cut {
            self.cuts.push(start..i);
            self.dropped_attributes += count - MAX_ATTRIBUTES;
        }
        Some(Tag { name: &bytes[name_start..name_end], end: i + 1, self_closing })
    }
}

/// Where the attribute starting at `i` (name, optional `=` and value) ends.
fn attribute_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    // The first character belongs to the name even if it is `=`.
    i += 1;
    i += bytes[i..].iter().position(|&b| is_space(b) || matches!(b, b'/' | b'>' | b'='))?;
    let after_name = i + bytes[i..].iter().position(|&b| !is_space(b))?;
    if bytes[after_name] != b'=' {
        return Some(i);
    }
    i = after_name + 1;
    i += bytes[i..].iter().position(|&b| !is_space(b))?;
    match bytes[i] {
        quote @ (b'"' | b'\'') => Some(i + 1 + memchr::memchr(quote, &bytes[i + 1..])? + 1),
        b'>' => Some(i),
        _ => Some(i + bytes[i..].iter().position(|&b| is_space(b) || b == b'>')?),
    }
}

/// The white space of HTML tags.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

#[cfg(test)]
mod tests {
    use super::super::html_to_text;
    use super::*;

    #[test]
    fn blocks_cells_and_items_get_their_own_lines() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body>\
            <h2>Stand van zaken:</h2><p>Het gaat <b>goed</b>.</p>\
            <ul><li>Een</li><li>Twee</li></ul>\
            <table><tr><th>Omschrijving</th><th>2022 (b)</th></tr><tr><td>Aantal</td><td>5</td></tr></table>\
            <script>var a;</script></body></html>";
        assert_eq!(
            html_to_text(html),
            "Stand van zaken:\n\nHet gaat goed.\n\n• Een\n\n• Twee\n\nOmschrijving\n\n2022 (b)\n\nAantal\n\n5\n\n"
        );
    }

    /// End tags that close nothing in the parser do not make room: `<b>` ×
    /// 1383 and `</div>` × 2102, over and over (found by the slow-input
    /// property), or a `</span>` past an open `<div>`, stay bounded and fast.
    #[test]
    fn stray_end_tags_do_not_lower_the_count() {
        let rounds = [
            (format!("{}{}", "<b>".repeat(1383), "</div>".repeat(2102)), 1383),
            (format!("<span>{}</span>", "<div>".repeat(500)), 501),
            // Every end tag looks past 512 open elements here: the look must stay cheap.
            ("<svg><path d='M0'/></svg>".repeat(1087) + &"<i><b>".repeat(2335), 0),
        ];
        for (round, opened) in rounds {
            let html = round.repeat(10);
            let started = std::time::Instant::now();
            html_to_text(&html);
            assert!(started.elapsed().as_secs_f64() < 2.0, "{:?}", started.elapsed());
            if opened > 0 {
                assert_eq!(bound_markup(&html).dropped_elements, 10 * opened - MAX_DEPTH, "{}", &round[..40]);
            }
        }
    }

    /// A page nested as deep as the parser's stack allows in a worker thread
    /// many times over: flattened, its text kept, no stack overflow.
    #[test]
    fn deep_nesting_is_flattened_not_a_crash() {
        for (tag, depth) in [("b", 20_000), ("div", 100_000), ("span", 30_000)] {
            let html = format!(
                "<html><body>{}Diep{}</body></html>",
                format!("<{tag}>").repeat(depth),
                format!("</{tag}>").repeat(depth)
            );
            let text = std::thread::Builder::new()
                .stack_size(256 << 10)
                .spawn(move || html_to_text(&html))
                .expect("thread")
                .join()
                .expect("no overflow");
            assert_eq!(text.trim(), "Diep", "{tag}");
        }
        let html = format!("<body>{}x", "<div>".repeat(MAX_DEPTH + 10));
        assert_eq!(
            markup_warning(&html).as_deref(),
            Some("HTML flattened: 10 elements nested deeper than 512 levels flattened (their text kept)")
        );
    }

    #[test]
    fn attributes_beyond_the_limit_are_dropped() {
        let attributes: Vec<String> = (0..100_000).map(|i| format!("a{i}=\"{i}\"")).collect();
        let html = format!("<html><body><p {}>Veel</p><p x='a>b'>Twee</p></body></html>", attributes.join(" "));
        let started = std::time::Instant::now();
        assert_eq!(html_to_text(&html), "Veel\n\nTwee\n\n");
        assert!(started.elapsed().as_secs_f64() < 5.0, "{:?}", started.elapsed());
        assert_eq!(
            markup_warning(&html).as_deref(),
            Some("HTML flattened: 99744 attributes beyond 256 on one tag dropped")
        );
        let bounded = bound_markup(&html);
        assert!(bounded.html.contains(" a255=\"255\" >Veel"), "the first 256 kept, the tag closed");
        assert!(matches!(bound_markup(&bounded.html).html, Cow::Borrowed(_)), "bounding twice changes nothing more");
    }

    /// Ordinary pages pass unchanged: comments, scripts, quoted `>` and
    /// self-closed SVG elements are read as the tokenizer reads them.
    #[test]
    fn ordinary_markup_is_left_alone() {
        let icons = "<svg><path d='M0 0'/><circle r=\"1\"/></svg>".repeat(2 * MAX_DEPTH);
        let cells = "<tr><td>1<td>2".repeat(2 * MAX_DEPTH);
        let html = format!(
            "<!DOCTYPE html><html><head><script>if (a<b && c>d) {{ x = '<div>'; }}</script></head><body>\
             <!-- <div> --><p title=\"a > b\">Tekst<br/><img src=x>{icons}<table>{cells}</table>{}</body></html>",
            "<div>".repeat(MAX_DEPTH - 1)
        );
        let bounded = bound_markup(&html);
        assert!(matches!(bounded.html, Cow::Borrowed(_)));
        assert_eq!((bounded.dropped_elements, bounded.dropped_attributes), (0, 0));
        assert_eq!(markup_warning(&html), None);
    }

    #[test]
    fn truncated_html_does_not_panic() {
        assert_eq!(html_to_text("<html><body><p>Half af <b>tek"), "Half af tek\n\n");
    }
}
