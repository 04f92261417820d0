//! Accounts, roles and keys: creating an encrypted site, signing in, recovering with the recovery
//! key and restoring a backup. The store never opens a database file any other way.

mod attempts;
mod keyfile;
mod roles;

pub use attempts::{Attempts, PendingFailure};
pub(crate) use keyfile::write_atomically;
pub use keyfile::{DbKey, KdfParams, KeyFile, RecoveryKey};
pub use roles::{Permission, Role, Scope, Session};

use crate::audit::{workstation_name, Action};
use crate::error::{Error, Result};
use crate::paths::SiteFiles;
use crate::store::{normalize_username, RestoreReport, SiteSetup, Store, WriteCtx};
use std::path::Path;

/// Creates a new encrypted site: the key file (first administrator's slot and the recovery
/// slot), then the database, built under a temporary name and renamed into place once whole.
/// Returns the signed-in store and the recovery key, which is shown once and kept nowhere.
pub fn create(files: &SiteFiles, ctx: &WriteCtx, setup: &SiteSetup, kdf: KdfParams) -> Result<(Store, RecoveryKey)> {
    for existing in [&files.db, &files.key] {
        if existing.exists() {
            return Err(Error::field(
                "site_name",
                format!("{} already exists: a new site needs a new database file (choose another --db)", existing.display()),
            ));
        }
    }
    // Everything the form says is checked in memory first, so a mistake leaves no files behind.
    Store::open_in_memory()?.setup(ctx, setup)?;
    let username = normalize_username(&setup.admin.username);
    let (key_file, key, recovery) = KeyFile::new(&username, &setup.admin.password, kdf)?;
    let building = SiteFiles { db: with_suffix(&files.db, ".creating"), ..files.clone() };
    let _ = std::fs::remove_file(&building.db);
    {
        let mut store = Store::open_keyed(&building, &key, true)?;
        store.setup(ctx, setup)?;
    }
    key_file.save(&files.key)?;
    std::fs::rename(&building.db, &files.db)
        .map_err(|source| Error::Io { context: format!("cannot create {}", files.db.display()), source })?;
    let mut store = Store::open_keyed(files, &key, false)?;
    store.sign_in_as(&username)?;
    Ok((store, recovery))
}

/// Signs in (or unlocks after an idle lock): the password unwraps the database key, the
/// database is checked, and the account must be active. Refusals are counted toward a lockout
/// and reach the audit trail at the next successful sign-in.
pub fn sign_in(files: &SiteFiles, ctx: &WriteCtx, username: &str, password: &str, unlock: bool) -> Result<Store> {
    files.require_db()?;
    let username = normalize_username(username);
    let workstation = workstation_name();
    let mut attempts = Attempts::load(&files.logins);
    let refuse = |attempts: &mut Attempts, reason: &str, err: Error| -> Result<Store> {
        attempts.failed(&username, ctx.now_ms, &workstation, reason);
        attempts.save(&files.logins)?;
        Err(err)
    };
    if let Err(e) = attempts.check(&username, ctx.now_ms) {
        attempts.noted(&username, ctx.now_ms, &workstation, "refused: too many wrong passwords");
        attempts.save(&files.logins)?;
        return Err(e);
    }
    let key_file = KeyFile::load(&files.key)?;
    let key = match key_file.unwrap_user(&username, password) {
        Ok(key) => key,
        Err(Error::WrongPassword) => return refuse(&mut attempts, "wrong user name or password", Error::WrongPassword),
        Err(e) => return Err(e),
    };
    // The quick check reads every page (1.6 s at 100,000 participants, `make bench`); an unlock
    // reopens a database this window already checked when its person signed in.
    let mut store = open_checked(files, &key, ctx, !unlock)?;
    if let Err(e) = store.sign_in_as(&username) {
        return refuse(&mut attempts, "account deactivated", e);
    }
    store.record_refusals(&attempts.take_pending())?;
    let action = if unlock { Action::Unlock } else { Action::SignIn };
    store.record_session(ctx, action, "")?;
    attempts.clear(&username);
    attempts.save(&files.logins)?;
    Ok(store)
}

/// When no administrator can sign in: the recovery key opens the database and sets a new
/// password for `username`, who is then signed in.
pub fn recover(files: &SiteFiles, ctx: &WriteCtx, recovery: &RecoveryKey, username: &str, new_password: &str) -> Result<Store> {
    let username = normalize_username(username);
    let key = KeyFile::load(&files.key)?.unwrap_recovery(recovery)?;
    let mut store = open_checked(files, &key, ctx, true)?;
    store.sign_in_for_recovery(&username)?;
    store.record_session(ctx, Action::RecoveryKeyUsed, "")?;
    store.set_password(ctx, &username, new_password, Action::PasswordReset)?;
    store.sign_in_as(&username)?;
    Ok(store)
}

