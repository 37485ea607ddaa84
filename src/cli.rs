//! Command-line interface: flags (clap) → validated settings, and the
//! `parse` and `schema` commands. Binary-only concerns (messages, exit codes)
//! live here, not in the library.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

pub use begrip::batch::{apply_overrides, MetaOverride};
use begrip::batch::{BatchOptions, Progress, TableFormat};
use begrip::emit::{CsvEmitter, Emitter, JsonEmitter, JsonlEmitter, SqliteEmitter, TableKind, XlsxEmitter};
use begrip::input::{self, one_line, Found, Loaded};
use begrip::model::Document;
use begrip::partial::Partial;

/// Turn exported Dutch municipal planning-and-control pages into structured data.
///
/// Reads the text or saved HTML of pages from online budget platforms
/// (begroting, jaarstukken, voorjaarsnota, bestuurs- and voortgangsrapportages)
/// and writes programmes, sections, speerpunten, labelled blocks and indicator
/// tables as JSON, JSON Lines, CSV, a spreadsheet (xlsx) or a SQLite database.
#[derive(Debug, Parser)]
#[command(name = "begrip", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse pages and write the result to standard output (or --output).
    ///
    /// Exit status: 0 when every input was parsed, 1 when some failed (the
    /// others are still written; each failure is one line on stderr), 2 on
    /// usage errors.
    Parse(ParseArgs),
    /// Convert many pages at once, in parallel, into a directory.
    ///
    /// Writes one JSON per input (its path mirrored under DIR; not with
    /// --no-json), and the rows of all inputs to DIR/records.csv and
    /// DIR/indicators.csv (the columns of `parse`; .jsonl with --format
    /// jsonl), and failed inputs to DIR/errors.csv (.jsonl). A --manifest
    /// gives each page its URL and what the page does not show. Files are
    /// written under a temporary name and renamed
    /// when complete. Exit status: 0 all converted, 1 some failed (the others
    /// are still converted), 2 usage or fatal error.
    Batch(BatchArgs),
    /// Print the JSON Schema of the JSON output (one document, or an array
    /// of them), or with --table of one JSON Lines row.
    Schema(SchemaArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    ///
    /// bash: `begrip completions bash > ~/.local/share/bash-completion/completions/begrip`;
    /// zsh: into a directory of your `$fpath` as `_begrip`; fish:
    /// `~/.config/fish/completions/begrip.fish`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `begrip man > begrip.1; man ./begrip.1`.
    Man,
    /// Write one self-contained HTML page that shows what was extracted
    /// from PAGE: its source lines, numbered, next to the tree (coloured by
    /// kind, linked to the lines), every table as a table (ambiguous rows
    /// marked), the lines in no element and the numbers in no table
    /// highlighted. Open it in a browser: `begrip view page.html -o check.html`.
    View(ViewArgs),
    /// Show how the pipeline decided: every table candidate a reader
    /// weighed, its score and the tables it chose (a debug dump).
    Explain(ExplainArgs),
}

/// Flags of `begrip schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema of one row of this flat table (`--format jsonl`) instead of the document tree.
    #[arg(short, long, value_enum)]
    pub table: Option<TableArg>,
}

/// Flags of `begrip completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Flags of `begrip view`.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// The page (`-` or nothing: standard input).
    pub input: Option<PathBuf>,
    /// Write the HTML to FILE (whole or not at all) instead of standard output; `-` is standard output.
    #[arg(short, long, value_name = "FILE.html")]
    pub output: Option<PathBuf>,
    /// The largest input read (bytes, or with K, M or G).
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_size: u64,
    /// Override metadata, as for `parse` (shown in the header, marked as given).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_meta)]
    pub meta: Vec<MetaOverride>,
}

/// Flags of `begrip explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The input file (`-` or nothing: standard input).
    pub input: Option<PathBuf>,
}

