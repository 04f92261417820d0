//! Opening a site's database: creating a site, signing in (or unlocking), recovering with the
//! recovery key, restoring a backup. These are the only ways a database file is opened, and they
//! sit above the store: they use the key file ([`crate::auth`]) to open a [`Store`] and make the
//! session in it. What a workstation's screen does with them (locking, the idle time) is
//! [`Workstation`].

mod workstation;

pub use workstation::{Stage, Workstation};

use crate::audit::{workstation_name, Action};
use crate::auth::{Attempts, DbKey, KdfParams, KeyFile, Permission, RecoveryKey};
use crate::error::{Error, Result, Said};
use crate::paths::SiteFiles;
use crate::store::{keep_before_upgrade, normalize_username, KeptBeforeUpgrade, RestoreReport, SiteSetup, Store, WriteCtx};
use std::path::{Path, PathBuf};

/// A store just opened by a person, and what opening it did on the way in.
pub struct SignedIn {
    pub store: Store,
    /// Said to the person: the database was upgraded and a copy kept; a daily backup was made,
    /// or it failed (signing in goes on).
    pub notices: Vec<Said>,
}

/// Creates a new encrypted site: the key file (first administrator's slot and the recovery
/// slot), then the database, built under a temporary name and renamed into place once whole.
/// Returns the signed-in store and the recovery key, which is shown once and kept nowhere.
pub fn create(files: &SiteFiles, ctx: &WriteCtx, setup: &SiteSetup, kdf: KdfParams) -> Result<(Store, RecoveryKey)> {
    for existing in [&files.db, &files.key] {
        if existing.exists() {
            return Err(Error::field("site_name", said!("{} already exists: a new site needs a new database file (choose another --db)", "{} ya existe: un sitio nuevo necesita un archivo de base de datos nuevo (elija otro --db)", existing.display())));
        }
    }
    // Everything the form says is checked in memory first, so a mistake leaves no files behind.
    Store::open_in_memory()?.setup(ctx, setup)?;
    let username = normalize_username(&setup.admin.username);
    let (key_file, key, recovery) = KeyFile::new(&username, setup.admin.password.as_str(), kdf)?;
    let building = SiteFiles { db: with_suffix(&files.db, ".creating"), ..files.clone() };
    let _ = std::fs::remove_file(&building.db);
    {
        let mut store = Store::open_keyed(&building, &key, true)?;
        store.setup(ctx, setup)?;
    }
    key_file.save(&files.key)?;
    std::fs::rename(&building.db, &files.db).map_err(|source| Error::Io { context: said!("cannot create {}", "no se puede crear {}", files.db.display()), source })?;
    let mut store = Store::open_keyed(files, &key, false)?;
    store.sign_in_as(&username)?;
    Ok((store, recovery))
}

/// Signs in: the password unwraps the database key, the database is checked, the account must
/// be active, and a daily backup is made when the newest is over a day old. Refusals are counted
/// toward a lockout and reach the audit trail at the next successful sign-in.
pub fn sign_in(files: &SiteFiles, ctx: &WriteCtx, username: &str, password: &str) -> Result<SignedIn> {
    open_for(files, ctx, username, password, Action::SignIn)
}

/// Unlocks after a lock: as signing in, without the quick check of every page (the database was
/// checked when its person signed in; 1.6 s at 100,000 participants, `make bench`).
pub fn unlock(files: &SiteFiles, ctx: &WriteCtx, username: &str, password: &str) -> Result<SignedIn> {
    open_for(files, ctx, username, password, Action::Unlock)
}

fn open_for(files: &SiteFiles, ctx: &WriteCtx, username: &str, password: &str, action: Action) -> Result<SignedIn> {
    files.require_db()?;
    refuse_plain(&files.db)?;
    let username = normalize_username(username);
    let mut attempts = Attempts::load(&files.logins);
    let key = password_key(files, ctx, &mut attempts, &username, password, "wrong user name or password")?;
    let (mut store, upgraded) = open_checked(files, &key, ctx, action == Action::SignIn)?;
    if let Err(e) = store.sign_in_as(&username) {
        attempts.failed(&username, ctx.now_ms, &workstation_name(), "account deactivated");
        attempts.save(&files.logins)?;
        return Err(e);
    }
    upgrade_slot(files, &key, &username, password)?;
    store.record_refusals(ctx, &attempts.take_pending())?;
    store.record_missing_account_states(ctx)?;
    store.record_session(ctx, action, "")?;
    attempts.clear(&username);
    attempts.save(&files.logins)?;
    let mut notices: Vec<Said> = record_upgrade(&mut store, ctx, upgraded)?.into_iter().collect();
    match store.backup_if_due(ctx) {
        Ok(Some(b)) => notices.push(said!("a daily backup was made: {}", "se hizo la copia de seguridad diaria: {}", b.name)),
        Ok(None) => {}
        Err(e) => notices.push(Said { en: format!("the daily backup failed: {e}"), es: format!("falló la copia de seguridad diaria: {}", e.spanish()) }),
    }
    Ok(SignedIn { store, notices })
}

