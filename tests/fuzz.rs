//! Property tests of the whole parse on arbitrary bytes and on mutated real
//! pages: it never panics, every content line ends up in exactly one element,
//! the tree is at most five levels deep, the JSON is serde_json's, and the
//! output is deterministic.
//!
//! A slow-input property: generated documents of 100–500 KB parse at a rate
//! that no quadratic step keeps up at that size.
//!
//! CI runs a few hundred cases; a long session with debug assertions on:
//! `FUZZ_CASES=300000 cargo test --profile fuzz --test integration fuzz`
//! (see docs/performance.md for the last one).

use std::time::Instant;

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
    include_str!("../fixtures/pages/cells-two-levels.txt"),
    include_str!("../fixtures/pages/pipes-indicators.txt"),
    include_str!("../fixtures/pages/spaces-financial.txt"),
    include_str!("../fixtures/pages/no-blank-cells.txt"),
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
    let source = Source { name: "fuzz".into(), format, text: text.to_string(), bounded: false };
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

/// Pieces of markup that, repeated, make the HTML parser's hard cases: deep
/// nesting, unclosed elements, long lists, many attributes, comments.
const HTML_PIECES: &[&str] = &[
    "<div>",
    "</div>",
    "<b>",
    "<i><b>",
    "<p a=1 b='2' c=\"3\">",
    "<table><tr><td>",
    "<td>1.350",
    "<li>punt",
    "<ul>",
    "<span ",
    "x=1 ",
    "<svg><path d='M0'/></svg>",
    "<!-- c -->",
    "Programma 1 Wonen",
    "2024",
    "\n",
    "<br>",
    "<a href=x>",
];

/// A generated document of `size` bytes or a little more: each chosen piece
/// repeated as often as asked, round after round.
fn generated(pieces: &[(usize, usize)], words: &[&str], size: usize) -> String {
    let mut text = String::with_capacity(size + 4096);
    while text.len() < size {
        for &(piece, times) in pieces {
            for _ in 0..times {
                text.push_str(words[piece]);
            }
        }
    }
    text
}

/// The slowest rate accepted, in MB/s: pages parse at about 100 MB/s (a
/// debug build at about 5); a quadratic step over 100 KB falls far below.
const MIN_MB_PER_S: f64 = 0.5;

fn assert_linear_time(text: &str, format: Format) {
    let started = Instant::now();
    check(&parse(text, format));
    let seconds = started.elapsed().as_secs_f64();
    let mb = text.len() as f64 / 1e6;
    assert!(seconds < mb / MIN_MB_PER_S, "{mb:.2} MB took {seconds:.2} s ({:.2} MB/s)", mb / seconds);
}

fn slow_cases() -> u32 {
    (cases() / 1000).max(8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: slow_cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_html_parses_in_linear_time(
        pieces in proptest::collection::vec((0..HTML_PIECES.len(), 1..3000usize), 1..6),
        size in 100_000..500_000usize,
    ) {
        assert_linear_time(&generated(&pieces, HTML_PIECES, size), Format::Html);
    }

    /// Runs of short value lines (`2024`, `1.350`) without a blank line were
    /// quadratic in the old table reader (see tests/hostile.rs).
    #[test]
    fn generated_text_parses_in_linear_time(
        pieces in proptest::collection::vec((0..TRICKY.len(), 1..500usize), 1..6),
        size in 100_000..500_000usize,
    ) {
        let words: Vec<String> = TRICKY.iter().map(|t| format!("{t}\n")).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        assert_linear_time(&generated(&pieces, &words, size), Format::Text);
    }
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
