//! `begrip view PAGE -o PAGE.html`: the HTML picture of a page, compared in
//! full with a golden file, checked for what it must (and must not) hold,
//! and shown in a real browser (headless Chromium) when one is installed.
//! `UPDATE_EXPECT=1 cargo test` rewrites the golden file.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{arg, begrip, begrip_stdin, read, root, scratch, stderr, stdout, within};

/// The seed whose view is kept as a golden file.
const GOLDEN_SEED: &str = "seeds/001_7b8f60ec7fd95da6.txt";

#[test]
fn the_view_of_a_seed_matches_its_golden_file() {
    let out = begrip(&["view", GOLDEN_SEED]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    crate::golden::compare(&stdout(&out), &root().join("tests/golden/001_7b8f60ec7fd95da6.view.html"));
}

/// Every source line has its numbered anchor, every element and table of
/// the JSON its place, and nothing refers to a file or site outside.
#[test]
fn a_view_is_self_contained_and_holds_every_line_element_and_table() {
    let dir = scratch("view-files");
    for seed in seeds() {
        let html_path = dir.join(seed.file_name().expect("name")).with_extension("html");
        let out = begrip(&["view", arg(&seed), "-o", arg(&html_path)]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!((stdout(&out).as_str(), stderr(&out).as_str()), ("", ""));
        let html = read(&html_path);
        assert!(html.starts_with("<!DOCTYPE html>\n") && html.ends_with("</html>\n"));
        for outside in ["<script", "<link", "<img", "src=", "url(", "@import", "http://", "https://"] {
            assert!(!html.contains(outside), "{}: {outside}", seed.display());
        }
        let lines = read(&seed).lines().count();
        assert!(html.contains(&format!("<tr id=\"L{lines}\"")) && !html.contains(&format!("id=\"L{}\"", lines + 1)));
        let records = stdout(&begrip(&["parse", arg(&seed), "-f", "jsonl", "-t", "records"]));
        let elements = records.lines().count();
        assert!(elements > 0);
        assert!(html.contains(&format!("id=\"e{elements}\"")) && !html.contains(&format!("id=\"e{}\"", elements + 1)));
        let doc: serde_json::Value = serde_json::from_str(&stdout(&begrip(&["parse", arg(&seed)]))).expect("JSON");
        let tables = count_tables(&doc["elements"]);
        assert_eq!(html.matches("<table class=\"data\">").count(), tables, "{}", seed.display());
    }
}

fn count_tables(elements: &serde_json::Value) -> usize {
    let elements = elements.as_array().map(Vec::as_slice).unwrap_or_default();
    elements.iter().map(|e| e["tables"].as_array().map_or(0, Vec::len) + count_tables(&e["children"])).sum()
}

/// Text that looks like markup stays text; a given value is marked; the
/// lines with numbers in no table are highlighted and listed (ambiguous rows
/// and lines in no element: the unit tests of `src/emit/view.rs`).
#[test]
fn markup_is_escaped_and_number_lines_outside_tables_are_marked() {
    let page = "Programma 1 <b>Wonen</b> & \"meer\"\n\nStand van zaken:\n\nWe <i>bouwen</i>.\n";
    let out = begrip_stdin(&["view", "-", "--meta", "gemeente=Leiden"], page.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = stdout(&out);
    assert!(html.contains("<title>begrip view: -</title>"), "{html}");
    assert!(html.contains("Programma 1 &lt;b&gt;Wonen&lt;/b&gt; &amp; &quot;meer&quot;"), "{html}");
    assert!(html.contains("We &lt;i&gt;bouwen&lt;/i&gt;."), "{html}");
    assert!(!html.contains("<b>Wonen") && !html.contains("<i>bouwen"));
    assert!(html.contains("organisation: <b>Leiden</b> (meta)"), "a given value is marked");
    assert!(!html.contains("officially"), "the official name only when it differs: {html}");
    let out = begrip_stdin(&["view", "-"], "Wonen\n\nWe bouwen in Den Haag.\n".as_bytes());
    let html = stdout(&out);
    assert!(html.contains("organisation: <b>Den Haag</b>"), "{html}");
    assert!(html.contains("officially: <b>&#39;s-Gravenhage</b>"), "{html}");
    let page = "fixtures/html/own-site-wonen.html";
    let html = stdout(&begrip(&["view", page]));
    let parsed: serde_json::Value = serde_json::from_str(&stdout(&begrip(&["parse", page]))).expect("JSON");
    let numbers = parsed["coverage"]["numbers_outside_tables"].as_array().expect("array");
    assert!(!numbers.is_empty());
    for line in numbers {
        assert!(html.contains(&format!("<tr id=\"L{line}\" class=\"numbers\">")), "line {line}");
        assert!(html.contains(&format!("<li class=\"numbers\"><a href=\"#L{line}\">")), "line {line}");
    }
    assert!(html.contains(&format!("<h2>Lines with numbers in no table: {}</h2>", numbers.len())));
}

#[test]
fn view_errors_and_exit_codes() {
    let missing = begrip(&["view", "no/such/page.txt"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).starts_with("begrip: no/such/page.txt: "), "{}", stderr(&missing));
    assert_eq!(stdout(&missing), "");
    let dir = scratch("view-errors");
    let page = dir.join("page.txt");
    std::fs::write(&page, "Programma 1 Wonen\n").expect("write");
    let same = begrip(&["view", arg(&page), "-o", arg(&page)]);
    assert_eq!(same.status.code(), Some(2), "{}", stderr(&same));
    assert!(stderr(&same).contains("it would be overwritten"), "{}", stderr(&same));
    assert_eq!(read(&page), "Programma 1 Wonen\n");
    let unwritable = begrip(&["view", arg(&page), "-o", arg(&dir.join("no-dir/x.html"))]);
    assert_eq!(unwritable.status.code(), Some(2), "{}", stderr(&unwritable));
    let to_stdout = begrip(&["view", arg(&page), "-o", "-"]);
    assert_eq!(to_stdout.status.code(), Some(0));
    assert!(stdout(&to_stdout).starts_with("<!DOCTYPE html>"));
    assert!(!Path::new(&root().join("-")).exists(), "-o - is standard output, not a file named -");
}

fn seeds() -> Vec<PathBuf> {
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(root().join("seeds"))
        .expect("seeds")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    seeds
}

const CHROMIUM: &str = "/usr/bin/chromium";

/// Each seed's view in headless Chromium: the screenshot is a PNG of the
/// window's size with enough in it to be a page (a blank page compresses to
/// a few kilobytes). Skipped, saying so, when Chromium is not installed
/// (`.ci/run` installs it).
#[test]
fn every_seed_view_renders_in_a_browser() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("skipped: {CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)");
        return;
    }
    let dir = scratch("view-browser");
    let mut pages: Vec<PathBuf> = seeds();
    pages.push(root().join("fixtures/html/own-site-wonen.html"));
    let shots: Vec<(PathBuf, std::thread::JoinHandle<std::process::Output>)> = pages
        .iter()
        .map(|page| {
            let stem = page.file_stem().expect("stem").to_string_lossy().into_owned();
            let html = dir.join(format!("{stem}.view.html"));
            let out = begrip(&["view", arg(page), "-o", arg(&html)]);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let png = dir.join(format!("{stem}.png"));
            let profile = dir.join(format!("{stem}.profile"));
            let mut command = Command::new(CHROMIUM);
            command
                .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
                .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg(format!("--screenshot={}", png.display()))
                .arg("--window-size=1400,900")
                .arg(format!("file://{}", html.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            (png, std::thread::spawn(move || within(Duration::from_secs(120), command)))
        })
        .collect();
    for (png, shot) in shots {
        let out = shot.join().expect("chromium ran");
        let bytes = std::fs::read(&png).unwrap_or_else(|e| {
            panic!("{}: no screenshot ({e}): {}", png.display(), String::from_utf8_lossy(&out.stderr))
        });
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{}: not a PNG", png.display());
        let (width, height) = (
            u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
            u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
        );
        assert_eq!((width, height), (1400, 900), "{}", png.display());
        assert!(bytes.len() > 60_000, "{}: {} bytes, too little for a rendered page", png.display(), bytes.len());
    }
}
