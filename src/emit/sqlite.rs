//! Database output (`--format sqlite -o FILE.db`, `batch --sqlite FILE.db`):
//! the tables `documents`, `elements`, `tables` and `cells`, keyed as the
//! flat tables are (`document_id`, element `id`, `table_id`), with foreign
//! keys, indexes on the join columns and two views (`docs/output.md`).
//!
//! A run is one transaction: the file holds all of it or none of it.
//! Writing into an existing file replaces the rows of every document of
//! the same path (its `document_id`) instead of adding them twice; the
//! content hash of each document is kept, so a re-run tells which changed.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection};

use super::rows::{content_hash, doc_fields, walk_ids};
use super::{visit_indicator_groups, visit_records, Emitter};
use crate::model::Document;

/// The schema version in `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 3;

/// What takes a file of version `n` to `n + 1`, at `UPGRADES[n - 1]`: version 2
/// added the manifest's URL and the sources of given values, version 3 the
/// organisation's official name.
const UPGRADES: [&str; 2] = [
    "ALTER TABLE documents ADD COLUMN url TEXT; ALTER TABLE documents ADD COLUMN sources TEXT;",
    "ALTER TABLE documents ADD COLUMN organisation TEXT;",
];

/// The tables, indexes and views (all `IF NOT EXISTS`: an existing file keeps its rows).
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    content_hash TEXT,
    gemeente TEXT,
    organisation_kind TEXT,
    document_type TEXT,
    year INTEGER,
    platform TEXT,
    built_at TEXT,
    exported_at TEXT,
    content_lines INTEGER NOT NULL,
    assigned_lines INTEGER NOT NULL,
    url TEXT,
    sources TEXT,
    organisation TEXT
);
CREATE TABLE IF NOT EXISTS elements (
    document_id TEXT NOT NULL REFERENCES documents (document_id),
    id INTEGER NOT NULL,
    parent_id INTEGER,
    kind TEXT NOT NULL,
    code TEXT,
    title TEXT,
    label TEXT,
    label_kind TEXT,
    taakveld TEXT,
    status TEXT,
    programme TEXT,
    section TEXT,
    speerpunt TEXT,
    text TEXT,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    PRIMARY KEY (document_id, id),
    FOREIGN KEY (document_id, parent_id) REFERENCES elements (document_id, id)
);
CREATE INDEX IF NOT EXISTS elements_parent ON elements (document_id, parent_id);
CREATE INDEX IF NOT EXISTS elements_kind ON elements (kind, label_kind);
CREATE TABLE IF NOT EXISTS tables (
    document_id TEXT NOT NULL REFERENCES documents (document_id),
    table_id INTEGER NOT NULL,
    element_id INTEGER NOT NULL,
    name TEXT,
    caption TEXT,
    corner TEXT,
    layout TEXT NOT NULL,
    multiplier REAL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    PRIMARY KEY (document_id, table_id),
    FOREIGN KEY (document_id, element_id) REFERENCES elements (document_id, id)
);
CREATE INDEX IF NOT EXISTS tables_element ON tables (document_id, element_id);
CREATE TABLE IF NOT EXISTS cells (
    document_id TEXT NOT NULL,
    table_id INTEGER NOT NULL,
    row_no INTEGER NOT NULL,
    col INTEGER,
    row_code TEXT,
    row_label TEXT NOT NULL,
    grp TEXT,
    taakveld TEXT,
    ambiguous INTEGER NOT NULL,
    col_label TEXT,
    period INTEGER,
    value_type TEXT,
    measure TEXT,
    raw TEXT,
    value REAL,
    unit TEXT,
    line INTEGER NOT NULL,
    FOREIGN KEY (document_id, table_id) REFERENCES tables (document_id, table_id)
);
CREATE INDEX IF NOT EXISTS cells_table ON cells (document_id, table_id, row_no);
CREATE VIEW IF NOT EXISTS speerpunt_stand_van_zaken AS
SELECT d.file, d.gemeente, d.document_type, d.year, s.document_id, s.id AS speerpunt_id,
       s.programme, s.section, s.title AS speerpunt, s.code, s.status,
       b.id AS block_id, b.label, b.text AS stand_van_zaken
FROM elements s
JOIN documents d ON d.document_id = s.document_id
LEFT JOIN elements b ON b.document_id = s.document_id AND b.parent_id = s.id
                    AND b.label_kind = 'stand_van_zaken'
WHERE s.kind = 'speerpunt';
CREATE VIEW IF NOT EXISTS table_cells AS
SELECT d.file, d.gemeente, d.document_type, d.year, c.document_id,
       e.id AS element_id, e.kind AS element_kind, e.programme, e.section, e.speerpunt,
       t.table_id, t.name AS table_name, t.caption, t.layout, t.multiplier,
       c.row_no, c.row_code, c.row_label, c.grp, c.taakveld, c.ambiguous,
       c.col, c.col_label, c.period, c.value_type, c.measure, c.raw, c.value, c.unit, c.line
