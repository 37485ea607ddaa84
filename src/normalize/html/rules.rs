//! The rules for reading HTML (`data/html.tsv`): which elements are never
//! text, which are page furniture, where the content is, and which class
//! words stand for a status.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::dom::Element;
use crate::bytes::{WordMap, WordSet};

/// The compiled `data/html.tsv`.
pub struct HtmlRules {
    skip: Vec<String>,
    chrome: Vec<String>,
    chrome_roles: Vec<String>,
    chrome_words: WordSet,
    /// The first part of each of them (up to a `-` or `_`).
    chrome_heads: WordSet,
    breadcrumb_words: Vec<String>,
    /// Where the content is, in order of preference.
    pub main: Vec<Container>,
    status_classes: WordMap<String>,
    status_markers: Vec<String>,
}

/// The rules, compiled on first use.
pub fn html_rules() -> &'static HtmlRules {
    static RULES: OnceLock<HtmlRules> = OnceLock::new();
    RULES.get_or_init(|| compile(include_str!("../../../data/html.tsv")))
}

fn compile(table: &str) -> HtmlRules {
    let mut rules = HtmlRules {
        skip: Vec::new(),
        chrome: Vec::new(),
        chrome_roles: Vec::new(),
        chrome_words: WordSet::default(),
        chrome_heads: WordSet::default(),
        breadcrumb_words: Vec::new(),
        main: Vec::new(),
        status_classes: WordMap::default(),
        status_markers: Vec::new(),
    };
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).skip(1) {
        let (kind, values) = line.split_once('\t').expect("data/html.tsv: kind, tab, values");
        let words = values.split_whitespace().map(str::to_string);
        match kind {
            "skip" => rules.skip.extend(words),
            "chrome" => rules.chrome.extend(words),
            "chrome_role" => rules.chrome_roles.extend(words),
            "chrome_word" => rules.chrome_words.extend(words),
            "breadcrumb_word" => rules.breadcrumb_words.extend(words),
            "main" => {
                rules.main.extend(values.split_whitespace().map(|s| Container::parse(s).expect("data/html.tsv: main")))
            }
            "status_class" => rules.status_classes.extend(values.split_whitespace().map(|pair| {
                let (class, word) = pair.split_once('=').expect("data/html.tsv: status_class word=status");
                (class.to_string(), word.to_string())
            })),
            "status_marker" => rules.status_markers.extend(words),
            other => panic!("data/html.tsv: unknown kind {other}"),
        }
    }
    rules.chrome_heads = rules.chrome_words.iter().map(|w| head_part(w).to_string()).collect();
    rules
}

/// A content container, as `data/html.tsv` names it: an element name
/// (`main`), an id (`#content`), a class (`.page-content`) or a role
/// (`[role=main]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Container {
    /// An element of this name.
    Element(String),
    /// The element with this id.
    Id(String),
    /// An element with this class.
    Class(String),
    /// An element with this ARIA role.
    Role(String),
}

impl Container {
    fn parse(rule: &str) -> Option<Container> {
        if let Some(id) = rule.strip_prefix('#') {
            return Some(Container::Id(id.to_string()));
        }
        if let Some(class) = rule.strip_prefix('.') {
            return Some(Container::Class(class.to_string()));
        }
        if let Some(role) = rule.strip_prefix("[role=").and_then(|r| r.strip_suffix(']')) {
            return Some(Container::Role(role.to_string()));
        }
        rule.bytes().all(|b| b.is_ascii_alphanumeric()).then(|| Container::Element(rule.to_string()))
    }

    /// Whether an element is this container.
    pub fn matches(&self, e: &Element) -> bool {
        match self {
            Container::Element(name) => e.name() == name,
            Container::Id(id) => e.id() == Some(id.as_str()),
            Container::Class(class) => e.classes().any(|c| c == class),
            Container::Role(role) => e.attr("role").is_some_and(|r| r.eq_ignore_ascii_case(role)),
        }
    }
}

/// How an element takes part in the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Never text (a script, a form control, a hidden element).
    Skipped,
    /// A breadcrumb: its items are metadata.
    Breadcrumb,
    /// Page furniture: searched only for metadata lines.
    Chrome,
    /// Page content.
    Content,
}

