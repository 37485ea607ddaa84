//! Command-line interface: flags (clap) → validated settings, and the
//! `parse` and `schema` commands. Binary-only concerns (messages, exit codes)
//! live here, not in the library.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use begrip::batch::{BatchOptions, Progress};
use begrip::emit::{CsvEmitter, Emitter, JsonEmitter, JsonlEmitter, TableKind};
use begrip::input::{self, Source};
use begrip::model::Document;

/// Turn exported Dutch municipal planning-and-control pages into structured data.
///
/// Reads the text or saved HTML of pages from online budget platforms
/// (begroting, jaarstukken, voorjaarsnota, bestuurs- and voortgangsrapportages)
/// and writes programmes, sections, speerpunten, labelled blocks and indicator
/// tables as JSON, JSON Lines or CSV.
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
    /// DIR/indicators.csv (the columns of `parse`), and failed inputs to
    /// DIR/errors.csv. Files are written under a temporary name and renamed
    /// when complete. Exit status: 0 all converted, 1 some failed (the others
    /// are still converted), 2 usage or fatal error.
    Batch(BatchArgs),
    /// Print the JSON Schema of the JSON output.
    Schema,
    /// Show how the pipeline decided: every table candidate a reader
    /// weighed, its score and the tables it chose (a debug dump).
    Explain(ExplainArgs),
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
    /// The output directory (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// CSV field delimiter (one ASCII character).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// CSV for Dutch Excel: UTF-8 byte order mark and `;` as delimiter.
    #[arg(long)]
    pub excel: bool,
    /// Write only the combined CSV files, no JSON per input (faster, and
    /// thousands fewer files when only the tables are wanted).
    #[arg(long)]
    pub no_json: bool,
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
    /// Which flat table to write with csv and jsonl.
    #[arg(short, long, value_enum, default_value_t = TableArg::Records)]
    pub table: TableArg,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV field delimiter (one ASCII character).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// CSV for Dutch Excel: UTF-8 byte order mark and `;` as delimiter.
    #[arg(long)]
    pub excel: bool,
    /// Override metadata for all inputs: gemeente=NAME, year=YYYY or
    /// document_type=TYPE. Repeatable.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_meta)]
    pub meta: Vec<MetaOverride>,
    /// Instead of the data, print per input the share of content lines that
    /// were assigned to an element, and list the rest.
    #[arg(long)]
    pub report: bool,
}

/// One `--meta KEY=VALUE` override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaOverride {
    /// `gemeente=NAME`.
    Gemeente(String),
    /// `year=YYYY`.
    Year(u16),
    /// `document_type=TYPE`.
    DocumentType(String),
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    let s = if s == "\\t" || s == "tab" { "\t" } else { s };
    match s.as_bytes() {
        [b] if b.is_ascii() && *b != b'"' && *b != b'\n' => Ok(*b),
        _ => Err(format!("delimiter must be one ASCII character other than a quote or newline, not {s:?}")),
    }
}

