//! The SQLite store: the only code that writes SQL. One database file per site.
//!
//! Every public method names what it needs of the person signed in ([`Need`]) and the store
//! checks it before it reads or writes: [`Store::allowed`] for reads, [`Store::change`] (the one
//! write path, `write.rs`) for changes. Lists are limited to the session's facilities in their
//! SQL; a record found by id is checked against them before anything of it is returned.
//!
//! | pragma | value | why |
//! |---|---|---|
//! | `journal_mode` | `WAL` | the CLI can read while the app writes; a crash never tears a page |
//! | `synchronous` | `NORMAL` | with WAL, a crash may lose the last commit but never corrupts |
//! | `foreign_keys` | `ON` | local tables may use them; synced ones deliberately do not |
//! | `busy_timeout` | 5 s | the app and a CLI job share the file; wait rather than fail |
//! | `temp_store` | `MEMORY` | sorts and temporary indexes never reach the disk unencrypted |
//! | `ENABLE_QPSG` (db config) | on | SQLite otherwise re-plans a cached statement each time it is reused when a bound value might change its plan (a join with `col = ?`), which cost an import of a million changes a third of its time (15 s became 10 s); this store keeps no statistics for a value to change a plan with |
//! | `cache_size` | 64 MiB | SQLCipher decrypts each page it reads from disk; a roster count over 100,000 people re-reads the index, and a cache that holds it keeps that at memory speed; an import takes twice as much while it runs |
//!
//! A database file is always SQLCipher-encrypted with a raw 32-byte key; only a database in
//! memory (tests, benchmarks) is plain.

mod accounts;
mod anchors;
mod appointments;
mod attendance;
mod audit_trail;
mod backup;
mod bundles;
mod caseload;
mod checkins;
mod columns;
mod conflicts;
mod coverage;
mod consents;
mod contacts;
mod content;
mod ctx;
mod day;
mod disclosures;
mod export;
mod episodes;
mod facilities;
mod follow_ups;
mod groups;
mod handoff;
mod identity;
mod import;
mod instruments;
mod keys;
mod meetings;
mod merges;
mod mentors;
mod migrate;
mod participants;
mod peers;
mod pipeline;
mod plan_template;
mod plans;
mod program_report;
mod readiness;
mod receipts;
mod recovery_plans;
mod referrals;
mod resources;
mod roll_call;
mod roster;
mod roster_files;
mod schema;
mod scope;
mod settings;
mod sign_in;
mod supervision_report;
mod staff;
mod staff_records;
mod timeline;
mod transfers;
mod write;

use crate::auth::{DbKey, Need, Session};
use crate::error::{Error, Result};
use crate::paths::SiteFiles;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::Path;

pub use accounts::{normalize_username, Account, AccountChange, AccountSaved, NewAccount};
pub use anchors::AuditAnchor;
pub use attendance::{AttendanceHistory, Hours, MeetingAttendance};
pub use audit_trail::{AuditEntry, AuditFilter, AuditPage, AuditReport};
pub use backup::{BackupInfo, BackupKind, KeptBeforeUpgrade, RestoreReport};
pub(crate) use backup::keep_before_upgrade;
pub use bundles::check_passphrase;
pub use checkins::CheckInHistory;
pub use conflicts::{Conflict, Keep};
pub use content::{JournalEntry, SyncedRecords};
pub use roster::MAX_DUPLICATES;
pub use ctx::WriteCtx;
pub use day::{DayMeeting, DayView};
pub use export::ExportSummary;
pub use groups::{Group, Member};
pub use handoff::{HandOffSummary, REDISCLOSURE_NOTICE};
pub use identity::{SiteInfo, SiteSetup};
pub use import::{ImportSummary, KeptOut};
pub use instruments::InstrumentEntry;
pub use keys::KeyChange;
pub use meetings::{MeetingKey, MeetingMove, WeekView};
pub use migrate::SCHEMA_VERSION;
pub use peers::{Peer, PeerKind};
pub use receipts::ReceiptRead;
pub use roster_files::{RosterApplied, RosterPreview, RosterRequest, RosterSheet, RosterSource};
pub use roll_call::{MarkInput, RollCall, RollCallInput, RollRow};
pub use settings::Settings;

