//! The SQLite store: the only code that writes SQL. One database file per site.
//!
//! | pragma | value | why |
//! |---|---|---|
//! | `journal_mode` | `WAL` | the CLI can read while the app writes; a crash never tears a page |
//! | `synchronous` | `NORMAL` | with WAL, a crash may lose the last commit but never corrupts |
//! | `foreign_keys` | `ON` | local tables may use them; synced ones deliberately do not |
//! | `busy_timeout` | 5 s | the app and a CLI job share the file; wait rather than fail |

mod content;
mod facilities;
mod migrate;
mod participants;
mod site;
mod write;

use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::path::Path;
use uuid::Uuid;

pub use content::{JournalEntry, SyncedRecords};
pub use migrate::SCHEMA_VERSION;
pub use site::SiteInfo;

/// Who is writing and when. Business code never reads the clock: the shell (CLI or desktop)
/// builds this at the edge, tests build it with fixed values.
pub struct WriteCtx {
    pub actor: String,
    pub now_ms: u64,
    pub today: NaiveDate,
    rng: std::cell::RefCell<fastrand::Rng>,
}

impl WriteCtx {
    /// A context for a person acting now, from the wall clock and the local calendar.
    #[allow(clippy::disallowed_methods, reason = "the one reading of the wall clock, called by the shells")]
    pub fn now(actor: impl Into<String>) -> Self {
        let now = chrono::Local::now();
        Self {
            actor: actor.into(),
            now_ms: u64::try_from(now.timestamp_millis()).unwrap_or(0),
            today: now.date_naive(),
            rng: std::cell::RefCell::new(fastrand::Rng::new()),
        }
    }

    /// A context with everything fixed, for tests and for deterministic demo data.
    pub fn fixed(actor: impl Into<String>, now_ms: u64, today: NaiveDate, seed: u64) -> Self {
        Self { actor: actor.into(), now_ms, today, rng: std::cell::RefCell::new(fastrand::Rng::with_seed(seed)) }
    }

    /// A new UUIDv7 stamped with this context's time.
    pub(crate) fn new_uuid(&self) -> Uuid {
        let mut random = [0u8; 10];
        self.rng.borrow_mut().fill(&mut random);
        uuid::Builder::from_unix_timestamp_millis(self.now_ms, &random).into_uuid()
    }
}

pub struct Store {
    conn: Connection,
}

/// What `bridger check` reports.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub problems: Vec<String>,
    pub schema_version: i64,
    pub site: Option<SiteInfo>,
    pub participants: u64,
    pub journal_entries: u64,
    pub audit_entries: u64,
}

impl Store {
    /// Opens (creating if absent) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                context: format!("cannot create the folder {}", dir.display()),
                source,
            })?;
        }
        Self::prepare(Connection::open(path)?)
    }

    /// Opens a database that must already exist, so a mistyped path never creates an empty one.
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(Error::Io {
                context: format!("there is no database at {}", path.display()),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "check --db or BRIDGER_DB, or create one with `bridger init` or `bridger demo`",
                ),
            });
        }
        Self::open(path)
    }

    /// A private database in memory, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Reading the version first turns "not a database" into an error before any pragma
        // tries to change the file.
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(not_a_database)?;
        if version > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew { found: version, supported: SCHEMA_VERSION });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::upgrade(&mut conn, version)?;
        Ok(Store { conn })
    }

    /// Runs SQLite's integrity check and the search index's own check.
    pub fn check(&self) -> Result<CheckReport> {
        let mut problems: Vec<String> = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                problems.push(line);
            }
        }
        if let Err(e) = self
            .conn
            .execute("INSERT INTO participants_fts (participants_fts) VALUES ('integrity-check')", [])
        {
            problems.push(format!("search index: {e}"));
        }
        let count = |sql: &str| -> Result<u64> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))?.max(0) as u64) };
        Ok(CheckReport {
            ok: problems.is_empty(),
            problems,
            schema_version: self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            site: self.site_opt()?,
            participants: count("SELECT count(*) FROM participants WHERE deleted = 0")?,
            journal_entries: count("SELECT count(*) FROM journal")?,
            audit_entries: count("SELECT count(*) FROM audit_log")?,
        })
    }
}

fn not_a_database(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::Io {
            context: "this file is not a Bridger database".into(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not an SQLite database"),
        },
        _ => Error::from(e),
    }
}
