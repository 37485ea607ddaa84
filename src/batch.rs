//! Batch conversion: many inputs → one output directory, in parallel.
//!
//! Every input becomes `OUT/<its path>.json` (the input's path mirrored, the
//! extension replaced), unless [`BatchOptions::json`] is off; the rows of all
//! inputs go to `OUT/records.csv` and `OUT/indicators.csv` in input order
//! (exactly what `begrip parse` writes for the same inputs), and failures to
//! `OUT/errors.csv`. Every file is written under a temporary name and renamed
//! when complete ([`crate::partial`]), so an interrupted run never leaves a
//! file that looks complete, and an error removes the temporary files.
//!
//! The output directory must be empty (or new): the files of an earlier run
//! next to this run's would look like one result. [`BatchOptions::clean`]
//! first deletes an earlier run's files, and refuses when the directory holds
//! anything else or an input.
//!
//! The main thread lists the inputs while the workers convert them: workers
//! take inputs in order as they are listed; whichever worker hands in the next
//! input in order writes it (and any later ones already done), outside the
//! lock, while the others go on parsing: there is no writer thread to wake for
//! every input. At most a few results per worker wait at a time, so memory is
//! bounded by the largest inputs, not by the corpus size.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::emit::{
    append_jsonl, append_rows, content_hash, excel_safe, CsvEmitter, Emitter, SqliteWriter, TableKind, XlsxEmitter,
};
use crate::input::{self, Found, InputError};
use crate::manifest::Manifest;
use crate::model::{Document, Given};
use crate::partial::{self, Partial};

/// One `--meta KEY=VALUE` override: the value replaces what the page says
/// (for `parse` and `batch` alike).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaOverride {
    /// `gemeente=NAME`.
    Gemeente(String),
    /// `year=YYYY`.
    Year(u16),
    /// `document_type=TYPE`.
    DocumentType(String),
}

impl MetaOverride {
    /// The value of `key` (`gemeente`, `year` or `document_type`), checked:
    /// a year is one from 1900 to 2100. For `--meta` and a manifest's columns.
    pub fn parse(key: &str, value: &str) -> Result<MetaOverride, String> {
        let value = value.trim();
        match key.trim() {
            "gemeente" => Ok(MetaOverride::Gemeente(value.to_string())),
            "document_type" => Ok(MetaOverride::DocumentType(value.to_string())),
            "year" => match value.parse::<u16>() {
                Ok(y) if (1900..=2100).contains(&y) => Ok(MetaOverride::Year(y)),
                _ => Err(format!("year must be a year such as 2024, not {value:?}")),
            },
            other => Err(format!("unknown metadata key {other:?}: use gemeente, year or document_type")),
        }
    }
}

/// Apply `--meta` overrides to a parsed document (marked as given by `--meta`).
pub fn apply_overrides(doc: &mut Document, overrides: &[MetaOverride]) {
    give(doc, overrides, Given::Meta);
}

/// Give a document metadata values from outside the page, and mark each
/// in `meta.sources`: [`Given::Meta`] values replace the page's,
/// [`Given::Manifest`] values only fill in what the page does not show.
/// A `gemeente` set also sets `organisation`: the official name when the
/// value is a known name or alias (`Den Haag` → `'s-Gravenhage`), else the value.
pub fn give(doc: &mut Document, values: &[MetaOverride], given: Given) {
    /// Whether the value was set.
    fn set<T: Clone>(field: &mut Option<T>, source: &mut Option<Given>, value: &T, given: Given) -> bool {
        let replace = given == Given::Meta || field.is_none();
        if replace {
            *field = Some(value.clone());
            *source = Some(given);
        }
        replace
    }
    let meta = &mut doc.meta;
    for value in values {
        match value {
            MetaOverride::Gemeente(g) => {
                if set(&mut meta.gemeente, &mut meta.sources.gemeente, g, given) {
                    // The official name of a known name or alias, else the name as given.
                    meta.organisation = Some(crate::meta::official_name(g).unwrap_or(g).to_string());
                }
            }
            MetaOverride::Year(y) => _ = set(&mut meta.year, &mut meta.sources.year, y, given),
            MetaOverride::DocumentType(t) => {
                _ = set(&mut meta.document_type, &mut meta.sources.document_type, t, given);
            }
        }
    }
}