#[cfg(any(test, fuzzing))]
pub(crate) use bundles::format1_events;
#[cfg(any(test, fuzzing))]
pub(crate) use import::{partner_may_write, Arriving, Decoder, Ready};

/// The page cache, in KiB (the table above says why); an import takes twice as much.
const CACHE_KIB: i64 = 64 * 1024;

/// An open database and the person who opened it.
pub struct Store {
    conn: Connection,
    who: Option<Session>,
    /// The files and the key of a database on disk; `None` for a database in memory.
    keys: Option<Keys>,
}

pub(crate) struct Keys {
    pub files: SiteFiles,
    pub key: DbKey,
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
    /// up to date. Nobody is signed in yet: [`crate::site`] does that.
    pub(crate) fn open_keyed(files: &SiteFiles, key: &DbKey, create: bool) -> Result<Store> {
        let path = &files.db;
        if create {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                crate::files::create_private_dir(dir)?;
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
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew { found: version, supported: SCHEMA_VERSION });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        migrate::upgrade(&mut conn, version)?;
        Ok(Store { conn, who: None, keys: None })
    }

    /// Lets a bulk load (the demo generator making a whole state) keep `mib` of decrypted pages
    /// in memory: past a few hundred thousand people each write otherwise reads its index pages
    /// from disk and decrypts them again. Until the store is closed.
    pub fn keep_pages_for_bulk_load(&self, mib: i64) -> Result<()> {
        self.allowed(Need::SignedIn)?;
        self.conn.pragma_update(None, "cache_size", -(mib.max(CACHE_KIB / 1024) * 1024))?;
        Ok(())
    }

    /// The person signed in, or a refusal if nobody is.
    pub fn session(&self) -> Result<&Session> {
        self.who.as_ref().ok_or(Error::NotSignedIn)
    }

    /// The session, if it meets `need`: every read of the store asks this first.
    pub(crate) fn allowed(&self, need: Need) -> Result<&Session> {
        let who = self.session()?;
        who.check(need)?;
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
        self.allowed(Need::SignedIn)?;
        let mut problems = integrity_problems(&self.conn, "integrity_check")?;
        if let Err(e) = self.conn.execute("INSERT INTO participants_fts (participants_fts) VALUES ('integrity-check')", []) {
            problems.push(format!("search index: {e}"));
        }
        let count = |sql: &str| -> Result<u64> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))?.max(0) as u64) };
        Ok(CheckReport {
            ok: problems.is_empty(),
            problems,
            schema_version: self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            site: identity::site_row(&self.conn)?,
            participants: count("SELECT count(*) FROM participants WHERE deleted = 0")?,
            journal_entries: count("SELECT count(*) FROM journal")?,
            audit_entries: count("SELECT count(*) FROM audit_log")?,
        })
    }
}

/// Writes a file for the person (a bundle, a receipt, a packet, an export): refused when it is
/// one of the site's own `files`, else written whole and private.
fn write_output(files: Option<&SiteFiles>, path: &Path, bytes: &[u8]) -> Result<()> {
    write_output_with(files, path, |file| std::io::Write::write_all(file, bytes).map_err(crate::files::io_error(path, crate::files::CANNOT_WRITE)))
}

/// As [`write_output`], with the contents written by `write`.
fn write_output_with(files: Option<&SiteFiles>, path: &Path, write: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    if let Some(files) = files {
        files.refuse_as_output(path)?;
    }
    crate::files::write_atomically_with(path, write)
}

/// A connection to an encrypted file with its key set and SQLCipher's own logging silenced, so a
/// wrong key is one clear error rather than lines on the terminal. A file it creates is private.
pub(crate) fn keyed_connection(path: &Path, key: &DbKey, flags: OpenFlags) -> Result<Connection> {
    initialize_once();
    let existed = path.exists();
    let conn = Connection::open_with_flags(path, flags)?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&key.pragma("key"))?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::KeyFile(said!("{} is not a Bridger database this key file opens: it is damaged, unencrypted, or belongs to another key file", "{} no es una base de datos de Bridger que abra este archivo de clave: está dañada, sin cifrar o pertenece a otro archivo de clave", path.display())),
        _ => Error::from(e),
    })?;
    if !existed {
        crate::files::make_private(path)?;
    }
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
