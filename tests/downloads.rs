//! `batch` on a folder of downloads: a `--manifest` that gives each page its
//! URL and what the page does not show, and `--format jsonl` tables.

use std::path::Path;

use crate::common::{arg, assert_no_partials, begrip, files_under, read, scratch, stderr, stdout};

/// The JSON `meta` of one batch output.
fn meta(path: &Path) -> serde_json::Value {
    let doc: serde_json::Value = serde_json::from_str(&read(path)).expect("JSON");
    doc["meta"].clone()
}

/// A folder of downloads (two invented pages, one in a sub-folder) and a
/// manifest next to it; returns (folder, manifest).
fn downloads(name: &str, manifest: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = scratch(name);
    let pages = dir.join("downloads");
    std::fs::create_dir_all(pages.join("sub")).expect("dir");
    // investments-totals shows no organisation, year or type; cells-two-levels shows all three.
    std::fs::copy(crate::common::root().join("fixtures/pages/investments-totals.txt"), pages.join("sub/a.txt"))
        .expect("copy");
    std::fs::copy(crate::common::root().join("fixtures/pages/cells-two-levels.txt"), pages.join("b.txt"))
        .expect("copy");
    let manifest_path = dir.join("manifest.csv");
    std::fs::write(&manifest_path, manifest).expect("write manifest");
    (pages, manifest_path)
}