/// How a batch run writes its output.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The output directory (created if needed) for the JSON and CSV files;
    /// `None`: none of them (only the workbook or the database).
    pub out_dir: Option<PathBuf>,
    /// Also write every input's rows into this SQLite file (one transaction).
    pub sqlite: Option<PathBuf>,
    /// Also write every input's rows into this workbook.
    pub xlsx: Option<PathBuf>,
    /// Metadata overrides applied to every document.
    pub meta: Vec<MetaOverride>,
    /// A download list: per input what the page does not show (its URL, …).
    pub manifest: Option<Manifest>,
    /// Worker threads (at least 1, at most [`job_limit`]).
    pub jobs: usize,
    /// The format of the combined tables (`records`, `indicators`, `errors`).
    pub tables: TableFormat,
    /// CSV delimiter.
    pub delimiter: u8,
    /// CSV for spreadsheets: a UTF-8 byte order mark, and text cells that
    /// look like formulas made plain text (see [`crate::emit::excel_safe`]).
    pub excel: bool,
    /// Write one JSON per input (false: only the combined CSV files).
    pub json: bool,
    /// The largest input read, in bytes.
    pub max_bytes: u64,
    /// Delete the files of an earlier run in the output directory first
    /// (without it, a directory that is not empty is refused).
    pub clean: bool,
    /// Report progress through this callback (done, total, bytes read).
    pub progress: Option<fn(&Progress)>,
    /// Report each failed input (file, reason) as it is written to `errors.csv`.
    pub on_failure: Option<fn(&str, &str)>,
    /// Report each warning (file, what): inputs left out of a walk, bytes
    /// replaced, HTML flattened. In input order, before the input's result.
    pub on_warning: Option<fn(&str, &str)>,
}

/// How `batch` writes the combined tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TableFormat {
    /// `records.csv`, `indicators.csv`, `errors.csv`: the CSV `parse` writes.
    #[default]
    Csv,
    /// `records.jsonl`, `indicators.jsonl`, `errors.jsonl`: the JSON Lines
    /// `parse --format jsonl` writes (errors as `{"file", "error"}`).
    Jsonl,
}

impl TableFormat {
    /// The files' extension.
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Jsonl => "jsonl",
        }
    }
}

/// Progress of a running batch.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Inputs finished (converted or failed).
    pub done: usize,
    /// Inputs listed so far (all of them once `listed_all`).
    pub total: usize,
    /// Whether every input has been listed (inputs are converted while the
    /// directories are still being read).
    pub listed_all: bool,
    /// Bytes of input read so far.
    pub bytes: u64,
    /// Time since the start.
    pub elapsed: Duration,
}

/// What a batch run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Inputs converted.
    pub files_ok: usize,
    /// Inputs that failed (listed in `errors.csv`).
    pub files_failed: usize,
    /// Content lines read.
    pub lines: usize,
    /// Elements found.
    pub elements: usize,
    /// Indicator rows written.
    pub indicators: usize,
    /// Lines with numbers that are in no table row (see
    /// [`crate::model::Coverage::numbers_outside_tables`]).
    pub numbers_outside_tables: usize,
    /// Bytes of input read.
    pub bytes: u64,
    /// Wall time.
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ok, {} failed, {} lines, {} elements, {} indicators, {} lines with numbers in no table, {:.1} MB in {:.2} s",
            self.files_ok,
            self.files_failed,
            self.lines,
            self.elements,
            self.indicators,
            self.numbers_outside_tables,
            self.bytes as f64 / 1e6,
            self.seconds
        )
    }
}

/// The outcome of one input.
#[derive(Debug)]
enum Outcome {
    Converted {
        records: Vec<u8>,
        indicators: Vec<u8>,
        /// The document, when a workbook or database takes it; with its content hash.
        doc: Option<(Box<Document>, String)>,
        lines: usize,
        elements: usize,
        indicator_rows: usize,
        numbers_outside_tables: usize,
        bytes: u64,
    },
    Failed {
        error: String,
        bytes: u64,
    },
    /// Not an input: what a walk left out, reported as a warning.
    Skipped,
}

/// Buffer size of the combined CSV files.
const CSV_BUFFER_BYTES: usize = 1 << 20;

/// Results that may wait to be written, per worker.
const WINDOW_PER_JOB: usize = 4;

/// Workers per core at most: more only adds threads that wait, each with
/// its stack, allocator heap and buffers.
const JOBS_PER_CORE: usize = 4;

