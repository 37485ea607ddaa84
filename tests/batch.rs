//! `begrip batch`: outputs, equality with `parse`, and bad inputs that must
//! fail cleanly while every good input of the same run is still converted.

use crate::common::{assert_no_partials, begrip, files_under, read, root, scratch};

#[test]
fn batch_output_equals_parse_output() {
    let out_dir = scratch("batch-equal");
    let out = begrip(&["batch", "seeds", "fixtures", "--out", out_dir.to_str().expect("path"), "--jobs", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("begrip batch: 24 ok, 0 failed, "), "{stderr}");
    for table in ["records", "indicators"] {
        let parsed = begrip(&["parse", "seeds", "fixtures", "--format", "csv", "--table", table]);
        assert_eq!(read(&out_dir.join(format!("{table}.csv"))), String::from_utf8(parsed.stdout).expect("utf8"));
    }
    assert_eq!(read(&out_dir.join("errors.csv")), "file,error\n");
    let json = read(&out_dir.join("seeds/001_7b8f60ec7fd95da6.json"));
    assert_eq!(json, read(&root().join("fixtures/seeds/001_7b8f60ec7fd95da6/expected.json")));
    assert_no_partials(&out_dir);
}

/// `--no-json`: the same combined tables, and no file besides them.
#[test]
fn tables_only_writes_the_same_tables_and_no_json() {
    let (full, tables_only) = (scratch("batch-full"), scratch("batch-tables-only"));
    for (dir, extra) in [(&full, None), (&tables_only, Some("--no-json"))] {
        let mut args = vec!["batch", "seeds", "fixtures", "--out", dir.to_str().expect("path")];
        args.extend(extra);
        let out = begrip(&args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    for table in ["records.csv", "indicators.csv", "errors.csv"] {
        assert_eq!(read(&tables_only.join(table)), read(&full.join(table)), "{table}");
    }
    let mut written: Vec<String> = files_under(&tables_only)
        .iter()
        .map(|p| p.strip_prefix(&tables_only).expect("inside").display().to_string())
        .collect();
    written.sort();
    assert_eq!(written, ["errors.csv", "indicators.csv", "records.csv"]);
}

#[test]
fn bad_inputs_fail_cleanly_and_good_inputs_are_still_converted() {
    let dir = scratch("batch-bad-inputs");
    let inputs = dir.join("in");
    std::fs::create_dir_all(inputs.join("empty-dir")).expect("dir");
    let long_line = format!("Programma 1 Wonen\n\n{}\n", "woord ".repeat(10 * 1024 * 1024 / 6));
    std::fs::write(inputs.join("long-line.txt"), long_line).expect("write");
    std::fs::write(inputs.join("labels.txt"), "Toelichting:\n".repeat(50_000)).expect("write");
    std::fs::write(inputs.join("truncated.html"), "<html><body><h1>Programma 2 Zorg</h1><p>Half af <b>tek")
        .expect("write");
    std::fs::write(inputs.join("latin1.txt"), b"Stand van zaken:\n\nFinanci\xebn op orde.\n").expect("write");
    std::fs::copy(root().join("tests/inputs/bad/all-boilerplate.txt"), inputs.join("boilerplate.txt")).expect("copy");
    std::fs::copy(root().join("tests/inputs/bad/empty.txt"), inputs.join("empty.txt")).expect("copy");
    std::fs::copy(root().join("tests/inputs/bad/binary.txt"), inputs.join("binary.txt")).expect("copy");
    let out_dir = dir.join("out");
    let out = begrip(&[
        "batch",
        inputs.to_str().expect("path"),
        "seeds/004_8165a6115bb88ae7.txt",
        "no/such/file.txt",
        "/proc/self/mem",
        "--out",
        out_dir.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let errors = read(&out_dir.join("errors.csv"));
    let inputs_name = inputs.display().to_string();
    let expected = [
        "file,error".to_string(),
        format!("{inputs_name}/binary.txt,\"binary input (contains NUL or control bytes), not text or HTML\""),
        format!("{inputs_name}/empty.txt,empty input"),
        "no/such/file.txt,cannot read: no such file".to_string(),
    ];
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines[..4], expected.iter().map(String::as_str).collect::<Vec<_>>()[..]);
    assert!(lines[4].starts_with("/proc/self/mem,cannot read: "), "{errors}");
    assert_eq!(lines.len(), 5, "{errors}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("begrip batch: 6 ok, 4 failed, "), "{stderr}");
    let records = read(&out_dir.join("records.csv"));
    for converted in ["long-line.txt", "labels.txt", "truncated.html", "latin1.txt", "seeds/004_8165a6115bb88ae7.txt"] {
        assert!(records.contains(converted), "{converted} missing from records.csv");
    }
    assert!(records.contains("Financiën op orde."));
    assert!(out_dir.join(inputs.strip_prefix("/").expect("absolute")).join("truncated.json").exists());
    let long: serde_json::Value =
        serde_json::from_str(&read(&out_dir.join(inputs.strip_prefix("/").expect("absolute")).join("long-line.json")))
            .expect("JSON");
    assert_eq!(long["coverage"]["assigned_lines"], 2);
}

#[test]
fn a_directory_without_inputs_is_reported_in_errors_csv() {
    let dir = scratch("batch-empty-dir");
    std::fs::create_dir_all(dir.join("nothing")).expect("dir");
    let out_dir = dir.join("out");
    let out = begrip(&["batch", dir.join("nothing").to_str().expect("p"), "--out", out_dir.to_str().expect("p")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(read(&out_dir.join("errors.csv")).ends_with("nothing,\"directory holds no .txt, .html or .htm files\"\n"));
}

#[test]
fn excel_output_and_usage_errors() {
    let dir = scratch("batch-excel");
    let out = begrip(&["batch", "seeds", "--out", dir.to_str().expect("p"), "--excel", "--jobs", "1"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(read(&dir.join("records.csv")).starts_with("\u{feff}file;gemeente;"));
    assert_eq!(begrip(&["batch", "seeds"]).status.code(), Some(2), "--out is required");
    assert_eq!(begrip(&["batch", "--out", "x"]).status.code(), Some(2), "an input is required");
    assert_eq!(begrip(&["batch", "seeds", "--out", "x", "--jobs", "0"]).status.code(), Some(2));
}
