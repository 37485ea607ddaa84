//! The DOM → the extracted text and what the markup says of each line.
//!
//! Block elements end a line; table cells and list items each get lines of
//! their own, separated by blank lines like the text exports, so the text
//! feeds the same normaliser, table stage and segmenter as a text export.
//! Beside the text the walk keeps, per line, where it starts in the source
//! and which element made it ([`Hint`]), each outer `<table>` as its grid,
//! the breadcrumb, and the metadata of the head. The tree is walked without
//! recursion (the open and close edges of [`Dom::traverse`]).

use super::dom::{Data, Dom, Edge, Element, NodeId};
use super::grid::{grid, Part, WrittenCell, WrittenRow};
use super::locate::Locator;
use super::rules::{html_rules, Role};
use super::{HeadLine, Hint, LineMark, Markup, Origin};
use crate::rules::rules;

/// Elements that start and end a line of their own.
const BLOCKS: [&str; 27] = [
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
    "caption",
    "tr",
    "td",
    "th",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "figcaption",
];

/// Walk a parsed page (`source` is the markup it was parsed from).
pub fn walk(parsed: &Dom, source: &str) -> Markup {
    let main = main_element(parsed);
    let mut w = Walker {
        parsed,
        locator: Locator::new(source),
        out: Markup { text: String::with_capacity(source.len() / 2), ..Markup::default() },
        line_has_text: false,
        pending_prefix: "",
        hints: Vec::new(),
        bold: 0,
        line_all_bold: true,
        skipping: None,
        chrome: None,
        main,
        in_main: main.is_none(),
        chrome_line: String::new(),
        chrome_space: false,
        chrome_line_at: 0,
        table_depth: 0,
        table: None,
        has_breadcrumb: false,
        list: None,
        list_depth: 0,
    };
    w.out.marks.push(LineMark::default());
    w.read_head();
    for edge in parsed.traverse() {
        match edge {
            Edge::Open(id) => w.open(id, &parsed.node(id).data),
            Edge::Close(id) => w.close(id, &parsed.node(id).data),
        }
    }
    w.end_chrome_line();
    w.end_block();
    w.number_lines_outside_the_text();
    w.out
}

/// The element that holds the content: the first match of the `main`
/// selectors (in their order) that is not page furniture.
fn main_element(parsed: &Dom) -> Option<NodeId> {
    let containers = &html_rules().main;
    // One pass over the elements: the first of each kind of container, in page order.
    let mut first: Vec<Option<NodeId>> = vec![None; containers.len()];
    let root = parsed.root_element()?;
    for id in parsed.descendants(root) {
        let Some(e) = parsed.element(id) else { continue };
        for (i, container) in containers.iter().enumerate() {
            if first[i].is_none()
                && container.matches(e)
                && !parsed.ancestors(id).filter_map(|a| parsed.element(a)).any(is_furniture)
            {
                first[i] = Some(id);
            }
        }
        if first[0].is_some() {
            // Nothing ranks above the first kind.
            break;
        }
    }
    first.into_iter().flatten().next()
}

fn is_furniture(e: &Element) -> bool {
    html_rules().role(e) != Role::Content
}

/// A table being read.
#[derive(Default)]
struct TableBuild {
    rows: Vec<WrittenRow>,
    part: Part,
    cell: Option<WrittenCell>,
    caption: Option<usize>,
    in_caption: bool,
}

struct Walker<'p, 's> {
    parsed: &'p Dom,
    locator: Locator<'s>,
    out: Markup,
    /// Whether the current line has text.
    line_has_text: bool,
    /// What the current line starts with once it has text (`• ` in a list item).
    pending_prefix: &'static str,
    /// The elements that make lines, innermost last, with their hint.
    hints: Vec<(NodeId, Hint)>,
    /// How many `b`/`strong` are open, and whether all the line's text is in one.
    bold: usize,
    line_all_bold: bool,
    /// The element whose content is skipped, and the furniture being passed.
    skipping: Option<NodeId>,
    chrome: Option<NodeId>,
    main: Option<NodeId>,
    in_main: bool,
    /// The line of furniture being read (searched for metadata; its white
    /// space folded as it comes, a space owed), and its source line.
    chrome_line: String,
    chrome_space: bool,
    chrome_line_at: u32,
    /// Tables open, and the outer one being read.
    table_depth: usize,
    table: Option<TableBuild>,
    /// Whether the breadcrumb has been read (the first one counts).
    has_breadcrumb: bool,
    /// The outer definition list being read (outside tables), and how many are open.
    list: Option<FieldList>,
    list_depth: usize,
}

