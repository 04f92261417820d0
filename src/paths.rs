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