#[test]
fn a_manifest_fills_in_what_the_page_does_not_show_and_marks_it() {
    let manifest = "file,url,gemeente,year,document_type\n\
                    sub/a.txt,https://example.nl/p1/a,Den Bosch,2024,jaarstukken\n\
                    b.txt,https://example.nl/p2/b,Zwolle,2019,voorjaarsnota\n";
    let (pages, manifest_path) = downloads("manifest-fills", manifest);
    let out_dir = pages.parent().expect("parent").join("out");
    let db = pages.parent().expect("parent").join("m.db");
    let out = begrip(&[
        "batch",
        arg(&pages),
        "--out",
        arg(&out_dir),
        "--manifest",
        arg(&manifest_path),
        "--sqlite",
        arg(&db),
        "--meta",
        "document_type=begroting",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let mirrored = |name: &str| out_dir.join(pages.strip_prefix("/").unwrap_or(&pages)).join(name);
    // The page shows nothing: every value is the manifest's (document_type: --meta's, which overrides).
    let a = meta(&mirrored("sub/a.json"));
    assert_eq!((a["gemeente"].as_str(), a["year"].as_u64()), (Some("Den Bosch"), Some(2024)));
    assert_eq!(a["organisation"], "'s-Hertogenbosch");
    assert_eq!(a["document_type"], "begroting");
    assert_eq!(a["url"], "https://example.nl/p1/a");
    let sources =
        serde_json::json!({"gemeente": "manifest", "document_type": "meta", "year": "manifest", "url": "manifest"});
    assert_eq!(a["sources"], sources);
    // The page shows its own organisation and year: they stay, unmarked; the URL is the manifest's.
    let b = meta(&mirrored("b.json"));
    assert_eq!((b["gemeente"].as_str(), b["year"].as_u64()), (Some("Deventer"), Some(2025)));
    assert_eq!(b["organisation"], "Deventer");
    assert_eq!(b["sources"], serde_json::json!({"document_type": "meta", "url": "manifest"}));
    assert_eq!(b["url"], "https://example.nl/p2/b");
    // The flat tables carry the values.
    let records = read(&out_dir.join("records.csv"));
    let a_rows = records.lines().filter(|l| l.contains("/sub/a.txt,Den Bosch,begroting,2024,"));
    assert!(a_rows.clone().count() > 0 && a_rows.clone().all(|l| l.contains(",'s-Hertogenbosch,")), "{records}");
    // The database keeps the URL and where the values came from.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (url, sources, organisation): (String, String, String) = conn
        .query_row("SELECT url, sources, organisation FROM documents WHERE file LIKE '%/sub/a.txt'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("row");
    assert_eq!(url, "https://example.nl/p1/a");
    assert_eq!(organisation, "'s-Hertogenbosch");
    assert_eq!(sources, "gemeente=manifest, document_type=meta, year=manifest, url=manifest");
    assert_no_partials(&out_dir);
}

/// A row found by the file name alone; a row of no input is a warning; an
/// input without a row has neither `url` nor `sources`.
#[test]
fn rows_are_found_by_file_name_and_unused_rows_are_warnings() {
    // `a.txt` by its name alone; `gone.txt` matches no input; `;` as a Dutch spreadsheet saves it.
    let manifest = "\u{feff}file;url\r\na.txt;https://example.nl/a\r\ngone.txt;https://example.nl/gone\r\n";
    let (pages, manifest_path) = downloads("manifest-by-name", manifest);
    let out_dir = pages.parent().expect("parent").join("out");
    let out = begrip(&["batch", arg(&pages), "--out", arg(&out_dir), "--manifest", arg(&manifest_path)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = format!(
        "begrip: warning: manifest {}: line 3: no input is the file \"gone.txt\"; the row is not used\n",
        manifest_path.display()
    );
    assert!(stderr(&out).starts_with(&expected), "{}", stderr(&out));
    let jsons: Vec<_> =
        files_under(&out_dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    let a = jsons.iter().find(|p| p.ends_with("sub/a.json")).expect("a.json");
    assert_eq!(meta(a)["url"], "https://example.nl/a");
    assert_eq!(meta(a)["sources"], serde_json::json!({"url": "manifest"}));
    let b = jsons.iter().find(|p| p.ends_with("b.json")).expect("b.json");
    assert!(meta(b).get("url").is_none() && meta(b).get("sources").is_none(), "{}", meta(b));
}

#[test]
fn bad_manifests_are_usage_errors_naming_the_file_and_line() {
    let cases = [
        (
            "file,url,land\na.txt,x,NL\n",
            "line 1: unknown column \"land\": the columns are file, url, gemeente, year, document_type",
        ),
        ("url\nx\n", "line 1: no column \"file\" (the columns are file, url, gemeente, year, document_type)"),
        ("file,year\nsub/a.txt,2024\nb.txt,soon\n", "line 3: year must be a year such as 2024, not \"soon\""),
        ("file,url\nsub/a.txt,x\nb.txt,y,z\n", "line 3: 3 fields where the header has 2"),
        ("file,url\nsub/a.txt,x\n./sub/a.txt,y\n", "line 3: the file \"./sub/a.txt\" is on line 2 too"),
    ];
    for (n, (manifest, message)) in cases.iter().enumerate() {
        let (pages, manifest_path) = downloads(&format!("manifest-bad-{n}"), manifest);
        let out_dir = pages.parent().expect("parent").join("out");
        let out = begrip(&["batch", arg(&pages), "--out", arg(&out_dir), "--manifest", arg(&manifest_path)]);
        assert_eq!(out.status.code(), Some(2), "{manifest}: {}", stderr(&out));
        assert_eq!(stderr(&out), format!("begrip: manifest {}: {message}\n", manifest_path.display()));
        assert!(!out_dir.exists(), "nothing written on a bad manifest");
    }
    let missing = begrip(&["batch", "seeds", "--out", "target/test-scratch/never", "--manifest", "no/such.csv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).starts_with("begrip: cannot read manifest no/such.csv: "), "{}", stderr(&missing));
}

/// `--format jsonl`: records.jsonl and indicators.jsonl hold what `parse
/// --format jsonl` writes for the same inputs; failures go to errors.jsonl.
#[test]
fn batch_writes_json_lines_tables() {
    let dir = scratch("batch-jsonl");
    let pages = dir.join("in");
    std::fs::create_dir_all(&pages).expect("dir");
    for seed in ["seeds/001_7b8f60ec7fd95da6.txt", "seeds/003_36ae454448b732a6.txt"] {
        let name = Path::new(seed).file_name().expect("name");
        std::fs::copy(crate::common::root().join(seed), pages.join(name)).expect("copy");
    }
    std::fs::write(pages.join("z-empty.txt"), "").expect("write");
    let out_dir = dir.join("out");
    let out = begrip(&["batch", arg(&pages), "--out", arg(&out_dir), "--format", "jsonl", "--no-json", "--excel"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with("begrip: warning: --excel and --delimiter apply to CSV tables only"), "{err}");
    assert!(err.contains("z-empty.txt: empty input\n"), "{err}");
    let mut written: Vec<_> = files_under(&out_dir).iter().map(|p| p.file_name().expect("name").to_owned()).collect();
    written.sort();
    assert_eq!(written, ["errors.jsonl", "indicators.jsonl", "records.jsonl"]);
    let inputs = [pages.join("001_7b8f60ec7fd95da6.txt"), pages.join("003_36ae454448b732a6.txt")];
    for table in ["records", "indicators"] {
        let parsed = begrip(&["parse", arg(&inputs[0]), arg(&inputs[1]), "-f", "jsonl", "-t", table]);
        let jsonl = read(&out_dir.join(format!("{table}.jsonl")));
        assert_eq!(jsonl, stdout(&parsed), "{table}");
        assert!(jsonl.lines().count() > 10, "{table}");
        for line in jsonl.lines() {
            let row: serde_json::Value = serde_json::from_str(line).expect("a JSON object per line");
            assert!(row["document_id"].is_string());
        }
    }
    let errors = read(&out_dir.join("errors.jsonl"));
    let failed =
        format!("{{\"file\":{},\"error\":\"empty input\"}}\n", serde_json::json!(arg(&pages.join("z-empty.txt"))));
    assert_eq!(errors, failed);
    assert_no_partials(&out_dir);
    // A second run into the folder needs --clean, which knows the JSON Lines files as a run's.
    let again = begrip(&["batch", arg(&pages), "--out", arg(&out_dir), "-f", "jsonl"]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
    let clean = begrip(&["batch", arg(&pages), "--out", arg(&out_dir), "--clean"]);
    assert_eq!(clean.status.code(), Some(1), "{}", stderr(&clean));
    let mut written: Vec<_> =
        files_under(&out_dir).iter().filter_map(|p| p.extension().map(|e| e.to_owned())).collect();
    written.sort();
    written.dedup();
    assert_eq!(written, ["csv", "json"], "the JSON Lines files of the first run are gone");
}

#[test]
fn excel_errors_csv_has_a_byte_order_mark() {
    let dir = scratch("batch-excel-errors");
    std::fs::write(dir.join("empty.txt"), "").expect("write");
    let out_dir = dir.join("out");
    let out = begrip(&["batch", arg(&dir.join("empty.txt")), "seeds", "--out", arg(&out_dir), "--excel", "--no-json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let errors = read(&out_dir.join("errors.csv"));
    assert!(errors.starts_with("\u{feff}file;error\n"), "{errors:?}");
    assert!(errors.ends_with("empty.txt;empty input\n"), "{errors:?}");
}

/// A database written before the manifest (schema version 1) gets the
/// `documents` columns added since, as one of version 2 gets `organisation`,
/// and takes the run.
#[test]
fn older_databases_are_upgraded() {
    let dropped = [(1, "ALTER TABLE documents DROP COLUMN url; ALTER TABLE documents DROP COLUMN sources;"), (2, "")];
    for (version, drop) in dropped {
        let dir = scratch(&format!("sqlite-v{version}"));
        let db = dir.join("old.db");
        let first = begrip(&["parse", "seeds/001_7b8f60ec7fd95da6.txt", "-f", "sqlite", "-o", arg(&db)]);
        assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
        {
            let conn = rusqlite::Connection::open(&db).expect("open");
            let old =
                format!("ALTER TABLE documents DROP COLUMN organisation; {drop} PRAGMA user_version = {version};");
            conn.execute_batch(&old).expect("make it an older file");
        }
        let out = begrip(&["batch", "seeds", "--sqlite", arg(&db), "--meta", "year=2031"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let conn = rusqlite::Connection::open(&db).expect("open");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, 3);
        let given: Vec<(String, String)> = conn
            .prepare("SELECT sources, organisation FROM documents ORDER BY file")
            .expect("query")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("sources");
        let organisations = ["Leidschendam-Voorburg", "Leiderdorp", "Hulst", "Leidschendam-Voorburg", "Leiden"];
        let expected: Vec<(String, String)> =
            organisations.iter().map(|o| ("year=meta".to_string(), o.to_string())).collect();
        assert_eq!(given, expected);
    }
}
