//! Backups: SQLite's online backup into a new file encrypted with the same key, so a backup is
//! consistent while the app is in use and no more readable than the database. Each backup has a
//! copy of the key file beside it, so it can be opened even if the database's folder is lost.

use super::write::Writer;
use super::{integrity_problems, keyed_connection, Keys, Store, WriteCtx};
use crate::audit::Action;
use crate::auth::Permission;
use crate::error::{Error, Result};
use crate::paths::SiteFiles;
use rusqlite::backup::Backup;
use rusqlite::OpenFlags;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A day, after which the app makes a new backup when someone signs in.
const BACKUP_DUE_MS: u64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupInfo {
    pub path: String,
    pub name: String,
    /// When it was made, from its name (UTC, to the second).
    pub made_ms: i64,
    pub bytes: u64,
}

/// What `bridger restore` did.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub restored_from: String,
    /// Where the database as it was before the restore was kept, if there was one.
    pub previous_kept_at: Option<String>,
}

fn in_memory() -> Error {
    Error::Io {
        context: "a database in memory has no backups".into(),
        source: std::io::Error::new(std::io::ErrorKind::Unsupported, "backups are of database files"),
    }
}

const STAMP: &str = "%Y%m%d-%H%M%S";

fn stamp(now_ms: u64) -> String {
    chrono::DateTime::from_timestamp_millis(i64::try_from(now_ms).unwrap_or(0)).unwrap_or_default().format(STAMP).to_string()
}

fn stem(files: &SiteFiles) -> String {
    files.db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "bridger".into())
}

/// The backups in `files.backups`, newest first.
pub(crate) fn list(files: &SiteFiles) -> Result<Vec<BackupInfo>> {
    let prefix = format!("{}-", stem(files));
    let entries = match std::fs::read_dir(&files.backups) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { context: format!("cannot read the backups folder {}", files.backups.display()), source }),
    };
    let mut found: Vec<BackupInfo> = entries
        .filter_map(std::result::Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let when = name.strip_prefix(&prefix)?.strip_suffix(".db")?;
            let made = chrono::NaiveDateTime::parse_from_str(when.get(..15)?, STAMP).ok()?;
            Some(BackupInfo {
                path: e.path().to_string_lossy().into_owned(),
                name,
                made_ms: made.and_utc().timestamp_millis(),
                bytes: e.metadata().map(|m| m.len()).unwrap_or(0),
            })
        })
        .collect();
    found.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(found)
}

/// Copies the open database into `dest`, encrypted with the same key, and checks the copy.
pub(crate) fn copy_database(source: &rusqlite::Connection, keys: &Keys, dest: &Path) -> Result<()> {
    let mut partial = dest.as_os_str().to_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    {
        let mut out = keyed_connection(&partial, &keys.key, OpenFlags::default())?;
        Backup::new(source, &mut out)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
        let problems = integrity_problems(&out, "quick_check")?;
        if !problems.is_empty() {
            drop(out);
            let _ = std::fs::remove_file(&partial);
            return Err(Error::Io {
                context: "the backup did not pass its check and was not kept".into(),
                source: std::io::Error::other(problems.join("; ")),
            });
        }
    }
    std::fs::rename(&partial, dest).map_err(|source| Error::Io { context: format!("cannot finish the backup {}", dest.display()), source })?;
    let key_copy = SiteFiles::for_db(dest).key;
    std::fs::copy(&keys.files.key, &key_copy)
        .map_err(|source| Error::Io { context: format!("cannot copy the key file beside the backup {}", dest.display()), source })?;
    Ok(())
}

impl Store {
    /// Makes a backup now, from the Admin screen or `bridger backup`.
    pub fn backup(&mut self, ctx: &WriteCtx) -> Result<BackupInfo> {
        self.allowed(Permission::Backup, None)?;
        self.write_backup(ctx, "")
    }