FROM cells c
JOIN tables t ON t.document_id = c.document_id AND t.table_id = c.table_id
JOIN elements e ON e.document_id = t.document_id AND e.id = t.element_id
JOIN documents d ON d.document_id = c.document_id;
";

/// What a run did to the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SqliteCounts {
    /// Documents written.
    pub documents: usize,
    /// Of those, documents whose path was there before (their rows replaced).
    pub replaced: usize,
    /// Of the replaced, those whose content hash differs from before.
    pub changed: usize,
}

/// Writes documents into a SQLite file, in one transaction.
pub struct SqliteWriter {
    conn: Connection,
    path: PathBuf,
    /// Whether the file was there before the run (a new one is removed on rollback).
    existed: bool,
    counts: SqliteCounts,
}

impl std::fmt::Debug for SqliteWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteWriter").field("path", &self.path).field("counts", &self.counts).finish()
    }
}

impl SqliteWriter {
    /// Open (or create) the database at `path`, make its tables and start the run's transaction.
    pub fn open(path: &Path) -> Result<SqliteWriter> {
        let what = || format!("cannot write {}", path.display());
        let existed = path.exists();
        let conn = Connection::open(path).with_context(what)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).with_context(what)?;
        let version: i64 =
            conn.query_row("PRAGMA user_version", [], |r| r.get(0)).with_context(|| not_a_database(path))?;
        if !(0..=SCHEMA_VERSION).contains(&version) {
            bail!(
                "{}: a database of schema version {version}, not {SCHEMA_VERSION}: write into a new file",
                path.display()
            );
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; BEGIN IMMEDIATE;")
            .with_context(|| not_a_database(path))?;
        // Each version added columns at the end of `documents`, added here in the run's
        // transaction (a run that fails leaves the file at its version).
        // A new file (version 0) gets the whole schema below.
        if let Ok(done) = usize::try_from(version - 1) {
            for added in UPGRADES.iter().skip(done) {
                conn.execute_batch(added).with_context(what)?;
            }
        }
        conn.execute_batch(SCHEMA).with_context(what)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION).with_context(what)?;
        Ok(SqliteWriter { conn, path: path.to_path_buf(), existed, counts: SqliteCounts::default() })
    }

    /// What has been written so far.
    pub fn counts(&self) -> SqliteCounts {
        self.counts
    }

    /// Write one document, replacing the rows of an earlier document of the
    /// same path; `hash` is the [`content_hash`] of its text.
    pub fn write(&mut self, doc: &Document, hash: Option<String>) -> Result<()> {
        self.write_inner(doc, hash).with_context(|| format!("cannot write {}", self.path.display()))
    }

    fn write_inner(&mut self, doc: &Document, hash: Option<String>) -> rusqlite::Result<()> {
        let f = doc_fields(doc);
        let id = f.document_id.as_str();
        let before: Option<Option<String>> = {
            let mut find = self.conn.prepare_cached("SELECT content_hash FROM documents WHERE document_id = ?1")?;
            let mut rows = find.query([id])?;
            rows.next()?.map(|r| r.get(0)).transpose()?
        };
        if let Some(previous) = before {
            self.counts.replaced += 1;
            self.counts.changed += usize::from(previous != hash);
            for table in ["cells", "tables"] {
                self.conn.execute(&format!("DELETE FROM {table} WHERE document_id = ?1"), [id])?;
            }
            // Children before their parents (the foreign key on parent_id).
            self.conn.execute("DELETE FROM elements WHERE document_id = ?1 AND parent_id IS NOT NULL", [id])?;
            self.conn.execute("DELETE FROM elements WHERE document_id = ?1", [id])?;
            self.conn.execute("DELETE FROM documents WHERE document_id = ?1", [id])?;
        }
        self.conn
            .prepare_cached(
                "INSERT INTO documents VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(params![
                id,
                f.file,
                hash,
                empty_null(f.gemeente),
                empty_null(f.organisation_kind),
                empty_null(f.document_type),
                f.year,
                doc.meta.platform,
                doc.meta.built_at,
                doc.meta.exported_at,
                int(doc.coverage.content_lines),
                int(doc.coverage.assigned_lines),
                doc.meta.url,
                empty_null(&doc.meta.sources.summary()),
                empty_null(f.organisation),
            ])?;
        let mut result = Ok(());
        {
            let mut insert = self.conn.prepare_cached(
                "INSERT INTO elements VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?;
            visit_records(doc, &mut |r| {
                if result.is_ok() {
                    result = insert
                        .execute(params![
                            id,
                            int(r.id),
                            r.parent_id.map(int),
                            r.kind,
                            empty_null(r.code),
                            empty_null(r.title),
                            empty_null(r.label),
                            empty_null(r.label_kind),
                            empty_null(r.taakveld),
                            empty_null(r.status),
                            empty_null(r.programme),
                            empty_null(r.section),
                            empty_null(r.speerpunt),
                            empty_null(r.text),
                            int(r.line_start),
                            int(r.line_end),
                        ])
                        .map(drop);
                }
            });
        }
        std::mem::replace(&mut result, Ok(()))?;
        {
            let mut insert =
                self.conn.prepare_cached("INSERT INTO tables VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?;
            let mut table_id = 0usize;
            let mut names = Vec::new();
            visit_indicator_groups(doc, &mut |group| {
                if let Some(first) = group.first() {
                    if names.last().is_none_or(|(t, _): &(usize, String)| *t != first.table_id) {
                        names.push((first.table_id, first.table.to_string()));
                    }
                }
            });
            let mut names = names.into_iter().peekable();
            walk_ids(&doc.elements, &mut |e, ids| {
                for table in &e.tables {
                    table_id += 1;
                    let name = match names.peek() {
                        Some((t, _)) if *t == table_id => names.next().map(|(_, n)| n),
                        _ => None,
                    };
                    if result.is_ok() {
                        result = insert
                            .execute(params![
                                id,
                                int(table_id),
                                int(ids.id),
                                name.filter(|n| !n.is_empty()),
                                table.caption,
                                table.corner,
                                table.layout,
                                table.multiplier,
                                int(table.line_start),
                                int(table.line_end),
                            ])
                            .map(drop);
                    }
                }
            });
        }
        std::mem::replace(&mut result, Ok(()))?;
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO cells VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?;
        visit_indicator_groups(doc, &mut |group| {
            for r in group {
                if result.is_ok() {
                    result = insert
                        .execute(params![
                            id,
                            int(r.table_id),
                            int(r.row),
                            r.col.map(int),
                            empty_null(r.code),
                            r.indicator,
                            empty_null(r.group),
                            empty_null(r.taakveld),
                            r.ambiguous,
                            empty_null(r.column),
                            r.period,
                            empty_null(r.value_type),
                            empty_null(r.measure),
                            empty_null(r.raw),
                            r.value,
                            empty_null(r.unit),
                            int(r.line),
                        ])
                        .map(drop);
                }
            }
        });
        std::mem::replace(&mut result, Ok(()))?;
        self.counts.documents += 1;
        Ok(())
    }

    /// End the run's transaction: everything written is in the file.
    pub fn commit(self) -> Result<SqliteCounts> {
        self.conn.execute_batch("COMMIT").with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(self.counts)
    }

    /// End the run without changing the file (a file the run created is removed).
    pub fn rollback(self) -> Result<()> {
        self.conn.execute_batch("ROLLBACK").with_context(|| format!("cannot write {}", self.path.display()))?;
        let (path, existed) = (self.path, self.existed);
        drop(self.conn);
        if !existed {
            let _ = std::fs::remove_file(&path);
        }
        Ok(())
    }
}

