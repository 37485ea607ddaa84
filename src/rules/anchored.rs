//! Sets of whole-line patterns with a cheap first test.
//!
//! Every rule set in `data/` is matched against one line at a time, and
//! almost every line matches none of its patterns. A `RegexSet` costs a few
//! hundred instructions per line even then (search set-up, overlapping
//! search), so a set is first screened by length (the shortest and longest
//! match its patterns allow) and by the line's first byte (the bytes a match
//! can start with), then by a lazy DFA of all its patterns that is walked from
//! the start of the line until it dies — for most lines after one to four
//! bytes — or reaches the end; the match states it passes name the patterns
//! that match. A `RegexSet` is only built (once) if a walk ever cannot tell.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use regex::RegexSet;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use regex_syntax::hir::Hir;

/// A set of patterns: the length bounds and lazy DFA that screen lines, and
/// the `RegexSet` for what the DFA cannot tell.
#[derive(Debug)]
pub struct AnchoredSet {
    patterns: Vec<String>,
    set: OnceLock<RegexSet>,
    screen: Option<Screen>,
    /// Shortest and longest text (in bytes) any pattern can match.
    lengths: (usize, Option<usize>),
}

impl AnchoredSet {
    /// Compile `patterns` (panics on a bad pattern: they are data shipped with the crate).
    pub fn new<I, S>(patterns: I, what: &str) -> AnchoredSet
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let patterns: Vec<String> = patterns.into_iter().map(|p| p.as_ref().to_string()).collect();
        let parse =
            |p: &String| regex_syntax::parse(p).unwrap_or_else(|e| panic!("bad pattern in data/{what}: {p}: {e}"));
        let hirs: Vec<Hir> = patterns.iter().map(parse).collect();
        AnchoredSet { screen: Screen::new(&hirs), lengths: match_lengths(&hirs), patterns, set: OnceLock::new() }
    }

    /// The patterns as a `RegexSet`, built on first use.
    fn set(&self) -> &RegexSet {
        self.set.get_or_init(|| RegexSet::new(&self.patterns).expect("patterns parsed when the set was made"))
    }

    /// Whether `text` is too short or too long for any pattern.
    fn out_of_reach(&self, text: &str) -> bool {
        let (shortest, longest) = self.lengths;
        text.len() < shortest || longest.is_some_and(|longest| text.len() > longest)
    }

    /// Whether any pattern matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.ask(text, |found| found.next().is_some())
    }

    /// The index of the first pattern (in file order) that matches `text`.
    pub fn first(&self, text: &str) -> Option<usize> {
        self.ask(text, |found| found.min())
    }

    /// The indices of every pattern that matches `text`, in file order.
    pub fn matching(&self, text: &str) -> Vec<usize> {
        let mut found = self.ask(text, |found| found.collect::<Vec<usize>>());
        found.sort_unstable();
        found
    }

    /// `answer` about the indices of the patterns matching `text` (in no
    /// particular order): from the length bounds, the screen, or the set.
    fn ask<T>(&self, text: &str, answer: impl Fn(&mut dyn Iterator<Item = usize>) -> T) -> T {
        if self.out_of_reach(text) {
            return answer(&mut std::iter::empty());
        }
        match self.screen.as_ref().and_then(|s| s.with_matches(text, &answer)) {
            Some(answered) => answered,
            None => answer(&mut self.set().matches(text).into_iter()),
        }
    }
}

/// The shortest text (in bytes) any pattern can match, and the longest when
/// every pattern is anchored at both ends (a match is then the whole text)
/// and bounded.
fn match_lengths(hirs: &[Hir]) -> (usize, Option<usize>) {
    let shortest = hirs.iter().map(|h| h.properties().minimum_len().unwrap_or(0)).min().unwrap_or(0);
    let longest = hirs.iter().map(|h| {
        let p = h.properties();
        let whole_line =
            p.look_set_prefix().contains_anchor_haystack() && p.look_set_suffix().contains_anchor_haystack();
        p.maximum_len().filter(|_| whole_line)
    });
    (shortest, longest.collect::<Option<Vec<usize>>>().and_then(|l| l.into_iter().max()))
}

/// A lazy DFA of every pattern, searched anchored at the start of the line.
struct Screen {
    dfa: DFA,
    /// Which of each thread's walkers is this screen's (see [`WALKERS`]).
    id: usize,
    /// Whether a text starting with this byte can match at all: most
    /// lines are ruled out by this lookup alone.
    first_bytes: [bool; 256],
}

/// One thread's state for walking a [`Screen`]'s DFA: its cache, the
/// start state (valid until the cache is next cleared), and the patterns
/// the last walk found.
struct Walker {
    cache: Cache,
    start: Option<(LazyStateID, usize)>,
    found: Vec<usize>,
}

/// Screens made so far: the next screen's id.
static SCREENS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// This thread's walkers, by screen id. (A `regex_automata` pool hands
    /// out caches to the thread that first asked without locking, but to
    /// every other thread under a mutex: in `batch` that is every worker, a
    /// few hundred times per page.)
    static WALKERS: RefCell<Vec<Option<Box<Walker>>>> = const { RefCell::new(Vec::new()) };
}