/// The most workers a run uses: four per core.
pub fn job_limit() -> usize {
    JOBS_PER_CORE * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A worker keeps a JSON buffer of at most this capacity between inputs
/// (one huge input does not hold its memory for the rest of the run).
const JSON_BUFFER_KEPT: usize = 4 << 20;

/// Convert every input (files, directories walked recursively) into `options.out_dir`.
pub fn run_batch(inputs: &[PathBuf], options: &BatchOptions) -> Result<Summary> {
    let started = Instant::now();
    for output in options.sqlite.iter().chain(&options.xlsx) {
        let Ok(target) = std::fs::canonicalize(output) else { continue };
        if let Some(input) = inputs.iter().find(|i| std::fs::canonicalize(i).is_ok_and(|i| i == target)) {
            bail!("{} is the input {}: it would be overwritten", output.display(), input.display());
        }
    }
    if let Some(dir) = &options.out_dir {
        // The database and the workbook may be in the directory: they are this run's too.
        let ours: Vec<PathBuf> =
            options.sqlite.iter().chain(&options.xlsx).filter_map(|p| std::fs::canonicalize(p).ok()).collect();
        prepare_out_dir(dir, inputs, options.clean, &ours)?;
    }
    let out = Outputs::create(options)?;
    let jobs = options.jobs.clamp(1, job_limit());
    let order = InOrder::new(out, jobs * WINDOW_PER_JOB);
    let listing = Listing::default();
    let next = AtomicUsize::new(0);
    let started_workers = std::thread::scope(|scope| {
        // The rule tables compile on another core while the first inputs are listed; the
        // workers start on each input as soon as it is listed.
        scope.spawn(crate::prepare);
        let workers = start_workers(scope, jobs, |_| convert_listed(&listing, &order, &next, options, started));
        let matched = if workers > 0 {
            list(inputs, options, &listing)
        } else {
            listing.complete();
            Vec::new()
        };
        (workers, matched)
    });
    let (started_workers, matched) = started_workers;
    if started_workers == 0 {
        bail!("cannot start a worker thread");
    }
    let sink = order.into_sink()?;
    sink.out.finish()?;
    if let (Some(manifest), Some(report)) = (&options.manifest, options.on_warning) {
        for (row, _) in manifest.rows.iter().zip(&matched).filter(|(_, matched)| !**matched) {
            let what = format!("line {}: no input is the file {:?}; the row is not used", row.line, row.file);
            report(&format!("manifest {}", manifest.path.display()), &what);
        }
    }
    let mut summary = sink.summary;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Start up to `jobs` scoped threads running `work`; as many as the system
/// gives (a thread that cannot be made is no panic). Returns how many.
fn start_workers<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    jobs: usize,
    work: impl Fn(usize) + Send + Sync + Copy + 'scope,
) -> usize {
    (0..jobs)
        .take_while(|&n| {
            std::thread::Builder::new().name(format!("worker {n}")).spawn_scoped(scope, move || work(n)).is_ok()
        })
        .count()
}

/// A worker: convert the listed inputs it takes, until there are no more or writing failed.
fn convert_listed(listing: &Listing, order: &InOrder, next: &AtomicUsize, options: &BatchOptions, started: Instant) {
    let mut json = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(input) = listing.get(i) else { break };
        if !order.wait_for_room(i) {
            break;
        }
        let done = match input {
            Listed::Input { path, target, manifest } => {
                let mut warnings = Vec::new();
                let outcome = convert(&path, target.as_ref(), manifest, options, &mut json, &mut warnings);
                Done { name: display_name(&path), warnings, outcome }
            }
            Listed::Skipped(skipped) => Done {
                name: skipped.path.display().to_string(),
                warnings: vec![skipped.reason],
                outcome: Outcome::Skipped,
            },
        };
        if json.capacity() > JSON_BUFFER_KEPT {
            json = Vec::new();
        }
        order.put(i, done, |sink, index, done| sink.write(index, done, listing, options, started));
    }
}

/// List the inputs into `listing`, naming each one's JSON (when there is JSON) and
/// creating the directory it goes to, and finding each one's manifest row.
/// Returns, per manifest row, whether an input was found for it.
fn list(inputs: &[PathBuf], options: &BatchOptions, listing: &Listing) -> Vec<bool> {
    // Complete even if listing panics: the workers waiting for more inputs must not wait forever.
    let _complete = CompleteOnDrop(listing);
    let mut targets = options.out_dir.as_deref().map(Targets::new);
    let mut matched = vec![false; options.manifest.as_ref().map_or(0, |m| m.rows.len())];
    input::list_inputs(inputs, &mut |found| {
        let path = match found {
            Found::Input(path) => Ok(path),
            Found::Failed(problem) => Err(problem),
            Found::Skipped(skipped) => return listing.push(Listed::Skipped(skipped)),
        };
        let target = targets.as_mut().filter(|_| options.json).map(|targets| targets.name(&path));
        let manifest = match (&options.manifest, &path) {
            (Some(manifest), Ok(path)) => manifest.find(path, inputs),
            _ => None,
        };
        if let Some(row) = manifest {
            matched[row] = true;
        }
        listing.push(Listed::Input { path, target, manifest });
    });
    matched
}

/// Marks a listing complete when dropped.
struct CompleteOnDrop<'a>(&'a Listing);

impl Drop for CompleteOnDrop<'_> {
    fn drop(&mut self) {
        self.0.complete();
    }
}

/// One listed input: its path (or why it cannot be used), and where its JSON
/// goes (`None` without JSON; an error when it cannot go anywhere); or what
/// a walk left out (a warning, in its place among the inputs).
#[derive(Clone)]
enum Listed {
    Input {
        path: Result<PathBuf, InputError>,
        target: Option<Result<PathBuf, String>>,
        /// Its row in the manifest.
        manifest: Option<usize>,
    },
    Skipped(InputError),
}

