//! The parsed page: its nodes in one arena, each with its source line.
//!
//! A node is a few links (parent, children, siblings), its line and what it
//! is; element and attribute names are the parser's interned atoms, text is
//! the parser's tendrils (mostly slices of the page it read). The tree is
//! read without recursion: [`Dom::traverse`] gives the open and close edges
//! of every node in document order.

use std::num::NonZeroU32;

use html5ever::tendril::StrTendril;
use html5ever::{local_name, namespace_url, ns, Attribute, LocalName, Namespace};

/// A node of the [`Dom`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(NonZeroU32);

impl NodeId {
    fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// What a node is.
#[derive(Debug)]
pub enum Data {
    /// The document.
    Document,
    /// A template's contents.
    Fragment,
    /// A comment, doctype or processing instruction (never text).
    Other,
    /// Text.
    Text(StrTendril),
    /// An element.
    Element(Element),
}

/// An element: its name and attributes.
#[derive(Debug)]
pub struct Element {
    ns: Namespace,
    name: LocalName,
    attrs: Box<[Attribute]>,
}

impl Element {
    /// An element of `name` in `ns` with `attrs`.
    pub fn new(ns: Namespace, name: LocalName, attrs: Vec<Attribute>) -> Element {
        Element { ns, name, attrs: attrs.into_boxed_slice() }
    }

    /// Its namespace.
    pub fn ns(&self) -> &Namespace {
        &self.ns
    }

    /// Its local name as the parser interned it.
    pub fn local(&self) -> &LocalName {
        &self.name
    }

    /// Its local name (`p`, `td`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it has no attributes.
    pub fn has_no_attrs(&self) -> bool {
        self.attrs.is_empty()
    }

    /// The value of the attribute `name` (without a namespace).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.name.ns == ns!() && &*a.name.local == name).map(|a| &*a.value)
    }

    /// Its `id`.
    pub fn id(&self) -> Option<&str> {
        self.attrs.iter().find(|a| a.name.local == local_name!("id")).map(|a| &*a.value)
    }

    /// Its class names, as written.
    pub fn classes(&self) -> impl Iterator<Item = &str> {
        self.attrs.iter().filter(|a| a.name.local == local_name!("class")).flat_map(|a| a.value.split_whitespace())
    }

    /// Its class names, sorted, each once.
    pub fn sorted_classes(&self) -> Vec<&str> {
        let mut classes: Vec<&str> = self.classes().collect();
        classes.sort_unstable();
        classes.dedup();
        classes
    }

    /// Add the attributes it does not have yet.
    pub fn add_missing(&mut self, attrs: Vec<Attribute>) {
        let mut all = std::mem::take(&mut self.attrs).into_vec();
        for attr in attrs {
            if !all.iter().any(|a| a.name == attr.name) {
                all.push(attr);
            }
        }
        self.attrs = all.into_boxed_slice();
    }
}

/// One node and its links.
#[derive(Debug)]
pub struct Node {
    parent: Option<NodeId>,
    first_child: Option<NodeId>,
    last_child: Option<NodeId>,
    prev: Option<NodeId>,
    next: Option<NodeId>,
    /// Source line (1-based) where an element starts or a text's first
    /// visible character stands; 0 when unknown.
    pub line: u32,
    /// What it is.
    pub data: Data,
}

/// An edge of the walk through the tree: a node opened, or closed after
/// all it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Before the node's children.
    Open(NodeId),
    /// After them.
    Close(NodeId),
}

/// The parsed page.
#[derive(Debug)]
pub struct Dom {
    nodes: Vec<Node>,
}

impl Dom {
    /// A tree of the document node alone, with room for `nodes` nodes.
    pub fn with_capacity(nodes: usize) -> Dom {
        let mut dom = Dom { nodes: Vec::with_capacity(nodes) };
        dom.create(Data::Document, 0);
        dom
    }

    /// The document node.
    pub fn document(&self) -> NodeId {
        NodeId(NonZeroU32::MIN)
    }

    /// A new node, in no place yet.
    pub fn create(&mut self, data: Data, line: u32) -> NodeId {
        let number = u32::try_from(self.nodes.len() + 1).ok().and_then(NonZeroU32::new);
        self.nodes.push(Node { parent: None, first_child: None, last_child: None, prev: None, next: None, line, data });
        // Bounded long before: a page is at most `--max-size` (4 G nodes would need 64 GB).
        NodeId(number.expect("fewer than 4 G nodes"))
    }

