//! begrip turns exported pages of Dutch municipal planning-and-control
//! documents (begroting, jaarstukken, voorjaarsnota, bestuurs- and
//! voortgangsrapportages) into structured data.
//!
//! The pipeline has one module per stage:
//!
//! ```text
//! input      bytes → Source (decoding, format)
//! normalize  Source → Normalized (typed line stream, boilerplate removed, metadata lines)
//! tables     content lines → tables (found from the shape of their rows, rebuilt)
//! segment    Normalized + tables → element tree (programme > section > speerpunt > block)
//! meta       Normalized → Meta (organisation, year, document type, platform)
//! emit       Document → JSON, JSON Lines, CSV (records, indicators)
//! ```
//!
//! The rules each stage applies are data files under `data/`, compiled by
//! [`rules`].
//!
//! ```
//! let doc = begrip::parse_text("voorbeeld.txt", "Programma 1 Wonen\n\nStand van zaken:\n\nHet gaat goed.\n");
//! assert_eq!(doc.elements[0].title.as_deref(), Some("Wonen"));
//! assert_eq!(doc.elements[0].children[0].label.as_deref(), Some("Stand van zaken"));
//! ```

pub mod allocator;
pub mod batch;
pub mod bytes;
pub mod emit;
pub mod input;
pub mod manifest;
pub mod meta;
pub mod model;
pub mod normalize;
pub mod numbers;
pub mod partial;
pub mod report;
pub mod rules;
pub mod segment;
pub mod tables;

use input::{Format, Source};
use model::Document;

/// Compile the rule tables and the organisation index now rather than on
/// first use (`batch` does this while it lists its inputs).
pub fn prepare() {
    rules::rules();
    meta::prepare();
}

/// Parse one decoded source into a document.
pub fn parse_source(source: &Source) -> Document {
    let page = normalize::read_page(source);
    let mut normalized = normalize::normalize_page(&page);
    let mut folded = Vec::new();
    let items = normalize::take_items(&mut normalized, &mut folded);
    let tables = tables::find(&items, normalized.markup);
    let segmented = segment::segment(&normalized, &items, tables);
    let meta = meta::detect(&normalized, &items);
    let mut document = Document {
        file: source.name.clone(),
        meta,
        elements: segmented.elements,
        removed: normalized.removed,
        coverage: segmented.coverage,
    };
    if let Some(markup) = &page.markup {
        // Lines of an HTML page are lines of its source.
        document.map_lines(|no| markup.source_line(no));
    }
    document
}

/// The decisions of the table stage on one decoded source, as text (what
/// `begrip explain` prints).
pub fn explain_source(source: &Source) -> String {
    let page = normalize::read_page(source);
    let normalized = normalize::normalize_page(&page);
    let items = normalize::items_of(&normalized.lines);
    tables::explain(&items, normalized.markup)
}

/// Parse page text (not HTML) given as a string.
pub fn parse_text(name: &str, text: &str) -> Document {
    parse_source(&Source { name: name.to_string(), format: Format::Text, text: text.to_string(), bounded: false })
}

/// [`parse_source`], with a panic (a bug, which the property and fuzz tests
/// hunt for) turned into an error for this input, so that one input cannot
/// end a run over many.
pub fn parse_source_guarded(source: &Source) -> Result<Document, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_source(source)))
        .map_err(|_| "internal error: begrip failed on this input (a bug; please report it with the input)".to_string())
}
