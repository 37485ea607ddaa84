//! Read stage: bytes from a file or standard input → decoded text.
//!
//! Accepts UTF-8 with or without BOM and falls back to Windows-1252 when the
//! bytes are not valid UTF-8. Empty and binary inputs are errors, never panics.
//! Line ends and odd spaces are left to [`crate::normalize`].

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The two input formats begrip reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Exported page text.
    Text,
    /// A saved HTML page.
    Html,
}

impl Format {
    /// The format implied by a file name (`.html`/`.htm` → HTML, else text).
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) {
            Some(e) if e == "html" || e == "htm" => Format::Html,
            _ => Format::Text,
        }
    }

    /// Sniff HTML from the first bytes of a text whose name says nothing.
    pub fn sniff(text: &str) -> Format {
        let head: String = text.trim_start().chars().take(200).collect::<String>().to_ascii_lowercase();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// One decoded input.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in output and errors (the path, or `-`).
    pub name: String,
    /// Text or HTML.
    pub format: Format,
    /// The decoded text.
    pub text: String,
}

/// File endings that directory walks pick up.
pub const INPUT_EXTENSIONS: [&str; 3] = ["txt", "html", "htm"];

/// Read and decode one file.
pub fn read_path(path: &Path) -> Result<Source> {
    let bytes = std::fs::read(path).map_err(|_| anyhow::anyhow!("cannot read: {}", io_reason(path)))?;
    let text = decode(bytes)?;
    let format = match Format::from_path(path) {
        Format::Text => Format::sniff(&text),
        html => html,
    };
    Ok(Source { name: path.display().to_string(), format, text })
}

/// Read and decode all of standard input.
pub fn read_stdin() -> Result<Source> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).context("cannot read standard input")?;
    let text = decode(bytes)?;
    Ok(Source { name: "-".to_string(), format: Format::sniff(&text), text })
}

fn io_reason(path: &Path) -> String {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "no such file".to_string(),
        Err(e) => e.to_string(),
        Ok(m) if m.is_dir() => "is a directory".to_string(),
        Ok(_) => "permission denied or unreadable".to_string(),
    }
}

/// Decode bytes: UTF-8 (BOM stripped), else Windows-1252. Rejects empty and binary input.
/// Takes the bytes by value so valid UTF-8 (the usual case) is not copied.
pub fn decode(mut bytes: Vec<u8>) -> Result<String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        bail!("empty input");
    }
    if looks_binary(&bytes) {
        bail!("binary input (contains NUL or control bytes), not text or HTML");
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
            Ok(text.into_owned())
        }
    }
}

/// True when the first 8 KiB hold a NUL byte or many control bytes.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let control = crate::bytes::count_where(head, |b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c));
    control * 10 > head.len()
}

/// An input that cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The input as named.
    pub path: PathBuf,
    /// Why it cannot be used.
    pub reason: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for InputError {}

/// Expand the command-line inputs: files as given, directories walked
/// recursively for `.txt`, `.html` and `.htm` files (sorted). `-` stays `-`.
/// A directory without any input file is an error for that directory; the
/// problems of each directory come before its files.
pub fn expand_inputs(inputs: &[PathBuf]) -> Vec<Result<PathBuf, InputError>> {
    let mut out = Vec::new();
    for input in inputs {
        let (mut found, mut problems) = (Vec::new(), Vec::new());
        list_inputs(std::slice::from_ref(input), &mut |listed| match listed {
            Ok(path) => found.push(Ok(path)),
            Err(problem) => problems.push(Err(problem)),
        });
        out.append(&mut problems);
        out.append(&mut found);
    }
    out
}

/// The inputs as [`expand_inputs`] lists them, handed to `listed` one at a
/// time as the directories are read (files in path order, each problem
/// where it was met), so that work on the first can start before the last
/// is found.
pub fn list_inputs(inputs: &[PathBuf], listed: &mut dyn FnMut(Result<PathBuf, InputError>)) {
    for input in inputs {
        if input.is_dir() {
            let mut files = 0;
            walk(input, &mut |item| {
                files += usize::from(item.is_ok());
                listed(item);
            });
            if files == 0 {
                let reason = "directory holds no .txt, .html or .htm files".to_string();
                listed(Err(InputError { path: input.clone(), reason }));
            }
        } else {
            listed(Ok(input.clone()));
        }
    }
}

/// Hand the input files under `dir` to `listed` in path order; a directory
/// that cannot be read is a problem, not a silent gap. Each directory's
/// entries are sorted by name and walked depth first, which is the order of
/// sorting all the paths (paths compare component by component) without
/// comparing paths.
fn walk(dir: &Path, listed: &mut dyn FnMut(Result<PathBuf, InputError>)) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            listed(Err(InputError { path: dir.to_path_buf(), reason: format!("cannot read directory: {e}") }));
            return;
        }
    };
    let mut entries: Vec<(OsString, std::fs::DirEntry)> = entries.flatten().map(|e| (e.file_name(), e)).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, entry) in entries {
        let path = entry.path();
        // The entry's own type needs no extra system call; links are followed.
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_symlink() => path.is_dir(),
            Ok(t) => t.is_dir(),
            Err(_) => path.is_dir(),
        };
        if is_dir {
            walk(&path, listed);
        } else if has_input_extension(&path) {
            listed(Ok(path));
        }
    }
}

fn has_input_extension(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    ext.is_some_and(|e| INPUT_EXTENSIONS.contains(&e.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_listed_in_path_order() {
        let root = std::env::temp_dir().join(format!("begrip-walk-{}", std::process::id()));
        let names = ["b.txt", "b-c.txt", "b/x.txt", "b/a/y.htm", "a.html", "B.txt", "c/skip.pdf", "é.txt"];
        for name in names {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            std::fs::write(&path, "x").expect("file");
        }
        let listed: Vec<PathBuf> =
            expand_inputs(std::slice::from_ref(&root)).into_iter().map(|p| p.expect("listed")).collect();
        let mut sorted: Vec<PathBuf> = names.iter().map(|n| root.join(n)).filter(|p| has_input_extension(p)).collect();
        sorted.sort();
        std::fs::remove_dir_all(&root).expect("clean up");
        assert_eq!(listed, sorted);
        assert_eq!(listed.len(), 7);
    }

    #[test]
    fn strips_bom_and_keeps_utf8() {
        assert_eq!(decode(b"\xEF\xBB\xBFfinanci\xC3\xABle".to_vec()).unwrap(), "financiële");
    }

    #[test]
    fn falls_back_to_windows_1252() {
        assert_eq!(decode(b"financi\xEBle \x80 5".to_vec()).unwrap(), "financiële € 5");
    }

    #[test]
    fn rejects_empty_and_binary() {
        assert_eq!(decode(b"  \n".to_vec()).unwrap_err().to_string(), "empty input");
        assert!(decode(b"abc\0def".to_vec()).unwrap_err().to_string().starts_with("binary input"));
    }

    #[test]
    fn format_from_name_and_content() {
        assert_eq!(Format::from_path(Path::new("a/b.HTM")), Format::Html);
        assert_eq!(Format::from_path(Path::new("a/b.txt")), Format::Text);
        assert_eq!(Format::sniff("  <!DOCTYPE html><html>"), Format::Html);
        assert_eq!(Format::sniff("Programma 1"), Format::Text);
    }
}
