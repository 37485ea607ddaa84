//! The HTML parser's tree sink, with the source line of every node.
//!
//! html5ever tells its sink the line of each token it processes
//! (`set_current_line`); scraper's sink ignores it. [`Positioned`] hands
//! every call to scraper's [`Html`] and notes the line at which each element
//! was created and each text node received its first visible character.

use std::borrow::Cow;
use std::collections::HashMap;

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, ExpandedName, QualName};
use scraper::Html;

/// A parsed page and the source line (1-based) of its nodes.
pub struct Parsed {
    /// The document.
    pub html: Html,
    /// Line of each element and text node that has one.
    pub lines: HashMap<NodeId, usize>,
}

/// Parse a whole HTML document, keeping the source lines.
pub fn parse(html: &str) -> Parsed {
    use html5ever::tendril::TendrilSink;
    let sink = Positioned { html: Html::new_document(), lines: HashMap::new(), line: 1 };
    html5ever::driver::parse_document(sink, Default::default()).one(html)
}

/// scraper's sink, noting lines.
struct Positioned {
    html: Html,
    lines: HashMap<NodeId, usize>,
    /// The line of the token being processed.
    line: usize,
}

impl Positioned {
    /// Note the line of the text node that `text` just went into (the last
    /// child of `parent`, or the node before `sibling`), when it is the
    /// node's first visible text. A token ends at its line: the text starts
    /// as many line breaks earlier as follow its first visible character.
    fn note_text(&mut self, node: Option<NodeId>, text: &str) {
        let Some(id) = node else { return };
        let Some(visible) = text.find(|c: char| !c.is_whitespace()) else { return };
        let breaks_after = memchr::memchr_iter(b'\n', &text.as_bytes()[visible..]).count();
        let line = self.line.saturating_sub(breaks_after).max(1);
        self.lines.entry(id).or_insert(line);
    }

    fn last_child(&self, parent: NodeId) -> Option<NodeId> {
        self.html.tree.get(parent)?.last_child().map(|n| n.id())
    }

    fn previous_sibling(&self, sibling: NodeId) -> Option<NodeId> {
        self.html.tree.get(sibling)?.prev_sibling().map(|n| n.id())
    }
}

impl TreeSink for Positioned {
    type Handle = NodeId;
    type Output = Parsed;

    fn finish(self) -> Parsed {
        Parsed { html: self.html, lines: self.lines }
    }

    fn parse_error(&mut self, msg: Cow<'static, str>) {
        self.html.parse_error(msg);
    }

    fn get_document(&mut self) -> NodeId {
        self.html.get_document()
    }

    /// Asked for every open element each time the parser looks through its
    /// stack: read here (where it inlines), not through scraper's sink.
    #[inline]
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> ExpandedName<'a> {
        let node = self.html.tree.get(*target).expect("the parser asks for its own nodes");
        node.value().as_element().expect("the parser asks for elements only").name.expanded()
    }

    fn create_element(&mut self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.html.create_element(name, attrs, flags);
        self.lines.insert(id, self.line);
        id
    }

    fn create_comment(&mut self, text: StrTendril) -> NodeId {
        self.html.create_comment(text)
    }

    fn create_pi(&mut self, target: StrTendril, data: StrTendril) -> NodeId {
        self.html.create_pi(target, data)
    }

    fn append(&mut self, parent: &NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendText(text) => {
                let copy = text.clone();
                self.html.append(parent, NodeOrText::AppendText(text));
                self.note_text(self.last_child(*parent), &copy);
            }
            node => self.html.append(parent, node),
        }
    }

    fn append_based_on_parent_node(&mut self, element: &NodeId, prev_element: &NodeId, child: NodeOrText<NodeId>) {
        let has_parent = self.html.tree.get(*element).is_some_and(|n| n.parent().is_some());
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&mut self, name: StrTendril, public_id: StrTendril, system_id: StrTendril) {
        self.html.append_doctype_to_document(name, public_id, system_id);
    }

    fn get_template_contents(&mut self, target: &NodeId) -> NodeId {
        self.html.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&mut self, mode: QuirksMode) {
        self.html.set_quirks_mode(mode);
    }

    fn append_before_sibling(&mut self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        match new_node {
            NodeOrText::AppendText(text) => {
                let copy = text.clone();
                self.html.append_before_sibling(sibling, NodeOrText::AppendText(text));
                self.note_text(self.previous_sibling(*sibling), &copy);
            }
            node => self.html.append_before_sibling(sibling, node),
        }
    }

    fn add_attrs_if_missing(&mut self, target: &NodeId, attrs: Vec<Attribute>) {
        self.html.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&mut self, target: &NodeId) {
        self.html.remove_from_parent(target);
    }

    fn reparent_children(&mut self, node: &NodeId, new_parent: &NodeId) {
        self.html.reparent_children(node, new_parent);
    }

    fn set_current_line(&mut self, line_number: u64) {
        self.line = usize::try_from(line_number).unwrap_or(usize::MAX);
    }
}
