//! Builds the element tree from a stream of "open", "add text" and "claim
//! line" calls, keeping the path of open elements. Opening an element closes
//! every open element of the same or a deeper level first, so missing levels
//! need no special cases.

use std::collections::HashMap;

use crate::model::{Element, ElementKind, Paragraph, Table};

/// The keys an element can be found again by when its heading repeats (see
/// [`TreeBuilder::reenter`]); empty for elements that are never re-entered.
pub type ReentryKeys = fn(&Element) -> Vec<String>;

/// The tree under construction plus the line ledger.
#[derive(Debug)]
pub struct TreeBuilder {
    roots: Vec<Element>,
    /// Indices from the roots down to the deepest open element.
    path: Vec<usize>,
    /// `owner[n]` is true when line `n` (1-based) is held by an element.
    owned: Vec<bool>,
    keys_of: ReentryKeys,
    /// (path of the parent, kind, key) → index of the last child with that key,
    /// so finding a repeated heading costs a lookup, not a scan of its siblings.
    known: HashMap<(Vec<usize>, ElementKind, String), usize>,
}

impl TreeBuilder {
    /// An empty tree for an input of `line_count` lines; `keys_of` names the
    /// elements for [`TreeBuilder::reenter`].
    pub fn new(line_count: usize, keys_of: ReentryKeys) -> Self {
        TreeBuilder {
            roots: Vec::new(),
            path: Vec::new(),
            owned: vec![false; line_count + 1],
            keys_of,
            known: HashMap::new(),
        }
    }

    fn top_mut(&mut self) -> Option<&mut Element> {
        let (first, rest) = self.path.split_first()?;
        let mut node = self.roots.get_mut(*first)?;
        for &i in rest {
            node = &mut node.children[i];
        }
        Some(node)
    }

    /// The open elements from the root down.
    pub fn open_elements(&self) -> impl Iterator<Item = &Element> + '_ {
        let mut siblings: &[Element] = &self.roots;
        self.path.iter().map(move |&i| {
            let node = &siblings[i];
            siblings = &node.children;
            node
        })
    }

    /// The deepest open element of `kind`, to change it.
    pub fn open_of_mut(&mut self, kind: ElementKind) -> Option<&mut Element> {
        let depth = self.open_elements().position(|e| e.kind == kind)?;
        let (first, rest) = self.path[..=depth].split_first()?;
        let mut node = self.roots.get_mut(*first)?;
        for &i in rest {
            node = &mut node.children[i];
        }
        Some(node)
    }

    /// The open element of `kind`, if any.
    pub fn open_of(&self, kind: ElementKind) -> Option<&Element> {
        self.open_elements().find(|e| e.kind == kind)
    }

    /// Close open elements at `kind`'s level or deeper, then open `element`
    /// under what remains open.
    pub fn open(&mut self, element: Element) {
        let depth = self.open_elements().position(|e| e.kind >= element.kind).unwrap_or(self.path.len());
        self.path.truncate(depth);
        let (kind, keys) = (element.kind, (self.keys_of)(&element));
        let siblings = match self.top_mut() {
            Some(parent) => &mut parent.children,
            None => &mut self.roots,
        };
        siblings.push(element);
        let index = siblings.len() - 1;
        for key in keys {
            self.known.insert((self.path.clone(), kind, key), index);
        }
        self.path.push(index);
    }

    /// Close the open blocks: what comes next belongs to the element above them.
    pub fn close_blocks(&mut self) {
        let keep = self.open_elements().position(|e| e.kind == ElementKind::Block).unwrap_or(self.path.len());
        self.path.truncate(keep);
    }

    /// Re-open an element that was opened before (a repeated heading): the
    /// deepest open element of `kind` with one of the `wanted` keys, else the
    /// last such child of the level it would open at. Returns false when there is none.
    pub fn reenter(&mut self, kind: ElementKind, wanted: &[String]) -> bool {
        let keys_of = self.keys_of;
        let found_open =
            self.open_elements().position(|e| e.kind == kind && keys_of(e).iter().any(|k| wanted.contains(k)));
        if let Some(depth) = found_open {
            self.path.truncate(depth + 1);
            return true;
        }
        let parent_depth = self.open_elements().position(|e| e.kind >= kind).unwrap_or(self.path.len());
        self.path.truncate(parent_depth);
        let last = wanted.iter().filter_map(|key| self.known.get(&(self.path.clone(), kind, key.clone()))).max();
        match last {
            Some(&i) => {
                self.path.push(i);
                true
            }
            None => false,
        }
    }

    /// Add a paragraph to the deepest open element, or to a root `text`
    /// element when nothing is open.
    pub fn add_paragraph(&mut self, paragraph: Paragraph) {
        let line = paragraph.line;
        if self.path.is_empty() {
            if self.roots.last().is_none_or(|e| e.kind != ElementKind::Text) {
                self.roots.push(Element::new(ElementKind::Text, line));
            }
            let text = self.roots.last_mut().expect("just ensured");
            text.body.push(paragraph);
            stretch(text, line);
            self.extend_to(line);
            return;
        }
        self.top_mut().expect("path not empty").body.push(paragraph);
        self.claim(line);
    }

    /// Add a paragraph to the deepest open element without claiming its line
    /// (a description written on its heading's line).
    pub fn add_unclaimed(&mut self, paragraph: Paragraph) {
        if let Some(top) = self.top_mut() {
            top.body.push(paragraph);
        }
    }

    /// Attach a table to the deepest open element (a root `text` element when
    /// nothing is open) and claim its lines.
    pub fn add_table(&mut self, mut table: Table, lines: &[usize]) {
        if self.path.is_empty() {
            self.roots.push(Element::new(ElementKind::Text, table.line_start));
            self.path.push(self.roots.len() - 1);
            self.top_mut().expect("just opened").tables.push(table);
            for &l in lines {
                self.claim(l);
            }
            self.path.clear();
            return;
        }
        let top = self.top_mut().expect("path not empty");
        // A table without a caption of its own is named by the block it stands in.
        if table.caption.is_none() && top.kind == ElementKind::Block {
            table.caption = top.label.clone();
        }
        top.tables.push(table);
        for &l in lines {
            self.claim(l);
        }
    }

    /// Record that line `no` belongs to the deepest open element, and stretch
    /// the spans of all open elements to cover it.
    pub fn claim(&mut self, no: usize) {
        self.extend_to(no);
        let Some((first, rest)) = self.path.split_first() else {
            return;
        };
        let mut node = &mut self.roots[*first];
        stretch(node, no);
        for &i in rest {
            node = &mut node.children[i];
            stretch(node, no);
        }
    }

    fn extend_to(&mut self, no: usize) {
        if no < self.owned.len() {
            debug_assert!(!self.owned[no], "line {no} claimed twice");
            self.owned[no] = true;
        }
    }

    /// Whether line `no` is held by an element.
    pub fn is_owned(&self, no: usize) -> bool {
        self.owned.get(no).copied().unwrap_or(false)
    }

    /// The finished tree.
    pub fn finish(self) -> Vec<Element> {
        self.roots
    }
}