/// Flags of `begrip batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Files or directories (searched recursively for .txt, .html, .htm).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The output directory (created if needed) for the JSON and CSV files.
    /// Not needed with --sqlite or --xlsx (then only those are written).
    #[arg(long, value_name = "DIR", required_unless_present_any = ["sqlite", "xlsx"])]
    pub out: Option<PathBuf>,
    /// Also write every input into this SQLite database (created if needed;
    /// the rows of a document already there are replaced, one transaction per run).
    #[arg(long, value_name = "FILE.db")]
    pub sqlite: Option<PathBuf>,
    /// Also write every input into this spreadsheet (sheets records,
    /// indicators, documents; replaced whole).
    #[arg(long, value_name = "FILE.xlsx")]
    pub xlsx: Option<PathBuf>,
    /// Override metadata for all inputs: gemeente=NAME, year=YYYY or
    /// document_type=TYPE. Repeatable.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_meta)]
    pub meta: Vec<MetaOverride>,
    /// A download list (CSV with a header: file, and any of url, gemeente,
    /// year, document_type): per input, found by its path under the input
    /// directory or by its file name, the values the page does not show.
    /// They are marked in the JSON's meta.sources; --meta overrides them.
    #[arg(long, value_name = "FILE.csv")]
    pub manifest: Option<PathBuf>,
    /// Worker threads (default: all cores; at most 4 per core).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// The format of the combined tables in DIR: csv (records.csv,
    /// indicators.csv, errors.csv) or jsonl (records.jsonl, indicators.jsonl,
    /// errors.jsonl: the rows `parse --format jsonl` writes).
    #[arg(short, long, value_enum, default_value_t = BatchFormat::Csv)]
    pub format: BatchFormat,
    /// CSV field delimiter (one ASCII character: not a letter, digit, `.`,
    /// `-`, quote or line break).
    #[arg(short, long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// CSV for Dutch Excel: UTF-8 byte order mark, `;` as delimiter, and text
    /// cells that would run as formulas (`=`, `+`, `-`, `@`) prefixed with `'`.
    #[arg(long)]
    pub excel: bool,
    /// Write only the combined tables, no JSON per input (faster, and
    /// thousands fewer files when only the tables are wanted).
    #[arg(long)]
    pub no_json: bool,
    /// The largest input read (bytes, or with K, M or G); larger inputs fail.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_size: u64,
    /// Delete the files of an earlier run in DIR first (CSV, JSON and
    /// temporary files only; anything else there is refused). Without it, DIR
    /// must be new or empty.
    #[arg(long)]
    pub clean: bool,
}

/// Formats of `batch`'s combined tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// records.csv, indicators.csv and errors.csv.
    Csv,
    /// records.jsonl, indicators.jsonl and errors.jsonl.
    Jsonl,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The document tree, one object per input (an array for several).
    Json,
    /// One JSON object per line: rows of the --table chosen.
    Jsonl,
    /// Rows of the --table chosen, with a header line.
    Csv,
    /// A spreadsheet with the sheets records, indicators and documents
    /// (needs -o FILE.xlsx).
    Xlsx,
    /// A SQLite database: documents, elements, tables, cells and two views
    /// (needs -o FILE.db; a document already there is replaced).
    Sqlite,
}

/// The flat tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableArg {
    /// One row per element (programme, section, speerpunt, block, text).
    Records,
    /// One row per table cell (indicator and financial tables), long format.
    Indicators,
}

impl From<TableArg> for TableKind {
    fn from(t: TableArg) -> TableKind {
        match t {
            TableArg::Records => TableKind::Records,
            TableArg::Indicators => TableKind::Indicators,
        }
    }
}

