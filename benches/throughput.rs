//! Throughput and scaling benchmark (`cargo bench`): builds inputs from the
//! project's own pages (`seeds/`, `fixtures/pages/`) and measures
//!
//! 1. parse + both CSV tables on one core, in MB/s (text already in memory);
//! 2. linearity: a 10x larger input against a small one;
//! 3. a single 10 MB line and a single 100 MB input (`BENCH_BIG=1`), and
//!    the inputs that were once slow (issue 15): an HTML tag with 100,000
//!    attributes, HTML nested 100,000 deep, and (`BENCH_SHORT_LINES=1`,
//!    until the linear table stage lands) 2 MB and 20 MB of short lines
//!    without a blank line between them (targets: under 1 s, 20 MB within
//!    11x the 2 MB);
//! 4. `begrip batch` (the binary, start-up included) with 1 and 2 jobs over
//!    two corpora of files: all the pages (mostly 2 KB excerpts) and the seed
//!    pages alone (full pages), with a JSON per input (the default) and with
//!    the tables only (`--no-json`), also as a multiple of the rate of 1, and
//!    next to what the machine gives two 1-job runs side by side;
//! 5. the outputs of `begrip batch` over the first corpus with 2 jobs: the CSV
//!    tables (`--no-json`), `--sqlite` and `--xlsx` (each alone), as a
//!    multiple of the CSV time (target: within 2x). `BENCH_OUTPUTS_ONLY=1`
//!    runs only this part.
//!
//! 6. HTML: the saved pages of `fixtures/html/` (their bodies) joined into
//!    one 20 MB page, parse + both CSV tables on one core, and html5ever's
//!    parse of it alone (scraper's `Html::parse_document`), in MB/s (target:
//!    20 MB/s). `BENCH_HTML_ONLY=1` runs only this part.
//!
//! Prints one line per measurement; docs/performance.md keeps the figures.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The allocator the binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::{Duration, Instant};

use begrip::emit::{CsvEmitter, Emitter, TableKind};
use begrip::input::{Format, Source};

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The project's real pages, joined by blank lines.
fn pages() -> String {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["seeds", "fixtures/pages"] {
        for entry in std::fs::read_dir(project().join(dir)).expect("pages").flatten() {
            if entry.path().extension().is_some_and(|e| e == "txt") {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    files.iter().map(|f| std::fs::read_to_string(f).expect("page")).collect::<Vec<_>>().join("\n\n")
}

/// `pages` repeated to at least `bytes`.
fn text_of(bytes: usize, pages: &str) -> String {
    let mut text = String::with_capacity(bytes + pages.len());
    while text.len() < bytes {
        text.push_str(pages);
        text.push_str("\n\n");
    }
    text
}

/// Parse and write both CSV tables to a sink; the time of each of `runs` runs.
fn time_parse(text: &str, runs: usize) -> Vec<Duration> {
    time_parse_as(text, Format::Text, runs)
}

/// [`time_parse`] of a text in `format`.
fn time_parse_as(text: &str, format: Format, runs: usize) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let source = Source { name: "bench".into(), format, text: text.to_string(), bounded: false };
            let doc = begrip::parse_source(&source);
            for table in [TableKind::Records, TableKind::Indicators] {
                let mut sink = std::io::sink();
                let mut csv = CsvEmitter::new(table, b',', false);
                csv.document(&mut sink, &doc).expect("csv");
                csv.finish(&mut sink).expect("csv");
            }
            started.elapsed()
        })
        .collect()
}

/// The shortest of some timings.
fn best(times: &[Duration]) -> Duration {
    times.iter().copied().min().expect("timings")
}

/// The median of some timings.
fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / 1e6 / time.as_secs_f64()
}

/// `copies` copies of the pages under `dir`; an existing corpus is reused
/// (rewriting thousands of files would slow down the file system for the
/// batch runs that follow, see below). Returns its files and bytes.
fn corpus_on_disk(dir: &Path, copies: usize, pages_dir: &[&str]) -> (usize, usize) {
    let (mut files, mut bytes) = (0, 0);
    for copy in 0..copies {
        let target = dir.join(format!("copy{copy:04}"));
        std::fs::create_dir_all(&target).expect("corpus dir");
        for d in pages_dir {
            for entry in std::fs::read_dir(project().join(d)).expect("pages").flatten() {
                if entry.path().extension().is_some_and(|e| e == "txt") {
                    let name = target.join(format!("{}-{}", d.replace('/', "-"), entry.file_name().to_string_lossy()));
                    let size = entry.metadata().expect("page").len();
                    if std::fs::metadata(&name).map(|m| m.len()).ok() != Some(size) {
                        std::fs::copy(entry.path(), &name).expect("copy");
                    }
                    files += 1;
                    bytes += size as usize;
                }
            }
        }
    }
    (files, bytes)
}

