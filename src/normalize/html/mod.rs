//! Saved HTML pages, read through their markup.
//!
//! The page is parsed (html5ever) into our own tree ([`dom`]) with the
//! source line of every node ([`sink`]), and walked into the same one-block-per-line text
//! that the platforms export ([`walk`]), so that one normaliser, table stage
//! and segmenter serve text and HTML. What the text alone would lose is kept
//! beside it in [`Markup`]: per line, where it starts in the source and which
//! element made it (a heading and its level, a list item, a table cell, a
//! status icon); each `<table>` as its grid, with `colspan`/`rowspan`
//! expanded and empty cells in their columns ([`grid`]); the
//! head's title, description and site name; the page's language. Page
//! furniture (navigation, header, footer, cookie banners, forms, hidden
//! elements; `data/html.tsv`) is left out, but for the lines that carry
//! metadata (the export footer).
//!
//! Hostile markup is bounded before it is parsed ([`bound`]).

mod bound;
mod dom;
mod grid;
mod locate;
mod rules;
mod sink;
mod walk;

pub use bound::{markup_warning, MAX_ATTRIBUTES, MAX_DEPTH};

/// Where a line starts in the HTML source: 1-based line, and the column (in
/// characters) of its first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origin {
    /// Source line.
    pub line: u32,
    /// Source column, in characters.
    pub column: u32,
}

/// The element that made an extracted line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hint {
    /// A blank line.
    #[default]
    None,
    /// Text of a paragraph, `div` or other block.
    Text,
    /// A paragraph all in bold (`<p><strong>Stand van zaken:</strong></p>`).
    Bold,
    /// A heading `h1`–`h6`, with its level.
    Heading(u8),
    /// A list item.
    ListItem,
    /// A table cell.
    Cell,
    /// A table's `<caption>`.
    Caption,
    /// A term of a definition list (`dt`): a field label.
    Label,
    /// A status icon or class, written as its status word.
    Status,
}

/// What the markup says of one extracted line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineMark {
    /// Where it starts in the source.
    pub origin: Origin,
    /// The element that made it.
    pub hint: Hint,
}

/// A line of the page's head that names the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadLine {
    /// `title`, `description`, `og:title` or `og:site_name`.
    pub field: &'static str,
    /// Its text.
    pub text: String,
    /// Its source line.
    pub line: usize,
}

/// One cell of a table grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCell {
    /// The first column it covers.
    pub col: usize,
    /// How many columns it covers.
    pub span: usize,
    /// The first and last extracted line of its text; `None` when empty.
    pub lines: Option<(usize, usize)>,
    /// Written as `th`.
    pub header: bool,
    /// Covered by a `rowspan` from a row above (the same cell again).
    pub continued: bool,
}

/// One row of a table grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// Its cells, left to right.
    pub cells: Vec<GridCell>,
    /// In `thead`.
    pub head: bool,
    /// In `tfoot`.
    pub foot: bool,
}

/// A `<table>` of the page, laid out on its grid; its text is in the
/// extracted lines the cells name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarkupTable {
    /// The extracted line of its `<caption>`.
    pub caption: Option<usize>,
    /// Its rows.
    pub rows: Vec<GridRow>,
}

/// A page read through its markup.
#[derive(Debug, Clone, Default)]
pub struct Markup {
    /// The extracted text: one block, cell or item per line, blank lines between.
    pub text: String,
    /// Per extracted line (index: line − 1), what the markup says of it.
    pub marks: Vec<LineMark>,
    /// The outer tables, in page order (a nested table is text of its cell).
    pub tables: Vec<MarkupTable>,
    /// Title, description and site name from the head.
    pub head: Vec<HeadLine>,
    /// `<html lang>`.
    pub language: Option<String>,
}

impl Markup {
    /// What the markup says of extracted line `no` (1-based).
    pub fn mark(&self, no: usize) -> LineMark {
        no.checked_sub(1).and_then(|i| self.marks.get(i)).copied().unwrap_or_default()
    }

    /// The source line of extracted line `no` (`no` itself when unknown).
    pub fn source_line(&self, no: usize) -> usize {
        match self.mark(no).origin.line {
            0 => no,
            line => line as usize,
        }
    }
}

/// Read an HTML page: its text, and what its markup says.
pub fn read(html: &str) -> Markup {
    read_bounded(&bound::bound_markup(html).html)
}

/// [`read`] for a page whose markup is known to be within the bounds
/// ([`markup_warning`] found nothing to say).
pub fn read_bounded(html: &str) -> Markup {
    walk::walk(&sink::parse(html), html)
}

/// The text of an HTML page, one block, cell or item per line.
pub fn html_to_text(html: &str) -> String {
    read(html).text
}