    /// The backup the app makes when someone signs in and the newest is over a day old. It is
    /// the workstation's, not the person's, so it needs no permission; it is audited all the same.
    pub fn backup_if_due(&mut self, ctx: &WriteCtx) -> Result<Option<BackupInfo>> {
        self.session()?;
        let Some(keys) = &self.keys else { return Ok(None) };
        let newest = list(&keys.files)?.first().map(|b| b.made_ms);
        let due = newest.is_none_or(|made| ctx.now_ms.saturating_sub(u64::try_from(made).unwrap_or(0)) >= BACKUP_DUE_MS);
        if !due {
            return Ok(None);
        }
        self.write_backup(ctx, "automatic").map(Some)
    }

    /// The backups of this database, newest first.
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        self.allowed(Permission::Backup, None)?;
        match &self.keys {
            Some(keys) => list(&keys.files),
            None => Ok(Vec::new()),
        }
    }

    pub(crate) fn write_backup(&mut self, ctx: &WriteCtx, detail: &str) -> Result<BackupInfo> {
        let keep = self.settings()?.backups_kept as usize;
        let keys = self.keys.as_ref().ok_or_else(in_memory)?;
        let files = &keys.files;
        std::fs::create_dir_all(&files.backups)
            .map_err(|source| Error::Io { context: format!("cannot create the backups folder {}", files.backups.display()), source })?;
        let base = format!("{}-{}", stem(files), stamp(ctx.now_ms));
        let dest = (1..)
            .map(|n| files.backups.join(if n == 1 { format!("{base}.db") } else { format!("{base}-{n}.db") }))
            .find(|p| !p.exists())
            .unwrap_or_else(|| files.backups.join(format!("{base}.db")));
        copy_database(&self.conn, keys, &dest)?;
        for old in list(files)?.iter().skip(keep) {
            // Old backups are removed with their key-file copies; the newest `keep` stay.
            let _ = std::fs::remove_file(&old.path);
            let _ = std::fs::remove_file(SiteFiles::for_db(&old.path).key);
        }
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        w.audit(Action::Backup, None, None, format!("{name} {detail}").trim_end())?;
        w.commit()?;
        list(files)?.into_iter().find(|b| b.name == name).ok_or_else(|| Error::NotFound { what: "backup", id: name })
    }
}

impl Store {
    /// Writes this (backup) database over the site's database through SQLite's backup API, so a
    /// running app sees the restored data rather than a file swapped under it. The site's
    /// database as it was is first copied to the backups folder, or moved aside if it no longer
    /// opens. Returns where the previous database was kept.
    pub(crate) fn restore_over(&self, files: &SiteFiles, ctx: &WriteCtx) -> Result<Option<String>> {
        let keys = self.keys.as_ref().ok_or_else(in_memory)?;
        let site_keys = Keys { files: files.clone(), key: keys.key.clone() };
        let when = stamp(ctx.now_ms);
        let mut previous = None;
        if files.db.exists() {
            let kept = files.backups.join(format!("{}-before-restore-{when}.db", stem(files)));
            std::fs::create_dir_all(&files.backups)
                .map_err(|source| Error::Io { context: format!("cannot create the backups folder {}", files.backups.display()), source })?;
            match keyed_connection(&files.db, &keys.key, OpenFlags::default() - OpenFlags::SQLITE_OPEN_CREATE) {
                Ok(current) if integrity_problems(&current, "quick_check").is_ok_and(|p| p.is_empty()) => {
                    copy_database(&current, &site_keys, &kept)?;
                }
                _ => {
                    std::fs::rename(&files.db, &kept).map_err(|source| Error::Io { context: format!("cannot move {} aside", files.db.display()), source })?;
                    for side in ["-wal", "-shm"] {
                        let mut from = files.db.as_os_str().to_os_string();
                        from.push(side);
                        let _ = std::fs::remove_file(from);
                    }
                }
            }
            previous = Some(kept.display().to_string());
        }
        if !files.key.exists() {
            std::fs::copy(&keys.files.key, &files.key)
                .map_err(|source| Error::Io { context: format!("cannot put the key file back at {}", files.key.display()), source })?;
        }
        let mut target = keyed_connection(&files.db, &keys.key, OpenFlags::default())?;
        Backup::new(&self.conn, &mut target)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
        Ok(previous)
    }
}
