//! Unit tests of the segmenter's own decisions; the spec files in
//! `tests/spec/` cover whole pages.

use super::*;
use crate::normalize::normalize_text;

fn tree(text: &str) -> Segmented {
    let normalized = normalize_text(text);
    let items = crate::normalize::items_of(&normalized.lines);
    let tables = crate::tables::find(&items, None);
    segment(&normalized, &items, tables)
}

/// `kind:name` of every element, depth-first, indented by depth.
fn outline(elements: &[Element], depth: usize, out: &mut Vec<String>) {
    for e in elements {
        let name = e.label.clone().unwrap_or_else(|| e.display_name().into_owned());
        out.push(format!("{}{}:{}", "  ".repeat(depth), e.kind.as_str(), name));
        outline(&e.children, depth + 1, out);
    }
}

fn shape_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    outline(&tree(text).elements, 0, &mut out);
    out
}

#[test]
fn first_sentence_is_the_title() {
    assert_eq!(
        split_title("Vroegsignalering. Inwoners in beeld."),
        ("Vroegsignalering".into(), Some("Inwoners in beeld.".into()))
    );
    assert_eq!(split_title("Zorg o.b.v. Wmo. Meer tekst."), ("Zorg o.b.v. Wmo".into(), Some("Meer tekst.".into())));
    assert_eq!(split_title("Eén zin zonder punt"), ("Eén zin zonder punt".into(), None));
}

#[test]
fn numbered_lines() {
    assert!(is_numbered("1. Meer inwoners"));
    assert!(is_numbered("2.1 We organiseren"));
    assert!(is_numbered("1a netto schuldquote"));
    assert!(!is_numbered("Programma 1"));
}

#[test]
fn unknown_labels_keep_their_words_as_kind() {
    assert_eq!(label_kind_of("Relevante documenten"), "relevante_documenten");
    assert_eq!(label_kind_of("Risico's & kansen"), "risico_s_kansen");
}

#[test]
fn a_heading_without_text_opens_nothing() {
    assert_eq!(
        shape_of("Programma 1 Wonen\n\nOverzicht\n\nStand van zaken:\n\nGoed."),
        vec!["programme:1 Wonen", "  block:Stand van zaken",]
    );
}

#[test]
fn status_headers_make_speerpunten() {
    let text = "Speerpunt\n\nStatus\n\nSociaal Kompas\n\nBeschrijving.\n\nPlan Alpha. Met uitleg.\n\nStatus\n\nToelichting\n\nGoed.";
    assert_eq!(shape_of(text), vec!["speerpunt:Sociaal Kompas", "speerpunt:Plan Alpha"]);
}

#[test]
fn every_content_line_is_assigned() {
    let s = tree("Kop\n\nTekst.\n\nOmschrijving\n\n2021\n\n2022\n\nA\n\n1\n\n2\n\nStatus\n\n- los");
    assert_eq!(s.coverage.unassigned, Vec::<usize>::new());
    assert_eq!(s.coverage.content_lines, s.coverage.assigned_lines);
}

#[test]
fn a_repeated_programme_heading_is_one_programme() {
    let s = shape_of("Programma 2 Zorg\n\nInleiding\n\nTekst.\n\nProgramma 2 Zorg\n\nAmbitie\n\nMeer.");
    assert_eq!(s, vec!["programme:2 Zorg", "  block:Inleiding", "  block:Ambitie"]);
}