/// A definition list being read: its terms and definitions in order, each
/// with the extracted lines of its text.
#[derive(Default)]
struct FieldList {
    parts: Vec<(bool, Option<(usize, usize)>)>,
    /// The term (`true`) or definition being read.
    open: Option<(bool, Option<(usize, usize)>)>,
}

impl FieldList {
    /// The list as a table of one row: its terms over their definitions
    /// (`Indicator`, `Streefwaarde 2024`, `Bron` over the indicator's name,
    /// its value and source). Only a list of terms each with one definition.
    fn table(self) -> Option<super::MarkupTable> {
        let alternating = self.parts.len() >= 4
            && self.parts.len() % 2 == 0
            && self.parts.chunks(2).all(|pair| pair[0].0 && !pair[1].0 && pair[0].1.is_some());
        if !alternating {
            return None;
        }
        let cell = |lines: Option<(usize, usize)>, header: bool| WrittenCell { colspan: 1, rowspan: 1, header, lines };
        let terms = self.parts.iter().step_by(2).map(|p| cell(p.1, true)).collect();
        let definitions = self.parts.iter().skip(1).step_by(2).map(|p| cell(p.1, false)).collect();
        let rows =
            vec![WrittenRow { cells: terms, part: Part::Head }, WrittenRow { cells: definitions, part: Part::Body }];
        Some(grid(rows, None))
    }
}

impl Walker<'_, '_> {
    fn line_of(&self, id: NodeId) -> u32 {
        self.parsed.node(id).line
    }

    /// The current extracted line (1-based).
    fn line_no(&self) -> usize {
        self.out.marks.len()
    }

    fn in_chrome(&self) -> bool {
        self.chrome.is_some() || !self.in_main
    }

    fn open(&mut self, id: NodeId, node: &Data) {
        if self.skipping.is_some() {
            return;
        }
        match node {
            Data::Text(text) if self.in_chrome() => self.chrome_text(text, id),
            Data::Text(text) => self.text(text, id),
            Data::Element(e) => self.open_element(id, e),
            _ => {}
        }
    }

    fn close(&mut self, id: NodeId, node: &Data) {
        if self.skipping == Some(id) {
            self.skipping = None;
            return;
        }
        if self.skipping.is_some() {
            return;
        }
        let Data::Element(e) = node else { return };
        if self.chrome == Some(id) {
            self.chrome = None;
            self.end_chrome_line();
            return;
        }
        if self.main == Some(id) {
            self.end_block();
            self.in_main = false;
            return;
        }
        if self.in_chrome() {
            if BLOCKS.contains(&e.name()) {
                self.end_chrome_line();
            }
            return;
        }
        self.close_content(id, e);
    }

    fn open_element(&mut self, id: NodeId, e: &Element) {
        let name = e.name();
        if self.main == Some(id) {
            self.end_chrome_line();
            self.in_main = true;
        }
        let status = self.status_icon(id, e).filter(|_| !self.in_chrome());
        let role = html_rules().role(e);
        match role {
            Role::Skipped => return self.skipping = Some(id),
            Role::Breadcrumb => {
                self.read_breadcrumb(id);
                return self.skipping = Some(id);
            }
            Role::Chrome if self.chrome.is_none() => {
                self.end_chrome_line();
                self.chrome = Some(id);
            }
            _ => {}
        }
        if matches!(name, "img" | "svg") {
            if let Some(word) = status.as_deref() {
                self.status_line(word, self.line_of(id));
            }
            return self.skipping = Some(id);
        }
        if self.in_chrome() {
            if BLOCKS.contains(&name) || name == "br" {
                self.end_chrome_line();
            }
            return;
        }
        self.open_content(id, e);
        // An icon without text (a cell coloured or titled by its status): inside what it opened.
        if let Some(word) = status.as_deref() {
            self.status_line(word, self.line_of(id));
        }
    }

