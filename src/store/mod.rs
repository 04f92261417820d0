//! The SQLite store: the only code that writes SQL. One database file per site.
//!
//! | pragma | value | why |
//! |---|---|---|
//! | `journal_mode` | `WAL` | the CLI can read while the app writes; a crash never tears a page |
//! | `synchronous` | `NORMAL` | with WAL, a crash may lose the last commit but never corrupts |
//! | `foreign_keys` | `ON` | local tables may use them; synced ones deliberately do not |
//! | `busy_timeout` | 5 s | the app and a CLI job share the file; wait rather than fail |

//! | `temp_store` | `MEMORY` | sorts and temporary indexes never reach the disk unencrypted |
//! | `cache_size` | 64 MiB | SQLCipher decrypts each page it reads from disk; a roster count over 100,000 people re-reads the index, and a cache that holds it keeps that at memory speed |
//!
//! A database file is always SQLCipher-encrypted with a raw 32-byte key; only a database in
//! memory (tests, benchmarks) is plain.

mod accounts;
mod audit_trail;
mod backup;
mod content;
mod exchange;
mod facilities;
mod groups;
mod handoff;
mod migrate;
mod participants;
mod peers;
mod reentry;
mod sessions;
mod settings;
mod site;
mod write;

use crate::auth::{DbKey, Permission, Session};
use crate::error::{Error, Result};
use crate::model::FacilityId;
use crate::paths::SiteFiles;
use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::Path;
use uuid::Uuid;

pub use accounts::{normalize_username, Account, AccountChange, NewAccount};
pub use audit_trail::{AuditEntry, AuditFilter, AuditPage, AuditReport};
pub use backup::{BackupInfo, RestoreReport};
pub use content::{JournalEntry, SyncedRecords};
#[cfg(any(test, fuzzing))]
pub(crate) use exchange::read_entries;
pub use exchange::{check_passphrase, Conflict, ExportSummary, ImportSummary, Keep};
pub use groups::{Group, Member};
pub use handoff::{Disclosure, HandOffSummary, OpenHandOff, REDISCLOSURE_NOTICE};
pub use peers::Peer;
pub use reentry::{Appointment, AppointmentDue, Consent, PipelineRow, Plan, PlanItem, Progress, Referral, Resource, TaskDue, TemplateItem, TodayView};
pub use sessions::{AttendanceHistory, Hours, MarkInput, RollCall, RollCallInput, RollRow, SessionAttendance, SessionKey, SessionMove, WeekView};
pub use migrate::SCHEMA_VERSION;
pub use settings::Settings;
pub use site::{SiteInfo, SiteSetup};

/// When an action happens. Business code never reads the clock: the shell (CLI or desktop)
/// builds this at the edge, tests build it with fixed values. Who acts is the store's session.
pub struct WriteCtx {
    pub now_ms: u64,
    pub today: NaiveDate,
    rng: std::cell::RefCell<fastrand::Rng>,
}

impl WriteCtx {
    /// A context for a person acting now, from the wall clock and the local calendar.
    #[allow(clippy::disallowed_methods, reason = "the one reading of the wall clock, called by the shells")]
    pub fn now() -> Self {
        let now = chrono::Local::now();
        Self {
            now_ms: u64::try_from(now.timestamp_millis()).unwrap_or(0),
            today: now.date_naive(),
            rng: std::cell::RefCell::new(fastrand::Rng::new()),
        }
    }

    /// A context with everything fixed, for tests and for deterministic demo data.
    pub fn fixed(now_ms: u64, today: NaiveDate, seed: u64) -> Self {
        Self { now_ms, today, rng: std::cell::RefCell::new(fastrand::Rng::with_seed(seed)) }
    }

    /// A new UUIDv7 stamped with this context's time.
    pub(crate) fn new_uuid(&self) -> Uuid {
        let mut random = [0u8; 10];
        self.rng.borrow_mut().fill(&mut random);
        uuid::Builder::from_unix_timestamp_millis(self.now_ms, &random).into_uuid()
    }
}

/// An open database and the person who opened it.
pub struct Store {
    conn: Connection,
    who: Option<Session>,
    /// The files and the key of a database on disk; `None` for a database in memory.
    keys: Option<Keys>,
}

struct Keys {
    files: SiteFiles,
    key: DbKey,
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
    /// Opens an encrypted database with its key, creating it if `create`, and brings its schema
    /// up to date. Nobody is signed in yet: [`crate::auth`] does that.
    pub(crate) fn open_keyed(files: &SiteFiles, key: &DbKey, create: bool) -> Result<Store> {
        let path = &files.db;
        if create {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                    context: format!("cannot create the folder {}", dir.display()),
                    source,
                })?;
            }
        } else {
            files.require_db()?;
        }
        let flags = if create { OpenFlags::default() } else { OpenFlags::default() - OpenFlags::SQLITE_OPEN_CREATE };
        let conn = keyed_connection(path, key, flags)?;
        let mut store = Self::prepare(conn)?;
        store.keys = Some(Keys { files: files.clone(), key: key.clone() });
        Ok(store)
    }

    /// A private database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        initialize_once();
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew { found: version, supported: SCHEMA_VERSION });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "cache_size", -64 * 1024)?;
        migrate::upgrade(&mut conn, version)?;
        Ok(Store { conn, who: None, keys: None })
    }

    /// The person signed in, or a refusal if nobody is.
    pub fn session(&self) -> Result<&Session> {
        self.who.as_ref().ok_or(Error::NotSignedIn)
    }

    /// The session, if `permission` is granted for `facility` (or site-wide when `None`).
    pub(crate) fn allowed(&self, permission: Permission, facility: Option<FacilityId>) -> Result<&Session> {
        let who = self.session()?;
        who.require(permission, facility)?;
        Ok(who)
    }

    /// SQLite's quick check: empty when the file is sound.
    pub(crate) fn quick_check(&self) -> Result<Vec<String>> {
        integrity_problems(&self.conn, "quick_check")
    }

    /// SQLite's full integrity check, for a backup about to be restored.
    pub(crate) fn integrity(&self) -> Result<Vec<String>> {
        integrity_problems(&self.conn, "integrity_check")
    }

    /// Runs SQLite's integrity check and the search index's own check.
    pub fn check(&self) -> Result<CheckReport> {
        self.session()?;
        let mut problems = integrity_problems(&self.conn, "integrity_check")?;
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

/// A connection to an encrypted file with its key set and SQLCipher's own logging silenced, so a
/// wrong key is one clear error rather than lines on the terminal.
pub(crate) fn keyed_connection(path: &Path, key: &DbKey, flags: OpenFlags) -> Result<Connection> {
    initialize_once();
    let conn = Connection::open_with_flags(path, flags)?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = {};", key.sqlcipher_literal().as_str()))?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::KeyFile(format!(
            "{} is not a Bridger database this key file opens: it is damaged, unencrypted, or belongs to another key file",
            path.display()
        )),
        _ => Error::from(e),
    })?;
    Ok(conn)
}

/// SQLCipher finishes its own set-up after SQLite reports itself initialized, so two threads
/// opening their first connections at once can find it half ready ("sqlcipher not initialized").
/// The first connection of the process is therefore opened alone.
fn initialize_once() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| drop(Connection::open_in_memory()));
}

/// What SQLite's `integrity_check` or `quick_check` found wrong; empty when the file is sound.
pub(crate) fn integrity_problems(conn: &Connection, pragma: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}
