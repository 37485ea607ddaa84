//! Property tests of the whole parse on arbitrary bytes and on mutated real
//! pages: it never panics, every content line ends up in exactly one element,
//! the tree is at most five levels deep, the JSON is serde_json's, and the
//! output is deterministic.
//!
//! CI runs a few hundred cases; a long session with debug assertions on:
//! `FUZZ_CASES=300000 cargo test --profile fuzz --test integration fuzz`
//! (see docs/performance.md for the last one).

use begrip::input::{decode, Format, Source};
use begrip::model::{Document, Element};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200)
}

/// Lines that steer the parser into its special cases.
const TRICKY: &[&str] = &[
    "Speerpunt",
    "Status",
    "Toelichting",
    "6.1",
    "6.72",
    "Programma 1: Wonen",
    "Programma's A, B en C",
    "1C: Zorg",
    "Doel 1: Meer banen.",
    "Doel: x",
    "Opgave Wonen",
    "Omschrijving",
    "2018 (w)",
    "2025 (b)",
    "Rekening",
    "2020",
    "Meerjarenraming",
    "nnb",
    "-",
    "1.350",
    "11,6%",
    "€ -9.113",
    "177.498-",
    "bedragen x € 1.000",
    "Lasten",
    "Baten",
    "Indicator 1: aantal.",
    "Streefwaarde: meer.",
    "Terug naar navigatie - Ambitie",
    "Ambitie",
    "Wat willen we bereiken?",
    "U bent hier: HomeBegrotingProgramma 2: Zorg...",
    "tabele11",
    "tableCell11",
    "  • punt",
    "ActiviteitPlanning",
    "Bouw starten2017 Q3",
    "Exploitatie Begroting 2020 Realisatie 2020",
    "Lasten 1 2",
    "A | B | C",
    "1. 1Voetnoot",
    "Begroting 2020",
    "Paragrafen",
    "",
    "",
    "",
];

const SEEDS: &[&str] = &[
    include_str!("../seeds/000_4f404d2b0c914b54.txt"),
    include_str!("../seeds/001_7b8f60ec7fd95da6.txt"),
    include_str!("../seeds/002_e205ac5bb79d0c83.txt"),
    include_str!("../seeds/003_36ae454448b732a6.txt"),
    include_str!("../fixtures/corpus/020.txt"),
    include_str!("../fixtures/corpus/040.txt"),
    include_str!("../fixtures/corpus/064.txt"),
];

fn depth(elements: &[Element]) -> usize {
    elements.iter().map(|e| 1 + depth(&e.children)).max().unwrap_or(0)
}

/// The invariants: every content line assigned, depth at most five, and the
/// JSON writer makes the bytes serde_json makes of the same document.
fn check(doc: &Document) {
    assert!(doc.coverage.unassigned.is_empty(), "unassigned lines: {:?}", doc.coverage.unassigned);
    assert_eq!(doc.coverage.assigned_lines, doc.coverage.content_lines);
    assert!(depth(&doc.elements) <= 5, "tree deeper than five levels");
    let mut json = Vec::new();
    begrip::emit::write_document(&mut json, doc);
    assert_eq!(String::from_utf8(json).unwrap(), serde_json::to_string_pretty(doc).unwrap());
}

fn parse(text: &str, format: Format) -> Document {
    let source = Source { name: "fuzz".into(), format, text: text.to_string() };
    begrip::parse_source(&source)
}

/// A mutation of a page: lines removed, repeated, swapped or replaced.
#[derive(Debug, Clone)]
enum Mutation {
    Remove(usize),
    Repeat(usize),
    Insert(usize, usize),
    Swap(usize, usize),
    Cut(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Remove),
        any::<usize>().prop_map(Mutation::Repeat),
        (any::<usize>(), 0..TRICKY.len()).prop_map(|(at, t)| Mutation::Insert(at, t)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        any::<usize>().prop_map(Mutation::Cut),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for m in mutations {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match *m {
            Mutation::Remove(i) => {
                lines.remove(i % n);
            }
            Mutation::Repeat(i) => lines.insert(i % n, lines[i % n].clone()),
            Mutation::Insert(i, t) => lines.insert(i % n, TRICKY[t].to_string()),
            Mutation::Swap(a, b) => lines.swap(a % n, b % n),
            Mutation::Cut(i) => {
                let line = &mut lines[i % n];
                let cut = line.char_indices().nth(line.chars().count() / 2).map_or(0, |(b, _)| b);
                line.truncate(cut);
            }
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(decoded) = decode(bytes) {
            let text = decoded.text;
            check(&parse(&text, Format::Text));
            check(&parse(&text, Format::Html));
        }
    }

    #[test]
    fn lines_of_tricky_tokens(picks in proptest::collection::vec(0..TRICKY.len(), 0..80)) {
        let text: Vec<&str> = picks.iter().map(|&i| TRICKY[i]).collect();
        let doc = parse(&text.join("\n"), Format::Text);
        check(&doc);
    }

    #[test]
    fn mutated_pages_keep_every_line_and_parse_deterministically(
        seed in 0..SEEDS.len(),
        mutations in proptest::collection::vec(mutation(), 1..12),
    ) {
        let text = mutate(SEEDS[seed], &mutations);
        let first = parse(&text, Format::Text);
        check(&first);
        prop_assert_eq!(first, parse(&text, Format::Text));
    }
}
