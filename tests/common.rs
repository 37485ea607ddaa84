//! Helpers the CLI and batch tests share: running the binary, scratch
//! directories, reading what it wrote.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The project's directory (the binary runs there).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `begrip ARGS` in the project's directory.
pub fn begrip(args: &[&str]) -> Output {
    command(args).output().expect("run begrip")
}

/// The binary with `args`, in the project's directory, output captured.
pub fn command<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_begrip"));
    command.current_dir(root()).args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

/// `begrip ARGS` with `input` on standard input.
pub fn begrip_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = command(args).stdin(Stdio::piped()).spawn().expect("spawn begrip");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// Run `command`, failing the test (and killing it) when it takes more than `limit`.
pub fn within(limit: Duration, mut command: Command) -> Output {
    let mut child = command.spawn().expect("spawn begrip");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("begrip took more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("output")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8")
}

/// A fresh empty directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target").join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A file's text.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir` (links not followed).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Fail when a temporary file is left under `dir`.
pub fn assert_no_partials(dir: &Path) {
    let left: Vec<_> = files_under(dir).into_iter().filter(|p| p.to_string_lossy().contains(".partial-")).collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// The path as the binary takes it.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}
