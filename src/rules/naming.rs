//! The rules of the metadata stage: how the words around a document name or
//! an organisation's name count (`data/document_references.tsv`,
//! `data/document_words.tsv`, `data/organisation_context.tsv`).

use regex::Regex;

use super::{compile, rows, LazyRegex, DOCUMENT_TYPES};

const DOCUMENT_REFERENCES: &str = include_str!("../../data/document_references.tsv");
const ORGANISATION_CONTEXT: &str = include_str!("../../data/organisation_context.tsv");
const DOCUMENT_WORDS: &str = include_str!("../../data/document_words.tsv");

/// What the words around a document name say of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// The page names itself (`in deze begroting`).
    SelfReference,
    /// The page names another document (`zie de jaarrekening`).
    Reference,
    /// The name stands for an amount, not a document (`de begroting na wijziging`).
    Figure,
}

/// One row of `data/document_references.tsv`.
#[derive(Debug)]
struct NamingRule {
    naming: Naming,
    before: Option<LazyRegex>,
    after: Option<LazyRegex>,
}

/// `data/document_references.tsv` and `data/document_words.tsv`, compiled.
#[derive(Debug)]
pub struct DocumentNaming {
    rules: Vec<NamingRule>,
    /// The words of `data/document_words.tsv`, as one whole-word pattern.
    pub untyped: Regex,
    /// Per row of `data/document_types.tsv`: whether it names the document
    /// only when the page names itself with it (`counts` = `self`).
    pub self_only: Vec<bool>,
    /// Document type → the type of the document it reports on (`reports_on`).
    reports_on: Vec<(String, String)>,
}

impl DocumentNaming {
    /// What the text `before` a document name (within its sentence) and
    /// `after` it say: the first row that matches both, if any.
    pub fn naming(&self, before: &str, after: &str) -> Option<Naming> {
        let fits = |pattern: &Option<LazyRegex>, text: &str| pattern.as_ref().is_none_or(|p| p.is_match(text));
        self.rules.iter().find(|r| fits(&r.before, before) && fits(&r.after, after)).map(|r| r.naming)
    }

    /// Compile every row's patterns now (they are compiled on first use).
    #[cfg(test)]
    pub(super) fn compile_all(&self) {
        for rule in &self.rules {
            rule.before.iter().chain(&rule.after).for_each(|p| _ = p.get());
        }
    }

    /// The type of the document a document of type `t` reports on
    /// (jaarstukken → begroting), if any.
    pub fn reports_on(&self, t: &str) -> Option<&str> {
        self.reports_on.iter().find(|(of, _)| of == t).map(|(_, on)| on.as_str())
    }
}

/// Load `data/document_references.tsv`.
pub(super) fn load_document_naming() -> DocumentNaming {
    // Compiled on first use: rows are asked in order until one fits, most pages reach few of them.
    let pattern = |p: Option<&&str>| p.filter(|p| !p.is_empty()).map(|p| LazyRegex::new(format!("(?i){p}")));
    let rules = rows(DOCUMENT_REFERENCES)
        .map(|r| NamingRule {
            naming: match r[0] {
                "self" => Naming::SelfReference,
                "reference" => Naming::Reference,
                "figure" => Naming::Figure,
                other => panic!("data/document_references.tsv: unknown naming {other}"),
            },
            before: pattern(r.get(1)),
            after: pattern(r.get(2)),
        })
        .collect();
    let words: Vec<&str> = rows(DOCUMENT_WORDS).map(|r| r[0]).collect();
    let untyped = compile(&format!(r"(?i)(?-u:\b)(?:{})(?-u:\b)", words.join("|")));
    let self_only = rows(DOCUMENT_TYPES).map(|r| r.get(2) == Some(&"self")).collect();
    let mut reports_on: Vec<(String, String)> = Vec::new();
    for r in rows(DOCUMENT_TYPES) {
        let Some(on) = r.get(3).filter(|on| !on.is_empty()) else { continue };
        if !reports_on.iter().any(|(of, _)| of == r[0]) {
            reports_on.push((r[0].to_string(), on.to_string()));
        }
    }
    DocumentNaming { rules, untyped, self_only, reports_on }
}