    /// The node `id`.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// The node `id`, to change.
    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.index()]
    }

    /// The element `id`, if it is one.
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.node(id).data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    /// Its parent.
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).parent
    }

    /// Its last child.
    pub fn last_child(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).last_child
    }

    /// The sibling before it.
    pub fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).prev
    }

    /// Its children, in order.
    pub fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.node(id).first_child, |&c| self.node(c).next)
    }

    /// Its ancestors, the parent first.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.parent(id), |&p| self.parent(p))
    }

    /// The node and all it holds, in document order.
    pub fn descendants(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.edges(id).filter_map(|edge| match edge {
            Edge::Open(id) => Some(id),
            Edge::Close(_) => None,
        })
    }

    /// The edges of the walk through the whole tree.
    pub fn traverse(&self) -> Traverse<'_> {
        self.edges(self.document())
    }

    /// The edges of the walk through the node and all it holds.
    fn edges(&self, root: NodeId) -> Traverse<'_> {
        Traverse { dom: self, root, next: Some(Edge::Open(root)) }
    }

    /// The first element of the document (`<html>`).
    pub fn root_element(&self) -> Option<NodeId> {
        self.children(self.document()).find(|&c| self.element(c).is_some())
    }

    /// All the text the node holds, joined.
    pub fn text(&self, id: NodeId) -> String {
        let mut text = String::new();
        for d in self.descendants(id) {
            if let Data::Text(t) = &self.node(d).data {
                text.push_str(t);
            }
        }
        text
    }

    /// Take the node out of its parent's children.
    pub fn detach(&mut self, id: NodeId) {
        let Node { parent, prev, next, .. } = *self.node(id);
        let Some(parent) = parent else { return };
        match prev {
            Some(p) => self.node_mut(p).next = next,
            None => self.node_mut(parent).first_child = next,
        }
        match next {
            Some(n) => self.node_mut(n).prev = prev,
            None => self.node_mut(parent).last_child = prev,
        }
        let node = self.node_mut(id);
        (node.parent, node.prev, node.next) = (None, None, None);
    }

    /// Make `node` the child of `parent` that follows `prev` (the first one
    /// when `prev` is none), as far as the links before it go.
    fn link_after(&mut self, parent: NodeId, prev: Option<NodeId>, node: NodeId) {
        match prev {
            Some(p) => self.node_mut(p).next = Some(node),
            None => self.node_mut(parent).first_child = Some(node),
        }
    }

    /// Make `child` the last child of `parent`.
    pub fn append(&mut self, parent: NodeId, child: NodeId) {
        self.detach(child);
        let last = self.last_child(parent);
        self.link_after(parent, last, child);
        self.node_mut(parent).last_child = Some(child);
        let node = self.node_mut(child);
        (node.parent, node.prev) = (Some(parent), last);
    }

    /// Put `node` just before `sibling` (which has a parent).
    pub fn insert_before(&mut self, sibling: NodeId, node: NodeId) {
        self.detach(node);
        let Some(parent) = self.parent(sibling) else { return };
        let prev = self.prev_sibling(sibling);
        self.link_after(parent, prev, node);
        self.node_mut(sibling).prev = Some(node);
        let n = self.node_mut(node);
        (n.parent, n.prev, n.next) = (Some(parent), prev, Some(sibling));
    }

    /// Move all the children of `from` to the end of `to`'s.
    pub fn reparent_children(&mut self, from: NodeId, to: NodeId) {
        while let Some(child) = self.node(from).first_child {
            self.append(to, child);
        }
    }
}

/// The open and close edges of a subtree, in document order.
pub struct Traverse<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: Option<Edge>,
}

impl Iterator for Traverse<'_> {
    type Item = Edge;

    fn next(&mut self) -> Option<Edge> {
        let edge = self.next?;
        let node = |id| self.dom.node(id);
        self.next = match edge {
            Edge::Open(id) => Some(node(id).first_child.map_or(Edge::Close(id), Edge::Open)),
            Edge::Close(id) if id == self.root => None,
            Edge::Close(id) => match node(id).next {
                Some(next) => Some(Edge::Open(next)),
                None => node(id).parent.map(Edge::Close),
            },
        };
        Some(edge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_are_small() {
        assert!(std::mem::size_of::<Node>() <= 64, "{} bytes", std::mem::size_of::<Node>());
    }

    fn element(dom: &mut Dom, name: &str) -> NodeId {
        dom.create(Data::Element(Element::new(ns!(html), LocalName::from(name), Vec::new())), 1)
    }

    fn names(dom: &Dom, ids: impl Iterator<Item = NodeId>) -> Vec<String> {
        ids.map(|id| dom.element(id).map_or("#".to_string(), |e| e.name().to_string())).collect()
    }

    #[test]
    fn nodes_move_with_their_links_kept() {
        let mut dom = Dom::with_capacity(8);
        let [body, p, b, i, td] = ["body", "p", "b", "i", "td"].map(|name| element(&mut dom, name));
        dom.append(dom.document(), body);
        for child in [b, i] {
            dom.append(body, child);
        }
        dom.insert_before(b, td);
        assert_eq!(names(&dom, dom.children(body)), ["td", "b", "i"]);
        dom.reparent_children(body, p);
        dom.append(body, p);
        assert_eq!(names(&dom, dom.children(body)), ["p"]);
        assert_eq!(names(&dom, dom.descendants(body)), ["body", "p", "td", "b", "i"]);
        assert_eq!(names(&dom, dom.ancestors(b)), ["p", "body", "#"], "every moved child has its new parent");
        dom.detach(b);
        assert_eq!(names(&dom, dom.children(p)), ["td", "i"]);
        let edges: Vec<Edge> = dom.traverse().collect();
        assert_eq!(edges.len(), 2 * 5, "document, body, p, td, i: opened and closed");
        assert_eq!(edges[3], Edge::Open(td));
        assert_eq!(edges[4], Edge::Close(td));
    }
}