/// Flags of `begrip parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files or directories (searched recursively for .txt, .html, .htm).
    /// Reads standard input when none is given or for `-`.
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
    /// Which flat table to write with csv and jsonl [default: records].
    #[arg(short, long, value_enum)]
    pub table: Option<TableArg>,
    /// Write to FILE instead of standard output (whole or not at all: an
    /// existing FILE stays as it was when every input fails); `-` is
    /// standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV field delimiter (one ASCII character: not a letter, digit, `.`,
    /// `-`, quote or line break).
    #[arg(short, long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// CSV for Dutch Excel: UTF-8 byte order mark, `;` as delimiter, and text
    /// cells that would run as formulas (`=`, `+`, `-`, `@`) prefixed with `'`.
    #[arg(long)]
    pub excel: bool,
    /// CSV without its header line (rows only, e.g. to append to a file).
    #[arg(long)]
    pub no_headers: bool,
    /// The largest input read (bytes, or with K, M or G); larger inputs fail.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_size: u64,
    /// Override metadata for all inputs: gemeente=NAME, year=YYYY or
    /// document_type=TYPE. Repeatable.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_meta)]
    pub meta: Vec<MetaOverride>,
    /// Instead of the data, print per input the share of content lines that
    /// were assigned to an element, and list the rest; then list the lines
    /// that carry numbers but are in no table row.
    #[arg(long)]
    pub report: bool,
}

/// One ASCII character that no number, quote or line break holds (a tab
/// allowed): a digit, `.` or `-` would split numbers in readers that do not
/// honour quotes, and letters are in `true`, `1e-7` and the words of cells.
fn parse_delimiter(s: &str) -> Result<u8, String> {
    let s = if s == "\\t" || s == "tab" { "\t" } else { s };
    match s.as_bytes() {
        [b] if b.is_ascii_graphic() && !b.is_ascii_alphanumeric() && !b".-\"'".contains(b) => Ok(*b),
        [b' ' | b'\t'] => Ok(s.as_bytes()[0]),
        _ => Err(format!(
            "delimiter must be one ASCII character other than a letter, digit, `.`, `-`, quote or line break, not {s:?}"
        )),
    }
}

/// A size: bytes, or a number with `K`, `M` or `G` (powers of 1024; a
/// trailing `B` or `iB` is allowed).
fn parse_size(s: &str) -> Result<u64, String> {
    let upper = s.trim().to_ascii_uppercase();
    let number = upper.trim_end_matches("IB").trim_end_matches('B');
    let (digits, unit) = match number.as_bytes().last() {
        Some(b'K') => (&number[..number.len() - 1], 1u64 << 10),
        Some(b'M') => (&number[..number.len() - 1], 1 << 20),
        Some(b'G') => (&number[..number.len() - 1], 1 << 30),
        _ => (number, 1),
    };
    match digits.trim().parse::<u64>().ok().and_then(|n| n.checked_mul(unit)) {
        Some(bytes) if bytes > 0 => Ok(bytes),
        _ => Err(format!("size must be a positive number of bytes, or with K, M or G (256M), not {s:?}")),
    }
}

fn parse_meta(s: &str) -> Result<MetaOverride, String> {
    let (key, value) = s.split_once('=').ok_or_else(|| format!("expected KEY=VALUE, got {s:?}"))?;
    MetaOverride::parse(key, value)
}

impl ParseArgs {
    /// The flat table of csv and jsonl.
    fn table(&self) -> TableKind {
        self.table.unwrap_or(TableArg::Records).into()
    }

    /// The emitter of a format that writes to a stream (all but sqlite).
    fn emitter(&self) -> Result<Box<dyn Emitter>> {
        let delimiter = self.delimiter.unwrap_or(if self.excel { b';' } else { b',' });
        Ok(match self.format {
            OutputFormat::Json => Box::new(JsonEmitter::new()),
            OutputFormat::Jsonl => Box::new(JsonlEmitter::new(self.table())),
            OutputFormat::Csv => {
                let csv = CsvEmitter::new(self.table(), delimiter, self.excel);
                Box::new(if self.no_headers { csv.without_header() } else { csv })
            }
            OutputFormat::Xlsx | OutputFormat::Sqlite => Box::new(XlsxEmitter::new()?),
        })
    }
}

/// Whether every input succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// All inputs parsed.
    AllOk,
    /// At least one input failed.
    SomeFailed,
}

