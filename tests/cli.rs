//! CLI behaviour: inputs, formats, errors and exit codes.

use crate::common::{begrip, begrip_stdin, scratch, stderr, stdout};

#[test]
fn reads_standard_input_and_writes_one_json_object() {
    let out = begrip_stdin(&["parse"], b"Programma 1 Wonen\n\nStand van zaken:\n\nHet gaat goed.\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(doc["file"], "-");
    assert_eq!(doc["elements"][0]["title"], "Wonen");
    assert_eq!(doc["elements"][0]["children"][0]["label_kind"], "stand_van_zaken");
}

#[test]
fn several_inputs_give_a_json_array() {
    let out = begrip(&["parse", "seeds/004_8165a6115bb88ae7.txt", "fixtures/pages/project-status.txt"]);
    assert_eq!(out.status.code(), Some(0));
    let docs: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).expect("JSON array");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1]["meta"]["document_type"], "voortgangsrapportage");
}

#[test]
fn a_directory_is_searched_recursively_in_sorted_order() {
    let out = begrip(&["parse", "seeds", "--format", "csv", "--table", "records"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let files: Vec<&str> =
        text.lines().skip(1).filter_map(|l| l.split(',').next()).filter(|f| f.starts_with("seeds/")).collect();
    assert_eq!(files.first(), Some(&"seeds/000_4f404d2b0c914b54.txt"));
    assert_eq!(files.last(), Some(&"seeds/004_8165a6115bb88ae7.txt"));
    assert_eq!(text.lines().filter(|l| l.starts_with("file,")).count(), 1, "one header");
}

#[test]
fn failed_inputs_are_reported_and_the_rest_is_still_written() {
    let out = begrip(&[
        "parse",
        "no/such/file.txt",
        "tests/inputs/bad/empty.txt",
        "tests/inputs/bad/binary.txt",
        "seeds/004_8165a6115bb88ae7.txt",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        vec![
            "begrip: no/such/file.txt: cannot read: no such file",
            "begrip: tests/inputs/bad/empty.txt: empty input",
            "begrip: tests/inputs/bad/binary.txt: binary input (contains NUL or control bytes), not text or HTML",
        ]
    );
    assert!(stdout(&out).contains("seeds/004_8165a6115bb88ae7.txt,Leiden,"));
}

#[test]
fn a_directory_without_inputs_is_an_error() {
    let dir = scratch("empty-dir");
    let out = begrip(&["parse", dir.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).ends_with("directory holds no .txt, .html or .htm files\n"), "{}", stderr(&out));
}

#[test]
fn all_boilerplate_is_an_empty_document_not_an_error() {
    let out = begrip(&["parse", "tests/inputs/bad/all-boilerplate.txt"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(doc["elements"], serde_json::json!([]));
    assert_eq!(doc["coverage"]["content_lines"], 0);
    assert_eq!(doc["removed"].as_array().map(Vec::len), Some(3));
}

#[test]
fn windows_1252_input_is_decoded() {
    let out = begrip(&["parse", "tests/inputs/bad/windows-1252.txt", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Financiën zijn op orde."));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(begrip(&["parse", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(begrip(&["parse", "--meta", "year=soon", "x.txt"]).status.code(), Some(2));
    assert_eq!(begrip(&["frobnicate"]).status.code(), Some(2));
    let out = begrip(&["parse", "--excel", "seeds"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "begrip: --excel and --delimiter apply to --format csv only\n");
}

#[test]
fn meta_overrides_apply_to_every_input() {
    let out =
        begrip(&["parse", "seeds/004_8165a6115bb88ae7.txt", "--meta", "year=2030", "--meta", "gemeente=Zoetermeer"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(doc["meta"]["year"], 2030);
    assert_eq!(doc["meta"]["gemeente"], "Zoetermeer");
    assert_eq!(doc["meta"]["organisation"], "Zoetermeer");
    // A known other name gives the official name; an unknown one stands as given.
    for (given, official) in [("Den Haag", "'s-Gravenhage"), ("Gemeente Nergenshuizen", "Gemeente Nergenshuizen")] {
        let gemeente = format!("gemeente={given}");
        let out = begrip(&["parse", "seeds/004_8165a6115bb88ae7.txt", "--meta", &gemeente]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
        assert_eq!(
            (doc["meta"]["gemeente"].as_str(), doc["meta"]["organisation"].as_str()),
            (Some(given), Some(official))
        );
    }
}

#[test]
fn excel_csv_has_bom_and_semicolons() {
    let out = begrip(&["parse", "seeds/004_8165a6115bb88ae7.txt", "--format", "csv", "--excel"]);
    let text = stdout(&out);
    assert!(text.starts_with("\u{feff}file;gemeente;document_type;year;programme;section;speerpunt;kind;"));
}

#[test]
fn csv_without_rows_still_has_its_header() {
    let out = begrip(&[
        "parse",
        "fixtures/pages/project-status.txt",
        "--format",
        "csv",
        "--table",
        "indicators",
        "--delimiter",
        "\t",
    ]);
    assert_eq!(stdout(&out).lines().next(), Some("file\tgemeente\tdocument_type\tyear\tprogramme\tsection\tspeerpunt\ttable\tcode\tindicator\tcolumn\tperiod\tvalue_type\tmeasure\traw\tvalue\tunit\tline\tgroup\ttaakveld\tmultiplier\tambiguous\torganisation\torganisation_kind\tdocument_id\telement_id\ttable_id\trow\tcol"));
}

#[test]
fn jsonl_rows_are_json_objects_with_the_csv_columns() {
    let out = begrip(&["parse", "seeds/001_7b8f60ec7fd95da6.txt", "--format", "jsonl", "--table", "indicators"]);
    let rows: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(rows.len(), 72);
    assert_eq!(rows[0]["indicator"], "Aantal inwoners met een maatwerkvoorziening Wmo");
    assert_eq!(rows[0]["column"], "2018 (w)");
    assert_eq!(rows[0]["value_type"], "realisatie");
    assert_eq!(rows[0]["value"], 1992.0);
}

#[test]
fn output_file_and_schema() {
    let dir = scratch("output-file");
    let path = dir.join("out.json");
    let out = begrip(&["parse", "seeds/004_8165a6115bb88ae7.txt", "-o", path.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("written")).expect("JSON");
    assert_eq!(written["meta"]["gemeente"], "Leiden");
    let schema: serde_json::Value = serde_json::from_str(&stdout(&begrip(&["schema"]))).expect("schema JSON");
    assert_eq!(schema["title"], "begrip parse output");
    assert!(schema["definitions"]["Document"]["properties"]["elements"].is_object());
}

#[test]
fn html_pages_feed_the_same_pipeline() {
    let dir = scratch("html");
    let page = dir.join("page.html");
    std::fs::write(
        &page,
        "<html><body><h1>Programma 3 Sociaal domein</h1><h2>Stand van zaken:</h2><p>We liggen op koers.</p>\
         <table><tr><td>Omschrijving</td><td>2022 (b)</td><td>2023 (b)</td></tr>\
         <tr><td>Aantal meldingen</td><td>12</td><td>14</td></tr></table></body></html>",
    )
    .expect("write page");
    let out = begrip(&["parse", page.to_str().expect("path"), "--format", "csv", "--table", "indicators"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(",3 Sociaal domein,,,Stand van zaken,,Aantal meldingen,2022 (b),2022,begroting,,12,12.0,"),
        "{text}"
    );
}

#[test]
fn the_report_lists_lines_with_numbers_in_no_table() {
    let dir = scratch("report-numbers");
    let page = dir.join("page.txt");
    let text =
        "Programma 2 Veiligheid\n\nToelichting\n\nDe kosten stegen.\n\nTotaal 1.200 1.350\n\nWe zijn tevreden.\n";
    std::fs::write(&page, text).expect("write page");
    let out = begrip(&["parse", page.to_str().expect("path"), "--report"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = stdout(&out);
    let lines: Vec<&str> = report.lines().skip(1).collect();
    assert_eq!(
        lines,
        [&format!("{}: 1 lines with numbers in no table", page.display()), "  line 7: Totaal 1.200 1.350"]
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly_in_every_format() {
    use std::io::Read;
    for format in ["json", "jsonl", "csv"] {
        // Several copies of the seeds: more output than a pipe buffer holds.
        let mut args = vec!["parse", "--format", format];
        args.extend(std::iter::repeat_n("seeds", 8));
        let mut child = crate::common::command(&args).spawn().expect("run begrip");
        let mut first = [0u8; 16];
        child.stdout.take().expect("stdout").read_exact(&mut first).expect("some output");
        // The pipe closes here, while begrip is still writing.
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{format}: {}", stderr(&out));
    }
}

#[test]
fn dash_as_output_is_standard_output_and_d_sets_the_delimiter() {
    let dir = scratch("dash-output");
    let mut command = crate::common::command(&[
        "parse",
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/004_8165a6115bb88ae7.txt").to_str().expect("path"),
        "-o",
        "-",
        "-f",
        "csv",
        "-d",
        ";",
    ]);
    let out = command.current_dir(&dir).output().expect("run begrip");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("file;gemeente;document_type;"), "{}", stdout(&out));
    assert!(!dir.join("-").exists(), "no file named '-'");
}