fn parse_meta(s: &str) -> Result<MetaOverride, String> {
    let (key, value) = s.split_once('=').ok_or_else(|| format!("expected KEY=VALUE, got {s:?}"))?;
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

impl ParseArgs {
    fn emitter(&self) -> Box<dyn Emitter> {
        let delimiter = self.delimiter.unwrap_or(if self.excel { b';' } else { b',' });
        match self.format {
            OutputFormat::Json => Box::new(JsonEmitter::new()),
            OutputFormat::Jsonl => Box::new(JsonlEmitter::new(self.table.into())),
            OutputFormat::Csv => Box::new(CsvEmitter::new(self.table.into(), delimiter, self.excel)),
        }
    }
}

/// Apply `--meta` overrides to a parsed document.
pub fn apply_overrides(doc: &mut Document, overrides: &[MetaOverride]) {
    for o in overrides {
        match o {
            MetaOverride::Gemeente(g) => doc.meta.gemeente = Some(g.clone()),
            MetaOverride::Year(y) => doc.meta.year = Some(*y),
            MetaOverride::DocumentType(t) => doc.meta.document_type = Some(t.clone()),
        }
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
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => {
            Box::new(BufWriter::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?))
        }
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let mut emitter = args.emitter();
    let mut outcome = Outcome::AllOk;
    for source in sources(&args.inputs) {
        let source = match source {
            Ok(s) => s,
            Err(e) => {
                eprintln!("begrip: {e:#}");
                outcome = Outcome::SomeFailed;
                continue;
            }
        };
        let mut doc = begrip::parse_source(&source);
        apply_overrides(&mut doc, &args.meta);
        if args.report {
            begrip::report::write_report(&mut out, &doc, &source.text)?;
        } else {
            emitter.document(&mut out, &doc)?;
        }
    }
    if !args.report {
        emitter.finish(&mut out)?;
    }
    out.flush()?;
    Ok(outcome)
}

/// The inputs, read one at a time; errors name the input.
fn sources(inputs: &[PathBuf]) -> impl Iterator<Item = Result<Source>> + '_ {
    let stdin_only = inputs.is_empty();
    let expanded = if stdin_only { vec![Ok(PathBuf::from("-"))] } else { input::expand_inputs(inputs) };
    expanded.into_iter().map(|path| {
        let path = path.map_err(anyhow::Error::from)?;
        if path.as_os_str() == "-" {
            return input::read_stdin().context("-");
        }
        input::read_path(&path).with_context(|| path.display().to_string())
    })
}

/// Run `begrip batch`: the summary goes to stderr, progress too when it is a terminal.
pub fn run_batch(args: &BatchArgs) -> Result<Outcome> {
    let jobs =
        args.jobs.map(usize::from).unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = BatchOptions {
        out_dir: args.out.clone(),
        jobs,
        delimiter: args.delimiter.unwrap_or(if args.excel { b';' } else { b',' }),
        bom: args.excel,
        json: !args.no_json,
        progress: std::io::stderr().is_terminal().then_some(show_progress as fn(&Progress)),
        on_failure: Some(report_failure),
    };
    let summary = begrip::batch::run_batch(&args.inputs, &options)?;
    if options.progress.is_some() {
        eprint!("\r\x1b[2K");
    }
    eprintln!("begrip batch: {summary}");
    Ok(if summary.files_failed > 0 { Outcome::SomeFailed } else { Outcome::AllOk })
}

/// One line per failed input on stderr (over the progress line, if any).
fn report_failure(file: &str, reason: &str) {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
    eprintln!("begrip: {file}: {reason}");
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

/// Run `begrip schema`.
/// `begrip explain`: the table stage's decisions for one input.
pub fn run_explain(args: &ExplainArgs) -> Result<()> {
    let source = match args.input.as_deref() {
        None => input::read_stdin()?,
        Some(p) if p.as_os_str() == "-" => input::read_stdin()?,
        Some(p) => input::read_path(p).with_context(|| p.display().to_string())?,
    };
    let mut out = std::io::stdout().lock();
    out.write_all(begrip::explain_source(&source).as_bytes())?;
    Ok(())
}

pub fn run_schema() -> Result<()> {
    let schema = schemars::schema_for!(Document);
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &schema)?;
    writeln!(out)?;
    Ok(())
}

/// Reject flag combinations clap cannot express.
pub fn validate(args: &ParseArgs) -> Result<()> {
    if args.format == OutputFormat::Json && (args.excel || args.delimiter.is_some()) {
        bail!("--excel and --delimiter apply to --format csv only");
    }
    Ok(())
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
        assert!(parse_delimiter(";;").is_err());
        assert!(parse_delimiter("\"").is_err());
    }

    #[test]
    fn defaults() {
        let cli = Cli::parse_from(["begrip", "parse", "a.txt"]);
        let Command::Parse(args) = cli.command else { panic!("parse expected") };
        assert_eq!((args.format, args.table), (OutputFormat::Json, TableArg::Records));
        assert!(args.output.is_none() && !args.excel && !args.report);
    }
}