/// Run `begrip parse`.
pub fn run_parse(args: &ParseArgs) -> Result<Outcome> {
    let output = args.output.as_deref().filter(|o| o.as_os_str() != "-");
    if let Some(output) = output {
        refuse_overwriting_an_input(output, &args.inputs)?;
    }
    let (mut out, mut emitter): (Destination, Box<dyn Emitter>) = match (args.format, output) {
        (OutputFormat::Sqlite, Some(path)) if !args.report => {
            (Destination::Nowhere(std::io::sink()), Box::new(SqliteEmitter::open(path)?))
        }
        _ => (Destination::open(output)?, args.emitter()?),
    };
    let reads_stdin = args.inputs.is_empty() || args.inputs.iter().any(|i| i.as_os_str() == "-");
    if reads_stdin && std::io::stdin().is_terminal() {
        eprintln!("begrip: reading a page from standard input (end it with Ctrl-D; `begrip parse FILE` reads a file)");
    }
    let (mut parsed, mut failed) = (0, 0);
    for loaded in sources(&args.inputs, args.max_size) {
        let Loaded { source, warnings } = match loaded {
            Ok(loaded) => loaded,
            Err(e) => {
                eprintln!("begrip: {}", one_line(&format!("{e:#}")));
                failed += 1;
                continue;
            }
        };
        warnings.iter().for_each(|w| report_warning(&source.name, w));
        let mut doc = match begrip::parse_source_guarded(&source) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("begrip: {}", one_line(&format!("{}: {e}", source.name)));
                failed += 1;
                continue;
            }
        };
        apply_overrides(&mut doc, &args.meta);
        if args.report {
            begrip::report::write_report(out.writer(), &doc, &source.text)?;
        } else {
            emitter.source(&source.text);
            // The document holds what is written: the text's memory can go before the output's is taken.
            drop(source);
            emitter.document(out.writer(), &doc)?;
        }
        parsed += 1;
    }
    if !args.report {
        emitter.finish(out.writer())?;
    }
    if let (OutputFormat::Sqlite, Some(path), 0, false) = (args.format, output, parsed, args.report) {
        eprintln!("begrip: {}: not written, every input failed", one_line(&path.display().to_string()));
    }
    out.finish(parsed > 0)?;
    Ok(if failed > 0 { Outcome::SomeFailed } else { Outcome::AllOk })
}

/// `-o FILE` naming one of the inputs would replace it: a usage error.
fn refuse_overwriting_an_input(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(output_file) = std::fs::canonicalize(output) else { return Ok(()) };
    match inputs.iter().find(|input| std::fs::canonicalize(input).is_ok_and(|i| i == output_file)) {
        Some(input) => bail!("-o {} is the input {}: it would be overwritten", output.display(), input.display()),
        None => Ok(()),
    }
}

/// Where `parse` writes: standard output (or a device or FIFO named with
/// `-o`), or a file written whole.
enum Destination {
    Stream(Box<dyn Write>),
    File(BufWriter<Partial>),
    /// The emitter writes its own file (a database).
    Nowhere(std::io::Sink),
}

impl Destination {
    fn open(output: Option<&Path>) -> Result<Destination> {
        let Some(path) = output else {
            return Ok(Destination::Stream(Box::new(BufWriter::new(std::io::stdout().lock()))));
        };
        let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
        if special {
            let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            return Ok(Destination::Stream(Box::new(BufWriter::new(file))));
        }
        Ok(Destination::File(BufWriter::new(Partial::create(path)?)))
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Destination::Stream(out) => out,
            Destination::File(out) => out,
            Destination::Nowhere(sink) => sink,
        }
    }

    /// Flush; a file gets its name only when `keep` (some input was parsed),
    /// else an existing file of that name stays as it was.
    fn finish(self, keep: bool) -> Result<()> {
        match self {
            Destination::Nowhere(_) => Ok(()),
            Destination::Stream(mut out) => Ok(out.flush()?),
            Destination::File(out) if keep => {
                let name = out.get_ref().target().display().to_string();
                out.into_inner().map_err(|e| e.into_error()).with_context(|| format!("cannot write {name}"))?.commit()
            }
            Destination::File(out) => {
                eprintln!(
                    "begrip: {}: not written, every input failed",
                    one_line(&out.get_ref().target().display().to_string())
                );
                Ok(())
            }
        }
    }
}

