//! `batch --manifest FILE.csv`: a download list that gives each page what the
//! page itself does not show (its URL, and the organisation, year or
//! document type when the text has none).
//!
//! The file is CSV with a header row of the columns `file` (required), `url`,
//! `gemeente`, `year` and `document_type`, in any order (`,`, or `;` or a tab
//! when the header holds one of those and no comma, as a Dutch spreadsheet
//! saves it). A row belongs to the input whose path relative to the input
//! directory it was found under is `file` (or whose path as given is), else
//! to the one input of that file name when only one row names it.
//!
//! A manifest value fills in a field the page leaves empty; the page's own
//! value wins. Every value taken from the manifest is marked in
//! [`crate::model::Meta::sources`] as [`Given::Manifest`], the way a `--meta`
//! override is marked [`Given::Meta`] ([`crate::batch::give`] does both).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::batch::{give, MetaOverride};
use crate::model::{Document, Given};

/// The columns a manifest may have.
pub const COLUMNS: [&str; 5] = ["file", "url", "gemeente", "year", "document_type"];

/// A download list, read whole.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The manifest's path as given.
    pub path: PathBuf,
    /// Its rows in file order.
    pub rows: Vec<ManifestRow>,
    /// Row index by `file`, normalised ([`key`]).
    by_path: HashMap<String, usize>,
    /// Row index by file name; `None` when several rows have that name.
    by_name: HashMap<String, Option<usize>>,
}

/// One row: an input and the values it is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    /// The line of the file the row starts on (1-based; the header is line 1).
    pub line: u64,
    /// The `file` column as written.
    pub file: String,
    /// The page's address.
    pub url: Option<String>,
    /// `gemeente`, `year` and `document_type`, checked as `--meta` checks them.
    pub values: Vec<MetaOverride>,
}

impl Manifest {
    /// Read and check the manifest at `path`: an error names the file and line.
    pub fn read(path: &Path) -> Result<Manifest> {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read manifest {}", path.display()))?;
        Manifest::from_bytes(path, &bytes)
    }

    /// [`Manifest::read`] of bytes already read.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Manifest> {
        let name = path.display();
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            anyhow::anyhow!("manifest {name}: line {line}: not UTF-8 text (save it as CSV UTF-8)")
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let header_line = text.lines().next().unwrap_or("");
        let delimiter = if header_line.contains(',') {
            b','
        } else if header_line.contains(';') {
            b';'
        } else if header_line.contains('\t') {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(text.as_bytes());
        let header = reader.headers().map_err(|e| csv_error(&name, text, e))?.clone();
        let mut columns: Vec<&str> = Vec::with_capacity(header.len());
        for column in header.iter().map(str::trim) {
            if !COLUMNS.contains(&column) {
                bail!("manifest {name}: line 1: unknown column {column:?}: the columns are {}", COLUMNS.join(", "));
            }
            if columns.contains(&column) {
                bail!("manifest {name}: line 1: the column {column:?} twice");
            }
            columns.push(column);
        }
        if !columns.contains(&"file") {
            bail!("manifest {name}: line 1: no column \"file\" (the columns are {})", COLUMNS.join(", "));
        }
        let mut manifest =
            Manifest { path: path.to_path_buf(), rows: Vec::new(), by_path: HashMap::new(), by_name: HashMap::new() };
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(&name, text, e))?;
            // The line from the byte offset: csv's own count is one short after `\r\n` line ends.
            let line = record.position().map_or(0, |p| line_of(text, p.byte()));
            let at = |what: String| anyhow::anyhow!("manifest {name}: line {line}: {what}");
            let mut row = ManifestRow { line, file: String::new(), url: None, values: Vec::new() };
            for (column, value) in columns.iter().zip(record.iter().map(str::trim)) {
                match (*column, value) {
                    ("file", file) => row.file = file.to_string(),
                    (_, "") => {}
                    ("url", url) => row.url = Some(url.to_string()),
                    (key, value) => row.values.push(MetaOverride::parse(key, value).map_err(at)?),
                }
            }
            if row.file.is_empty() {
                if record.iter().all(|field| field.trim().is_empty()) {
                    continue;
                }
                return Err(at("no file".to_string()));
            }
            let index = manifest.rows.len();
            if let Some(&first) = manifest.by_path.get(&key(Path::new(&row.file))) {
                let first = &manifest.rows[first];
                return Err(at(format!("the file {:?} is on line {} too", row.file, first.line)));
            }
            manifest.by_path.insert(key(Path::new(&row.file)), index);
            if let Some(file_name) = Path::new(&row.file).file_name() {
                let file_name = file_name.to_string_lossy().into_owned();
                manifest.by_name.entry(file_name).and_modify(|i| *i = None).or_insert(Some(index));
            }
            manifest.rows.push(row);
        }
        Ok(manifest)
    }

    /// The row of the input `path`, found under one of `roots` (the inputs
    /// as given): by its path relative to the directory it was found in, by
    /// its path as given, else by its file name when one row alone has it.
    pub fn find(&self, path: &Path, roots: &[PathBuf]) -> Option<usize> {
        let relative =
            roots.iter().filter_map(|root| path.strip_prefix(root).ok()).filter(|r| !r.as_os_str().is_empty());
        relative
            .chain([path])
            .find_map(|candidate| self.by_path.get(&key(candidate)).copied())
            .or_else(|| self.by_name.get(path.file_name()?.to_str()?).copied().flatten())
    }

    /// Give `doc` the values of row `index`: they fill in what the page
    /// leaves empty, marked as the manifest's.
    pub fn apply(&self, index: usize, doc: &mut Document) {
        let row = &self.rows[index];
        give(doc, &row.values, Given::Manifest);
        if let Some(url) = &row.url {
            doc.meta.url = Some(url.clone());
            doc.meta.sources.url = Some(Given::Manifest);
        }
    }
}