    fn open_content(&mut self, id: NodeId, e: &Element) {
        let name = e.name();
        if name == "br" {
            return self.line_break();
        }
        if matches!(name, "b" | "strong") {
            self.bold += 1;
        }
        if name == "table" {
            self.open_table();
        }
        if self.table_depth == 1 {
            self.open_table_part(e);
        }
        if self.table_depth == 0 {
            self.open_list_part(name);
        }
        if BLOCKS.contains(&name) {
            self.end_block();
            let hint = hint_of(name);
            if matches!(hint, Hint::Heading(_)) {
                // A heading in a list item heads what the item holds (a project and its text):
                // a heading, as outside a list, not an item of the list.
                self.pending_prefix = "";
            }
            self.hints.push((id, hint));
        }
        if name == "li" {
            self.pending_prefix = "• ";
        }
    }

    fn close_content(&mut self, id: NodeId, e: &Element) {
        let name = e.name();
        if matches!(name, "b" | "strong") {
            self.bold = self.bold.saturating_sub(1);
        }
        if BLOCKS.contains(&name) {
            self.end_block();
            if self.hints.last().is_some_and(|(open, _)| *open == id) {
                self.hints.pop();
            }
        }
        if self.table_depth == 1 {
            self.close_table_part(name);
        }
        if name == "table" {
            self.close_table();
        }
        if self.table_depth == 0 {
            self.close_list_part(name);
        }
        if name == "li" {
            self.pending_prefix = "";
        }
        if let Some((word, marked)) = html_rules().status_class(e) {
            // A card with a status class: its status, once its speerpunt has been read.
            if marked && self.has_text(id) {
                let last = self.out.marks.iter().rev().find(|m| m.hint != Hint::None).map_or(0, |m| m.origin.line);
                self.status_line(&word, last);
            }
        }
    }

    /// The status an icon stands for: an `img`'s `alt` or `title`, an
    /// `svg`'s `<title>`, the `title` or `aria-label` of an element without
    /// text, or a status class of an element without text; only words that
    /// `data/status_words.tsv` knows.
    fn status_icon(&self, id: NodeId, e: &Element) -> Option<String> {
        let known = |t: &&str| rules().status_words.name_in(t.trim()).is_some();
        let said = [e.attr("alt"), e.attr("title"), e.attr("aria-label")].into_iter().flatten().find(known);
        let said = said.map(|t| t.trim().to_string());
        match e.name() {
            "img" => said,
            "svg" => self.svg_title(id).filter(|t| known(&t.as_str())).or(said),
            _ => {
                // Asked last: whether the element holds text looks at all it holds.
                let word = said.or_else(|| html_rules().status_class(e).map(|(word, _)| word))?;
                (!self.has_text(id)).then_some(word)
            }
        }
    }

    /// The text of an `svg`'s `<title>`.
    fn svg_title(&self, id: NodeId) -> Option<String> {
        let title =
            self.parsed.descendants(id).find(|&d| self.parsed.element(d).is_some_and(|e| e.name() == "title"))?;
        Some(squeeze(&self.parsed.text(title)))
    }

    fn has_text(&self, id: NodeId) -> bool {
        self.parsed.descendants(id).any(|d| matches!(&self.parsed.node(d).data, Data::Text(t) if !t.trim().is_empty()))
    }

    /// A line of its own that says a status.
    fn status_line(&mut self, word: &str, line: u32) {
        self.end_block();
        let origin = Origin { line, column: 1 };
        self.start_line(origin, Hint::Status);
        self.out.text.push_str(word);
        self.end_block();
    }

    fn text(&mut self, text: &str, id: NodeId) {
        if !self.line_has_text {
            let visible = text.trim_start();
            if visible.is_empty() {
                return;
            }
            let hint = self.hints.last().map_or(Hint::Text, |h| h.1);
            let origin = self.locator.locate(self.line_of(id), visible);
            self.start_line(origin, hint);
            return self.push_text(visible);
        }
        self.push_text(text);
    }