impl HtmlRules {
    /// The role of an element, from its name and attributes.
    pub fn role(&self, e: &Element) -> Role {
        let name = e.name();
        if e.has_no_attrs() {
            // Most elements of a page (cells, paragraphs) have no attributes: the name decides.
            return if self.skip.iter().any(|s| s == name) {
                Role::Skipped
            } else if self.chrome.iter().any(|c| c == name) {
                Role::Chrome
            } else {
                Role::Content
            };
        }
        let hidden = e.attr("hidden").is_some()
            || e.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || e.attr("style").is_some_and(hides);
        if self.skip.iter().any(|s| s == name) || hidden {
            return Role::Skipped;
        }
        let label = e.attr("aria-label").map(str::to_lowercase).unwrap_or_default();
        let tokens: Vec<Cow<str>> = words_of(e).collect();
        let crumb_named = tokens.iter().any(|t| self.breadcrumb_words.iter().any(|w| names_word(t, w)));
        let crumb_labelled = !label.is_empty() && self.breadcrumb_words.iter().any(|w| label.contains(w.as_str()));
        if crumb_labelled || crumb_named {
            return Role::Breadcrumb;
        }
        let role = e.attr("role").unwrap_or("");
        let chrome = self.chrome.iter().any(|c| c == name)
            || self.chrome_roles.iter().any(|r| r.eq_ignore_ascii_case(role))
            || tokens.iter().any(|t| names_any(t, &self.chrome_words, &self.chrome_heads));
        if chrome {
            Role::Chrome
        } else {
            Role::Content
        }
    }

    /// The status word a class of the element stands for, and whether a
    /// class names a status outright (`status-groen`, `stoplicht rood`).
    pub fn status_class(&self, e: &Element) -> Option<(String, bool)> {
        let mut word = None;
        let mut marked = false;
        for class in e.sorted_classes() {
            let plain = class.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase());
            let class = if plain { Cow::Borrowed(class) } else { Cow::Owned(class.to_lowercase()) };
            for part in class.split(['-', '_']).filter(|p| !p.is_empty()) {
                marked |= self.status_markers.iter().any(|m| m == part);
                if word.is_none() {
                    word = self.status_classes.get(part).cloned();
                }
            }
        }
        word.map(|w| (w, marked))
    }
}

/// The class names and id of an element, lower-cased (copied only when
/// they have capitals).
fn words_of<'a>(e: &'a Element) -> impl Iterator<Item = Cow<'a, str>> + 'a {
    e.classes().chain(e.id()).map(|t| {
        if t.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(t.to_ascii_lowercase())
        } else {
            Cow::Borrowed(t)
        }
    })
}

/// Whether a class or id holds one of `words` between `-`/`_` separators
/// (`site-menu-item` holds `menu` and `site-menu`): every run of its parts is
/// looked up (a token of more than [`MAX_PARTS`] parts only by its first ones).
/// `heads` are the words' first parts: a run can only be a word if its first
/// part is one, so most starts need one look-up.
fn names_any(token: &str, words: &WordSet, heads: &WordSet) -> bool {
    let separators = token.bytes().enumerate().filter(|&(_, b)| b == b'-' || b == b'_').map(|(i, _)| i);
    let bounds = std::iter::once(0).chain(separators.clone().map(|i| i + 1)).take(MAX_PARTS);
    let ends = separators.chain(std::iter::once(token.len()));
    bounds.into_iter().any(|start| {
        let runs = || ends.clone().filter(move |&end| end > start).take(MAX_PARTS);
        runs().next().is_some_and(|first| heads.contains(&token[start..first]))
            && runs().any(|end| words.contains(&token[start..end]))
    })
}

/// A word up to its first `-` or `_`.
fn head_part(word: &str) -> &str {
    word.split(['-', '_']).next().unwrap_or(word)
}

/// Most parts of a class name looked at.
const MAX_PARTS: usize = 6;

/// Whether a class or id is `word`, or holds it between `-`/`_` separators.
fn names_word(token: &str, word: &str) -> bool {
    // A byte search finds what `str::find` finds (the word is whole UTF-8), at a fraction of its set-up.
    let Some(at) = memchr::memmem::find(token.as_bytes(), word.as_bytes()) else { return false };
    let before = token[..at].chars().next_back();
    let after = token[at + word.len()..].chars().next();
    let bound = |c: Option<char>| c.is_none_or(|c| c == '-' || c == '_');
    bound(before) && bound(after)
}

/// `display:none` or `visibility:hidden` in an inline style.
fn hides(style: &str) -> bool {
    let squeezed: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    squeezed.contains("display:none") || squeezed.contains("visibility:hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_words_are_matched_whole() {
        assert!(names_word("cookie-banner", "cookie"));
        assert!(names_word("site_menu", "menu"));
        assert!(names_word("menu", "menu"));
        assert!(!names_word("menukaart", "menu"));
        assert!(!names_word("documenten", "menu"));
        assert!(names_word("sr-only", "sr-only"));
        let words: WordSet = ["menu", "sr-only", "cookie"].map(String::from).into_iter().collect();
        let heads: WordSet = words.iter().map(|w| head_part(w).to_string()).collect();
        for (token, named) in
            [("site-menu-item", true), ("sr-only", true), ("cookie_bar", true), ("menukaart", false), ("only", false)]
        {
            assert_eq!(names_any(token, &words, &heads), named, "{token}");
        }
    }
}