/// The inputs listed so far, handed to the workers by index.
#[derive(Default)]
struct Listing {
    state: Mutex<ListingState>,
    grown: Condvar,
}

#[derive(Default)]
struct ListingState {
    inputs: Vec<Listed>,
    /// Whether every input is listed.
    complete: bool,
    /// Workers waiting for the next input to be listed.
    waiting: usize,
}

impl Listing {
    fn lock(&self) -> MutexGuard<'_, ListingState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, input: Listed) {
        let mut state = self.lock();
        state.inputs.push(input);
        if state.waiting > 0 {
            self.grown.notify_all();
        }
    }

    fn complete(&self) {
        self.lock().complete = true;
        self.grown.notify_all();
    }

    /// Input `i`, once it is listed; `None` when the listing ended before it.
    fn get(&self, i: usize) -> Option<Listed> {
        let mut state = self.lock();
        while i >= state.inputs.len() && !state.complete {
            state.waiting += 1;
            state = self.grown.wait(state).unwrap_or_else(|e| e.into_inner());
            state.waiting -= 1;
        }
        state.inputs.get(i).cloned()
    }

    /// How many inputs are listed, and whether that is all of them.
    fn count(&self) -> (usize, bool) {
        let state = self.lock();
        (state.inputs.len(), state.complete)
    }
}

/// A converted (or failed) input, as handed in to be written.
struct Done {
    /// The input as it is named in `errors.csv` and in failure reports.
    name: String,
    /// Warnings about it, reported before its outcome.
    warnings: Vec<String>,
    outcome: Outcome,
}

/// Results put in by the workers in any order, written in input order by
/// whichever worker hands in the next one (no writer thread, no wake-up per
/// input). That worker takes the outputs and the results ready in order out
/// of the lock and writes them there, so the others never wait for its
/// writes. Workers wait only when they would run more than `window` inputs
/// ahead of what is written, which bounds memory.
struct InOrder {
    state: Mutex<Writing>,
    room: Condvar,
    window: usize,
}

/// What the workers share under the lock.
struct Writing {
    /// The outputs, unless a worker has taken them to write.
    sink: Option<Sink>,
    /// Results not yet taken to be written, by input index.
    pending: BTreeMap<usize, Done>,
    /// Inputs written so far (all of `0..written`).
    written: usize,
    /// The first write error; once set, workers stop.
    error: Option<anyhow::Error>,
    /// Workers waiting for room in the window.
    waiting: usize,
}

/// The combined outputs and the counts of what went into them.
struct Sink {
    out: Outputs,
    summary: Summary,
}

impl InOrder {
    fn new(out: Outputs, window: usize) -> InOrder {
        let sink = Sink { out, summary: Summary::default() };
        let writing = Writing { sink: Some(sink), pending: BTreeMap::new(), written: 0, error: None, waiting: 0 };
        InOrder { state: Mutex::new(writing), room: Condvar::new(), window }
    }

    fn lock(&self) -> MutexGuard<'_, Writing> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wait until input `i` is within the window; false when writing failed.
    fn wait_for_room(&self, i: usize) -> bool {
        let mut state = self.lock();
        while i >= state.written + self.window && state.error.is_none() {
            state.waiting += 1;
            state = self.room.wait(state).unwrap_or_else(|e| e.into_inner());
            state.waiting -= 1;
        }
        state.error.is_none()
    }

    /// Hand in the outcome of input `i`; if it is next in order and no other
    /// worker is writing, write it and every later one that is ready, with
    /// `write(sink, index, outcome)` outside the lock.
    fn put(&self, i: usize, done: Done, mut write: impl FnMut(&mut Sink, usize, Done) -> Result<()>) {
        let mut state = self.lock();
        state.pending.insert(i, done);
        while state.error.is_none() && state.pending.contains_key(&state.written) {
            let Some(mut sink) = state.sink.take() else { break };
            let first = state.written;
            let ready: Vec<Done> = (first..).map_while(|k| state.pending.remove(&k)).collect();
            drop(state);
            let mut written = 0;
            let result = ready.into_iter().try_for_each(|done| {
                write(&mut sink, first + written, done)?;
                written += 1;
                Ok(())
            });
            state = self.lock();
            state.sink = Some(sink);
            state.written += written;
            if let Err(e) = result {
                state.error = Some(e);
            }
            if state.waiting > 0 {
                self.room.notify_all();
            }
        }
    }

    /// The outputs and summary once every worker is done; the first write error, if any.
    fn into_sink(self) -> Result<Sink> {
        let state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        match (state.error, state.sink) {
            (Some(error), _) => Err(error),
            (None, Some(sink)) => Ok(sink),
            (None, None) => Err(anyhow::anyhow!("a worker stopped while writing")),
        }
    }
}