fn not_a_database(path: &Path) -> String {
    format!("{}: not a SQLite database (or locked by another program)", path.display())
}

/// A count or line number as SQLite stores it.
fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn empty_null(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// `parse --format sqlite`: the documents go into the database, nothing to
/// the output stream. [`Emitter::finish`] commits the run, or rolls it back
/// when no document was written (every input failed: the file stays as it was).
#[derive(Debug)]
pub struct SqliteEmitter {
    writer: Option<SqliteWriter>,
    hash: Option<String>,
}

impl SqliteEmitter {
    /// Open the database at `path` for a run.
    pub fn open(path: &Path) -> Result<SqliteEmitter> {
        Ok(SqliteEmitter { writer: Some(SqliteWriter::open(path)?), hash: None })
    }

    /// What has been written so far (nothing once finished).
    pub fn counts(&self) -> SqliteCounts {
        self.writer.as_ref().map(SqliteWriter::counts).unwrap_or_default()
    }
}

impl Emitter for SqliteEmitter {
    fn source(&mut self, text: &str) {
        self.hash = Some(content_hash(text));
    }

    fn document(&mut self, _out: &mut dyn Write, doc: &Document) -> Result<()> {
        let hash = self.hash.take();
        match self.writer.as_mut() {
            Some(writer) => writer.write(doc, hash),
            None => bail!("the database is closed"),
        }
    }

    fn finish(&mut self, _out: &mut dyn Write) -> Result<()> {
        match self.writer.take() {
            Some(writer) if writer.counts().documents > 0 => writer.commit().map(drop),
            Some(writer) => writer.rollback(),
            None => Ok(()),
        }
    }
}
