//! Backups: SQLite's online backup into a new file encrypted with the same key, so a backup is
//! consistent while the app is in use and no more readable than the database. Each backup has a
//! copy of the key file beside it, so it can be opened even if the database's folder is lost.
//! The daily and hand-made backups are kept apart from those made before each import, so a run
//! of imports never pushes the daily ones out.

use super::accounts::{roles_from_text, state_detail};
use super::{integrity_problems, keyed_connection, Keys, Store, WriteCtx, SCHEMA_VERSION};
use crate::audit::Action;
use crate::auth::{DbKey, Need, Permission, Scope, Session};
use crate::error::{Error, Result};
use crate::paths::SiteFiles;
use rusqlite::backup::Backup;
use rusqlite::OpenFlags;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A day, after which the app makes a new backup when someone signs in.
const BACKUP_DUE_MS: u64 = 24 * 60 * 60 * 1000;

/// Why a backup was made; each kind is pruned on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// The daily one at sign-in, or one made by hand.
    Regular,
    /// Made just before an import changed the database.
    BeforeImport,
    /// The database as an older Bridger left it, kept before this one upgraded its schema.
    BeforeUpgrade,
}

impl BackupKind {
    fn infix(self) -> &'static str {
        match self {
            BackupKind::Regular => "",
            BackupKind::BeforeImport => "import-",
            BackupKind::BeforeUpgrade => "upgrade-",
        }
    }
}

/// What opening an older database did before upgrading it: the versions and the copy kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptBeforeUpgrade {
    pub from: i64,
    pub to: i64,
    /// The copy's file name, in the site's backups folder.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct BackupInfo {
    pub path: String,
    pub name: String,
    pub kind: BackupKind,
    /// When it was made, from its name (UTC, to the second).
    pub made_ms: i64,
    pub bytes: u64,
}

/// What `bridger restore` did.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RestoreReport {
    pub restored_from: String,
    /// Where the database as it was before the restore was kept, if there was one.
    pub previous_kept_at: Option<String>,
    /// Accounts whose roles, facilities or state changed after the backup was made; their
    /// current state was kept (ADR 0012).
    pub accounts_kept: Vec<String>,
}

fn in_memory() -> Error {
    Error::Io {
        context: said!("a database in memory has no backups", "una base de datos en memoria no tiene copias de seguridad"),
        source: std::io::Error::new(std::io::ErrorKind::Unsupported, "backups are of database files"),
    }
}

const STAMP: &str = "%Y%m%d-%H%M%S";

pub(crate) fn stamp(now_ms: u64) -> String {
    chrono::DateTime::from_timestamp_millis(i64::try_from(now_ms).unwrap_or(0)).unwrap_or_default().format(STAMP).to_string()
}

pub(crate) fn stem(files: &SiteFiles) -> String {
    files.db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "bridger".into())
}

/// The backups in `files.backups`, newest first.
pub(crate) fn list(files: &SiteFiles) -> Result<Vec<BackupInfo>> {
    let prefix = format!("{}-", stem(files));
    let entries = match std::fs::read_dir(&files.backups) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { context: said!("cannot read the backups folder {}", "no se puede leer la carpeta de copias de seguridad {}", files.backups.display()), source }),
    };
    let mut found: Vec<BackupInfo> = entries
        .filter_map(std::result::Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(&prefix)?.strip_suffix(".db")?;
            let (kind, when) = [BackupKind::BeforeImport, BackupKind::BeforeUpgrade]
                .into_iter()
                .find_map(|kind| rest.strip_prefix(kind.infix()).map(|when| (kind, when)))
                .unwrap_or((BackupKind::Regular, rest));
            let made = chrono::NaiveDateTime::parse_from_str(when.get(..15)?, STAMP).ok()?;
            Some(BackupInfo {
                path: e.path().to_string_lossy().into_owned(),
                name,
                kind,
                made_ms: made.and_utc().timestamp_millis(),
                bytes: e.metadata().map(|m| m.len()).unwrap_or(0),
            })
        })
        .collect();
    found.sort_by(|a, b| b.made_ms.cmp(&a.made_ms).then_with(|| b.name.cmp(&a.name)));
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
            return Err(Error::Io { context: said!("the backup did not pass its check and was not kept", "la copia de seguridad no superó su comprobación y no se conservó"), source: std::io::Error::other(problems.join("; ")) });
        }
    }
    std::fs::rename(&partial, dest).map_err(|source| Error::Io { context: said!("cannot finish the backup {}", "no se puede terminar la copia de seguridad {}", dest.display()), source })?;
    let key_copy = SiteFiles::for_db(dest).key;
    std::fs::copy(&keys.files.key, &key_copy).map_err(|source| Error::Io { context: said!("cannot copy the key file beside the backup {}", "no se puede copiar el archivo de clave junto a la copia de seguridad {}", dest.display()), source })?;
    Ok(())
}

