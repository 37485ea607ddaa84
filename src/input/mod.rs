//! Read stage: bytes from a file or standard input → decoded text.
//!
//! Reads are bounded ([`DEFAULT_MAX_BYTES`], `--max-size`), checked while
//! reading, so an endless device or a growing file is an error, not an
//! exhausted memory. Decoding (the rules are in `docs/reliability.md`):
//!
//! - a byte order mark decides: UTF-8, UTF-16 LE or UTF-16 BE;
//! - without one, UTF-16 is recognised by its NUL bytes (every other byte
//!   NUL in most of the first 8 KiB);
//! - otherwise the bytes are UTF-8, unless invalid sequences outnumber the
//!   valid non-ASCII characters: then the whole file is Windows-1252. A UTF-8
//!   file with a few bad bytes keeps its text; each bad sequence becomes
//!   U+FFFD, with a warning naming the first one's offset;
//! - NUL bytes in the first 8 KiB (or many control bytes) make it binary, an
//!   error; a NUL byte after that becomes U+FFFD, with a warning;
//! - a text of only white space (no-break spaces included) is empty, an error;
//! - bytes that are not all UTF-8 and declare an encoding (an HTML page's
//!   `<meta charset>`, an MHTML part's charset) are decoded as declared.
//!
//! An MHTML archive (a page saved as one file) is unpacked to its HTML part
//! first (module `mhtml`). Line ends and odd spaces are left to [`crate::normalize`].

mod mhtml;

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

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
            Some(e) if matches!(e.as_str(), "html" | "htm" | "mhtml" | "mht") => Format::Html,
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
    /// For HTML: whether its markup has been found within the bounds
    /// ([`crate::normalize::MAX_DEPTH`], [`crate::normalize::MAX_ATTRIBUTES`]),
    /// so that reading it need not look again (the input functions look
    /// once, for their warning); `false` when not known.
    pub bounded: bool,
}

/// An input as read: the source, and what was repaired on the way (bad
/// bytes replaced, HTML flattened), one warning each.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The decoded input.
    pub source: Source,
    /// Warnings about it, for the user (the input is still parsed).
    pub warnings: Vec<String>,
}

/// File endings that directory walks pick up.
pub const INPUT_EXTENSIONS: [&str; 5] = ["txt", "html", "htm", "mhtml", "mht"];

/// The largest input read by default (256 MiB): a page export is a few
/// hundred kilobytes, and parsing takes about three times the input in memory.
pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;

/// Read and decode one file of at most `max_bytes`. A FIFO or a device
/// named here is read like a file (up to the limit).
pub fn read_path(path: &Path, max_bytes: u64) -> Result<Loaded> {
    let file = File::open(path).map_err(|e| anyhow::anyhow!("cannot read: {}", io_reason(&e)))?;
    let size = file.metadata().map_err(|e| anyhow::anyhow!("cannot read: {}", io_reason(&e)))?;
    if size.is_dir() {
        bail!("cannot read: is a directory");
    }
    if size.is_file() && size.len() > max_bytes {
        bail!("{}", too_large(max_bytes));
    }
    let bytes = read_limited(file, size.len(), max_bytes)?;
    let (decoded, archive) = decode_input(bytes)?;
    let format = match Format::from_path(path) {
        Format::Text if !archive => Format::sniff(&decoded.text),
        _ => Format::Html,
    };
    Ok(loaded(path.display().to_string(), format, decoded))
}

/// Decode an input; an MHTML archive is unpacked to its HTML part first
/// (the flag says it was one).
fn decode_input(bytes: Vec<u8>) -> Result<(Decoded, bool)> {
    if !mhtml::is_archive(&bytes) {
        return Ok((decode_declared(bytes, None)?, false));
    }
    let (html, charset) = mhtml::html_part(&bytes)?;
    Ok((decode_declared(html, charset.as_deref())?, true))
}