impl Sink {
    /// Write input `index`'s result and report progress.
    fn write(
        &mut self,
        index: usize,
        done: Done,
        listing: &Listing,
        options: &BatchOptions,
        started: Instant,
    ) -> Result<()> {
        if let Some(report) = options.on_warning {
            done.warnings.iter().for_each(|warning| report(&done.name, warning));
        }
        self.out.write(&done.name, done.outcome, &mut self.summary, options.on_failure)?;
        if let Some(report) = options.progress {
            let (listed, listed_all) = listing.count();
            let elapsed = started.elapsed();
            report(&Progress { done: index + 1, total: listed, listed_all, bytes: self.summary.bytes, elapsed });
        }
        Ok(())
    }
}

/// Names the JSON of each input as it is listed — its path mirrored under
/// the output directory — and creates the directories they go to, once each.
struct Targets {
    out_dir: PathBuf,
    /// The inputs whose JSON has a name, by that name.
    first_of: HashMap<OsString, PathBuf>,
    created: HashSet<PathBuf>,
}

impl Targets {
    fn new(out_dir: &Path) -> Targets {
        Targets { out_dir: out_dir.to_path_buf(), first_of: HashMap::new(), created: HashSet::new() }
    }

    /// Where the JSON of `input` goes (relative to the output directory): an
    /// error when it cannot be read, when an earlier input's JSON has the same
    /// name, or when its directory cannot be made.
    fn name(&mut self, input: &Result<PathBuf, InputError>) -> Result<PathBuf, String> {
        let path = input.as_ref().map_err(|e| e.reason.clone())?;
        let target = mirrored(path).with_extension("json");
        if let Some(first) = self.first_of.get(target.as_os_str()) {
            return Err(format!("its output {} would overwrite that of {}", target.display(), first.display()));
        }
        self.first_of.insert(target.clone().into_os_string(), path.clone());
        let dir = self.out_dir.join(target.parent().unwrap_or(Path::new("")));
        if !self.created.contains(&dir) {
            std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            self.created.insert(dir);
        }
        Ok(target)
    }
}

/// The input path as a relative path: root and prefix dropped, `..` → `_`.
pub fn mirrored(path: &Path) -> PathBuf {
    let mut relative = PathBuf::with_capacity(path.as_os_str().len());
    for component in path.components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::ParentDir => relative.push("_"),
            _ => {}
        }
    }
    relative
}

fn display_name(path: &Result<PathBuf, InputError>) -> String {
    match path {
        Ok(p) => p.display().to_string(),
        Err(e) => e.path.display().to_string(),
    }
}

/// Parse one input (given the values of its manifest row) and write its
/// JSON to `target` (none with `--no-json`); return its CSV rows. Warnings
/// about the input go to `warnings`.
fn convert(
    path: &Result<PathBuf, InputError>,
    target: Option<&Result<PathBuf, String>>,
    manifest_row: Option<usize>,
    options: &BatchOptions,
    json: &mut Vec<u8>,
    warnings: &mut Vec<String>,
) -> Outcome {
    let path = match path {
        Ok(p) => p,
        Err(e) => return Outcome::Failed { error: e.reason.clone(), bytes: 0 },
    };
    let failed_size = || std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let fail = |error: String| Outcome::Failed { error, bytes: failed_size() };
    let target = match target {
        Some(Ok(t)) => options.out_dir.as_ref().map(|dir| dir.join(t)),
        Some(Err(e)) => return fail(e.clone()),
        None => None,
    };
    let source = match input::read_path(path, options.max_bytes) {
        Ok(loaded) => {
            warnings.extend(loaded.warnings);
            loaded.source
        }
        Err(e) => return fail(format!("{e:#}")),
    };
    let bytes = source.text.len() as u64;
    let mut doc = match crate::parse_source_guarded(&source) {
        Ok(doc) => doc,
        Err(e) => return fail(e),
    };
    if let (Some(manifest), Some(row)) = (&options.manifest, manifest_row) {
        manifest.apply(row, &mut doc);
    }
    apply_overrides(&mut doc, &options.meta);
    let hash = (options.sqlite.is_some() || options.xlsx.is_some()).then(|| content_hash(&source.text));
    drop(source);
    // The same bytes as `begrip parse FILE` writes, made in the worker's buffer and written in one go.
    if let Some(target) = target {
        json.clear();
        crate::emit::write_document(json, &doc);
        json.push(b'\n');
        if let Err(e) = partial::write_whole(&target, json) {
            return fail(format!("{e:#}"));
        }
    }
    let (mut records, mut indicators) = (Vec::new(), Vec::new());
    let (elements, indicator_rows) = if options.out_dir.is_some() {
        let rows = |table, buf: &mut Vec<u8>| match options.tables {
            TableFormat::Csv => append_rows(table, options.delimiter, options.excel, &doc, buf),
            TableFormat::Jsonl => append_jsonl(table, &doc, buf),
        };
        (rows(TableKind::Records, &mut records), rows(TableKind::Indicators, &mut indicators))
    } else {
        let (mut elements, mut cells) = (0, 0);
        crate::emit::visit_records(&doc, &mut |_| elements += 1);
        crate::emit::visit_indicator_groups(&doc, &mut |group| cells += group.len());
        (elements, cells)
    };
    let (lines, numbers_outside_tables) = (doc.coverage.content_lines, doc.coverage.numbers_outside_tables.len());
    Outcome::Converted {
        records,
        indicators,
        doc: hash.map(|hash| (Box::new(doc), hash)),
        lines,
        elements,
        indicator_rows,
        numbers_outside_tables,
        bytes,
    }
}