/// Before this build upgrades an older database: a copy of it as it is, in the backups folder,
/// so that restoring the copy (into the older Bridger) undoes the upgrade. `None` when the schema
/// is current or the file is new. A copy that cannot be made stops the upgrade: nothing changes.
pub(crate) fn keep_before_upgrade(files: &SiteFiles, key: &DbKey, now_ms: u64) -> Result<Option<KeptBeforeUpgrade>> {
    // A file that does not open is not this step's to judge: opening it for real reports it,
    // or moves it aside as damaged.
    let Ok(conn) = keyed_connection(&files.db, key, OpenFlags::default() - OpenFlags::SQLITE_OPEN_CREATE) else { return Ok(None) };
    let Ok(from) = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)) else { return Ok(None) };
    if from == 0 || from >= SCHEMA_VERSION {
        return Ok(None);
    }
    crate::files::create_private_dir(&files.backups)?;
    let name = format!("{}-{}{}.db", stem(files), BackupKind::BeforeUpgrade.infix(), stamp(now_ms));
    let keys = Keys { files: files.clone(), key: key.clone() };
    copy_database(&conn, &keys, &files.backups.join(&name)).map_err(|e| Error::Io {
        context: said!("this Bridger must upgrade the database from version {from} to {SCHEMA_VERSION} but could not keep a copy first, so nothing was changed", "este Bridger debe actualizar la base de datos de la versión {from} a la {SCHEMA_VERSION}, pero no pudo guardar antes una copia, así que no se cambió nada"),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(Some(KeptBeforeUpgrade { from, to: SCHEMA_VERSION, name }))
}

impl Store {
    /// Makes a backup now, from the Admin screen or `bridger backup`.
    pub fn backup(&mut self, ctx: &WriteCtx) -> Result<BackupInfo> {
        self.allowed(Need::Role(Permission::Backup))?;
        self.write_backup(ctx, BackupKind::Regular, "")
    }

    /// The backup made when someone signs in and the newest is over a day old. It is the
    /// workstation's, not the person's, so it needs no permission; it is audited all the same.
    pub fn backup_if_due(&mut self, ctx: &WriteCtx) -> Result<Option<BackupInfo>> {
        self.allowed(Need::SignedIn)?;
        let Some(keys) = &self.keys else { return Ok(None) };
        let newest = list(&keys.files)?.into_iter().find(|b| b.kind == BackupKind::Regular).map(|b| b.made_ms);
        let due = newest.is_none_or(|made| ctx.now_ms.saturating_sub(u64::try_from(made).unwrap_or(0)) >= BACKUP_DUE_MS);
        if !due {
            return Ok(None);
        }
        self.write_backup(ctx, BackupKind::Regular, "automatic").map(Some)
    }

    /// The backups of this database, newest first.
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        self.allowed(Need::Role(Permission::Backup))?;
        match &self.keys {
            Some(keys) => list(&keys.files),
            None => Ok(Vec::new()),
        }
    }

    pub(crate) fn write_backup(&mut self, ctx: &WriteCtx, kind: BackupKind, detail: &str) -> Result<BackupInfo> {
        let keep = super::settings::read(&self.conn)?.backups_kept as usize;
        let keys = self.keys.as_ref().ok_or_else(in_memory)?;
        let files = &keys.files.clone();
        crate::files::create_private_dir(&files.backups)?;
        let base = format!("{}-{}{}", stem(files), kind.infix(), stamp(ctx.now_ms));
        let dest = (1..)
            .map(|n| files.backups.join(if n == 1 { format!("{base}.db") } else { format!("{base}-{n}.db") }))
            .find(|p| !p.exists())
            .unwrap_or_else(|| files.backups.join(format!("{base}.db")));
        copy_database(&self.conn, keys, &dest)?;
        for old in list(files)?.iter().filter(|b| b.kind == kind).skip(keep) {
            // Old backups are removed with their key-file copies; the newest `keep` stay.
            let _ = std::fs::remove_file(&old.path);
            let _ = std::fs::remove_file(SiteFiles::for_db(&old.path).key);
        }
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.change(ctx, Need::SignedIn, |w| w.audit(Action::Backup, None, None, format!("{name} {detail}").trim_end()))?;
        list(files)?.into_iter().find(|b| b.name == name).ok_or_else(|| Error::NotFound { what: "backup", id: name })
    }

    /// Before a restore: re-encrypts this copy of a backup with the site's current key, when the
    /// key changed since the backup was made.
    pub(crate) fn reencrypt_for_restore(&mut self, key: &DbKey) -> Result<()> {
        let Some(keys) = self.keys.as_ref() else { return Err(in_memory()) };
        if !keys.key.same_as(key) {
            self.reencrypt(key)?;
            if let Some(keys) = self.keys.as_mut() {
                keys.key = key.clone();
            }
        }
        Ok(())
    }

    /// Writes this (backup) database over the site's database through SQLite's backup API, so a
    /// running app sees the restored data rather than a file swapped under it; this copy is
    /// encrypted with the site's key already. The site's database as it was is first copied to
    /// the backups folder, or moved aside if it no longer opens. Returns where it was kept.
    pub(crate) fn restore_over(&self, files: &SiteFiles, ctx: &WriteCtx) -> Result<Option<String>> {
        let keys = self.keys.as_ref().ok_or_else(in_memory)?;
        let site = Keys { files: files.clone(), key: keys.key.clone() };
        let mut previous = None;
        if files.db.exists() {
            let kept = files.backups.join(format!("{}-before-restore-{}.db", stem(files), stamp(ctx.now_ms)));
            crate::files::create_private_dir(&files.backups)?;
            match keyed_connection(&files.db, &site.key, OpenFlags::default() - OpenFlags::SQLITE_OPEN_CREATE) {
                Ok(current) if integrity_problems(&current, "quick_check").is_ok_and(|p| p.is_empty()) => copy_database(&current, &site, &kept)?,
                _ => crate::files::move_database(&files.db, &kept)?,
            }
            previous = Some(kept.display().to_string());
        }
        let mut target = keyed_connection(&files.db, &site.key, OpenFlags::default())?;
        Backup::new(&self.conn, &mut target)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
        Ok(previous)
    }

    /// After a restore: what decides who may do what is taken back from the database as it was
    /// just before (`kept`, encrypted with the same key): the accounts, the trusted sites, the
    /// settings, the chain heads exchanged, and every audit entry written since the backup. A
    /// demotion or a deactivation is never undone by restoring an older file. Returns the
    /// accounts whose state differed from the backup's; each is audited.
    pub(crate) fn keep_current_state(&mut self, ctx: &WriteCtx, acting: Session, kept: &Path) -> Result<Vec<String>> {
        let keys = self.keys.as_ref().ok_or_else(in_memory)?;
        self.conn.execute("ATTACH DATABASE ?1 AS kept KEY ?2", rusqlite::params![kept.to_string_lossy(), keys.key.sqlcipher_blob().as_str()])?;
        self.who = Some(acting);
        let result = self.change(ctx, Need::SignedIn, |w| {
            let tx = w.tx();
            let changed: Vec<(String, String, String, String, bool)> = tx
                .prepare(
                    "SELECT k.id, k.username, k.roles, k.facilities, k.active FROM kept.accounts k LEFT JOIN main.accounts m ON m.id = k.id
                     WHERE m.id IS NULL OR m.roles <> k.roles OR m.facilities <> k.facilities OR m.active <> k.active",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let same_lineage: bool = tx.query_row(
                "SELECT count(*) > 0 FROM main.site m JOIN kept.audit_log k ON k.seq = m.audit_head_seq AND k.hash = m.audit_head_hash",
                [],
                |r| r.get(0),
            )?;
            tx.execute_batch(
                "DELETE FROM main.accounts; INSERT INTO main.accounts SELECT * FROM kept.accounts;
                 DELETE FROM main.peers; INSERT INTO main.peers SELECT * FROM kept.peers;
                 DELETE FROM main.settings; INSERT INTO main.settings SELECT * FROM kept.settings;
                 INSERT OR IGNORE INTO main.peer_audit_heads SELECT * FROM kept.peer_audit_heads;
                 INSERT OR IGNORE INTO main.audit_heads_sent SELECT * FROM kept.audit_heads_sent;
                 INSERT INTO main.audit_warnings (found_ms, peer_site, detail)
                     SELECT found_ms, peer_site, detail FROM kept.audit_warnings k WHERE NOT EXISTS (SELECT 1 FROM main.audit_warnings m WHERE m.detail = k.detail);
                 UPDATE main.site SET hlc_last = max(hlc_last, (SELECT hlc_last FROM kept.site));",
            )?;
            if same_lineage {
                tx.execute_batch(
                    "INSERT INTO main.audit_log SELECT * FROM kept.audit_log WHERE seq > (SELECT audit_head_seq FROM main.site);
                     UPDATE main.site SET audit_head_seq = (SELECT audit_head_seq FROM kept.site), audit_head_hash = (SELECT audit_head_hash FROM kept.site);",
                )?;
            } else {
                // The backup is not an earlier state of the trail it replaces, so that trail
                // cannot continue this one: it stays whole in the file set aside, and `audit
                // verify` says where from now on.
                tx.execute(
                    "INSERT INTO main.audit_warnings (found_ms, peer_site, detail) SELECT ?1, site_id, ?2 FROM main.site",
                    rusqlite::params![w.now_ms(), format!("the audit trail before the restore does not continue from the backup restored: it is kept whole in {}", kept.display())],
                )?;
            }
            for (id, _, roles, scope, active) in &changed {
                w.audit(Action::Update, Some("accounts"), Some(id), &state_detail(&roles_from_text(roles), &Scope::from_text(scope), *active))?;
            }
            Ok(changed.into_iter().map(|c| c.1).collect())
        });
        self.conn.execute_batch("DETACH DATABASE kept")?;
        result
    }
}