impl std::fmt::Debug for Screen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screen").finish_non_exhaustive()
    }
}

impl Screen {
    /// A screen for the patterns, or `None` when one of them is not anchored
    /// at the start (a walk from the start would then prove nothing).
    fn new(hirs: &[Hir]) -> Option<Screen> {
        // Unicode word boundaries make the DFA give up on non-ASCII bytes instead of failing to build.
        // All matches, as a `RegexSet` reports them.
        let config = DFA::config().unicode_word_boundary(true).match_kind(MatchKind::All);
        let nfa = thompson::Compiler::new().build_many_from_hir(hirs).ok()?;
        let dfa = DFA::builder().configure(config).build_from_nfa(nfa).ok()?;
        if !dfa.get_nfa().is_always_start_anchored() {
            return None;
        }
        let id = SCREENS.fetch_add(1, Ordering::Relaxed);
        let mut screen = Screen { dfa, id, first_bytes: [true; 256] };
        screen.first_bytes = screen.with_walker(|walker| screen.live_first_bytes(walker));
        Some(screen)
    }

    /// `work` with this thread's walker for this screen (made on first use).
    /// The walker is taken out of its slot meanwhile, so `work` may use
    /// other screens.
    fn with_walker<T>(&self, work: impl FnOnce(&mut Walker) -> T) -> T {
        let taken = WALKERS.with(|walkers| walkers.borrow_mut().get_mut(self.id).and_then(Option::take));
        let mut walker = taken
            .unwrap_or_else(|| Box::new(Walker { cache: self.dfa.create_cache(), start: None, found: Vec::new() }));
        let result = work(&mut walker);
        WALKERS.with(|walkers| {
            let mut walkers = walkers.borrow_mut();
            if walkers.len() <= self.id {
                walkers.resize_with(self.id + 1, || None);
            }
            walkers[self.id] = Some(walker);
        });
        result
    }

    /// Which first bytes leave the DFA alive (one step per byte class).
    fn live_first_bytes(&self, walker: &mut Walker) -> [bool; 256] {
        let Some(start) = self.start(walker) else { return [true; 256] };
        let classes = self.dfa.byte_classes();
        let mut by_class: [Option<bool>; 256] = [None; 256];
        let mut live = [true; 256];
        for byte in 0..=255u8 {
            let class = usize::from(classes.get(byte));
            live[usize::from(byte)] = *by_class[class].get_or_insert_with(|| {
                self.dfa.next_state(&mut walker.cache, start, byte).map_or(true, |state| !state.is_dead())
            });
        }
        live
    }

    /// `answer` about the patterns that match `text` (in no particular
    /// order; nothing is allocated once the walker has found a few), or `None` when the walk cannot tell (see
    /// [`Screen::walk`]).
    fn with_matches<T>(&self, text: &str, answer: impl FnOnce(&mut dyn Iterator<Item = usize>) -> T) -> Option<T> {
        if text.as_bytes().first().is_some_and(|&b| !self.first_bytes[usize::from(b)]) {
            return Some(answer(&mut std::iter::empty()));
        }
        self.with_walker(|walker| {
            self.walk(walker, text)?;
            Some(answer(&mut walker.found.iter().copied()))
        })
    }

    /// Walk the DFA over `text` (all matches, anchored at the start), into
    /// `walker.found` the patterns of every match state it passes (each
    /// once): those
    /// with a match ending at some byte of `text` or at its end. It stops
    /// when the DFA dies (no match can follow). `None` when the walk proves
    /// nothing: the DFA gave up (a byte it cannot handle, a full cache).
    fn walk(&self, walker: &mut Walker, text: &str) -> Option<()> {
        let mut state = self.start(walker)?;
        walker.found.clear();
        let (cache, found) = (&mut walker.cache, &mut walker.found);
        // A match state's patterns are read before the next step (which may clear the cache).
        let mut keep = |cache: &Cache, state: LazyStateID| {
            for i in 0..self.dfa.match_len(cache, state) {
                let pattern = self.dfa.match_pattern(cache, state, i).as_usize();
                if !found.contains(&pattern) {
                    found.push(pattern);
                }
            }
        };
        for &byte in text.as_bytes() {
            state = self.dfa.next_state(cache, state, byte).ok()?;
            if state.is_tagged() {
                if state.is_dead() {
                    return Some(());
                }
                if state.is_quit() || state.is_unknown() {
                    return None;
                }
                if state.is_match() {
                    keep(cache, state);
                }
            }
        }
        let end = self.dfa.next_eoi_state(cache, state).ok()?;
        if end.is_match() {
            keep(cache, end);
        }
        Some(())
    }