/// A CSV error as `manifest FILE: line N: what`.
fn csv_error(name: &impl std::fmt::Display, text: &str, e: csv::Error) -> anyhow::Error {
    let line = e.position().map(|p| line_of(text, p.byte()));
    let what = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields where the header has {expected_len}")
        }
        _ => e.to_string(),
    };
    match line {
        Some(line) => anyhow::anyhow!("manifest {name}: line {line}: {what}"),
        None => anyhow::anyhow!("manifest {name}: {what}"),
    }
}

/// The line (1-based) that byte `offset` of `text` is on.
fn line_of(text: &str, offset: u64) -> u64 {
    let mut end = usize::try_from(offset).unwrap_or(usize::MAX).min(text.len());
    // csv's offset of a record can be at the line end before it (after `\r\n`, at its `\n`).
    end += text.as_bytes()[end..].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() as u64
}

/// A path as a lookup key: its parts joined with `/`, without `.`, roots and
/// prefixes (`./a\b.html` on Windows and `a/b.html` are one key).
fn key(path: &Path) -> String {
    let parts = path.components().filter_map(|c| match c {
        Component::Normal(part) => Some(part.to_string_lossy()),
        Component::ParentDir => Some("..".into()),
        _ => None,
    });
    parts.collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Result<Manifest> {
        Manifest::from_bytes(Path::new("m.csv"), text.as_bytes())
    }

    #[test]
    fn rows_are_read_and_found() {
        let m = manifest("\u{feff}file;url;year\r\nsub/a.html;https://x.nl/a;2024\r\nb.txt;;\r\n;;\r\n").unwrap();
        assert_eq!(m.rows.len(), 2);
        assert_eq!(m.rows[0].values, vec![MetaOverride::Year(2024)]);
        assert_eq!(m.rows[0].url.as_deref(), Some("https://x.nl/a"));
        assert_eq!(m.rows[1].line, 3);
        let roots = [PathBuf::from("downloads")];
        assert_eq!(m.find(Path::new("downloads/sub/a.html"), &roots), Some(0));
        assert_eq!(m.find(Path::new("elsewhere/deep/b.txt"), &roots), Some(1), "by file name");
        assert_eq!(m.find(Path::new("downloads/a.html"), &roots), Some(0), "by the one name");
        assert_eq!(m.find(Path::new("downloads/c.html"), &roots), None);
    }

    #[test]
    fn a_name_on_two_rows_is_found_by_path_only() {
        let m = manifest("file\nx/a.html\ny/a.html\n").unwrap();
        let roots = [PathBuf::from("d")];
        assert_eq!(m.find(Path::new("d/y/a.html"), &roots), Some(1));
        assert_eq!(m.find(Path::new("d/z/a.html"), &roots), None);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let error = |text: &str| format!("{:#}", manifest(text).unwrap_err());
        assert!(error("file,land\na,NL\n").contains("m.csv: line 1: unknown column \"land\""));
        assert!(error("url\nx\n").contains("line 1: no column \"file\""));
        assert!(error("file,year\na,2024\nb,soon\n").contains("m.csv: line 3: year must be"));
        assert!(error("file,year\na,2024\nb,2024,x\n").contains("m.csv: line 3: 3 fields where the header has 2"));
        assert!(error("file\na\n./a\n").contains("line 3: the file \"./a\" is on line 2 too"));
        assert!(error("file,url\n,https://x\n").contains("line 2: no file"));
    }
}