/// What a run writes: the combined CSV files (with an output directory),
/// a workbook, a database.
struct Outputs {
    csv: Option<TableOutputs>,
    /// The workbook and where it goes.
    xlsx: Option<(PathBuf, XlsxEmitter)>,
    sqlite: Option<SqliteWriter>,
}

impl Outputs {
    fn create(options: &BatchOptions) -> Result<Outputs> {
        let csv = match &options.out_dir {
            Some(dir) => Some(TableOutputs::create(dir, options.tables, options.delimiter, options.excel)?),
            None => None,
        };
        let xlsx = match &options.xlsx {
            Some(path) => Some((path.clone(), XlsxEmitter::new()?)),
            None => None,
        };
        let sqlite = options.sqlite.as_deref().map(SqliteWriter::open).transpose()?;
        Ok(Outputs { csv, xlsx, sqlite })
    }

    fn write(
        &mut self,
        file: &str,
        mut outcome: Outcome,
        summary: &mut Summary,
        on_failure: Option<fn(&str, &str)>,
    ) -> Result<()> {
        if let Outcome::Converted { doc: Some((doc, hash)), .. } = &mut outcome {
            if let Some((_, xlsx)) = &mut self.xlsx {
                xlsx.add(doc, Some(hash.clone()))?;
            }
            if let Some(sqlite) = &mut self.sqlite {
                sqlite.write(doc, Some(std::mem::take(hash)))?;
            }
        }
        match &mut self.csv {
            Some(csv) => csv.write(file, outcome, summary, on_failure),
            None => {
                count(&outcome, summary, on_failure, file);
                Ok(())
            }
        }
    }

    /// Give every output its name: the CSV files, the workbook, then the
    /// database's transaction committed.
    fn finish(self) -> Result<()> {
        if let Some(csv) = self.csv {
            csv.finish()?;
        }
        if let Some((path, mut xlsx)) = self.xlsx {
            let bytes = xlsx.to_bytes()?;
            partial::write_whole(&path, &bytes)?;
        }
        if let Some(sqlite) = self.sqlite {
            sqlite.commit()?;
        }
        Ok(())
    }
}

/// Count an input's outcome in the summary (and report a failure).
fn count(outcome: &Outcome, summary: &mut Summary, on_failure: Option<fn(&str, &str)>, file: &str) {
    match outcome {
        Outcome::Converted { lines, elements, indicator_rows, numbers_outside_tables, bytes, .. } => {
            summary.files_ok += 1;
            summary.lines += lines;
            summary.elements += elements;
            summary.indicators += indicator_rows;
            summary.numbers_outside_tables += numbers_outside_tables;
            summary.bytes += bytes;
        }
        Outcome::Failed { error, bytes } => {
            if let Some(report) = on_failure {
                report(file, error);
            }
            summary.files_failed += 1;
            summary.bytes += bytes;
        }
        Outcome::Skipped => {}
    }
}

/// The combined tables, written under temporary names until the end:
/// `records`, `indicators` and `errors`, as CSV or JSON Lines.
struct TableOutputs {
    records: BufWriter<Partial>,
    indicators: BufWriter<Partial>,
    errors: Errors,
    /// Make `errors.csv` safe for spreadsheets.
    excel: bool,
}

/// The failed inputs' file: a CSV writer, or JSON Lines.
enum Errors {
    /// Boxed: the CSV writer's state is five times the size of a buffered file.
    Csv(Box<csv::Writer<BufWriter<Partial>>>),
    Jsonl(BufWriter<Partial>),
}