/// The inputs, read one at a time; errors name the input. What a walk skips
/// is reported as it is met.
fn sources(inputs: &[PathBuf], max_bytes: u64) -> impl Iterator<Item = Result<Loaded>> + '_ {
    let stdin_only = inputs.is_empty();
    let expanded = if stdin_only { vec![Found::Input(PathBuf::from("-"))] } else { input::expand_inputs(inputs) };
    expanded.into_iter().filter_map(move |found| {
        let path = match found {
            Found::Input(path) => path,
            Found::Failed(problem) => return Some(Err(problem.into())),
            Found::Skipped(skipped) => {
                report_warning(&skipped.path.display().to_string(), &skipped.reason);
                return None;
            }
        };
        if path.as_os_str() == "-" {
            return Some(input::read_stdin(max_bytes).context("-"));
        }
        Some(input::read_path(&path, max_bytes).with_context(|| path.display().to_string()))
    })
}

/// Run `begrip batch`: the summary goes to stderr, progress too when it is a terminal.
pub fn run_batch(args: &BatchArgs) -> Result<Outcome> {
    let tables = match args.format {
        BatchFormat::Csv => TableFormat::Csv,
        BatchFormat::Jsonl => TableFormat::Jsonl,
    };
    if args.out.is_none() && args.format != BatchFormat::Csv {
        warn("--format applies to the tables in --out DIR; without --out nothing takes it");
    }
    if tables == TableFormat::Jsonl && (args.excel || args.delimiter.is_some()) {
        warn("--excel and --delimiter apply to CSV tables only; --format jsonl ignores them");
    }
    let options = BatchOptions {
        out_dir: args.out.clone(),
        sqlite: args.sqlite.clone(),
        xlsx: args.xlsx.clone(),
        meta: args.meta.clone(),
        manifest: args.manifest.as_deref().map(begrip::manifest::Manifest::read).transpose()?,
        jobs: jobs(args.jobs),
        tables,
        delimiter: args.delimiter.unwrap_or(if args.excel { b';' } else { b',' }),
        excel: args.excel,
        json: !args.no_json,
        max_bytes: args.max_size,
        clean: args.clean,
        progress: std::io::stderr().is_terminal().then_some(show_progress as fn(&Progress)),
        on_failure: Some(report_failure),
        on_warning: Some(report_warning),
    };
    let summary = begrip::batch::run_batch(&args.inputs, &options)?;
    if options.progress.is_some() {
        eprint!("\r\x1b[2K");
    }
    eprintln!("begrip batch: {summary}");
    Ok(if summary.files_failed > 0 { Outcome::SomeFailed } else { Outcome::AllOk })
}