    /// The anchored start state, looked up once per cache clear.
    fn start(&self, walker: &mut Walker) -> Option<LazyStateID> {
        let clears = walker.cache.clear_count();
        match walker.start {
            Some((state, at)) if at == clears => Some(state),
            _ => {
                let config = start::Config::new().anchored(Anchored::Yes);
                let state = self.dfa.start_state(&mut walker.cache, &config).ok()?;
                walker.start = Some((state, walker.cache.clear_count()));
                Some(state)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the screen alone says matches `line`, in order.
    fn screened(screen: &Screen, line: &str) -> Option<Vec<usize>> {
        let mut found = screen.with_matches(line, |found| found.collect::<Vec<usize>>())?;
        found.sort_unstable();
        Some(found)
    }

    #[test]
    fn screens_lines_by_walking_the_dfa() {
        let set = AnchoredSet::new([r"^Ga naar boven$", r"(?i)^(?:acties?|planning)$", r"^[0-9]{1,2}\. +\S"], "test");
        let screen = set.screen.as_ref().expect("anchored patterns get a screen");
        let live: Vec<u8> = (0..=255u8).filter(|&b| screen.first_bytes[usize::from(b)]).collect();
        assert_eq!(live, b"0123456789AGPap".to_vec(), "first bytes of the three patterns");
        for (line, pattern) in [("Ga naar boven", 0), ("ACTIES", 1), ("actie", 1), ("Planning", 1)] {
            assert_eq!(screened(screen, line), Some(vec![pattern]), "{line}");
            assert!(set.is_match(line), "{line}");
        }
        for line in ["Ga", "Het college", "", "a", "Ga naar boven!", "1.350"] {
            assert_eq!(screened(screen, line), Some(vec![]), "{line}");
            assert!(!set.is_match(line), "{line}");
        }
        // The last pattern has no `$`: its match ends before the end of the line.
        assert_eq!(screened(screen, "1. Wonen"), Some(vec![2]));
        assert_eq!(set.first("Planning"), Some(1));
        assert!(set.matching("1.x").is_empty());
        assert_eq!(set.matching("1. x"), vec![2]);
    }

    /// Each screen walks with its own cache, on every thread, also when
    /// one is asked while another's walk is being answered.
    #[test]
    fn each_screen_has_its_own_walker_on_each_thread() {
        let digits = AnchoredSet::new(["^[0-9]+$"], "test");
        let words = AnchoredSet::new(["^[a-z]+$", "^(?i)acties$"], "test");
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    for _ in 0..200 {
                        assert!(digits.is_match("2024") && !digits.is_match("acties"));
                        assert_eq!(words.matching("acties"), vec![0, 1]);
                        let nested = words.screen.as_ref().and_then(|s| s.with_matches("x", |_| digits.is_match("7")));
                        assert_eq!(nested, Some(true));
                    }
                });
            }
        });
    }

    /// The screens of the rule tables answer as their `RegexSet`s do, on
    /// every line of the project's pages and on prefixes of them.
    #[test]
    fn screens_of_the_rule_tables_answer_as_their_sets() {
        let r = crate::rules::rules();
        let sets = [&r.structure_set, &r.labels.set, &r.boilerplate.set, &r.chapters];
        let mut lines: Vec<String> = Vec::new();
        for dir in ["seeds", "fixtures/pages"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(dir).expect("pages").flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    lines.push(line.to_string());
                    lines.extend(line.char_indices().skip(1).step_by(7).take(6).map(|(i, _)| line[..i].to_string()));
                }
            }
        }
        assert!(lines.len() > 3_000, "{} lines", lines.len());
        for set in sets {
            let screen = set.screen.as_ref().expect("a screen");
            for line in &lines {
                let Some(found) = screened(screen, line) else { continue };
                let expected: Vec<usize> = set.set().matches(line).into_iter().collect();
                assert_eq!(found, expected, "{line:?}");
            }
        }
    }

    #[test]
    fn every_matching_pattern_in_file_order() {
        let set = AnchoredSet::new(["^b$", "^[a-z]$", "^x$", "^(?i)B$"], "test");
        assert_eq!(set.matching("b"), vec![0, 1, 3]);
        assert_eq!(set.screen.as_ref().and_then(|s| screened(s, "B")), Some(vec![3]));
    }

    #[test]
    fn texts_too_short_or_too_long_are_out_of_reach() {
        let set = AnchoredSet::new(["(?i)^(?:doel|bron)$", "^[0-9]{2}$"], "test");
        assert_eq!(set.lengths, (2, Some(4)));
        assert!(set.is_match("BRON") && set.is_match("12") && !set.is_match("bronnen"));
        assert_eq!(AnchoredSet::new(["^a+$", "^b$"], "test").lengths, (1, None));
        assert_eq!(AnchoredSet::new(["^ab", "^b$"], "test").lengths, (1, None));
    }

    #[test]
    fn unanchored_patterns_get_no_screen() {
        let set = AnchoredSet::new(["^Programma", "Taakveld"], "test");
        assert!(set.screen.is_none());
        assert!(set.is_match("Het Taakveld") && !set.is_match("Het"));
    }

    #[test]
    fn word_boundaries_and_non_ascii_fall_back_to_the_set() {
        let set = AnchoredSet::new([r"^Programma(?: +(?P<code>[0-9]{1,2}[A-Za-z]?)\b)? *(?P<title>\S.*)$"], "test");
        for line in ["Programma 1 Wonen", "Programma 1é Wonen", "Programma Économie"] {
            assert!(set.is_match(line), "{line}");
        }
        assert!(!set.is_match("Programmé"));
    }
}
