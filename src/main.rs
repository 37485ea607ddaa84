//! The `begrip` binary: parse flags, run the command, map the outcome to an
//! exit code (0 all ok, 1 some inputs failed, 2 usage or fatal error, 128 +
//! the signal's number when ended by `SIGINT`, `SIGTERM` or `SIGHUP`).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match &cli.command {
        cli::Command::Parse(args) => {
            // The rows of a large input are written as they are made; the JSON of one is held
            // whole, in a buffer that doubles, and freed memory kept would keep every size it had.
            if args.format == cli::OutputFormat::Json {
                begrip::allocator::purge_freed_memory_soon();
            } else {
                begrip::allocator::keep_freed_memory();
            }
            remove_partials_on_signals();
            cli::validate(args).and_then(|()| cli::run_parse(args))
        }
        cli::Command::Batch(args) => {
            remove_partials_on_signals();
            cli::run_batch(args)
        }
        cli::Command::Schema(args) => cli::run_schema(args).map(|()| cli::Outcome::AllOk),
        cli::Command::Completions(args) => cli::run_completions(args).map(|()| cli::Outcome::AllOk),
        cli::Command::Man => cli::run_man().map(|()| cli::Outcome::AllOk),
        cli::Command::View(args) => {
            remove_partials_on_signals();
            cli::run_view(args)
        }
        cli::Command::Explain(args) => cli::run_explain(args).map(|()| cli::Outcome::AllOk),
    };
    match result {
        Ok(cli::Outcome::AllOk) => ExitCode::SUCCESS,
        Ok(cli::Outcome::SomeFailed) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("begrip: {}", begrip::input::one_line(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// A closed pipe (`begrip … | head`) is not an error, whichever writer met
/// it (plain, JSON or CSV: the last two wrap the I/O error in their own).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>().is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
            || c.downcast_ref::<csv::Error>()
                .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe))
    })
}

/// On `SIGINT`, `SIGTERM` or `SIGHUP`, remove the temporary files and end
/// (a thread waits for the signal; see [`begrip::partial`]). `SIGXFSZ` (a
/// file over `ulimit -f`) is caught too, so that the write fails with an
/// error naming the file instead of ending the process with temporary files
/// left behind.
#[cfg(unix)]
fn remove_partials_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGXFSZ};
    let _ = signal_hook::flag::register(SIGXFSZ, std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)));
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            eprintln!("begrip: interrupted (signal {signal}); temporary files removed");
            begrip::partial::exit_removing_partials(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn remove_partials_on_signals() {}

/// mimalloc: begrip allocates many small strings (one per line, cell and
/// paragraph); it parses about a quarter faster than with the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