/// Audits an upgrade at the first sign-in that made it (nobody was signed in while it ran) and
/// words it for the person.
fn record_upgrade(store: &mut Store, ctx: &WriteCtx, upgraded: Option<KeptBeforeUpgrade>) -> Result<Option<Said>> {
    let Some(kept) = upgraded else { return Ok(None) };
    store.record_session(ctx, Action::Backup, &format!("{} kept before upgrading the database from version {} to {}", kept.name, kept.from, kept.to))?;
    let KeptBeforeUpgrade { from, to, name } = kept;
    Ok(Some(said!(
        "this Bridger upgraded the site's database from version {from} to {to}; the database as it was is kept in the backups folder as {name}",
        "este Bridger actualizó la base de datos del sitio de la versión {from} a la {to}; la base de datos tal como estaba se conserva en la carpeta de copias de seguridad como {name}"
    )))
}

/// The database key `password` unwraps for `username`, after the lockout check; a refusal is
/// counted and noted for the audit trail, under `reason`.
fn password_key(files: &SiteFiles, ctx: &WriteCtx, attempts: &mut Attempts, username: &str, password: &str, reason: &str) -> Result<DbKey> {
    let workstation = workstation_name();
    if let Err(e) = attempts.check(username, ctx.now_ms) {
        attempts.noted(username, ctx.now_ms, &workstation, &format!("refused: too many wrong passwords ({reason})"));
        attempts.save(&files.logins)?;
        return Err(e);
    }
    let key = KeyFile::load(&files.key).and_then(|f| f.unwrap_user(username, password));
    let key = match key {
        Err(Error::WrongPassword) => match next_key(files, username, password) {
            Some(key) => Ok(key),
            None => Err(Error::WrongPassword),
        },
        other => other,
    };
    if let Err(Error::WrongPassword) = key {
        attempts.failed(username, ctx.now_ms, &workstation, reason);
        attempts.save(&files.logins)?;
    }
    key
}

/// A key rotation that was cut off between writing the new key file and putting it in place
/// leaves it beside the old one (ADR 0012). If the database opens with the new one, the rotation
/// finished: it takes its place. Otherwise it never happened, and the file is removed.
fn next_key(files: &SiteFiles, username: &str, password: &str) -> Option<DbKey> {
    let next = files.next_key();
    let key = KeyFile::load(&next).ok()?.unwrap_user(username, password).ok()?;
    if Store::open_keyed(files, &key, false).is_ok() {
        std::fs::rename(&next, &files.key).ok()?;
        Some(key)
    } else {
        let _ = std::fs::remove_file(&next);
        None
    }
}

/// Makes a key slot of the kind written before key rotation existed anew, while the password
/// that opened it is at hand, so the next rotation can carry it over.
fn upgrade_slot(files: &SiteFiles, key: &DbKey, username: &str, password: &str) -> Result<()> {
    let mut file = KeyFile::load(&files.key)?;
    if file.needs_upgrade(username) {
        file.set_user(key, username, password)?;
        file.save(&files.key)?;
    }
    Ok(())
}

/// When no administrator can sign in: the recovery key opens the database and sets a new
/// password for `username`, who is then signed in.
pub fn recover(files: &SiteFiles, ctx: &WriteCtx, recovery: &RecoveryKey, username: &str, new_password: &str) -> Result<Store> {
    refuse_plain(&files.db)?;
    let username = normalize_username(username);
    let key = KeyFile::load(&files.key)?.unwrap_recovery(recovery)?;
    let (mut store, upgraded) = open_checked(files, &key, ctx, true)?;
    store.sign_in_for_recovery(&username)?;
    store.record_session(ctx, Action::RecoveryKeyUsed, "")?;
    record_upgrade(&mut store, ctx, upgraded)?;
    store.set_password(ctx, crate::auth::Need::SignedIn, &username, new_password, Action::PasswordReset)?;
    store.sign_in_as(&username)?;
    Ok(store)
}