/// Decode bytes that may declare their encoding (an archive part's
/// charset, else an HTML page's `<meta charset>`): bytes that are all UTF-8
/// are UTF-8 whatever they declare; others are decoded as declared when the
/// declaration names an encoding, else by the rules of [`decode`].
fn decode_declared(bytes: Vec<u8>, charset: Option<&str>) -> Result<Decoded> {
    if std::str::from_utf8(&bytes).is_ok() || utf16_of(&bytes).is_some() {
        return decode(bytes);
    }
    let declared = charset.map(str::to_string).or_else(|| meta_charset(&bytes));
    let encoding = declared.and_then(|label| Encoding::for_label(label.trim().as_bytes())).filter(|e| *e != UTF_8);
    match encoding {
        Some(encoding) if !looks_binary(&bytes) => {
            let (text, _) = encoding.decode_without_bom_handling(&bytes);
            let text = text.into_owned();
            if text.chars().all(is_invisible) {
                bail!("empty input");
            }
            Ok(Decoded { text, warnings: Vec::new() })
        }
        _ => decode(bytes),
    }
}

/// Bytes of an HTML page searched for its `<meta charset>`.
const META_CHARSET_BYTES: usize = 1024;

/// The charset an HTML page declares at its start: `<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">`.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(META_CHARSET_BYTES)]).to_ascii_lowercase();
    let meta = head.find("<meta")?;
    let at = head[meta..].find("charset=")? + meta + "charset=".len();
    let value: String = head[at..]
        .trim_start_matches(['"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!value.is_empty()).then_some(value)
}

/// Read and decode all of standard input (at most `max_bytes`).
pub fn read_stdin(max_bytes: u64) -> Result<Loaded> {
    let bytes = read_limited(std::io::stdin().lock(), 0, max_bytes)?;
    let (decoded, archive) = decode_input(bytes)?;
    let format = if archive { Format::Html } else { Format::sniff(&decoded.text) };
    Ok(loaded("-".to_string(), format, decoded))
}

/// The source, with a warning when its HTML has to be flattened to be parsed.
fn loaded(name: String, format: Format, decoded: Decoded) -> Loaded {
    let Decoded { text, mut warnings } = decoded;
    let mut bounded = false;
    if format == Format::Html {
        let warning = crate::normalize::markup_warning(&text);
        bounded = warning.is_none();
        warnings.extend(warning);
    }
    Loaded { source: Source { name, format, text, bounded }, warnings }
}

/// All of `reader`, or an error once it holds more than `max_bytes`;
/// `expected` (the size the file system gives, 0 if none) sizes the buffer.
fn read_limited(reader: impl Read, expected: u64, max_bytes: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(expected.min(max_bytes)).unwrap_or(0).saturating_add(1));
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!("cannot read: {}", io_reason(&e)))?;
    if bytes.len() as u64 > max_bytes {
        bail!("{}", too_large(max_bytes));
    }
    Ok(bytes)
}

fn too_large(max_bytes: u64) -> String {
    format!("larger than the limit of {} (--max-size)", size_name(max_bytes))
}

/// A size in the units `--max-size` takes (`256M`, `1G`, `1500K`, `100`).
pub fn size_name(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")];
    match UNITS.iter().find(|(unit, _)| bytes >= *unit && bytes % unit == 0) {
        Some((unit, name)) => format!("{}{name}", bytes / unit),
        None => format!("{bytes} bytes"),
    }
}

/// What went wrong with a read, in the words of the error messages.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    }
}

/// Decoded text and what was replaced on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// One line per kind of repair (bad bytes, NUL bytes), with the first offset.
    pub warnings: Vec<String>,
}

/// The first 8 KiB: where binary input and BOM-less UTF-16 are recognised.
const HEAD_BYTES: usize = 8192;