/// The workers to run: `--jobs` (at most [`begrip::batch::job_limit`], with
/// a warning), or one per core.
fn jobs(asked: Option<u16>) -> usize {
    let limit = begrip::batch::job_limit();
    match asked.map(usize::from) {
        Some(n) if n > limit => {
            eprintln!("begrip: warning: --jobs {n} is more than 4 per core; using {limit}");
            limit
        }
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

/// One line per failed input on stderr (over the progress line, if any).
fn report_failure(file: &str, reason: &str) {
    clear_progress_line();
    eprintln!("begrip: {}", one_line(&format!("{file}: {reason}")));
}

/// One line per warning on stderr (over the progress line, if any).
fn report_warning(file: &str, warning: &str) {
    clear_progress_line();
    eprintln!("begrip: warning: {}", one_line(&format!("{file}: {warning}")));
}

fn clear_progress_line() {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
}

/// One progress line, redrawn at most every 200 ms. While the inputs are
/// still being listed the total has a `+` and there is no ETA yet.
fn show_progress(p: &Progress) {
    static LAST_MS: AtomicU64 = AtomicU64::new(0);
    let now = p.elapsed.as_millis() as u64;
    let last = LAST_MS.load(AtomicOrdering::Relaxed);
    let finished = p.listed_all && p.done >= p.total;
    if now < last + 200 && !finished {
        return;
    }
    LAST_MS.store(now, AtomicOrdering::Relaxed);
    let seconds = p.elapsed.as_secs_f64().max(1e-3);
    let rate = p.bytes as f64 / 1e6 / seconds;
    if p.listed_all {
        let eta = if p.done == 0 { 0.0 } else { seconds * (p.total - p.done) as f64 / p.done as f64 };
        eprint!("\r\x1b[2K{}/{} files  {rate:.1} MB/s  ETA {eta:.0} s", p.done, p.total);
    } else {
        eprint!("\r\x1b[2K{}/{}+ files  {rate:.1} MB/s", p.done, p.total);
    }
}

/// `begrip view`: the HTML picture of one page. An input that cannot be
/// read or parsed is a failed input (exit 1, nothing written), as for `parse`.
pub fn run_view(args: &ViewArgs) -> Result<Outcome> {
    let output = args.output.as_deref().filter(|o| o.as_os_str() != "-");
    let input = args.input.as_deref().filter(|i| i.as_os_str() != "-");
    if let (Some(output), Some(input)) = (output, input) {
        refuse_overwriting_an_input(output, &[input.to_path_buf()])?;
    }
    if input.is_none() && std::io::stdin().is_terminal() {
        eprintln!("begrip: reading a page from standard input (end it with Ctrl-D; `begrip view FILE` reads a file)");
    }
    let loaded = match input {
        None => input::read_stdin(args.max_size).context("-"),
        Some(p) => input::read_path(p, args.max_size).with_context(|| p.display().to_string()),
    };
    let failed = |what: String| {
        eprintln!("begrip: {}", one_line(&what));
        Ok(Outcome::SomeFailed)
    };
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return failed(format!("{e:#}")),
    };
    loaded.warnings.iter().for_each(|w| report_warning(&loaded.source.name, w));
    let source = &loaded.source;
    let mut doc = match begrip::parse_source_guarded(source) {
        Ok(doc) => doc,
        Err(e) => return failed(format!("{}: {e}", source.name)),
    };
    apply_overrides(&mut doc, &args.meta);
    let html = begrip::emit::view_html(&doc, &source.text);
    let mut out = Destination::open(output)?;
    out.writer().write_all(html.as_bytes())?;
    out.finish(true)?;
    Ok(Outcome::AllOk)
}

/// `begrip explain`: the table stage's decisions for one input.
pub fn run_explain(args: &ExplainArgs) -> Result<()> {
    let max = input::DEFAULT_MAX_BYTES;
    let loaded = match args.input.as_deref() {
        None => input::read_stdin(max)?,
        Some(p) if p.as_os_str() == "-" => input::read_stdin(max)?,
        Some(p) => input::read_path(p, max).with_context(|| p.display().to_string())?,
    };
    for warning in &loaded.warnings {
        report_warning(&loaded.source.name, warning);
    }
    let mut out = std::io::stdout().lock();
    out.write_all(begrip::explain_source(&loaded.source).as_bytes())?;
    Ok(())
}

/// Run `begrip schema`.
pub fn run_schema(args: &SchemaArgs) -> Result<()> {
    let schema = match args.table {
        Some(TableArg::Records) => serde_json::to_value(schemars::schema_for!(begrip::emit::RecordRow))?,
        Some(TableArg::Indicators) => serde_json::to_value(schemars::schema_for!(begrip::emit::IndicatorRow))?,
        None => parse_output_schema()?,
    };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &schema)?;
    writeln!(out)?;
    Ok(())
}