/// Replaces the database with a backup. The person must hold the backup permission in the
/// database as it is now, and their password counts toward the lockout as at sign-in; every try
/// is audited. The backup must pass SQLite's integrity check and be from this Bridger or an
/// older one. What the backup restores is the records; what decides who may do what is kept as
/// it is now: the accounts, the trusted sites, the settings and the whole audit trail
/// (ADR 0012). The database as it was is kept in the backups folder first. When the database
/// does not open (or its key file is gone), no account here can say who may restore it, and the
/// backup's own accounts must not decide (a demoted administrator would be one again): that
/// takes the recovery key ([`restore_with_recovery`]).
pub fn restore(files: &SiteFiles, ctx: &WriteCtx, backup: &Path, username: &str, password: &str) -> Result<RestoreReport> {
    let username = normalize_username(username);
    let backup_files = backup_of(files, backup)?;
    let unopened = || Error::Refused(said!("this database does not open, so none of its accounts can say who may restore it: restore with the recovery key (`bridger restore BACKUP --recovery-key-file FILE --account NAME`)", "esta base de datos no se abre, así que ninguna de sus cuentas puede decir quién puede restaurarla: restáurela con la clave de recuperación (`bridger restore BACKUP --recovery-key-file FILE --account NAME`)"));
    if !files.key.exists() {
        return Err(unopened());
    }
    let mut attempts = Attempts::load(&files.logins);
    let current_key = password_key(files, ctx, &mut attempts, &username, password, "restore: wrong user name or password")?;
    let mut current = Store::open_keyed(files, &current_key, false).map_err(|_| unopened())?;
    let refused = match current.sign_in_as(&username) {
        Ok(who) => who.require(Permission::Backup, None).err(),
        Err(e) => {
            attempts.failed(&username, ctx.now_ms, &workstation_name(), "restore: account deactivated");
            attempts.save(&files.logins)?;
            return Err(e);
        }
    };
    current.record_refusals(ctx, &attempts.take_pending())?;
    attempts.save(&files.logins)?;
    if let Some(e) = refused {
        current.record_session(ctx, Action::Restore, &format!("refused: {e}"))?;
        return Err(e);
    }
    let backup_key = if Store::open_keyed(&backup_files, &current_key, false).is_ok() {
        current_key.clone()
    } else {
        password_key(&backup_files, ctx, &mut attempts, &username, password, "restore: wrong user name or password for the backup")?
    };
    let report = put_back(files, ctx, backup, &backup_key, &current_key, RestoredBy::Administrator(Box::new(current)), &username)?;
    attempts.clear(&username);
    attempts.save(&files.logins)?;
    Ok(report)
}

/// Restores a backup when the database no longer opens (damaged, moved aside, or its key file
/// lost): the recovery key opens the backup (and the current key file, if there is one, so the
/// restored file opens with today's passwords), and `username`, an account of the restored
/// database, is signed in. Refused while the database opens: then an administrator restores
/// with their password and today's accounts are kept.
pub fn restore_with_recovery(files: &SiteFiles, ctx: &WriteCtx, backup: &Path, recovery: &RecoveryKey, username: &str) -> Result<RestoreReport> {
    let username = normalize_username(username);
    let backup_files = backup_of(files, backup)?;
    let live_key = if files.key.exists() { Some(KeyFile::load(&files.key)?.unwrap_recovery(recovery)?) } else { None };
    if live_key.as_ref().is_some_and(|key| Store::open_keyed(files, key, false).is_ok()) {
        return Err(Error::field("recovery_key", said!("this database opens: restore it as an administrator with your password, so today's accounts are kept", "esta base de datos se abre: restáurela como administrador con su contraseña, para conservar las cuentas actuales")));
    }
    let backup_key = KeyFile::load(&backup_files.key)?.unwrap_recovery(recovery)?;
    let key = live_key.unwrap_or_else(|| backup_key.clone());
    put_back(files, ctx, backup, &backup_key, &key, RestoredBy::RecoveryKey, &username)
}

/// The backup at `backup`, which must not be the database itself.
fn backup_of(files: &SiteFiles, backup: &Path) -> Result<SiteFiles> {
    let backup_files = SiteFiles::for_db(backup);
    backup_files.require_db()?;
    if std::fs::canonicalize(backup).ok() == std::fs::canonicalize(&files.db).ok() {
        return Err(Error::field("backup", said!("that is the database itself, not a backup: choose a file from the backups folder", "esa es la propia base de datos, no una copia: elija un archivo de la carpeta de copias de seguridad")));
    }
    Ok(backup_files)
}

/// Who answers for a restore.
enum RestoredBy {
    /// An administrator signed in to the database as it is now: its accounts and trail are kept.
    Administrator(Box<Store>),
    /// The recovery key, when the database does not open: the backup's accounts are all there is.
    RecoveryKey,
}