/// Decode bytes by the rules in the module doc. Rejects empty and binary
/// input. Takes the bytes by value so valid UTF-8 (the usual case) is not copied.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded> {
    let decoded = match utf16_of(&bytes) {
        Some((encoding, bom)) => decode_utf16(&bytes, encoding, bom)?,
        None => decode_bytes(bytes)?,
    };
    if decoded.text.chars().all(is_invisible) {
        bail!("empty input");
    }
    Ok(decoded)
}

/// White space (no-break spaces included) and the zero-width characters.
fn is_invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

const BINARY: &str = "binary input (contains NUL or control bytes), not text or HTML";

/// UTF-8 (BOM stripped) or Windows-1252.
fn decode_bytes(mut bytes: Vec<u8>) -> Result<Decoded> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    bytes.drain(..bom);
    if looks_binary(&bytes) {
        bail!("{BINARY}");
    }
    let nul = Replaced::of(memchr::memchr_iter(0, &bytes).map(|at| bom + at));
    let (mut text, mut warnings) = match String::from_utf8(bytes) {
        Ok(text) => (text, Vec::new()),
        Err(e) => decode_invalid_utf8(e.as_bytes(), bom),
    };
    if let Some(nul) = nul {
        text = text.replace('\0', "\u{FFFD}");
        warnings.push(nul.warning("a NUL byte"));
    }
    Ok(Decoded { text, warnings })
}

/// Bytes that are not all UTF-8 (`offset`: where they start in the file):
/// UTF-8 with each bad sequence replaced, unless the bad sequences outnumber
/// the valid non-ASCII characters, which makes it Windows-1252.
fn decode_invalid_utf8(bytes: &[u8], offset: usize) -> (String, Vec<String>) {
    let (mut valid_non_ascii, mut bad, mut at) = (0, Vec::new(), offset);
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += crate::bytes::count_where(chunk.valid().as_bytes(), |b| b >= 0xC0);
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            bad.push(at);
        }
        at += chunk.invalid().len();
    }
    if bad.len() > valid_non_ascii {
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
        return (text.into_owned(), Vec::new());
    }
    let warnings = Replaced::of(bad.into_iter()).map(|bad| bad.warning("invalid UTF-8")).into_iter().collect();
    (String::from_utf8_lossy(bytes).into_owned(), warnings)
}

/// UTF-16 by its byte order mark, or by its NUL bytes: in most of the first
/// 8 KiB's two-byte units one byte is NUL (the high byte of ASCII and
/// Latin-1 characters), and the other almost never. The encoding, and the
/// length of the byte order mark.
fn utf16_of(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some((UTF_16LE, 2));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some((UTF_16BE, 2));
    }
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    let units = head.len() / 2;
    let nul_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| units >= 2 && n * 4 >= units * 3;
    let rarely = |n: usize| n * 10 < units;
    match () {
        () if mostly(odd) && rarely(even) => Some((UTF_16LE, 0)),
        () if mostly(even) && rarely(odd) => Some((UTF_16BE, 0)),
        () => None,
    }
}

/// Decode UTF-16 after a byte order mark of `bom` bytes: each malformed
/// unit becomes U+FFFD (with a warning), and so does a NUL character after
/// the first 8 KiB; before that, NULs and control characters are binary.
fn decode_utf16(bytes: &[u8], encoding: &'static Encoding, bom: usize) -> Result<Decoded> {
    let body = &bytes[bom..];
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder.max_utf8_buffer_length_without_replacement(body.len()).unwrap_or(body.len());
    let (mut text, mut read, mut bad) = (String::with_capacity(capacity), 0, Vec::new());
    loop {
        let (result, consumed) = decoder.decode_to_string_without_replacement(&body[read..], &mut text, true);
        read += consumed;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => text.reserve(body.len() - read + 16),
            encoding_rs::DecoderResult::Malformed(length, after) => {
                bad.push(bom + read - usize::from(after) - usize::from(length));
                text.push('\u{FFFD}');
            }
        }
    }
    if looks_binary(text.as_bytes()) {
        bail!("{BINARY}");
    }
    let mut warnings: Vec<String> =
        Replaced::of(bad.into_iter()).map(|bad| bad.warning("invalid UTF-16")).into_iter().collect();
    let nul_units = body.chunks_exact(2).enumerate().filter(|(_, unit)| unit == &[0, 0]);
    if let Some(nul) = Replaced::of(nul_units.map(|(i, _)| bom + 2 * i)) {
        text = text.replace('\0', "\u{FFFD}");
        warnings.push(nul.warning("a NUL character"));
    }
    Ok(Decoded { text, warnings })
}