/// A corpus on disk for the batch runs.
struct Corpus {
    /// What its pages are.
    name: &'static str,
    input: PathBuf,
    files: usize,
    bytes: usize,
}

/// How a batch run is measured.
struct BatchRun<'a> {
    corpus: &'a Corpus,
    /// Where the output goes (for the report).
    place: &'a str,
    /// A JSON per input, or the combined tables only.
    json: bool,
    /// The single-core parse rates (MB/s, best and median) to compare with.
    single_core: (f64, f64),
    /// Delete each run's output after it is timed (tmpfs: gigabytes of
    /// outputs left in memory slow down the runs that follow).
    clean_up: bool,
}

/// `begrip batch` of the run's corpus into `out_dir` with `jobs` workers.
fn batch_command(run: &BatchRun, out_dir: &Path, jobs: usize) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_begrip"));
    command.arg("batch").arg(&run.corpus.input).arg("--out").arg(out_dir).arg("--jobs").arg(jobs.to_string());
    if !run.json {
        command.arg("--no-json");
    }
    command.stderr(Stdio::null());
    command
}

/// Convert the corpus with 1 job, 2 jobs, and twice at once with 1 job each
/// (what two cores give two programs in these minutes: this shared machine's
/// second core is sometimes much slower), runs alternating so that all meet
/// the same conditions, each into a new directory under `base`; print the
/// best times, the speed-ups and the rate against the single-core parse.
fn bench_batch(run: &BatchRun, base: &Path) {
    let corpus = run.corpus;
    // (workers per process, processes at once): 1 job, 2 jobs, two 1-job runs side by side.
    const SHAPES: [(usize, usize); 3] = [(1, 1), (2, 1), (1, 2)];
    let mut times: [Vec<Duration>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for round in 0..5 {
        for (slot, (jobs, processes)) in SHAPES.into_iter().enumerate() {
            let out_dirs: Vec<PathBuf> =
                (0..processes).map(|copy| base.join(format!("slot{slot}-run{round}-{copy}"))).collect();
            let started = Instant::now();
            let children: Vec<_> =
                out_dirs.iter().map(|dir| batch_command(run, dir, jobs).spawn().expect("run begrip batch")).collect();
            for mut child in children {
                let status = child.wait().expect("wait for begrip batch");
                assert!(status.success(), "begrip batch failed: {status}");
            }
            times[slot].push(started.elapsed());
            for dir in out_dirs.iter().filter(|_| run.clean_up) {
                std::fs::remove_dir_all(dir).expect("remove the run's output");
            }
        }
    }
    let output = if run.json { "JSON + tables" } else { "tables only" };
    let what = format!("batch of {} to {} ({output})", corpus.name, run.place);
    for (slot, jobs) in [1, 2].into_iter().enumerate() {
        let t = best(&times[slot]);
        println!(
            "{what}, {jobs} job(s), {} files, {:.1} MB: {:.1} MB/s ({:.3} s) best of {}",
            corpus.files,
            corpus.bytes as f64 / 1e6,
            mb_per_s(corpus.bytes, t),
            t.as_secs_f64(),
            times[slot].len()
        );
    }
    let speed_up = |pick: fn(&[Duration]) -> Duration| pick(&times[0]).as_secs_f64() / pick(&times[1]).as_secs_f64();
    println!("{what}: speed-up with 2 jobs: {:.2}x (best), {:.2}x (median)", speed_up(best), speed_up(median));
    let machine =
        |pick: fn(&[Duration]) -> Duration| 2.0 * pick(&times[0]).as_secs_f64() / pick(&times[2]).as_secs_f64();
    println!(
        "{what}: two 1-job runs at once (the machine's own speed-up): {:.2}x (best), {:.2}x (median)",
        machine(best),
        machine(median)
    );
    let (single_best, single_median) = run.single_core;
    println!(
        "{what}: 2 jobs = {:.2}x the single-core parse rate (best against best, {single_best:.1} MB/s), \
         {:.2}x (median against median, {single_median:.1} MB/s)",
        mb_per_s(corpus.bytes, best(&times[1])) / single_best,
        mb_per_s(corpus.bytes, median(&times[1])) / single_median,
    );
}

/// The inputs that took seconds or crashed before issue 15, best of three each.
fn bench_once_slow() {
    let attributes: Vec<String> = (0..100_000).map(|i| format!("data-a{i}=\"{i}\"")).collect();
    let html = format!("<html><body><p {}>Veel attributen</p></body></html>", attributes.join(" "));
    let t = best(&time_parse_as(&html, Format::Html, 3));
    println!(
        "HTML tag with 100,000 attributes ({:.1} MB): {:.3} s (target: under 1 s)",
        html.len() as f64 / 1e6,
        t.as_secs_f64()
    );
    let html = format!("<html><body>{}Diep{}</body></html>", "<div>".repeat(100_000), "</div>".repeat(100_000));
    let t = best(&time_parse_as(&html, Format::Html, 3));
    println!("HTML nested 100,000 deep ({:.1} MB): {:.3} s", html.len() as f64 / 1e6, t.as_secs_f64());
    if std::env::var_os("BENCH_SHORT_LINES").is_none() {
        println!("short lines without blank lines: skipped (BENCH_SHORT_LINES=1; quadratic until the new table stage)");
        return;
    }
    let (small, large) = ("2024\n".repeat(400_000), "2024\n".repeat(4_000_000));
    let (t_small, t_large) = (best(&time_parse(&small, 3)), best(&time_parse(&large, 1)));
    println!(
        "short lines without blank lines: 2 MB {:.3} s (target: under 1 s), 20 MB {:.3} s = {:.1}x (target: at most 11x)",
        t_small.as_secs_f64(),
        t_large.as_secs_f64(),
        t_large.as_secs_f64() / t_small.as_secs_f64()
    );
}

/// `begrip batch` of `corpus` with 2 jobs writing only the CSV tables, only a
/// database, only a workbook: best of five each (runs alternating), and the
/// database and workbook times as multiples of the CSV time.
fn bench_outputs(corpus: &Corpus, base: &Path) {
    let outputs: [(&str, &[&str]); 3] = [
        ("CSV tables (--no-json)", &["--out", "csv", "--no-json"]),
        ("--sqlite", &["--sqlite", "x.db"]),
        ("--xlsx", &["--xlsx", "x.xlsx"]),
    ];
    let mut times: [Vec<Duration>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for round in 0..5 {
        for (slot, (_, args)) in outputs.iter().enumerate() {
            let dir = base.join(format!("outputs-{slot}-{round}"));
            std::fs::create_dir_all(&dir).expect("output dir");
            let mut command = Command::new(env!("CARGO_BIN_EXE_begrip"));
            command.arg("batch").arg(&corpus.input).args(["--jobs", "2"]).stderr(Stdio::null());
            for (i, arg) in args.iter().enumerate() {
                // Every other argument is a file or directory name: inside this run's directory.
                if i % 2 == 1 {
                    command.arg(dir.join(arg))
                } else {
                    command.arg(arg)
                };
            }
            let started = Instant::now();
            let status = command.status().expect("run begrip batch");
            times[slot].push(started.elapsed());
            assert!(status.success(), "begrip batch {args:?} failed: {status}");
            std::fs::remove_dir_all(&dir).expect("remove the run's output");
        }
    }
    let csv = best(&times[0]);
    for (slot, (name, _)) in outputs.iter().enumerate() {
        let t = best(&times[slot]);
        println!(
            "batch of {} ({} files, {:.1} MB), 2 jobs, {name}: {:.3} s ({:.1} MB/s) best of {}, {:.2}x the CSV time \
             (target: within 2x)",
            corpus.name,
            corpus.files,
            corpus.bytes as f64 / 1e6,
            t.as_secs_f64(),
            mb_per_s(corpus.bytes, t),
            times[slot].len(),
            t.as_secs_f64() / csv.as_secs_f64()
        );
    }
}

/// The bodies of the saved pages in `fixtures/html/`, one after the other
/// in one page of at least `bytes` bytes.
fn html_page(bytes: usize) -> String {
    let dir = project().join("fixtures/html");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/html")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    names.sort();
    let bodies: String = names
        .iter()
        .map(|p| {
            let page = std::fs::read_to_string(p).expect("page");
            let body = page.split_once("<body").map_or(page.as_str(), |(_, b)| b.split_once('>').map_or(b, |(_, b)| b));
            body.rsplit_once("</body>").map_or(body, |(b, _)| b).to_string()
        })
        .collect();
    let copies = bytes / bodies.len() + 1;
    format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><title>Begroting 2024</title></head><body>{}</body></html>",
        bodies.repeat(copies)
    )
}

/// HTML → both CSV tables on one core, and html5ever's parse alone.
fn bench_html() {
    let page = html_page(20_000_000);
    let times = time_parse_as(&page, Format::Html, 5);
    let t = best(&times);
    println!(
        "HTML, 20 MB of saved pages -> both CSV tables, one core: {:.3} s ({:.1} MB/s) best of {}, median {:.1} MB/s (target: 20 MB/s)",
        t.as_secs_f64(),
        mb_per_s(page.len(), t),
        times.len(),
        mb_per_s(page.len(), median(&times))
    );
    let parse_times: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let document = scraper::Html::parse_document(&page);
            std::hint::black_box(&document);
            started.elapsed()
        })
        .collect();
    let t = best(&parse_times);
    println!("HTML, html5ever's parse alone: {:.3} s ({:.1} MB/s) best of 5", t.as_secs_f64(), mb_per_s(page.len(), t));
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments are ignored.
    // The allocator as the binary sets it up (src/allocator.rs).
    begrip::allocator::keep_freed_memory();
    if std::env::var_os("BENCH_OUTPUTS_ONLY").is_some() {
        let dir = project().join("target").join("bench-corpus");
        let input = dir.join("in");
        let (files, bytes) = corpus_on_disk(&input, 200, &["seeds", "fixtures/pages"]);
        let corpus = Corpus { name: "seeds and invented pages", input, files, bytes };
        bench_outputs(&corpus, &dir.join(format!("outputs-{}", std::process::id())));
        return;
    }
    if std::env::var_os("BENCH_HTML_ONLY").is_some() {
        bench_html();
        return;
    }
    let pages = pages();

    // Rounds of seven runs each, 20 MB and 2 MB alternating: this machine's speed changes for
    // seconds at a time, so the rounds are spread out; best and median are both reported.
    let (rounds, runs) = (3, 7);
    let mb20 = text_of(20_000_000, &pages);
    let small = text_of(2_000_000, &pages);
    let (mut large_times, mut small_times) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        large_times.extend(time_parse(&mb20, runs));
        small_times.extend(time_parse(&small, runs));
    }
    let (t, typical) = (best(&large_times), median(&large_times));
    let single_core = (mb_per_s(mb20.len(), t), mb_per_s(mb20.len(), typical));
    println!(
        "single core, parse + CSV, {:.1} MB text: {:.1} MB/s ({:.3} s) best, {:.1} MB/s ({:.3} s) median of {} runs",
        mb20.len() as f64 / 1e6,
        mb_per_s(mb20.len(), t),
        t.as_secs_f64(),
        mb_per_s(mb20.len(), typical),
        typical.as_secs_f64(),
        large_times.len()
    );

    let t_small = best(&small_times);
    let ratio = t.as_secs_f64() / t_small.as_secs_f64();
    let size_ratio = mb20.len() as f64 / small.len() as f64;
    println!(
        "linearity: {size_ratio:.1}x input took {ratio:.2}x time ({:.3} s vs {:.3} s, best of {} each)",
        t_small.as_secs_f64(),
        t.as_secs_f64(),
        small_times.len()
    );
    // `BENCH_PARSE_ONLY=1`: the single-core figures alone (for before/after comparisons).
    if std::env::var_os("BENCH_PARSE_ONLY").is_some() {
        return;
    }

    let line = "Het college werkt aan betaalbare woningen. ".repeat(10_000_000 / 43);
    let t = best(&time_parse(&format!("Programma 1 Wonen\n\n{line}\n"), 1));
    println!("single 10 MB line: {:.3} s ({:.1} MB/s)", t.as_secs_f64(), mb_per_s(line.len(), t));

    bench_once_slow();
    bench_html();

    if std::env::var_os("BENCH_BIG").is_some() {
        let mb100 = text_of(100_000_000, &pages);
        let t = best(&time_parse(&mb100, 1));
        println!("single 100 MB input: {:.3} s ({:.1} MB/s)", t.as_secs_f64(), mb_per_s(mb100.len(), t));
    }

    let dir = project().join("target").join("bench-corpus");
    let corpus = |name, input: &str, copies, pages: &[&str]| {
        let input = dir.join(input);
        let (files, bytes) = corpus_on_disk(&input, copies, pages);
        Corpus { name, input, files, bytes }
    };
    let corpora = [
        corpus("seeds and invented pages", "in", 200, &["seeds", "fixtures/pages"]),
        corpus("seed-sized pages (8-18 KB)", "seeds-in", 800, &["seeds"]),
    ];
    // Every run writes to a new directory. On disk nothing is deleted until the
    // end: ext4 slows down allocating inodes right after thousands were
    // deleted, which would measure the file system's recent past, not begrip.
    let shm = Path::new("/dev/shm");
    let mut places = vec![("disk", dir.join(format!("out-{}", std::process::id())))];
    if shm.is_dir() {
        places.push(("memory (tmpfs)", shm.join(format!("begrip-bench-{}", std::process::id()))));
    }
    for (place, base) in &places {
        for (n, corpus) in corpora.iter().enumerate() {
            for json in [true, false] {
                let run = BatchRun { corpus, place, json, single_core, clean_up: *place != "disk" };
                bench_batch(&run, &base.join(format!("{n}-{json}")));
            }
        }
        let _ = std::fs::remove_dir_all(base);
    }
    bench_outputs(&corpora[0], &dir.join(format!("outputs-{}", std::process::id())));
}
