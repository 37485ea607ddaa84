//! Saved HTML pages → the same one-cell-per-line text the platforms export.
//!
//! Block elements end a line; table cells and list items each get their own
//! line (list items with a `•` marker), separated by blank lines like the text
//! exports, so HTML feeds the same normaliser and segmenter as text.

use scraper::{ElementRef, Html, Node};

/// Elements whose content is never page text.
const SKIPPED: [&str; 8] = ["script", "style", "noscript", "head", "template", "svg", "nav", "button"];
/// Elements that start and end a line of their own.
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "figure",
    "figcaption",
];

/// Extract the text of an HTML page, one block or cell per line.
pub fn html_to_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    walk(document.root_element(), &mut out);
    out
}

fn walk(element: ElementRef<'_>, out: &mut String) {
    let name = element.value().name();
    if SKIPPED.contains(&name) {
        return;
    }
    let separated = matches!(name, "td" | "th" | "li") || BLOCKS.contains(&name);
    if separated {
        end_block(out);
    }
    if name == "li" {
        out.push_str("• ");
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(&text.replace('\n', " ")),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    walk(child, out);
                }
            }
            _ => {}
        }
    }
    if separated {
        end_block(out);
    }
}

/// End the current line and leave one blank line, without piling up blanks.
fn end_block(out: &mut String) {
    let trimmed = out.trim_end_matches([' ', '\t']).len();
    out.truncate(trimmed);
    if out.is_empty() || out.ends_with("\n\n") {
        return;
    }
    out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cells_and_items_get_their_own_lines() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body>\
            <h2>Stand van zaken:</h2><p>Het gaat <b>goed</b>.</p>\
            <ul><li>Een</li><li>Twee</li></ul>\
            <table><tr><th>Omschrijving</th><th>2022 (b)</th></tr><tr><td>Aantal</td><td>5</td></tr></table>\
            <script>var a;</script></body></html>";
        assert_eq!(
            html_to_text(html),
            "Stand van zaken:\n\nHet gaat goed.\n\n• Een\n\n• Twee\n\nOmschrijving\n\n2022 (b)\n\nAantal\n\n5\n\n"
        );
    }

    #[test]
    fn truncated_html_does_not_panic() {
        assert_eq!(html_to_text("<html><body><p>Half af <b>tek"), "Half af tek\n\n");
    }
}