/// Where the bytes replaced by U+FFFD were: the first offset, and how many.
struct Replaced {
    first: usize,
    count: usize,
}

impl Replaced {
    /// The offsets of the bad sequences, or `None` when there are none.
    fn of(mut offsets: impl Iterator<Item = usize>) -> Option<Replaced> {
        let first = offsets.next()?;
        Some(Replaced { first, count: 1 + offsets.count() })
    }

    /// `"invalid UTF-8 at byte 12 (and 3 more), replaced by U+FFFD"`.
    fn warning(&self, what: &str) -> String {
        let more = if self.count > 1 { format!(" (and {} more)", self.count - 1) } else { String::new() };
        format!("{what} at byte {}{more}, replaced by U+FFFD", self.first)
    }
}

/// True when the first 8 KiB hold a NUL byte or many control bytes.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
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

/// What listing the inputs finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// An input to read.
    Input(PathBuf),
    /// A path that cannot be used: an error for the run.
    Failed(InputError),
    /// Something the walk left out (a directory loop, a FIFO): a warning.
    Skipped(InputError),
}

/// Expand the command-line inputs: files as given, directories walked
/// recursively for `.txt`, `.html` and `.htm` files (sorted). `-` stays `-`.
/// A directory without any input file is an error for that directory; the
/// problems and warnings of each directory come before its files.
pub fn expand_inputs(inputs: &[PathBuf]) -> Vec<Found> {
    let mut out = Vec::new();
    for input in inputs {
        let (mut files, mut problems) = (Vec::new(), Vec::new());
        list_inputs(std::slice::from_ref(input), &mut |found| match found {
            Found::Input(_) => files.push(found),
            _ => problems.push(found),
        });
        out.append(&mut problems);
        out.append(&mut files);
    }
    out
}

/// The inputs as [`expand_inputs`] lists them, handed to `listed` one at a
/// time as the directories are read (files in path order, each problem
/// where it was met), so that work on the first can start before the last
/// is found.
pub fn list_inputs(inputs: &[PathBuf], listed: &mut dyn FnMut(Found)) {
    for input in inputs {
        if input.is_dir() {
            let mut files = 0;
            walk(input, &mut |found| {
                files += usize::from(matches!(found, Found::Input(_)));
                listed(found);
            });
            if files == 0 {
                let reason = "directory holds no .txt, .html or .htm files".to_string();
                listed(Found::Failed(InputError { path: input.clone(), reason }));
            }
        } else {
            listed(Found::Input(input.clone()));
        }
    }
}

/// A directory's identity: device and inode (the path elsewhere).
#[cfg(unix)]
type DirId = (u64, u64);
#[cfg(not(unix))]
type DirId = PathBuf;

#[cfg(unix)]
fn dir_id(path: &Path) -> Option<DirId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_id(path: &Path) -> Option<DirId> {
    std::fs::canonicalize(path).ok()
}

