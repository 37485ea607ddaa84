//! The HTML parser's tree sink: builds the [`Dom`], with the source line of
//! every node.
//!
//! html5ever tells its sink the line of each token it processes
//! (`set_current_line`); the sink notes the line at which each element was
//! created and each text node received its first visible character.

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{local_name, namespace_url, ns, Attribute, ExpandedName, QualName};

use super::dom::{Data, Dom, Element, NodeId};

/// Parse a whole HTML document, keeping the source lines.
pub fn parse(html: &str) -> Dom {
    parse_in_pieces(html, PIECE_BYTES)
}

/// [`parse`], the page handed to the parser `bytes` bytes at a time.
fn parse_in_pieces(html: &str, bytes: usize) -> Dom {
    use html5ever::tendril::TendrilSink;
    // Room for every node at once: a tag makes at most an element and the text after it (the
    // few elements the parser adds, and its copies of formatting elements, grow the arena).
    let tags = memchr::memchr_iter(b'<', html.as_bytes()).count();
    let sink = Positioned { dom: Dom::with_capacity(2 * tags + 8), line: 1 };
    let mut parser = html5ever::driver::parse_document(sink, Default::default());
    // Fed in pieces: given whole, the parser would hold a copy of the page until it ends.
    for piece in pieces(html, bytes) {
        parser.process(StrTendril::from_slice(piece));
    }
    parser.finish()
}

/// Bytes of the page handed to the parser at a time.
const PIECE_BYTES: usize = 1 << 16;

/// `text` cut into pieces of about `bytes` bytes, each ending at a character boundary.
fn pieces(text: &str, bytes: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = bytes.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (piece, after) = rest.split_at(end);
        rest = after;
        Some(piece)
    })
}

/// The sink: the tree being built, and the line of the token being processed.
struct Positioned {
    dom: Dom,
    line: u32,
}

impl Positioned {
    /// Add `text` to the text node `node` if it is one (its line noted at
    /// its first visible text); `false` when it is not.
    fn add_to_text(&mut self, node: Option<NodeId>, text: &StrTendril) -> bool {
        let Some(id) = node else { return false };
        let line = self.line;
        let node = self.dom.node_mut(id);
        let Data::Text(existing) = &mut node.data else { return false };
        existing.push_tendril(text);
        if node.line == 0 {
            node.line = line_of_text(line, text);
        }
        true
    }

    /// White space that a table, row group or row holds between its rows or
    /// cells (the page's indentation): never text, so not kept (a page of
    /// tables has as many of these as it has rows).
    fn between_rows_or_cells(&self, parent: NodeId, text: &str) -> bool {
        let Some(e) = self.dom.element(parent) else { return false };
        let table_part = matches!(e.name(), "table" | "tbody" | "thead" | "tfoot" | "tr");
        table_part && *e.ns() == ns!(html) && text.bytes().all(|b| b.is_ascii_whitespace())
    }

    fn new_text(&mut self, text: StrTendril) -> NodeId {
        let line = line_of_text(self.line, &text);
        // A copy of its own: a slice of the piece of the page it came in would keep that piece.
        self.dom.create(Data::Text(StrTendril::from_slice(&text)), line)
    }
}

/// The line of `text`'s first visible character (0 when it has none), for
/// a token that ends at `line`: the text starts as many line breaks earlier
/// as follow its first visible character.
fn line_of_text(line: u32, text: &str) -> u32 {
    let Some(visible) = text.find(|c: char| !c.is_whitespace()) else { return 0 };
    let breaks_after = memchr::memchr_iter(b'\n', &text.as_bytes()[visible..]).count();
    line.saturating_sub(u32::try_from(breaks_after).unwrap_or(u32::MAX)).max(1)
}

impl TreeSink for Positioned {
    type Handle = NodeId;
    type Output = Dom;

    fn finish(self) -> Dom {
        self.dom
    }

    fn parse_error(&mut self, _msg: Cow<'static, str>) {}

    fn get_document(&mut self) -> NodeId {
        self.dom.document()
    }

    /// Asked for every open element each time the parser looks through its stack.
    #[inline]
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> ExpandedName<'a> {
        let e = self.dom.element(*target).expect("the parser asks for elements only");
        ExpandedName { ns: e.ns(), local: e.local() }
    }

