//! The whole parse on arbitrary bytes, as text and as HTML: it never panics,
//! every content line ends up in an element, the JSON is valid, and a second
//! parse writes the same bytes.

#![no_main]

use begrip::input::{decode, Format, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the format, the rest is the file.
    let Some((&pick, bytes)) = data.split_first() else { return };
    let Ok(decoded) = decode(bytes.to_vec()) else { return };
    let format = if pick & 1 == 0 { Format::Text } else { Format::Html };
    let source = Source { name: "fuzz".into(), format, text: decoded.text, bounded: false };
    let json = parsed_json(&source);
    let value: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
    let coverage = &value["coverage"];
    assert_eq!(coverage["unassigned"].as_array().map(Vec::len), Some(0), "every content line assigned");
    assert_eq!(coverage["assigned_lines"], coverage["content_lines"]);
    assert_eq!(parsed_json(&source), json, "same output twice");
});

/// The JSON `begrip parse` writes for `source`.
fn parsed_json(source: &Source) -> Vec<u8> {
    let doc = begrip::parse_source(source);
    let mut json = Vec::new();
    begrip::emit::write_document(&mut json, &doc);
    json
}
