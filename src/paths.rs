//! Where the database lives when no path is given (the same file for the CLI and the app), and
//! the files that belong to it.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The environment variable that names the database for the CLI and the desktop app.
pub const DB_ENV: &str = "BRIDGER_DB";

/// `--db` if given, else `BRIDGER_DB`, else `bridger.db` in the user's data folder.
pub fn resolve_db(explicit: Option<PathBuf>) -> PathBuf {
    explicit
        .or_else(|| std::env::var_os(DB_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(default_db)
}

fn default_db() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("bridger").join("bridger.db")
}

/// The files that make up one site's database: the encrypted database, its key file, the record
/// of failed sign-ins and the backups folder, all beside each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFiles {
    pub db: PathBuf,
    pub key: PathBuf,
    pub logins: PathBuf,
    pub backups: PathBuf,
}

impl SiteFiles {
    pub fn for_db(db: impl Into<PathBuf>) -> SiteFiles {
        let db = db.into();
        SiteFiles { key: beside(&db, ".key"), logins: beside(&db, ".logins"), backups: beside(&db, "-backups"), db }
    }

    /// The key file a key rotation writes before the database is re-encrypted; renamed over the
    /// key file once the database opens with it (ADR 0012).
    pub fn next_key(&self) -> PathBuf {
        beside(&self.db, ".key.next")
    }

    /// Refuses a database file that does not exist, so a mistyped path never creates one.
    pub fn require_db(&self) -> Result<()> {
        if self.db.is_file() {
            return Ok(());
        }
        Err(Error::Io {
            context: said!("there is no database at {}", "no hay ninguna base de datos en {}", self.db.display()),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "check --db or BRIDGER_DB, or create one with `bridger init` or `bridger demo`"),
        })
    }

    /// Refuses `path` as the destination of an export, a packet or a card when it is one of this
    /// site's own files: the database, its journal files, its key files, the refused sign-ins,
    /// or anything in the backups folder. A slip of the keyboard must not replace the database.
    pub fn refuse_as_output(&self, path: &Path) -> Result<()> {
        let Some(target) = resolved(path) else { return Ok(()) };
        let own = [
            self.db.clone(),
            self.key.clone(),
            self.next_key(),
            self.logins.clone(),
            beside(&self.db, "-wal"),
            beside(&self.db, "-shm"),
            beside(&self.db, "-journal"),
            beside(&self.db, ".creating"),
        ];
        let is_own = own.iter().filter_map(|p| resolved(p)).any(|p| p == target);
        let in_backups = resolved(&self.backups).is_some_and(|b| target.starts_with(b));
        if is_own || in_backups {
            return Err(Error::field(
                "path",
                said!("{} is one of this site's own files (the database, its keys or its backups): choose another name or folder", "{} es uno de los archivos de este sitio (la base de datos, sus claves o sus copias de seguridad): elija otro nombre u otra carpeta", path.display()),
            ));
        }
        Ok(())
    }
}

fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    db.with_file_name(name)
}

/// Where `path` really is: the file itself when it exists (through any link), else its folder's
/// real place joined with its name. `None` when not even the folder exists.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(real) = std::fs::canonicalize(path) {
        return Some(real);
    }
    let parent = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_own_files_are_refused_as_outputs_however_they_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let files = SiteFiles::for_db(dir.path().join("site.db"));
        std::fs::write(&files.db, b"x").unwrap();
        std::fs::create_dir(&files.backups).unwrap();
        let sneaky = dir.path().join("sub");
        std::fs::create_dir(&sneaky).unwrap();
        for refused in [
            files.db.clone(),
            files.key.clone(),
            dir.path().join("site.db-wal"),
            files.logins.clone(),
            sneaky.join("../site.db"),
            files.backups.join("site-20261124-203000.db"),
        ] {
            let e = files.refuse_as_output(&refused).unwrap_err();
            assert_eq!(e.fields()[0].field, "path", "{}", refused.display());
        }
        files.refuse_as_output(&dir.path().join("site.bundle")).unwrap();
        files.refuse_as_output(&sneaky.join("audit.csv")).unwrap();
    }
}