    fn create_element(&mut self, name: QualName, attrs: Vec<Attribute>, _flags: ElementFlags) -> NodeId {
        let template = name.ns == ns!(html) && name.local == local_name!("template");
        let id = self.dom.create(Data::Element(Element::new(name.ns, name.local, attrs)), self.line);
        if template {
            // The template's contents: a fragment held as its child.
            let contents = self.dom.create(Data::Fragment, 0);
            self.dom.append(id, contents);
        }
        id
    }

    fn create_comment(&mut self, _text: StrTendril) -> NodeId {
        self.dom.create(Data::Other, 0)
    }

    fn create_pi(&mut self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.dom.create(Data::Other, 0)
    }

    fn append(&mut self, parent: &NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendNode(node) => self.dom.append(*parent, node),
            NodeOrText::AppendText(text) if self.between_rows_or_cells(*parent, &text) => {}
            NodeOrText::AppendText(text) => {
                if !self.add_to_text(self.dom.last_child(*parent), &text) {
                    let node = self.new_text(text);
                    self.dom.append(*parent, node);
                }
            }
        }
    }

    fn append_based_on_parent_node(&mut self, element: &NodeId, prev_element: &NodeId, child: NodeOrText<NodeId>) {
        if self.dom.parent(*element).is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&mut self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {
        let doctype = self.dom.create(Data::Other, 0);
        self.dom.append(self.dom.document(), doctype);
    }

    fn get_template_contents(&mut self, target: &NodeId) -> NodeId {
        self.dom.children(*target).next().expect("a template holds its contents")
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&mut self, _mode: QuirksMode) {}

    fn append_before_sibling(&mut self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        if self.dom.parent(*sibling).is_none() {
            if let NodeOrText::AppendNode(node) = new_node {
                self.dom.detach(node);
            }
            return;
        }
        match new_node {
            NodeOrText::AppendNode(node) => self.dom.insert_before(*sibling, node),
            NodeOrText::AppendText(text) => {
                if !self.add_to_text(self.dom.prev_sibling(*sibling), &text) {
                    let node = self.new_text(text);
                    self.dom.insert_before(*sibling, node);
                }
            }
        }
    }

    fn add_attrs_if_missing(&mut self, target: &NodeId, attrs: Vec<Attribute>) {
        if let Data::Element(e) = &mut self.dom.node_mut(*target).data {
            e.add_missing(attrs);
        }
    }

    fn remove_from_parent(&mut self, target: &NodeId) {
        self.dom.detach(*target);
    }

    fn reparent_children(&mut self, node: &NodeId, new_parent: &NodeId) {
        self.dom.reparent_children(*node, *new_parent);
    }

    fn set_current_line(&mut self, line_number: u64) {
        self.line = u32::try_from(line_number).unwrap_or(u32::MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_end_at_character_boundaries_and_make_the_text() {
        let text = "één € twee\r\ndrie";
        for bytes in 1..=text.len() + 1 {
            let all: Vec<&str> = pieces(text, bytes).collect();
            assert_eq!(all.concat(), text, "{bytes}");
            assert!(all.iter().all(|p| !p.is_empty() && p.len() < bytes + 4), "{bytes}: {all:?}");
        }
        assert_eq!(pieces("", 4).count(), 0);
    }

    /// The tree, lines included, does not depend on where the pieces end
    /// (in a tag, an entity, a `\r\n`, a character of several bytes).
    #[test]
    fn the_tree_is_the_same_whatever_the_pieces() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/html");
        let mut pages: Vec<String> = std::fs::read_dir(dir)
            .expect("fixtures/html")
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| std::fs::read_to_string(e.path()).expect("page"))
            .collect();
        pages.push("<p>a\r\n&amp;\r\nb &eacute;\r\n<b>c</b></p>\r\n<table><tr><td>1</td></tr></table>".repeat(3));
        assert!(pages.len() > 5);
        for page in &pages {
            let whole = format!("{:?}", parse_in_pieces(page, usize::MAX));
            for bytes in [1, 7, 64] {
                assert_eq!(format!("{:?}", parse_in_pieces(page, bytes)), whole, "pieces of {bytes} bytes");
            }
        }
    }
}