/// Stretch an element's span to include `line`.
fn stretch(e: &mut Element, line: usize) {
    e.line_start = e.line_start.min(line);
    e.line_end = e.line_end.max(line);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParagraphKind;

    /// Elements are found again by their title.
    fn by_title(e: &Element) -> Vec<String> {
        e.title.iter().cloned().collect()
    }

    fn el(kind: ElementKind, title: &str, line: usize) -> Element {
        let mut e = Element::new(kind, line);
        e.title = Some(title.to_string());
        e
    }

    fn para(text: &str, line: usize) -> Paragraph {
        Paragraph { kind: ParagraphKind::Paragraph, text: text.to_string(), line }
    }

    #[test]
    fn levels_nest_and_missing_levels_are_fine() {
        let mut t = TreeBuilder::new(10, by_title);
        t.open(el(ElementKind::Programme, "P", 1));
        t.open(el(ElementKind::Speerpunt, "S1", 2));
        t.open(el(ElementKind::Block, "B", 3));
        t.open(el(ElementKind::Speerpunt, "S2", 4));
        t.add_paragraph(para("x", 5));
        let roots = t.finish();
        assert_eq!(roots.len(), 1);
        let kids: Vec<_> = roots[0].children.iter().map(|c| c.title.clone().unwrap()).collect();
        assert_eq!(kids, vec!["S1", "S2"]);
        assert_eq!(roots[0].children[0].children.len(), 1);
        assert_eq!((roots[0].line_start, roots[0].line_end), (1, 5));
    }

    #[test]
    fn reenter_finds_a_repeated_section() {
        let mut t = TreeBuilder::new(10, by_title);
        t.open(el(ElementKind::Section, "6.1", 1));
        t.open(el(ElementKind::Speerpunt, "A", 2));
        assert!(t.reenter(ElementKind::Section, &["6.1".to_string()]));
        t.open(el(ElementKind::Speerpunt, "B", 3));
        t.open(el(ElementKind::Section, "6.2", 4));
        t.open(el(ElementKind::Section, "6.3", 5));
        assert!(!t.reenter(ElementKind::Section, &["6.4".to_string()]));
        assert!(t.reenter(ElementKind::Section, &["6.1".to_string(), "x".to_string()]));
        t.open(el(ElementKind::Speerpunt, "C", 6));
        let roots = t.finish();
        assert_eq!(roots.len(), 3);
        assert_eq!(roots[0].children.len(), 3);
    }

    #[test]
    fn text_without_parent_goes_to_a_root_text_element() {
        let mut t = TreeBuilder::new(10, by_title);
        t.add_paragraph(para("a", 1));
        t.add_paragraph(para("b", 2));
        assert!(t.is_owned(2));
        let roots = t.finish();
        assert_eq!(roots.len(), 1);
        assert_eq!(roots[0].kind, ElementKind::Text);
        assert_eq!(roots[0].body.len(), 2);
        assert_eq!(roots[0].line_end, 2);
    }
}