/// The schema of what `parse --format json` writes: one document (one
/// input) or an array of them (several inputs).
fn parse_output_schema() -> Result<serde_json::Value> {
    let mut document = serde_json::to_value(schemars::schema_for!(Document))?;
    let object = document.as_object_mut().context("a schema object")?;
    let schema_uri = object.remove("$schema");
    let mut definitions = object.remove("definitions").unwrap_or_else(|| serde_json::json!({}));
    definitions["Document"] = document;
    Ok(serde_json::json!({
        "$schema": schema_uri,
        "title": "begrip parse output",
        "description": "What `begrip parse --format json` writes: one Document for one input, an array of \
                        Documents for several.",
        "oneOf": [
            {"$ref": "#/definitions/Document"},
            {"type": "array", "items": {"$ref": "#/definitions/Document"}}
        ],
        "definitions": definitions,
    }))
}

/// `begrip completions SHELL`.
pub fn run_completions(args: &CompletionsArgs) -> Result<()> {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "begrip", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(())
}

/// `begrip man`: the manual page (roff), with the subcommands listed.
pub fn run_man() -> Result<()> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(())
}

/// Reject flag combinations clap cannot express; warn about flags the
/// chosen format ignores.
pub fn validate(args: &ParseArgs) -> Result<()> {
    let csv_flags = args.excel || args.delimiter.is_some() || args.no_headers;
    if args.format == OutputFormat::Json && (args.excel || args.delimiter.is_some()) {
        bail!("--excel and --delimiter apply to --format csv only");
    }
    let binary = matches!(args.format, OutputFormat::Xlsx | OutputFormat::Sqlite);
    let name = format!("{:?}", args.format).to_lowercase();
    if binary && args.report {
        bail!("--report writes text: not with --format {name}");
    }
    match (args.format, args.output.as_deref()) {
        (OutputFormat::Xlsx, None) => {
            bail!("--format xlsx writes a binary file: give it with -o FILE.xlsx (or -o - for standard output)")
        }
        (OutputFormat::Sqlite, None) => bail!("--format sqlite writes a database file: give it with -o FILE.db"),
        (OutputFormat::Sqlite, Some(o)) if o.as_os_str() == "-" => {
            bail!("--format sqlite cannot write to standard output: give a file with -o FILE.db")
        }
        _ => {}
    }
    if csv_flags && args.format != OutputFormat::Csv {
        warn(&format!(
            "--excel, --delimiter and --no-headers apply to --format csv only; --format {name} ignores them"
        ));
    }
    if args.table.is_some() && !matches!(args.format, OutputFormat::Csv | OutputFormat::Jsonl) {
        warn(&format!("--table applies to --format csv and jsonl; --format {name} ignores it"));
    }
    Ok(())
}

fn warn(what: &str) {
    eprintln!("begrip: warning: {what}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn meta_overrides_are_checked() {
        assert_eq!(parse_meta("year=2024"), Ok(MetaOverride::Year(2024)));
        assert_eq!(parse_meta("gemeente=Leiden"), Ok(MetaOverride::Gemeente("Leiden".into())));
        assert!(parse_meta("year=twintig").is_err());
        assert!(parse_meta("land=NL").is_err());
        assert!(parse_meta("year").is_err());
    }

    #[test]
    fn delimiters_are_checked() {
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter("|"), Ok(b'|'));
        assert_eq!(parse_delimiter(" "), Ok(b' '));
        for refused in [";;", "\"", "'", ".", "-", "1", "e", "Z", "\n", "\r", "\0", "é", ""] {
            assert!(parse_delimiter(refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn sizes_are_checked() {
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert_eq!(parse_size("1500KiB"), Ok(1500 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        for refused in ["0", "-1", "M", "1T", "lots", "99999999999G"] {
            assert!(parse_size(refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn defaults() {
        let cli = Cli::parse_from(["begrip", "parse", "a.txt"]);
        let Command::Parse(args) = cli.command else { panic!("parse expected") };
        assert_eq!((args.format, args.table), (OutputFormat::Json, None));
        assert!(args.output.is_none() && !args.excel && !args.report);
    }
}
