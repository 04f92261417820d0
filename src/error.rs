//! The core's one error type. Every message is written for a coordinator: it says what is wrong
//! and, where there is one, what to do, in one style (lower case, no full stop). A message names
//! the field, the rule and at most a record's id, never a person: an error shown on a shared
//! screen or kept in a log is a disclosure.

use crate::permission::Permission;
use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One field that failed validation, named as the UI and the CLI name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// What kind of failure an error is; the UI branches on this, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    NotInitialized,
    SchemaTooNew,
    Busy,
    Database,
    Io,
    /// Nobody is signed in: the sign-in screen.
    NotSignedIn,
    /// The screen is locked (by the person, or after the idle time): the unlock screen.
    Locked,
    /// The account's password was set by someone else: the change-password screen.
    PasswordChangeRequired,
    WrongPassword,
    LockedOut,
    /// The role does not grant the action.
    Forbidden,
    /// The role grants it, but not in that facility.
    OutOfScope,
    KeyFile,
    Quarantined,
    Bundle,
    /// The audit trail was changed, removed from or rewritten.
    Tampered,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", join_fields(.0))]
    Validation(Vec<FieldError>),
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: String },
    #[error("this database has no site yet: run `bridger init` (or `bridger demo`) first")]
    NotInitialized,
    #[error(
        "this database was written by a newer Bridger (schema {found}; this version reads up to \
         {supported}): install the newer version before opening it"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("another Bridger window or command kept the database busy for too long: nothing was saved, try again in a moment")]
    Busy,
    #[error("the database could not be read or written: {0}")]
    Database(rusqlite::Error),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error("nobody is signed in: sign in first")]
    NotSignedIn,
    #[error("{}", locked(*.idle_minutes))]
    Locked { idle_minutes: Option<u32> },
    #[error("choose your own password first: the one you have was set by an administrator (in the app, or `bridger accounts passwd`)")]
    PasswordChangeRequired,
    #[error("the user name or password is not right")]
    WrongPassword,
    #[error("{}", locked_out(*.seconds, *.locked))]
    LockedOut { seconds: u64, locked: bool },
    #[error("your role may not {}: ask an administrator if it should", .0.described())]
    Forbidden(Permission),
    #[error("your account may not {} in that facility: it is not one of your account's facilities", .0.described())]
    OutOfScope(Permission),
    #[error("your account may not {}: that takes in or sends the records of every facility, and your account covers only some of them", .0.described())]
    NotEverywhere(Permission),
    /// A refusal that is not about a permission: a deactivated account, an action on oneself.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    KeyFile(String),
    #[error(
        "the database failed its integrity check ({problem}) and was moved aside to {moved_to}; nothing \
         was deleted: restore the newest backup with `bridger restore BACKUP --recovery-key-file FILE --account NAME` \
         (backups are in {backups})"
    )]
    Quarantined { problem: String, moved_to: String, backups: String },
    /// A bundle or receipt that cannot be imported; nothing was changed.
    #[error("{0}: nothing was imported")]
    Bundle(String),
    #[error("the audit trail was tampered with: {0}")]
    Tampered(String),
}

fn locked(idle_minutes: Option<u32>) -> String {
    match idle_minutes {
        Some(m) => format!("the screen locked after {m} idle minutes: unlock it to go on"),
        None => "the screen is locked: unlock it, or sign the locked session out".into(),
    }
}

fn locked_out(seconds: u64, locked: bool) -> String {
    if locked {
        format!("this account is locked after too many wrong passwords: try again in {} minutes, or ask an administrator to reset the password", seconds.div_ceil(60))
    } else {
        format!("too many wrong passwords: wait {seconds} seconds before trying again")
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Error::Busy,
            _ => Error::Database(e),
        }
    }
}

fn join_fields(fields: &[FieldError]) -> String {
    fields.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation(_) => ErrorCode::Validation,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NotInitialized => ErrorCode::NotInitialized,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::Busy => ErrorCode::Busy,
            Error::Database(_) => ErrorCode::Database,
            Error::Io { .. } => ErrorCode::Io,
            Error::NotSignedIn => ErrorCode::NotSignedIn,
            Error::Locked { .. } => ErrorCode::Locked,
            Error::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            Error::WrongPassword => ErrorCode::WrongPassword,
            Error::LockedOut { .. } => ErrorCode::LockedOut,
            Error::Forbidden(_) | Error::Refused(_) => ErrorCode::Forbidden,
            Error::OutOfScope(_) | Error::NotEverywhere(_) => ErrorCode::OutOfScope,
            Error::KeyFile(_) => ErrorCode::KeyFile,
            Error::Quarantined { .. } => ErrorCode::Quarantined,
            Error::Bundle(_) => ErrorCode::Bundle,
            Error::Tampered(_) => ErrorCode::Tampered,
        }
    }

    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, message)])
    }

    /// The field errors of a validation failure, empty for any other error.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Validation(fields) => fields,
            _ => &[],
        }
    }

    /// The permission a refusal was about: what the access matrix checks, rather than words.
    pub fn refused_permission(&self) -> Option<Permission> {
        match self {
            Error::Forbidden(p) | Error::OutOfScope(p) | Error::NotEverywhere(p) => Some(*p),
            _ => None,
        }
    }
}

/// The shape in which an error crosses to the UI or to a script: `{ code, message, fields }`.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ErrorReport {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl From<&Error> for ErrorReport {
    fn from(e: &Error) -> Self {
        Self { code: e.code(), message: e.to_string(), fields: e.fields().to_vec() }
    }
}

impl From<Error> for ErrorReport {
    fn from(e: Error) -> Self {
        Self::from(&e)
    }
}
