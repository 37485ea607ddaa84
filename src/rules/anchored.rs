//! Sets of whole-line patterns with a cheap first test.
//!
//! Every rule set in `data/` is matched against one line at a time, and
//! almost every line matches none of its patterns. A `RegexSet` costs a few
//! hundred instructions per line even then (search set-up, overlapping
//! search), so each set also keeps a lazy DFA of all its patterns that is
//! walked from the start of the line only until it dies, which for most
//! lines is after one to four bytes. The set itself is asked only about
//! lines the walk could not rule out.

use regex::RegexSet;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::util::pool::Pool;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

/// A compiled set of patterns plus the lazy DFA that screens lines.
#[derive(Debug)]
pub struct AnchoredSet {
    set: RegexSet,
    screen: Option<Screen>,
}

impl AnchoredSet {
    /// Compile `patterns` (panics on a bad pattern: they are data shipped with the crate).
    pub fn new<I, S>(patterns: I, what: &str) -> AnchoredSet
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let patterns: Vec<String> = patterns.into_iter().map(|p| p.as_ref().to_string()).collect();
        let set = RegexSet::new(&patterns).unwrap_or_else(|e| panic!("bad pattern in data/ ({what}): {e}"));
        AnchoredSet { set, screen: Screen::new(&patterns) }
    }

    /// Whether any pattern matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        match self.screen.as_ref().and_then(|s| s.matching(text)) {
            Some(found) => !found.is_empty(),
            None => self.set.is_match(text),
        }
    }

    /// The index of the first pattern (in file order) that matches `text`.
    pub fn first(&self, text: &str) -> Option<usize> {
        self.matching(text).into_iter().next()
    }

    /// The indices of every pattern that matches `text`, in file order.
    pub fn matching(&self, text: &str) -> Vec<usize> {
        match self.screen.as_ref().and_then(|s| s.matching(text)) {
            Some(found) => found,
            None => self.set.matches(text).into_iter().collect(),
        }
    }
}

type WalkerMaker = Box<dyn Fn() -> Walker + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// A lazy DFA of every pattern, searched anchored at the start of the line.
struct Screen {
    dfa: DFA,
    walkers: Pool<Walker, WalkerMaker>,
}

/// One thread's state for walking a [`Screen`]'s DFA: its cache, and the
/// start state (valid until the cache is next cleared).
struct Walker {
    cache: Cache,
    start: Option<(LazyStateID, usize)>,
}

impl std::fmt::Debug for Screen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screen").finish_non_exhaustive()
    }
}

impl Screen {
    /// A screen for `patterns`, or `None` when one of them is not anchored
    /// at the start (a walk from the start would then prove nothing).
    fn new(patterns: &[String]) -> Option<Screen> {
        // Unicode word boundaries make the DFA give up on non-ASCII bytes instead of failing to build.
        // All matches, as a `RegexSet` reports them.
        let config = DFA::config().unicode_word_boundary(true).match_kind(MatchKind::All);
        let dfa = DFA::builder().configure(config).build_many(patterns).ok()?;
        if !dfa.get_nfa().is_always_start_anchored() {
            return None;
        }
        let maker = dfa.clone();
        let walkers: Pool<Walker, WalkerMaker> =
            Pool::new(Box::new(move || Walker { cache: maker.create_cache(), start: None }));
        Some(Screen { dfa, walkers })
    }

    /// The patterns that match the whole of `text`, in order, or `None`
    /// when the walk cannot tell (see [`Screen::walk`]).
    fn matching(&self, text: &str) -> Option<Vec<usize>> {
        let mut walker = self.walkers.get();
        let end = self.walk(&mut walker, text)?;
        let cache = &walker.cache;
        let mut found: Vec<usize> = match end {
            Some(state) => (0..self.dfa.match_len(cache, state))
                .map(|i| self.dfa.match_pattern(cache, state, i).as_usize())
                .collect(),
            None => Vec::new(),
        };
        found.sort_unstable();
        Some(found)
    }

    /// Walk the DFA over `text`. `Some(None)`: it died, nothing matches;
    /// `Some(Some(state))`: the state after the end of the text, whose
    /// patterns are the ones that match. `None` when the walk proves nothing:
    /// a pattern matched before the end (the set must say which), or the DFA
    /// gave up (a byte it cannot handle, a full cache).
    fn walk(&self, walker: &mut Walker, text: &str) -> Option<Option<LazyStateID>> {
        let mut state = self.start(walker)?;
        let cache = &mut walker.cache;
        for &byte in text.as_bytes() {
            state = self.dfa.next_state(cache, state, byte).ok()?;
            if state.is_tagged() {
                if state.is_dead() {
                    return Some(None);
                }
                if state.is_match() || state.is_quit() || state.is_unknown() {
                    return None;
                }
            }
        }
        let end = self.dfa.next_eoi_state(cache, state).ok()?;
        Some(end.is_match().then_some(end))
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

    #[test]
    fn screens_lines_by_walking_the_dfa() {
        let set = AnchoredSet::new([r"^Ga naar boven$", r"(?i)^(?:acties?|planning)$", r"^[0-9]{1,2}\. +\S"], "test");
        let screen = set.screen.as_ref().expect("anchored patterns get a screen");
        for (line, pattern) in [("Ga naar boven", 0), ("ACTIES", 1), ("actie", 1), ("Planning", 1)] {
            assert_eq!(screen.matching(line), Some(vec![pattern]), "{line}");
            assert!(set.is_match(line), "{line}");
        }
        for line in ["Ga", "Het college", "", "a", "Ga naar boven!", "1.350"] {
            assert_eq!(screen.matching(line), Some(vec![]), "{line}");
            assert!(!set.is_match(line), "{line}");
        }
        // The last pattern has no `$`: a match before the end leaves the answer to the set.
        assert_eq!(screen.matching("1. Wonen"), None);
        assert_eq!(set.first("Planning"), Some(1));
        assert!(set.matching("1.x").is_empty());
        assert_eq!(set.matching("1. x"), vec![2]);
    }

    #[test]
    fn every_matching_pattern_in_file_order() {
        let set = AnchoredSet::new(["^b$", "^[a-z]$", "^x$", "^(?i)B$"], "test");
        assert_eq!(set.matching("b"), vec![0, 1, 3]);
        assert_eq!(set.screen.as_ref().and_then(|s| s.matching("B")), Some(vec![3]));
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