/// What a directory entry is, links followed.
enum EntryKind {
    Directory,
    File,
    /// A FIFO, socket or device: never read from a walk (it may block or never end).
    Special(&'static str),
    /// Gone, or a dangling link: listed, so that reading it reports why.
    Unknown,
}

fn entry_kind(entry: &std::fs::DirEntry) -> EntryKind {
    let file_type = match entry.file_type() {
        // The entry's own type needs no extra system call; links are followed.
        Ok(t) if !t.is_symlink() => t,
        _ => match std::fs::metadata(entry.path()) {
            Ok(m) => m.file_type(),
            Err(_) => return EntryKind::Unknown,
        },
    };
    if file_type.is_dir() {
        EntryKind::Directory
    } else if file_type.is_file() {
        EntryKind::File
    } else {
        EntryKind::Special(special_name(file_type))
    }
}

#[cfg(unix)]
fn special_name(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    match () {
        () if file_type.is_fifo() => "a FIFO",
        () if file_type.is_socket() => "a socket",
        () if file_type.is_char_device() || file_type.is_block_device() => "a device",
        () => "not a regular file",
    }
}

#[cfg(not(unix))]
fn special_name(_: std::fs::FileType) -> &'static str {
    "not a regular file"
}

/// Hand the input files under `root` to `listed` in path order; a directory
/// that cannot be read is a problem, not a silent gap. Each directory's
/// entries are sorted by name and walked depth first (with a stack, not
/// recursion), which is the order of sorting all the paths. A directory met
/// again (a link to an ancestor, or two links to one place) is walked once,
/// and the second meeting is a warning.
fn walk(root: &Path, listed: &mut dyn FnMut(Found)) {
    let mut visited: HashMap<DirId, PathBuf> = HashMap::new();
    if let Some(id) = dir_id(root) {
        visited.insert(id, root.to_path_buf());
    }
    let mut stack = Vec::from_iter(sorted_entries(root, listed));
    while let Some(entries) = stack.last_mut() {
        let Some(entry) = entries.next() else {
            stack.pop();
            continue;
        };
        let path = entry.path();
        match entry_kind(&entry) {
            EntryKind::Directory if is_saved_page_folder(&path) => {}
            EntryKind::Directory => {
                let id = dir_id(&path);
                if let Some(first) = id.as_ref().and_then(|id| visited.get(id)) {
                    listed(Found::Skipped(InputError { reason: walked_before(&path, first), path }));
                    continue;
                }
                visited.extend(id.map(|id| (id, path.clone())));
                stack.extend(sorted_entries(&path, listed));
            }
            EntryKind::File | EntryKind::Unknown if has_input_extension(&path) => listed(Found::Input(path)),
            EntryKind::Special(what) if has_input_extension(&path) => {
                listed(Found::Skipped(InputError { path, reason: format!("skipped: {what}, not a regular file") }));
            }
            _ => {}
        }
    }
}

/// The folder a browser saves a page's images, styles and scripts in
/// (`NAME_files/` beside `NAME.html`): no pages of its own, skipped.
fn is_saved_page_folder(dir: &Path) -> bool {
    let Some(name) = dir.file_name().and_then(|n| n.to_str()) else { return false };
    let Some(page) = name.strip_suffix("_files") else { return false };
    ["html", "htm"].iter().any(|ext| dir.with_file_name(format!("{page}.{ext}")).is_file())
}

/// The warning for a directory reached a second time.
fn walked_before(path: &Path, first: &Path) -> String {
    if path.starts_with(first) {
        format!("a link back to {} (a directory loop), not followed", first.display())
    } else {
        format!("the same directory as {}, listed once", first.display())
    }
}

/// The entries of `dir` sorted by name, or `None` after reporting why it cannot be read.
fn sorted_entries(dir: &Path, listed: &mut dyn FnMut(Found)) -> Option<std::vec::IntoIter<std::fs::DirEntry>> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
            entries.sort_by_cached_key(std::fs::DirEntry::file_name);
            Some(entries.into_iter())
        }
        Err(e) => {
            let reason = format!("cannot read directory: {e}");
            listed(Found::Failed(InputError { path: dir.to_path_buf(), reason }));
            None
        }
    }
}

fn has_input_extension(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    ext.is_some_and(|e| INPUT_EXTENSIONS.contains(&e.as_str()))
}

