//! Spec examples: `tests/spec/*.txt` hold many small cases, each an input
//! and the outline (see `outline.rs`) begrip must produce from it:
//!
//! ```text
//! ### what the case shows
//! input line
//! input line
//! .
//! expected outline line
//! ```
//!
//! `\n` is not special; an input keeps its blank lines. Every case is run and
//! all failures are reported together.

use crate::outline::outline;

struct Case {
    name: String,
    line: usize,
    input: String,
    expected: String,
}

fn cases(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut current: Option<(Case, bool)> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(name) = line.strip_prefix("### ") {
            cases.extend(current.take().map(|(c, _)| c));
            let case = Case { name: name.to_string(), line: i + 1, input: String::new(), expected: String::new() };
            current = Some((case, false));
            continue;
        }
        let Some((case, in_expected)) = current.as_mut() else { continue };
        if line == "." && !*in_expected {
            *in_expected = true;
        } else if *in_expected {
            case.expected.push_str(line);
            case.expected.push('\n');
        } else {
            case.input.push_str(line);
            case.input.push('\n');
        }
    }
    cases.extend(current.map(|(c, _)| c));
    cases
}

fn check_file(name: &str, text: &str) {
    let cases = cases(text);
    assert!(!cases.is_empty(), "{name}: no cases");
    let mut failures = Vec::new();
    for case in &cases {
        let doc = begrip::parse_text("spec.txt", &case.input);
        let actual = outline(&doc);
        let expected = case.expected.trim_end().to_string() + "\n";
        if actual.trim_end() != expected.trim_end() {
            failures
                .push(format!("{name}:{} {}\n--- expected\n{}--- actual\n{}", case.line, case.name, expected, actual));
        }
        assert_eq!(doc.coverage.unassigned, Vec::<usize>::new(), "{name}:{} lines lost", case.line);
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn structure_spec() {
    check_file("structure.txt", include_str!("spec/structure.txt"));
}

#[test]
fn tables_spec() {
    check_file("tables.txt", include_str!("spec/tables.txt"));
}

#[test]
fn meta_spec() {
    check_file("meta.txt", include_str!("spec/meta.txt"));
}

#[test]
fn regressions() {
    check_file("regression.txt", include_str!("spec/regression.txt"));
}