/// Checks the backup (opened with `backup_key`) in a working copy, encrypts it with `key`, puts
/// it in place of the database, keeps today's accounts and trail when an administrator restores,
/// and records the restore as `username`'s.
fn put_back(files: &SiteFiles, ctx: &WriteCtx, backup: &Path, backup_key: &DbKey, key: &DbKey, by: RestoredBy, username: &str) -> Result<RestoreReport> {
    let mut current = match by {
        RestoredBy::Administrator(store) => Some(*store),
        RestoredBy::RecoveryKey => None,
    };
    let working = SiteFiles::for_db(with_suffix(&files.db, ".restoring"));
    let _ = std::fs::remove_file(&working.db);
    std::fs::copy(backup, &working.db).map_err(|source| Error::Io { context: said!("cannot read the backup {}", "no se puede leer la copia de seguridad {}", backup.display()), source })?;
    let checked = (|| -> Result<Store> {
        let mut source = Store::open_keyed(&working, backup_key, false).map_err(|e| match e {
            Error::KeyFile(_) => Error::KeyFile(said!("{} is not a backup of this database", "{} no es una copia de seguridad de esta base de datos", backup.display())),
            other => other,
        })?;
        let problems = source.integrity()?;
        if !problems.is_empty() {
            return Err(Error::Io { context: said!("the backup {} is damaged and was not restored", "la copia de seguridad {} está dañada y no se restauró", backup.display()), source: std::io::Error::other(problems.join("; ")) });
        }
        source.reencrypt_for_restore(key)?;
        Ok(source)
    })();
    let source = match checked {
        Ok(source) => source,
        Err(e) => {
            let _ = std::fs::remove_file(&working.db);
            if let Some(store) = current.as_mut() {
                store.record_session(ctx, Action::Restore, &format!("refused: {e}"))?;
            }
            return Err(e);
        }
    };
    let before = current.as_ref().map(|s| s.session().cloned()).transpose()?;
    drop(current);
    let previous_kept_at = source.restore_over(files, ctx)?;
    drop(source);
    let _ = std::fs::remove_file(&working.db);
    let mut restored = Store::open_keyed(files, key, false)?;
    let by_administrator = before.is_some();
    let accounts_kept = match (before, &previous_kept_at) {
        (Some(session), Some(kept)) => restored.keep_current_state(ctx, session, &PathBuf::from(kept))?,
        _ => Vec::new(),
    };
    if !files.key.exists() {
        std::fs::copy(SiteFiles::for_db(backup).key, &files.key).map_err(|source| Error::Io { context: said!("cannot put the key file back at {}", "no se puede devolver el archivo de clave a {}", files.key.display()), source })?;
    }
    let name = backup.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let detail = if by_administrator {
        restored.sign_in_as(username)?;
        name
    } else {
        restored.sign_in_for_recovery(username)?;
        format!("{name} with the recovery key")
    };
    restored.record_session(ctx, Action::Restore, &detail)?;
    Ok(RestoreReport { restored_from: backup.display().to_string(), previous_kept_at, accounts_kept })
}

/// Opens the database and, when `check`, runs SQLite's quick check; a database that fails it
/// (or whose pages do not decrypt) is moved aside, never deleted, and the person is told how to
/// restore. A database from an older Bridger is copied to the backups folder before its schema
/// is upgraded; the copy is returned.
fn open_checked(files: &SiteFiles, key: &DbKey, ctx: &WriteCtx, check: bool) -> Result<(Store, Option<KeptBeforeUpgrade>)> {
    let upgraded = keep_before_upgrade(files, key, ctx.now_ms)?;
    let opened = Store::open_keyed(files, key, false).and_then(|store| if check { store.quick_check() } else { Ok(Vec::new()) }.map(|problems| (store, problems)));
    let problem = match opened {
        Ok((store, problems)) if problems.is_empty() => return Ok((store, upgraded)),
        Ok((_, problems)) => problems.join("; "),
        Err(Error::KeyFile(_)) => "its pages do not decrypt with its key".to_string(),
        Err(Error::Database(e)) if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)) => e.to_string(),
        Err(e) => return Err(e),
    };
    let moved = quarantine(files, ctx)?;
    Err(Error::Quarantined { problem, moved_to: moved.display().to_string(), backups: files.backups.display().to_string() })
}

/// Refuses an unencrypted database (from a test build before encryption) with its own message,
/// before its missing key file is mistaken for a lost one, and rather than moving it aside as
/// damaged.
fn refuse_plain(db: &Path) -> Result<()> {
    let mut head = [0u8; 16];
    let is_plain = std::fs::File::open(db).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok() && &head == b"SQLite format 3\0";
    if is_plain {
        return Err(Error::KeyFile(said!("{} is not encrypted: it was made by a test build of Bridger before encryption; create a new site", "{} no está cifrada: la hizo una versión de prueba de Bridger anterior al cifrado; cree un sitio nuevo", db.display())));
    }
    Ok(())
}

fn quarantine(files: &SiteFiles, ctx: &WriteCtx) -> Result<PathBuf> {
    let stamp = chrono::DateTime::from_timestamp_millis(i64::try_from(ctx.now_ms).unwrap_or(0)).unwrap_or_default().format("%Y%m%d-%H%M%S");
    let moved = with_suffix(&files.db, &format!(".quarantined-{stamp}"));
    crate::files::move_database(&files.db, &moved)?;
    Ok(moved)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    name.into()
}
