//! The spreadsheet, database and schema outputs, read back with their own
//! readers (calamine, rusqlite, a JSON Schema check) and compared with the CSV.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::common::{arg, begrip, files_under, root, scratch, stderr, stdout};

/// Every page with expected outputs: the seeds and the invented pages.
const INPUTS: [&str; 2] = ["seeds", "fixtures/pages"];

/// A CSV table as rows of named fields.
fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("header").iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.expect("row").iter().map(String::from).collect()).collect();
    (header, rows)
}

fn parse_csv(table: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut args = vec!["parse"];
    args.extend(INPUTS);
    args.extend(["--format", "csv", "--table", table]);
    let out = begrip(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    csv_rows(&stdout(&out))
}

/// The columns that are numbers in the workbook (the rest is text, `ambiguous` a boolean).
const NUMBER_COLUMNS: [&str; 13] = [
    "year",
    "line_start",
    "line_end",
    "tables",
    "id",
    "parent_id",
    "period",
    "value",
    "line",
    "multiplier",
    "element_id",
    "table_id",
    "row",
];

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook(path).expect("open the workbook");
    let range = workbook.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The workbook's sheet holds the CSV's header and rows, cell by cell, with
/// numbers as numbers and everything else as text.
fn assert_sheet_is_the_csv(path: &Path, table: &str) {
    let (header, rows) = parse_csv(table);
    let cells = sheet(path, table);
    let written: Vec<String> = cells[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(written, header, "{table}: header");
    assert_eq!(cells.len() - 1, rows.len(), "{table}: rows");
    for (n, (csv_row, xlsx_row)) in rows.iter().zip(&cells[1..]).enumerate() {
        for (column, (expected, cell)) in header.iter().zip(csv_row.iter().zip(xlsx_row)) {
            let place = format!("{table} row {} column {column}", n + 2);
            match cell {
                Data::Empty => assert_eq!(expected, "", "{place}"),
                Data::Float(v) => {
                    assert!(NUMBER_COLUMNS.contains(&column.as_str()) || column == "col", "{place}: a number");
                    assert_eq!(*v, expected.parse::<f64>().expect("a number in the CSV"), "{place}");
                }
                Data::Int(v) => assert_eq!(*v as f64, expected.parse::<f64>().expect("a number"), "{place}"),
                Data::Bool(b) => {
                    assert_eq!(column, "ambiguous", "{place}");
                    assert_eq!(b.to_string(), *expected, "{place}");
                }
                Data::String(s) => {
                    assert!(!NUMBER_COLUMNS.contains(&column.as_str()), "{place}: text where a number belongs");
                    assert_eq!(s, expected, "{place}");
                }
                other => panic!("{place}: unexpected cell {other:?}"),
            }
        }
    }
}

#[test]
fn the_workbook_holds_the_csv_tables_with_typed_cells() {
    let dir = scratch("xlsx");
    let path = dir.join("begrip.xlsx");
    let mut args = vec!["parse"];
    args.extend(INPUTS);
    args.extend(["--format", "xlsx", "-o", arg(&path)]);
    let out = begrip(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty() && stderr(&out).is_empty(), "{}", stderr(&out));
    assert_sheet_is_the_csv(&path, "records");
    assert_sheet_is_the_csv(&path, "indicators");
    // Codes, taakvelden and year labels are text, never numbers or dates.
    let indicators = sheet(&path, "indicators");
    let column = |name: &str| indicators[0].iter().position(|c| matches!(c, Data::String(s) if s == name)).expect(name);
    let (code, label) = (column("code"), column("column"));
    assert!(indicators[1..].iter().any(|r| r[code] == Data::String("1.1".into())), "code 1.1 as text");
    assert!(indicators[1..].iter().all(|r| matches!(r[label], Data::String(_) | Data::Empty)));
    let documents = sheet(&path, "documents");
    assert_eq!(documents[0][0], Data::String("document_id".into()));
    assert_eq!(documents.len() - 1, 11, "one row per document");
    assert!(documents[1..].iter().all(|r| matches!(&r[14], Data::String(h) if h.len() == 16)), "content hashes");
}

#[test]
fn a_workbook_is_refused_on_a_terminal_stream_unless_asked_for() {
    let out = begrip(&["parse", "seeds", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert_eq!(
        stderr(&out),
        "begrip: --format xlsx writes a binary file: give it with -o FILE.xlsx (or -o - for standard output)\n"
    );
    let out = begrip(&["parse", "seeds/004_8165a6115bb88ae7.txt", "--format", "xlsx", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"PK\x03\x04"), "a zip archive on standard output");
    let out = begrip(&["parse", "seeds", "--format", "sqlite", "-o", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write to standard output"), "{}", stderr(&out));
    let out = begrip(&["parse", "seeds", "--format", "sqlite"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "begrip: --format sqlite writes a database file: give it with -o FILE.db\n");
    let out = begrip(&["parse", "seeds", "--format", "sqlite", "-o", "x.db", "--report"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "begrip: --report writes text: not with --format sqlite\n");
}

#[test]
fn flags_a_format_ignores_are_warned_about() {
    let dir = scratch("ignored-flags");
    let out = begrip(&["parse", "seeds/004_8165a6115bb88ae7.txt", "--format", "jsonl", "--excel"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "begrip: warning: --excel, --delimiter and --no-headers apply to --format csv only; --format jsonl ignores them\n"
    );
    let path = dir.join("x.xlsx");
    let out = begrip(&["parse", "seeds/004_8165a6115bb88ae7.txt", "-f", "xlsx", "-t", "indicators", "-o", arg(&path)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "begrip: warning: --table applies to --format csv and jsonl; --format xlsx ignores it\n");
    assert!(path.is_file());
}

fn query(db: &rusqlite::Connection, sql: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let mut statement = db.prepare(sql).expect(sql);
    let columns = statement.column_count();
    statement
        .query_map([], |row| (0..columns).map(|i| row.get(i)).collect())
        .expect(sql)
        .map(|r| r.expect("row"))
        .collect()
}

fn text(v: &rusqlite::types::Value) -> String {
    use rusqlite::types::Value;
    match v {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => format!("{r:?}"),
        Value::Text(t) => t.clone(),
        Value::Blob(_) => panic!("a blob"),
    }
}

/// `(name → index)` of a CSV header.
fn index(header: &[String]) -> BTreeMap<&str, usize> {
    header.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect()
}

fn parse_into_db(db: &Path, inputs: &[&str]) -> std::process::Output {
    let mut args = vec!["parse"];
    args.extend(inputs);
    args.extend(["--format", "sqlite", "-o", arg(db)]);
    begrip(&args)
}

/// Both views, run on the database, give what the CSV tables give when
/// joined on their keys.
#[test]
fn the_database_views_answer_what_the_csv_answers() {
    let dir = scratch("sqlite");
    let path = dir.join("begrip.db");
    let out = parse_into_db(&path, &INPUTS);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty() && stderr(&out).is_empty(), "{}", stderr(&out));
    let db = rusqlite::Connection::open(&path).expect("open");
    assert!(query(&db, "PRAGMA foreign_key_check").is_empty(), "foreign keys hold");

    // Every cell with its table and element, against the indicators CSV.
    let (header, rows) = parse_csv("indicators");
    let at = index(&header);
    let mut expected: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            [
                "file",
                "document_id",
                "element_id",
                "programme",
                "section",
                "speerpunt",
                "table_id",
                "table",
                "row",
                "code",
                "indicator",
                "group",
                "col",
                "column",
                "period",
                "value_type",
                "raw",
                "value",
                "line",
            ]
            .iter()
            .map(|c| r[at[c]].clone())
            .collect()
        })
        .collect();
    let mut actual: Vec<Vec<String>> = query(
        &db,
        "SELECT file, document_id, element_id, programme, section, speerpunt, table_id, table_name, row_no, row_code, \
         row_label, grp, col, col_label, period, value_type, raw, value, line FROM table_cells",
    )
    .iter()
    .map(|r| r.iter().map(text).collect())
    .collect();
    expected.sort();
    actual.sort();
    assert_eq!(actual.len(), rows.len());
    assert_eq!(actual, expected);

    // Every speerpunt with its Stand van zaken, against the records CSV joined on parent_id.
    let (header, rows) = parse_csv("records");
    let at = index(&header);
    let mut expected = Vec::new();
    for speerpunt in rows.iter().filter(|r| r[at["kind"]] == "speerpunt") {
        let key = |r: &Vec<String>| (r[at["document_id"]].clone(), r[at["id"]].clone());
        let blocks: Vec<&Vec<String>> = rows
            .iter()
            .filter(|b| {
                b[at["document_id"]] == speerpunt[at["document_id"]]
                    && b[at["parent_id"]] == speerpunt[at["id"]]
                    && b[at["label_kind"]] == "stand_van_zaken"
            })
            .collect();
        let (document, id) = key(speerpunt);
        let title = speerpunt[at["title"]].clone();
        if blocks.is_empty() {
            expected.push(vec![document.clone(), id.clone(), title.clone(), String::new()]);
        }
        for block in blocks {
            expected.push(vec![document.clone(), id.clone(), title.clone(), block[at["text"]].clone()]);
        }
    }
    let mut actual: Vec<Vec<String>> =
        query(&db, "SELECT document_id, speerpunt_id, speerpunt, stand_van_zaken FROM speerpunt_stand_van_zaken")
            .iter()
            .map(|r| r.iter().map(text).collect())
            .collect();
    expected.sort();
    actual.sort();
    assert!(actual.iter().filter(|r| !r[3].is_empty()).count() >= 3, "{actual:?}");
    assert_eq!(actual, expected);
}

/// A second run into the same file replaces the documents of the same
/// paths; other documents stay; a run in which every input fails changes nothing.
#[test]
fn a_second_run_replaces_documents_instead_of_doubling_them() {
    let dir = scratch("sqlite-rerun");
    let path = dir.join("begrip.db");
    let count = |table: &str| {
        let db = rusqlite::Connection::open(&path).expect("open");
        db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0)).expect("count")
    };
    assert_eq!(parse_into_db(&path, &["seeds"]).status.code(), Some(0));
    let once: Vec<i64> = ["documents", "elements", "tables", "cells"].map(count).to_vec();
    assert_eq!(once[0], 5);
    assert_eq!(parse_into_db(&path, &["seeds"]).status.code(), Some(0));
    assert_eq!(["documents", "elements", "tables", "cells"].map(count).to_vec(), once, "not doubled");
    assert_eq!(parse_into_db(&path, &["fixtures/pages/project-status.txt"]).status.code(), Some(0));
    assert_eq!(count("documents"), 6, "another document is added");
    let before = std::fs::read(&path).expect("db");
    let out = parse_into_db(&path, &["no/such/file.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).ends_with("begrip.db: not written, every input failed\n"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&path).expect("db"), before, "unchanged");
    let fresh = dir.join("fresh.db");
    assert_eq!(parse_into_db(&fresh, &["no/such/file.txt"]).status.code(), Some(1));
    assert!(!fresh.exists(), "no empty database left behind");
    std::fs::write(dir.join("not-a-db.db"), "hello, this is text and not a database file at all").expect("write");
    let out = parse_into_db(&dir.join("not-a-db.db"), &["seeds"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a SQLite database"), "{}", stderr(&out));
}

/// The rows of one database, every table in key order, as text.
fn dump(path: &Path) -> Vec<Vec<String>> {
    let db = rusqlite::Connection::open(path).expect("open");
    let mut all = Vec::new();
    for sql in [
        "SELECT * FROM documents ORDER BY document_id",
        "SELECT * FROM elements ORDER BY document_id, id",
        "SELECT * FROM tables ORDER BY document_id, table_id",
        "SELECT * FROM cells ORDER BY document_id, table_id, row_no, rowid",
    ] {
        all.extend(query(&db, sql).iter().map(|r| r.iter().map(text).collect::<Vec<_>>()));
    }
    all
}

#[test]
fn batch_writes_the_database_and_workbook_parse_writes() {
    let dir = scratch("batch-sqlite");
    let (db, xlsx) = (dir.join("batch.db"), dir.join("batch.xlsx"));
    let out = begrip(&["batch", "seeds", "fixtures/pages", "--sqlite", arg(&db), "--xlsx", arg(&xlsx), "--jobs", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("begrip batch: 11 ok, 0 failed, "), "{}", stderr(&out));
    let written: Vec<_> = files_under(&dir).iter().map(|p| p.file_name().expect("name").to_owned()).collect();
    assert_eq!(written.len(), 2, "no CSV or JSON without --out: {written:?}");
    let parsed = dir.join("parsed.db");
    assert_eq!(parse_into_db(&parsed, &INPUTS).status.code(), Some(0));
    assert_eq!(dump(&db), dump(&parsed));
    let parsed_xlsx = dir.join("parsed.xlsx");
    let mut args = vec!["parse"];
    args.extend(INPUTS);
    args.extend(["-f", "xlsx", "-o", arg(&parsed_xlsx)]);
    assert_eq!(begrip(&args).status.code(), Some(0));
    for name in ["records", "indicators", "documents"] {
        assert_eq!(sheet(&xlsx, name), sheet(&parsed_xlsx, name), "{name}");
    }
    // Again, with --jobs 1 and the CSV too: the same keys.
    let out_dir = dir.join("out");
    let out =
        begrip(&["batch", "seeds", "fixtures/pages", "--out", arg(&out_dir), "--sqlite", arg(&db), "--jobs", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(dump(&db), dump(&parsed), "replaced, not doubled");
    assert!(out_dir.join("records.csv").is_file());
    assert_eq!(begrip(&["batch", "seeds"]).status.code(), Some(2), "--out, --sqlite or --xlsx is required");
    let input = dir.join("page.txt");
    std::fs::copy(root().join("seeds/004_8165a6115bb88ae7.txt"), &input).expect("copy");
    let out = begrip(&["batch", arg(&input), "--xlsx", arg(&input)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("it would be overwritten"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&input).expect("input"),
        std::fs::read(root().join("seeds/004_8165a6115bb88ae7.txt")).expect("seed")
    );
}

#[test]
fn batch_meta_overrides_every_input() {
    let dir = scratch("batch-meta");
    let out =
        begrip(&["batch", "seeds", "--out", arg(&dir), "--no-json", "--meta", "year=2030", "--meta", "gemeente=X"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (header, rows) = csv_rows(&crate::common::read(&dir.join("records.csv")));
    let at = index(&header);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[at["year"]] == "2030" && r[at["gemeente"]] == "X" && r[at["organisation"]] == "X"));
    assert_eq!(begrip(&["batch", "seeds", "--out", arg(&dir), "--meta", "land=NL"]).status.code(), Some(2));
}

#[test]
fn keys_are_the_same_whatever_the_jobs_and_link_rows_to_parents() {
    let (one, two) = (scratch("keys-1"), scratch("keys-2"));
    for (dir, jobs) in [(&one, "1"), (&two, "2")] {
        let out = begrip(&["batch", "seeds", "fixtures/pages", "--out", arg(dir), "--no-json", "--jobs", jobs]);
        assert_eq!(out.status.code(), Some(0));
    }
    for table in ["records.csv", "indicators.csv"] {
        assert_eq!(crate::common::read(&one.join(table)), crate::common::read(&two.join(table)), "{table}");
    }
    let (header, rows) = csv_rows(&crate::common::read(&one.join("records.csv")));
    let at = index(&header);
    let ids: std::collections::HashSet<(String, String)> =
        rows.iter().map(|r| (r[at["document_id"]].clone(), r[at["id"]].clone())).collect();
    assert_eq!(ids.len(), rows.len(), "(document_id, id) is unique");
    for r in rows.iter().filter(|r| !r[at["parent_id"]].is_empty()) {
        assert!(ids.contains(&(r[at["document_id"]].clone(), r[at["parent_id"]].clone())), "parent of {r:?}");
    }
    // The id of a path is its FNV-1a hash.
    let seed = rows.iter().find(|r| r[at["file"]] == "seeds/001_7b8f60ec7fd95da6.txt").expect("seed");
    assert_eq!(seed[at["document_id"]], begrip::emit::document_id("seeds/001_7b8f60ec7fd95da6.txt"));
    let (header, cells) = csv_rows(&crate::common::read(&one.join("indicators.csv")));
    let c = index(&header);
    for cell in &cells {
        let element = (cell[c["document_id"]].clone(), cell[c["element_id"]].clone());
        assert!(ids.contains(&element), "element of {cell:?}");
    }
    // A table's key names one table: one name, one element.
    let mut tables: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    for cell in &cells {
        let key = (cell[c["document_id"]].clone(), cell[c["table_id"]].clone());
        let table = (cell[c["table"]].clone(), cell[c["element_id"]].clone());
        assert_eq!(tables.entry(key).or_insert_with(|| table.clone()), &table);
    }
    assert!(tables.len() >= 10, "{}", tables.len());
}

#[test]
fn no_headers_and_excel_numbers() {
    let seed = "seeds/001_7b8f60ec7fd95da6.txt";
    let with = stdout(&begrip(&["parse", seed, "-f", "csv", "-t", "indicators"]));
    let out = begrip(&["parse", seed, "-f", "csv", "-t", "indicators", "--no-headers"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), with.split_once('\n').expect("header").1);
    let excel = stdout(&begrip(&["parse", seed, "-f", "csv", "-t", "indicators", "--excel"]));
    let (header, rows) = {
        let mut reader =
            csv::ReaderBuilder::new().delimiter(b';').from_reader(excel.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader.headers().expect("header").iter().map(String::from).collect();
        let rows: Vec<Vec<String>> =
            reader.records().map(|r| r.expect("row").iter().map(String::from).collect()).collect();
        (header, rows)
    };
    let value = header.iter().position(|h| h == "value").expect("value");
    assert_eq!(rows[0][value], "1992", "a whole number without .0");
    assert!(rows.iter().any(|r| r[value] == "11,6"), "a decimal comma");
    assert!(rows.iter().all(|r| !r[value].contains('.')), "no decimal point, no thousands separator");
    assert!(excel.starts_with('\u{feff}'));
}

#[test]
fn completions_and_man_page() {
    for (shell, marker) in [
        ("bash", "_begrip()"),
        ("zsh", "#compdef begrip"),
        ("fish", "complete -c begrip"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = begrip(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        assert!(script.contains(marker) && script.contains("sqlite"), "{shell}: {}", &script[..200.min(script.len())]);
    }
    assert_eq!(begrip(&["completions", "tcsh"]).status.code(), Some(2));
    let out = begrip(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(page.contains(".TH begrip 1") && page.contains("batch") && page.contains("completions"), "{page}");
}

// ---- JSON Schema ----

/// A small JSON Schema (draft 7) check of what schemars writes: `$ref`,
/// `type` (one or several), `properties`, `required`,
/// `additionalProperties`, `items`, `enum`, `oneOf`, `anyOf`, `allOf`,
/// `minimum`. Returns the first mismatch.
fn check(
    schema: &serde_json::Value,
    root: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
) -> Result<(), String> {
    use serde_json::Value;
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.strip_prefix("#/definitions/").ok_or_else(|| format!("{at}: ref {reference}"))?;
        let target = root["definitions"].get(name).ok_or_else(|| format!("{at}: no definition {name}"))?;
        return check(target, root, value, at);
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return Err(format!("{at}: bad type")),
        };
        let fits = |t: &str| match t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        };
        if !types.iter().any(|t| fits(t)) {
            return Err(format!("{at}: {value} is not {types:?}"));
        }
    }
    if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64) {
        if value.as_f64().is_some_and(|v| v < minimum) {
            return Err(format!("{at}: {value} < {minimum}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            return Err(format!("{at}: {value} not in {allowed:?}"));
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        all.iter().try_for_each(|s| check(s, root, value, at))?;
    }
    for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let fitting = options.iter().filter(|s| check(s, root, value, at).is_ok()).count();
            if fitting == 0 || (exactly_one && fitting > 1) {
                return Err(format!("{at}: {fitting} of the {key} options fit {value}"));
            }
        }
    }
    if let (Some(object), true) =
        (value.as_object(), schema.get("properties").is_some() || schema.get("required").is_some())
    {
        let properties = schema.get("properties").and_then(Value::as_object);
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !object.contains_key(name) {
                return Err(format!("{at}: {name} missing"));
            }
        }
        for (name, field) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(s) => check(s, root, field, &format!("{at}.{name}"))?,
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return Err(format!("{at}: {name} not in the schema"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(items, root, item, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

fn schema(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["schema"];
    all.extend(args);
    let out = begrip(&all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("schema JSON")
}

#[test]
fn every_fixture_output_fits_its_schema() {
    let tree = schema(&[]);
    // One document (every expected output), and the array of several inputs.
    for file in files_under(&root().join("fixtures")).iter().filter(|p| p.ends_with("expected.json")) {
        let doc: serde_json::Value = serde_json::from_str(&crate::common::read(file)).expect("JSON");
        check(&tree, &tree, &doc, &file.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut args = vec!["parse"];
    args.extend(INPUTS);
    let many: serde_json::Value = serde_json::from_str(&stdout(&begrip(&args))).expect("JSON array");
    assert_eq!(many.as_array().map(Vec::len), Some(11));
    check(&tree, &tree, &many, "array").unwrap_or_else(|e| panic!("{e}"));
    // The checker does refuse what does not fit.
    let mut broken = many[0].clone();
    broken["elements"][0]["kind"] = serde_json::json!("chapter");
    assert!(check(&tree, &tree, &broken, "broken").is_err());
    assert!(check(&tree, &tree, &serde_json::json!({"file": 1}), "broken").is_err());
    for table in ["records", "indicators"] {
        let rows_schema = schema(&["--table", table]);
        let mut args = vec!["parse"];
        args.extend(INPUTS);
        args.extend(["--format", "jsonl", "--table", table]);
        let lines = stdout(&begrip(&args));
        assert!(lines.lines().count() > 50);
        for (n, line) in lines.lines().enumerate() {
            let row: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            check(&rows_schema, &rows_schema, &row, &format!("{table} line {}", n + 1))
                .unwrap_or_else(|e| panic!("{e}"));
            // Every key of the row is in the schema, and every key of the schema in the row.
            let keys: Vec<&String> = row.as_object().expect("object").keys().collect();
            let properties: Vec<&String> = rows_schema["properties"].as_object().expect("properties").keys().collect();
            assert_eq!(keys.len(), properties.len(), "{table}");
        }
        // The codes stay strings in JSON Lines.
        if table == "indicators" {
            assert!(lines.contains("\"code\":\"1.1\""), "a code as a string");
        }
    }
}

/// A second batch into the same directory with the database inside it:
/// `--clean` deletes the earlier CSV and JSON and keeps the database, whose
/// documents are replaced.
#[test]
fn clean_keeps_the_database_and_workbook_of_the_run() {
    let dir = scratch("batch-clean-db");
    let db = dir.join("begrip.db");
    let xlsx = dir.join("begrip.xlsx");
    let run = |clean: bool| {
        let mut args = vec!["batch", "seeds", "--out", arg(&dir), "--sqlite", arg(&db), "--xlsx", arg(&xlsx)];
        if clean {
            args.push("--clean");
        }
        begrip(&args)
    };
    assert_eq!(run(false).status.code(), Some(0));
    let first = dump(&db);
    let out = run(false);
    assert_eq!(out.status.code(), Some(2), "not empty: the CSV of the first run");
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    let out = run(true);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(dump(&db), first, "replaced, not doubled");
    assert!(xlsx.is_file() && dir.join("records.csv").is_file());
}
