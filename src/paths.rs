//! Where the database lives when no path is given: the same file for the CLI and the app.

use std::path::PathBuf;

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
        let beside = |suffix: &str| {
            let mut name = db.file_name().unwrap_or_default().to_os_string();
            name.push(suffix);
            db.with_file_name(name)
        };
        SiteFiles { key: beside(".key"), logins: beside(".logins"), backups: beside("-backups"), db }
    }
}

impl SiteFiles {
    /// Refuses a database file that does not exist, so a mistyped path never creates one.
    pub fn require_db(&self) -> crate::Result<()> {
        if self.db.is_file() {
            return Ok(());
        }
        Err(crate::Error::Io {
            context: format!("there is no database at {}", self.db.display()),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "check --db or BRIDGER_DB, or create one with `bridger init` or `bridger demo`",
            ),
        })
    }
}