    fn push_text(&mut self, text: &str) {
        if self.bold == 0 && !text.trim().is_empty() {
            self.line_all_bold = false;
        }
        let out = &mut self.out.text;
        out.extend(text.chars().map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }));
    }

    /// Start a line: its origin, its hint, and what it starts with.
    fn start_line(&mut self, origin: Origin, hint: Hint) {
        let no = self.line_no();
        self.out.marks[no - 1] = LineMark { origin, hint };
        self.line_has_text = true;
        self.line_all_bold = true;
        self.out.text.push_str(self.pending_prefix);
        self.pending_prefix = "";
        if let Some(table) = self.table.as_mut() {
            if table.in_caption {
                table.caption.get_or_insert(no);
            }
            if let Some(cell) = table.cell.as_mut() {
                cell.lines = Some((cell.lines.map_or(no, |l| l.0), no));
            }
        }
        if let Some((_, lines)) = self.list.as_mut().and_then(|l| l.open.as_mut()) {
            *lines = Some((lines.map_or(no, |l| l.0), no));
        }
    }

    fn open_list_part(&mut self, name: &str) {
        match name {
            "dl" => {
                self.list_depth += 1;
                if self.list_depth == 1 {
                    self.list = Some(FieldList::default());
                }
            }
            "dt" | "dd" if self.list_depth == 1 => {
                if let Some(list) = self.list.as_mut() {
                    list.open = Some((name == "dt", None));
                }
            }
            _ => {}
        }
    }

    fn close_list_part(&mut self, name: &str) {
        match name {
            "dl" => {
                if self.list_depth == 1 {
                    if let Some(table) = self.list.take().and_then(FieldList::table) {
                        self.out.tables.push(table);
                    }
                }
                self.list_depth = self.list_depth.saturating_sub(1);
            }
            "dt" | "dd" if self.list_depth == 1 => {
                if let Some(list) = self.list.as_mut() {
                    list.parts.extend(list.open.take());
                }
            }
            _ => {}
        }
    }

    /// A `<br>`: the next line, with no blank line between.
    fn line_break(&mut self) {
        if self.line_has_text {
            self.finish_line();
            self.new_line();
        }
    }

    /// End the current line and leave one blank line, without piling up blanks.
    fn end_block(&mut self) {
        if !self.line_has_text {
            return;
        }
        self.finish_line();
        self.new_line();
        self.new_line();
    }

    fn finish_line(&mut self) {
        let trimmed = self.out.text.trim_end_matches([' ', '\t']).len();
        self.out.text.truncate(trimmed);
        let no = self.line_no();
        let mark = &mut self.out.marks[no - 1];
        if self.line_all_bold && mark.hint == Hint::Text {
            mark.hint = Hint::Bold;
        }
        self.line_has_text = false;
    }

    fn new_line(&mut self) {
        self.out.text.push('\n');
        self.out.marks.push(LineMark::default());
    }

    fn open_table(&mut self) {
        self.table_depth += 1;
        if self.table_depth == 1 {
            self.table = Some(TableBuild::default());
        }
    }

    fn close_table(&mut self) {
        if self.table_depth == 1 {
            if let Some(t) = self.table.take() {
                let mut rows = t.rows;
                // A cell or row left open by a page cut off inside it.
                rows.retain(|r| !r.cells.is_empty());
                self.out.tables.push(grid(rows, t.caption));
            }
        }
        self.table_depth = self.table_depth.saturating_sub(1);
    }

    fn open_table_part(&mut self, e: &Element) {
        let Some(table) = self.table.as_mut() else { return };
        match e.name() {
            "thead" => table.part = Part::Head,
            "tbody" => table.part = Part::Body,
            "tfoot" => table.part = Part::Foot,
            "caption" => table.in_caption = true,
            "tr" => table.rows.push(WrittenRow { cells: Vec::new(), part: table.part }),
            "td" | "th" => {
                let number = |name: &str, default: usize| {
                    e.attr(name).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(default)
                };
                let header = e.name() == "th";
                table.cell = Some(WrittenCell {
                    colspan: number("colspan", 1),
                    rowspan: number("rowspan", 1),
                    header,
                    lines: None,
                });
            }
            _ => {}
        }
    }

    fn close_table_part(&mut self, name: &str) {
        let Some(table) = self.table.as_mut() else { return };
        match name {
            "caption" => table.in_caption = false,
            "thead" | "tfoot" => table.part = Part::Body,
            "td" | "th" => {
                if let Some(cell) = table.cell.take() {
                    if table.rows.is_empty() {
                        table.rows.push(WrittenRow { cells: Vec::new(), part: table.part });
                    }
                    table.rows.last_mut().expect("a row").cells.push(cell);
                }
            }
            _ => {}
        }
    }

    /// The items of a breadcrumb (its list items, else its links).
    fn read_breadcrumb(&mut self, id: NodeId) {
        let dom = self.parsed;
        let named = |names: &[&str]| -> Vec<String> {
            dom.descendants(id)
                .filter(|&d| dom.element(d).is_some_and(|e| names.contains(&e.name())))
                .map(|d| squeeze(&dom.text(d)))
                .filter(|t| !t.is_empty())
                .collect()
        };
        let mut items = named(&["li"]);
        if items.is_empty() {
            items = named(&["a"]);
        }
        if items.is_empty() || self.has_breadcrumb {
            return;
        }
        // Written as a text export writes it, where it stands: the boilerplate
        // rule makes it the breadcrumb, and the segmenter sees where it was.
        self.has_breadcrumb = true;
        self.metadata_line(&format!("U bent hier: {}", items.join(" > ")), self.line_of(id));
    }

    fn chrome_text(&mut self, text: &str, id: NodeId) {
        if self.chrome_line.is_empty() {
            if text.trim().is_empty() {
                return;
            }
            self.chrome_line_at = self.line_of(id);
        }
        for c in text.chars() {
            if c.is_whitespace() {
                self.chrome_space = !self.chrome_line.is_empty();
                continue;
            }
            if std::mem::take(&mut self.chrome_space) {
                self.chrome_line.push(' ');
            }
            self.chrome_line.push(c);
        }
    }

    /// The end of a line of furniture: a line that carries metadata (the
    /// export footer, `U bent hier: …`) goes into the text where it stands,
    /// for the boilerplate rules to read as they read a text export.
    fn end_chrome_line(&mut self) {
        if self.chrome_line.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.chrome_line);
        self.chrome_space = false;
        if rules().boilerplate.metadata.is_match(&text) {
            self.metadata_line(&text, self.chrome_line_at);
        }
        // The buffer is kept for the next line.
        self.chrome_line = text;
        self.chrome_line.clear();
    }

    /// A line of its own in the text, from source line `line`.
    fn metadata_line(&mut self, text: &str, line: u32) {
        self.end_block();
        self.start_line(Origin { line, column: 1 }, Hint::Text);
        self.push_text(text);
        self.end_block();
    }

    /// The head lines are not in the text: they get line
    /// numbers after its end, whose marks say their source lines (so that
    /// evidence from them maps to the source like any other line).
    fn number_lines_outside_the_text(&mut self) {
        let number = |marks: &mut Vec<LineMark>, line: usize| {
            let line = u32::try_from(line).unwrap_or(u32::MAX);
            marks.push(LineMark { origin: Origin { line, column: 1 }, hint: Hint::None });
            marks.len()
        };
        for head in &mut self.out.head {
            head.line = number(&mut self.out.marks, head.line);
        }
    }

    /// `<title>`, the description and Open Graph names, `<html lang>`.
    fn read_head(&mut self) {
        let dom = self.parsed;
        let Some(root) = dom.root_element() else { return };
        let lang = dom.element(root).and_then(|e| e.attr("lang"));
        self.out.language = lang.map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
        let Some(head) = dom.children(root).find(|&c| dom.element(c).is_some_and(|e| e.name() == "head")) else {
            return;
        };
        for id in dom.descendants(head) {
            let Some(value) = dom.element(id) else { continue };
            let field = match (value.name(), value.attr("name").or(value.attr("property"))) {
                ("title", _) => "title",
                ("meta", Some("description")) => "description",
                ("meta", Some("og:title")) => "og:title",
                ("meta", Some("og:site_name")) => "og:site_name",
                _ => continue,
            };
            let text =
                if value.name() == "title" { dom.text(id) } else { value.attr("content").unwrap_or("").to_string() };
            let text = squeeze(&text);
            if !text.is_empty() {
                self.out.head.push(HeadLine { field, text, line: self.line_of(id) as usize });
            }
        }
    }
}

/// The hint of a line that an element of `name` starts.
fn hint_of(name: &str) -> Hint {
    match name.as_bytes() {
        [b'h', level @ b'1'..=b'6'] => Hint::Heading(level - b'0'),
        b"li" => Hint::ListItem,
        b"td" | b"th" => Hint::Cell,
        b"caption" => Hint::Caption,
        b"dt" => Hint::Label,
        _ => Hint::Text,
    }
}

/// White space folded to single spaces, trimmed.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