/// `data/organisation_context.tsv`: the words, lower case, per context.
#[derive(Debug, Default)]
pub struct OrganisationContext {
    author_before: Vec<String>,
    author_after: Vec<String>,
    plain_before: Vec<String>,
    other_body: Vec<String>,
    third_party: Vec<String>,
}

impl OrganisationContext {
    /// `gemeente` in `de gemeente Leiden`: the name is the author's.
    pub fn is_author_before(&self, word: &str) -> bool {
        has_word(&self.author_before, word)
    }

    /// `werkt` in `Leiden werkt samen`: the name is the subject.
    pub fn is_author_after(&self, word: &str) -> bool {
        has_word(&self.author_after, word)
    }

    /// `In` in `In Breda`: a capitalised word that is not part of a name.
    pub fn is_plain_before(&self, word: &str) -> bool {
        has_word(&self.plain_before, word)
    }

    /// `Metropoolregio` in `Metropoolregio Eindhoven`: the name is another body's.
    pub fn is_other_body(&self, word: &str) -> bool {
        has_word(&self.other_body, word)
    }

    /// `toezichthouder` near `provincie Fryslân`: the body named is a third party.
    pub fn is_third_party(&self, word: &str) -> bool {
        has_word(&self.third_party, word)
    }
}

fn has_word(words: &[String], word: &str) -> bool {
    words.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Load `data/organisation_context.tsv`.
pub(super) fn load_organisation_context() -> OrganisationContext {
    let mut context = OrganisationContext::default();
    for r in rows(ORGANISATION_CONTEXT) {
        let list = match r[0] {
            "author_before" => &mut context.author_before,
            "author_after" => &mut context.author_after,
            "plain_before" => &mut context.plain_before,
            "other_body" => &mut context.other_body,
            "third_party" => &mut context.third_party,
            other => panic!("data/organisation_context.tsv: unknown context {other}"),
        };
        list.push(r[1].to_lowercase());
    }
    context
}

#[cfg(test)]
mod tests {
    use crate::rules::rules;

    use super::*;

    #[test]
    fn the_words_around_a_document_name_say_whether_it_is_the_page() {
        let n = &rules().document_naming;
        assert_eq!(n.naming("Dit staat in deze ", " staat"), Some(Naming::SelfReference));
        assert_eq!(n.naming("Voor u ligt de ", " van"), Some(Naming::SelfReference));
        assert_eq!(n.naming("Hierbij bieden wij u de ", " aan"), Some(Naming::SelfReference));
        assert_eq!(n.naming("De ", " bestaan uit"), Some(Naming::SelfReference));
        assert_eq!(n.naming("zoals opgenomen in de ", ""), Some(Naming::Reference));
        assert_eq!(n.naming("Zie de ", "."), Some(Naming::Reference));
        assert_eq!(n.naming("De raad stelt de ", " vast"), None);
        assert_eq!(n.naming("sluit de ", " met"), None);
        assert_eq!(n.naming("Het saldo van de rekening en de ", " na wijziging"), Some(Naming::Figure));
        assert_eq!(n.naming("ten opzichte van de primitieve ", ""), Some(Naming::Figure));
    }

    #[test]
    fn organisation_context_words_are_compared_without_case() {
        let c = &rules().organisation_context;
        assert!(c.is_author_before("Gemeente") && c.is_author_before("provincie"));
        assert!(c.is_author_after("werkt") && !c.is_author_after("Leiden"));
        assert!(c.is_plain_before("In") && !c.is_plain_before("Sv"));
        assert!(c.is_other_body("Metropoolregio") && !c.is_other_body("Sv"));
        assert!(c.is_third_party("Toezichthouder") && !c.is_third_party("toezicht"));
    }
}