impl TableOutputs {
    fn create(dir: &Path, format: TableFormat, delimiter: u8, excel: bool) -> Result<TableOutputs> {
        // Large buffers: a worker writes them while the others wait for the outputs.
        let open = |name: &str| {
            let name = format!("{name}.{}", format.extension());
            Partial::create(&dir.join(name)).map(|p| BufWriter::with_capacity(CSV_BUFFER_BYTES, p))
        };
        let mut records = open("records")?;
        let mut indicators = open("indicators")?;
        let mut errors_file = open("errors")?;
        let errors = match format {
            TableFormat::Csv => {
                for (table, out) in [(TableKind::Records, &mut records), (TableKind::Indicators, &mut indicators)] {
                    CsvEmitter::new(table, delimiter, excel).finish(out).with_context(|| written(out))?;
                }
                if excel {
                    errors_file.write_all("\u{feff}".as_bytes()).with_context(|| written(&errors_file))?;
                }
                let mut errors = csv::WriterBuilder::new().delimiter(delimiter).from_writer(errors_file);
                errors.write_record(["file", "error"]).with_context(|| written(errors.get_ref()))?;
                Errors::Csv(Box::new(errors))
            }
            TableFormat::Jsonl => Errors::Jsonl(errors_file),
        };
        Ok(TableOutputs { records, indicators, errors, excel })
    }

    fn write(
        &mut self,
        file: &str,
        outcome: Outcome,
        summary: &mut Summary,
        on_failure: Option<fn(&str, &str)>,
    ) -> Result<()> {
        match &outcome {
            Outcome::Converted { records, indicators, .. } => {
                self.records.write_all(records).with_context(|| written(&self.records))?;
                self.indicators.write_all(indicators).with_context(|| written(&self.indicators))?;
            }
            Outcome::Failed { error, .. } => match &mut self.errors {
                Errors::Csv(errors) => {
                    let row = [excel_safe(file, self.excel), excel_safe(error, self.excel)];
                    errors.write_record(row.iter().map(|f| f.as_bytes())).with_context(|| written(errors.get_ref()))?;
                }
                Errors::Jsonl(errors) => {
                    #[derive(serde::Serialize)]
                    struct Failed<'a> {
                        file: &'a str,
                        error: &'a str,
                    }
                    let mut line = serde_json::to_vec(&Failed { file, error })?;
                    line.push(b'\n');
                    errors.write_all(&line).with_context(|| written(errors))?;
                }
            },
            Outcome::Skipped => {}
        }
        count(&outcome, summary, on_failure, file);
        Ok(())
    }

    /// Flush the three files and give them their names; on an error none is
    /// renamed and the temporary files are removed.
    fn finish(self) -> Result<()> {
        let errors = match self.errors {
            Errors::Csv(errors) => {
                (*errors).into_inner().map_err(|e| e.into_error()).context("cannot write errors.csv")?
            }
            Errors::Jsonl(errors) => errors,
        };
        let mut files = Vec::with_capacity(3);
        for out in [self.records, self.indicators, errors] {
            let what = written(&out);
            files.push(out.into_inner().map_err(|e| e.into_error()).with_context(|| what)?);
        }
        files.into_iter().try_for_each(Partial::commit)
    }
}

/// "cannot write DIR/records.csv", for errors writing through `out`.
fn written(out: &BufWriter<Partial>) -> String {
    format!("cannot write {}", out.get_ref().target().display())
}

/// Make sure `dir` exists and holds no earlier run's files: create it, or
/// accept it empty; with `clean`, first delete an earlier run's files there.
/// The files `ours` (canonical paths: this run's database and workbook) do
/// not count, and are not deleted.
fn prepare_out_dir(dir: &Path, inputs: &[PathBuf], clean: bool, ours: &[PathBuf]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let is_ours = |path: &Path| std::fs::canonicalize(path).is_ok_and(|p| ours.contains(&p));
    let first = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .flatten()
        .find(|entry| !is_ours(&entry.path()));
    let Some(first) = first else { return Ok(()) };
    if !clean {
        bail!(
            "{}: not empty (it holds {}): write into a new or empty directory, or add --clean to delete the files \
             of an earlier run there",
            dir.display(),
            first.file_name().to_string_lossy()
        );
    }
    clean_out_dir(dir, inputs, ours)
}

/// Delete what an earlier run wrote in `dir` (the CSV files, JSON files and
/// temporary files, then the directories left empty); refuse, deleting
/// nothing, when it holds anything else, a link, or one of the inputs.
fn clean_out_dir(dir: &Path, inputs: &[PathBuf], ours: &[PathBuf]) -> Result<()> {
    let root = std::fs::canonicalize(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|input| input.starts_with(&root)) {
            bail!("{}: an input inside --out {}: --clean would delete it", input.display(), dir.display());
        }
    }
    let (mut files, mut dirs, mut pending) = (Vec::new(), Vec::new(), vec![dir.to_path_buf()]);
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).with_context(|| format!("cannot read {}", current.display()))? {
            let entry = entry.with_context(|| format!("cannot read {}", current.display()))?;
            let (path, file_type) = (entry.path(), entry.file_type()?);
            let canonical = std::fs::canonicalize(&path).ok();
            if canonical.as_ref().is_some_and(|c| ours.contains(c)) {
                continue;
            } else if file_type.is_dir() {
                pending.push(path.clone());
                // A directory that holds this run's database or workbook stays.
                if !canonical.is_some_and(|c| ours.iter().any(|o| o.starts_with(&c))) {
                    dirs.push(path);
                }
            } else if file_type.is_file() && written_by_a_run(&path, current == dir) {
                files.push(path);
            } else {
                bail!(
                    "{}: not written by begrip batch, so --clean leaves {} alone; delete it yourself",
                    path.display(),
                    dir.display()
                );
            }
        }
    }
    for file in &files {
        std::fs::remove_file(file).with_context(|| format!("cannot delete {}", file.display()))?;
    }
    // Deepest first: each directory is empty once those under it are gone.
    for sub in dirs.iter().rev() {
        std::fs::remove_dir(sub).with_context(|| format!("cannot delete {}", sub.display()))?;
    }
    Ok(())
}