/// `text` on one line: line breaks and other control characters escaped
/// (`\n`), so that a path holding one cannot break a one-line message.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let escaped = text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() });
    std::borrow::Cow::Owned(escaped.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system's temporary directory.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("begrip-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }

    #[test]
    fn directories_are_listed_in_path_order() {
        let root = scratch("walk");
        let names = ["b.txt", "b-c.txt", "b/x.txt", "b/a/y.htm", "a.html", "B.txt", "c/skip.pdf", "é.txt"];
        for name in names {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            std::fs::write(&path, "x").expect("file");
        }
        let listed = expand_inputs(std::slice::from_ref(&root));
        let mut sorted: Vec<PathBuf> = names.iter().map(|n| root.join(n)).filter(|p| has_input_extension(p)).collect();
        sorted.sort();
        std::fs::remove_dir_all(&root).expect("clean up");
        assert_eq!(listed, sorted.into_iter().map(Found::Input).collect::<Vec<_>>());
        assert_eq!(listed.len(), 7);
    }

    #[cfg(unix)]
    #[test]
    fn link_loops_are_walked_once_and_reported_once_each() {
        let root = scratch("loops");
        std::fs::create_dir_all(root.join("d")).expect("dir");
        std::fs::write(root.join("d/page.txt"), "x").expect("file");
        std::os::unix::fs::symlink(".", root.join("d/self")).expect("link");
        std::os::unix::fs::symlink("..", root.join("d/up")).expect("link");
        std::os::unix::fs::symlink("d", root.join("e")).expect("link");
        let listed = expand_inputs(std::slice::from_ref(&root));
        std::fs::remove_dir_all(&root).expect("clean up");
        let reasons: Vec<String> = listed
            .iter()
            .filter_map(|f| match f {
                Found::Skipped(e) => {
                    Some(format!("{}: {}", e.path.strip_prefix(&root).expect("in").display(), e.reason))
                }
                _ => None,
            })
            .collect();
        let root_name = root.display();
        assert_eq!(
            reasons,
            [
                format!("d/self: a link back to {root_name}/d (a directory loop), not followed"),
                format!("d/up: a link back to {root_name} (a directory loop), not followed"),
                format!("e: the same directory as {root_name}/d, listed once"),
            ]
        );
        assert_eq!(listed.iter().filter(|f| matches!(f, Found::Input(_))).count(), 1);
    }

    #[test]
    fn strips_bom_and_keeps_utf8() {
        assert_eq!(decode(b"\xEF\xBB\xBFfinanci\xC3\xABle".to_vec()).unwrap().text, "financiële");
    }

    #[test]
    fn falls_back_to_windows_1252_when_no_character_is_utf8() {
        let decoded = decode(b"financi\xEBle \x80 5".to_vec()).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.warnings.len()), ("financiële € 5", 0));
    }

    /// The rule: Windows-1252 only when the bad sequences outnumber the valid
    /// non-ASCII characters; otherwise UTF-8 with U+FFFD and a warning.
    #[test]
    fn utf8_with_a_few_bad_bytes_stays_utf8() {
        let decoded = decode(b"financi\xC3\xABle \xC3\xA9\xC3\xA9n \xFF zaken \xEB".to_vec()).unwrap();
        assert_eq!(decoded.text, "financiële één \u{FFFD} zaken \u{FFFD}");
        assert_eq!(decoded.warnings, ["invalid UTF-8 at byte 18 (and 1 more), replaced by U+FFFD"]);
        let decoded = decode(b"\xEF\xBB\xBFcaf\xC3\xA9 \xC3".to_vec()).unwrap();
        assert_eq!(
            decoded.warnings,
            ["invalid UTF-8 at byte 9, replaced by U+FFFD"],
            "offset in the file, BOM counted"
        );
        let decoded = decode(b"\xC3\xAB \xEB \xEB".to_vec()).unwrap();
        assert_eq!(decoded.text, "Ã« ë ë", "two bad against one good: Windows-1252");
    }

    #[test]
    fn utf16_is_decoded_with_or_without_bom() {
        let text = "Programma 1 Wonen\nFinanciën op orde.\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, bom) in [(&le, &b"\xFF\xFE"[..]), (&be, &b"\xFE\xFF"[..])] {
            assert_eq!(decode(bytes.clone()).unwrap().text, text);
            assert_eq!(decode([bom, bytes].concat()).unwrap().text, text);
        }
        let mut broken = le.clone();
        broken.extend([0x00, 0xD8, b'x', 0]);
        let decoded = decode(broken).unwrap();
        assert!(decoded.text.ends_with("\u{FFFD}x"), "{:?}", decoded.text);
        assert_eq!(decoded.warnings, [format!("invalid UTF-16 at byte {}, replaced by U+FFFD", le.len())]);
    }

    #[test]
    fn nul_bytes_after_the_head_are_replaced_with_a_warning() {
        let mut bytes = "Stand van zaken\n".repeat(HEAD_BYTES / 16 + 1).into_bytes();
        let at = bytes.len();
        bytes.extend(b"een\0twee\0");
        let decoded = decode(bytes).unwrap();
        assert!(decoded.text.ends_with("een\u{FFFD}twee\u{FFFD}"));
        assert_eq!(decoded.warnings, [format!("a NUL byte at byte {} (and 1 more), replaced by U+FFFD", at + 3)]);
    }

    #[test]
    fn rejects_empty_and_binary() {
        for blank in [&b"  \n"[..], b"", b"\xC2\xA0\xC2\xA0\n\xC2\xA0", b"\xA0\xA0 \xA0", b"\xEF\xBB\xBF\xE2\x80\x8B"] {
            assert_eq!(decode(blank.to_vec()).unwrap_err().to_string(), "empty input", "{blank:?}");
        }
        assert!(decode(b"abc\0def".to_vec()).unwrap_err().to_string().starts_with("binary input"));
        let pairs: Vec<u8> = (0..100u16).flat_map(|i| (i % 7).to_le_bytes()).collect();
        assert!(
            decode(pairs).unwrap_err().to_string().starts_with("binary input"),
            "UTF-16-like but control characters"
        );
    }

    #[test]
    fn reads_are_limited_while_reading() {
        let endless = std::io::repeat(b'x');
        assert_eq!(
            read_limited(endless, 0, 1000).unwrap_err().to_string(),
            "larger than the limit of 1000 bytes (--max-size)"
        );
        assert_eq!(read_limited(&b"12345"[..], 5, 5).unwrap(), b"12345");
        let dir = scratch("limit");
        let path = dir.join("big.txt");
        std::fs::write(&path, "x".repeat(3 << 10)).expect("write");
        assert_eq!(read_path(&path, 2 << 10).unwrap_err().to_string(), "larger than the limit of 2K (--max-size)");
        assert_eq!(read_path(&dir, 2 << 10).unwrap_err().to_string(), "cannot read: is a directory");
        std::fs::remove_dir_all(&dir).expect("clean up");
        assert_eq!(size_name(DEFAULT_MAX_BYTES), "256M");
    }

    #[test]
    fn one_line_escapes_line_breaks() {
        assert_eq!(one_line("a/b.txt"), "a/b.txt");
        assert_eq!(one_line("a\nb\r.txt: x"), "a\\nb\\r.txt: x");
    }

    #[test]
    fn format_from_name_and_content() {
        assert_eq!(Format::from_path(Path::new("a/b.HTM")), Format::Html);
        assert_eq!(Format::from_path(Path::new("a/b.txt")), Format::Text);
        assert_eq!(Format::sniff("  <!DOCTYPE html><html>"), Format::Html);
        assert_eq!(Format::sniff("Programma 1"), Format::Text);
    }
}
