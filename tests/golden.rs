//! Golden files: for every fixture input, the JSON and both CSV tables are
//! compared in full with the expected files under `fixtures/`.
//! `UPDATE_EXPECT=1 cargo test` rewrites the expected files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (input relative to the project root, directory of its expected files)
fn cases() -> Vec<(String, PathBuf)> {
    let mut cases = Vec::new();
    let dirs = [("seeds", "fixtures/seeds"), ("fixtures/pages", "fixtures/pages"), ("fixtures/html", "fixtures/html")];
    for (dir, expected_root) in dirs {
        let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
            .expect("fixture directory")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| [".txt", ".html", ".mhtml"].iter().any(|ext| n.ends_with(ext)))
            .collect();
        names.sort();
        for name in names {
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem).to_string();
            cases.push((format!("{dir}/{name}"), root().join(expected_root).join(stem)));
        }
    }
    cases
}

fn run(input: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_begrip"))
        .current_dir(root())
        .arg("parse")
        .arg(input)
        .args(args)
        .output()
        .expect("run begrip");
    assert!(out.status.success(), "begrip parse {input} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Compare `actual` with the golden file in full (the first differing line
/// in the message); `UPDATE_EXPECT=1` writes it instead.
pub fn compare(actual: &str, expected_path: &Path) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(expected_path.parent().expect("parent")).expect("create fixture dir");
        std::fs::write(expected_path, actual).expect("write expected");
        return;
    }
    let expected = std::fs::read_to_string(expected_path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_EXPECT=1 to create)", expected_path.display()));
    if actual != expected {
        let line = actual.lines().zip(expected.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{} differs at line {}:\n  actual:   {:?}\n  expected: {:?}",
            expected_path.display(),
            line + 1,
            actual.lines().nth(line),
            expected.lines().nth(line)
        );
    }
}

#[test]
fn every_fixture_matches_its_expected_json_and_csv() {
    let cases = cases();
    assert!(cases.len() >= 11, "fixtures missing: found {}", cases.len());
    for (input, dir) in cases {
        compare(&run(&input, &[]), &dir.join("expected.json"));
        compare(&run(&input, &["--format", "csv", "--table", "records"]), &dir.join("records.csv"));
        compare(&run(&input, &["--format", "csv", "--table", "indicators"]), &dir.join("indicators.csv"));
    }
}

#[test]
fn every_fixture_assigns_all_content_lines() {
    for (input, _) in cases() {
        let report = run(&input, &["--report"]);
        assert!(report.contains("(100.0%)"), "{report}");
    }
}