/// Replaces the database with a backup, after checking that the backup opens with this key
/// file, passes SQLite's integrity check, is not from a newer Bridger, and that `username` is an
/// administrator in it. The database as it was is kept in the backups folder first.
pub fn restore(files: &SiteFiles, ctx: &WriteCtx, backup: &Path, username: &str, password: &str) -> Result<RestoreReport> {
    let username = normalize_username(username);
    let backup_files = SiteFiles::for_db(backup);
    backup_files.require_db()?;
    if std::fs::canonicalize(backup).ok() == std::fs::canonicalize(&files.db).ok() {
        return Err(Error::field("backup", "that is the database itself, not a backup: choose a file from the backups folder"));
    }
    let key_file = KeyFile::load(&files.key).or_else(|_| KeyFile::load(&backup_files.key))?;
    let key = key_file.unwrap_user(&username, password)?;
    let mut source = Store::open_keyed(&backup_files, &key, false).map_err(|e| match e {
        Error::KeyFile(_) => Error::KeyFile(format!("{} is not a backup of this database", backup.display())),
        other => other,
    })?;
    let problems = source.integrity()?;
    if !problems.is_empty() {
        return Err(Error::Io {
            context: format!("the backup {} is damaged and was not restored", backup.display()),
            source: std::io::Error::other(problems.join("; ")),
        });
    }
    source.sign_in_as(&username)?.require(Permission::Backup, None)?;
    let previous_kept_at = source.restore_over(files, ctx)?;
    let mut restored = Store::open_keyed(files, &key, false)?;
    restored.sign_in_as(&username)?;
    restored.record_session(ctx, Action::Restore, &backup.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())?;
    Ok(RestoreReport { restored_from: backup.display().to_string(), previous_kept_at })
}

/// Opens the database and, when `check`, runs SQLite's quick check; a database that fails it
/// (or whose pages do not decrypt) is moved aside, never deleted, and the person is told how to
/// restore.
fn open_checked(files: &SiteFiles, key: &DbKey, ctx: &WriteCtx, check: bool) -> Result<Store> {
    refuse_plain(&files.db)?;
    let opened = Store::open_keyed(files, key, false)
        .and_then(|store| if check { store.quick_check() } else { Ok(Vec::new()) }.map(|problems| (store, problems)));
    let problem = match opened {
        Ok((store, problems)) if problems.is_empty() => return Ok(store),
        Ok((_, problems)) => problems.join("; "),
        Err(Error::KeyFile(_)) => "its pages do not decrypt with its key".to_string(),
        Err(Error::Database(e))
            if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)) =>
        {
            e.to_string()
        }
        Err(e) => return Err(e),
    };
    let moved = quarantine(files, ctx)?;
    Err(Error::Quarantined { problem, moved_to: moved.display().to_string(), backups: files.backups.display().to_string() })
}

/// Refuses an unencrypted database (from a test build before encryption) with its own message
/// rather than moving it aside as damaged.
fn refuse_plain(db: &Path) -> Result<()> {
    let mut head = [0u8; 16];
    let is_plain = std::fs::File::open(db).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok() && &head == b"SQLite format 3\0";
    if is_plain {
        return Err(Error::KeyFile(format!(
            "{} is not encrypted: it was made by a test build of Bridger before encryption; create a new site",
            db.display()
        )));
    }
    Ok(())
}

fn quarantine(files: &SiteFiles, ctx: &WriteCtx) -> Result<std::path::PathBuf> {
    let stamp = chrono::DateTime::from_timestamp_millis(i64::try_from(ctx.now_ms).unwrap_or(0)).unwrap_or_default().format("%Y%m%d-%H%M%S");
    let moved = with_suffix(&files.db, &format!(".quarantined-{stamp}"));
    std::fs::rename(&files.db, &moved).map_err(|source| Error::Io { context: format!("cannot move {} aside", files.db.display()), source })?;
    for side in ["-wal", "-shm"] {
        let from = with_suffix(&files.db, side);
        if from.exists() {
            let _ = std::fs::rename(&from, with_suffix(&moved, side));
        }
    }
    Ok(moved)
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    name.into()
}