/// Whether a run writes files of this name: the combined tables at the top,
/// JSON files anywhere, and temporary files.
fn written_by_a_run(path: &Path, at_top: bool) -> bool {
    let name = path.file_name().unwrap_or_default();
    let tables = ["records", "indicators", "errors"].into_iter();
    let table = tables.flat_map(|t| [format!("{t}.csv"), format!("{t}.jsonl")]).any(|t| name == t.as_str());
    partial::is_temporary_name(name) || path.extension().is_some_and(|e| e == "json") || (at_top && table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_mirror_inputs() {
        assert_eq!(mirrored(Path::new("seeds/a.txt")), PathBuf::from("seeds/a.txt"));
        assert_eq!(mirrored(Path::new("/data/x/a.txt")), PathBuf::from("data/x/a.txt"));
        assert_eq!(mirrored(Path::new("../a.txt")), PathBuf::from("_/a.txt"));
        assert_eq!(mirrored(Path::new("./a.txt")), PathBuf::from("a.txt"));
    }

    /// Workers taking inputs while they are still being listed, and handing
    /// in results out of order (three threads, a window of two), still get
    /// them written in input order, every one exactly once.
    #[test]
    fn results_are_written_in_input_order() {
        let dir = std::env::temp_dir().join(format!("begrip-in-order-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let options = BatchOptions {
            out_dir: Some(dir.clone()),
            sqlite: None,
            xlsx: None,
            meta: Vec::new(),
            manifest: None,
            jobs: 3,
            tables: TableFormat::Csv,
            delimiter: b',',
            excel: false,
            json: false,
            max_bytes: input::DEFAULT_MAX_BYTES,
            clean: false,
            progress: None,
            on_failure: None,
            on_warning: None,
        };
        let order = InOrder::new(Outputs::create(&options).expect("outputs"), 2);
        let listing = Listing::default();
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for worker in 0..3u64 {
                let (order, next, listing, options) = (&order, &next, &listing, &options);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(Listed::Input { path, .. }) = listing.get(i) else { break };
                    if !order.wait_for_room(i) {
                        break;
                    }
                    std::thread::sleep(Duration::from_micros((i as u64 * 7 + worker * 13) % 50));
                    let records = format!("{}\n", display_name(&path)).into_bytes();
                    let outcome = Outcome::Converted {
                        records,
                        indicators: Vec::new(),
                        doc: None,
                        lines: 1,
                        elements: 1,
                        indicator_rows: 0,
                        numbers_outside_tables: 0,
                        bytes: 1,
                    };
                    let done = Done { name: display_name(&path), warnings: Vec::new(), outcome };
                    order.put(i, done, |sink, index, done| sink.write(index, done, listing, options, Instant::now()));
                });
            }
            for i in 0..300 {
                if i % 60 == 0 {
                    std::thread::sleep(Duration::from_millis(2));
                }
                listing.push(Listed::Input { path: Ok(PathBuf::from(i.to_string())), target: None, manifest: None });
            }
            listing.complete();
        });
        {
            let state = order.lock();
            assert!(state.error.is_none() && state.pending.is_empty());
            assert_eq!(state.written, 300);
        }
        let sink = order.into_sink().expect("no write error");
        assert_eq!(sink.summary.files_ok, 300);
        sink.out.finish().expect("finish");
        let records = std::fs::read_to_string(dir.join("records.csv")).expect("records");
        let rows: Vec<usize> = records.lines().skip(1).map(|l| l.parse().expect("index")).collect();
        assert_eq!(rows, (0..300).collect::<Vec<_>>());
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn colliding_outputs_are_errors() {
        let dir = std::env::temp_dir().join(format!("begrip-targets-{}", std::process::id()));
        let mut targets = Targets::new(&dir);
        assert_eq!(targets.name(&Ok(PathBuf::from("x/a.txt"))), Ok(PathBuf::from("x/a.json")));
        let collision = targets.name(&Ok(PathBuf::from("x/a.html")));
        assert_eq!(collision, Err("its output x/a.json would overwrite that of x/a.txt".to_string()));
        assert!(dir.join("x").is_dir(), "the JSON's directory is made when it is named");
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
