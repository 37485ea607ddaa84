//! Output files written whole or not at all.
//!
//! A [`Partial`] is written under a temporary name next to its target
//! (`NAME.partial-PID`) and renamed to the target when complete
//! ([`Partial::commit`]); dropped without that — an error, a panic — it
//! removes the temporary file. Every temporary file alive is registered, so
//! that a signal (`SIGINT`, `SIGTERM`) can remove them all before the
//! process ends ([`exit_removing_partials`]): no run leaves a temporary file
//! behind, and none leaves a file that looks complete and is not.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// The temporary files alive.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set once the process is ending on a signal: no temporary file is made after.
static STOPPING: AtomicBool = AtomicBool::new(false);
/// Temporary files being made right now (registered, not yet created).
static MAKING: AtomicUsize = AtomicUsize::new(0);

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// An output file under its temporary name until [`Partial::commit`].
#[derive(Debug)]
pub struct Partial {
    file: Option<File>,
    temporary: PathBuf,
    target: PathBuf,
}

impl Partial {
    /// Create the temporary file for `target`.
    pub fn create(target: &Path) -> Result<Partial> {
        let temporary = temporary_name(target);
        MAKING.fetch_add(1, Ordering::SeqCst);
        let file = if STOPPING.load(Ordering::SeqCst) {
            Err(anyhow::anyhow!("interrupted"))
        } else {
            live().push(temporary.clone());
            File::create(&temporary).with_context(|| format!("cannot create {}", temporary.display()))
        };
        MAKING.fetch_sub(1, Ordering::SeqCst);
        match file {
            Ok(file) => Ok(Partial { file: Some(file), temporary, target: target.to_path_buf() }),
            Err(e) => {
                forget(&temporary);
                Err(e)
            }
        }
    }

    /// The name it will have when complete.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Close it and give it its name.
    pub fn commit(mut self) -> Result<()> {
        drop(self.file.take());
        let renamed = std::fs::rename(&self.temporary, &self.target);
        if renamed.is_ok() {
            forget(&self.temporary);
        }
        renamed.with_context(|| format!("cannot rename to {}", self.target.display()))
    }
}

impl Write for Partial {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().map_or(Ok(0), |f| f.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().map_or(Ok(()), File::flush)
    }
}

impl Drop for Partial {
    /// Remove the temporary file unless it was committed.
    fn drop(&mut self) {
        if self.file.take().is_some() || live().contains(&self.temporary) {
            let _ = std::fs::remove_file(&self.temporary);
            forget(&self.temporary);
        }
    }
}

/// Write `bytes` to `target` whole: under a temporary name, then renamed.
/// Errors name the target.
pub fn write_whole(target: &Path, bytes: &[u8]) -> Result<()> {
    let mut partial = Partial::create(target)?;
    partial.write_all(bytes).with_context(|| format!("cannot write {}", target.display()))?;
    partial.commit()
}

/// Whether `name` is a temporary file of some run (this one or another).
pub fn is_temporary_name(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().contains(".partial-")
}

fn temporary_name(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".partial-{}", std::process::id()));
    PathBuf::from(name)
}

fn forget(temporary: &Path) {
    let mut live = live();
    if let Some(i) = live.iter().position(|p| p == temporary) {
        live.swap_remove(i);
    }
}

/// How long the temporary files being made right now get to appear.
const GRACE: Duration = Duration::from_secs(1);

/// End the process with `code` after removing every temporary file alive:
/// what a signal handler calls. No temporary file is made after it starts;
/// one being made is waited for (briefly), then removed with the rest.
pub fn exit_removing_partials(code: i32) -> ! {
    STOPPING.store(true, Ordering::SeqCst);
    let started = Instant::now();
    while MAKING.load(Ordering::SeqCst) > 0 && started.elapsed() < GRACE {
        std::thread::sleep(Duration::from_millis(1));
    }
    // Held until the process ends: nothing is registered or renamed meanwhile.
    let live = live();
    for temporary in live.iter() {
        let _ = std::fs::remove_file(temporary);
    }
    std::process::exit(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_files_appear_and_dropped_ones_leave_nothing() {
        let dir = std::env::temp_dir().join(format!("begrip-partial-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let target = dir.join("a.json");
        write_whole(&target, b"{}\n").expect("written");
        assert_eq!(std::fs::read(&target).expect("read"), b"{}\n");
        let mut dropped = Partial::create(&dir.join("b.json")).expect("create");
        dropped.write_all(b"half").expect("write");
        drop(dropped);
        let names: Vec<_> = std::fs::read_dir(&dir).expect("dir").flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["a.json"]);
        assert!(!live().iter().any(|p| p.starts_with(&dir)), "nothing left registered");
        let error = write_whole(&dir.join("no/such/dir.json"), b"x").unwrap_err();
        assert!(format!("{error:#}").starts_with("cannot create "), "{error:#}");
        std::fs::remove_dir_all(&dir).expect("clean up");
        assert!(is_temporary_name("records.csv.partial-12".as_ref()));
    }
}
