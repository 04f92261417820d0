//! The core's one error type. Every message is written for a coordinator: it says what is wrong
//! and, where there is one, what to do, in one style (lower case, no full stop). A message names
//! the field, the rule and at most a record's id, never a person: an error shown on a shared
//! screen or kept in a log is a disclosure.

use crate::permission::Permission;
use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A message in both languages the screens speak. The English is what the command line prints
/// and the log keeps; the app shows the signed-in person's language (ADR 0016).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Said {
    pub en: String,
    pub es: String,
}

/// A field's name as a sentence names it, in English and in Spanish: `("the due date", "la fecha límite")`.
pub type Label = (&'static str, &'static str);

/// `said!("english {x}", "español {x}", args…)`: both languages formatted from the same values,
/// so a message cannot be written in one and forgotten in the other.
#[macro_export]
macro_rules! said {
    ($en:literal, $es:literal $(, $arg:expr)* $(,)?) => {
        $crate::error::Said { en: format!($en $(, $arg)*), es: format!($es $(, $arg)*) }
    };
}

/// One field that failed validation, named as the UI and the CLI name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
    pub message_es: String,
}

impl FieldError {
    pub fn new(field: &'static str, said: Said) -> Self {
        Self { field, message: said.en, message_es: said.es }
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
    #[error("{}: {source}", context.en)]
    Io { context: Said, source: std::io::Error },
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
    #[error("{}", .0.en)]
    Refused(Said),
    #[error("{}", .0.en)]
    KeyFile(Said),
    #[error(
        "the database failed its integrity check ({problem}) and was moved aside to {moved_to}; nothing \
         was deleted: restore the newest backup with `bridger restore BACKUP --recovery-key-file FILE --account NAME` \
         (backups are in {backups})"
    )]
    Quarantined { problem: String, moved_to: String, backups: String },
    /// A bundle or receipt that cannot be imported; nothing was changed.
    #[error("{}: nothing was imported", .0.en)]
    Bundle(Said),
    #[error("the audit trail was tampered with: {}", .0.en)]
    Tampered(Said),
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

fn locked_es(idle_minutes: Option<u32>) -> String {
    match idle_minutes {
        Some(m) => format!("la pantalla se bloqueó tras {m} minutos sin uso: desbloquéela para seguir"),
        None => "la pantalla está bloqueada: desbloquéela, o cierre la sesión bloqueada".into(),
    }
}

fn locked_out_es(seconds: u64, locked: bool) -> String {
    if locked {
        format!("esta cuenta está bloqueada tras demasiadas contraseñas incorrectas: inténtelo de nuevo dentro de {} minutos, o pida a un administrador que restablezca la contraseña", seconds.div_ceil(60))
    } else {
        format!("demasiadas contraseñas incorrectas: espere {seconds} segundos antes de volver a intentarlo")
    }
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

    pub fn field(field: &'static str, said: Said) -> Self {
        Error::Validation(vec![FieldError::new(field, said)])
    }

    /// The message in Spanish, as the screens show it to a person who reads them in Spanish.
    pub fn spanish(&self) -> String {
        match self {
            Error::Validation(fields) => fields.iter().map(|f| format!("{}: {}", f.field, f.message_es)).collect::<Vec<_>>().join("; "),
            Error::NotFound { what, id } => format!("no hay ningún registro ({what}) con el identificador {id}"),
            Error::NotInitialized => "esta base de datos todavía no tiene sitio: ejecute primero `bridger init` (o `bridger demo`)".into(),
            Error::SchemaTooNew { found, supported } => format!(
                "esta base de datos la escribió un Bridger más nuevo (esquema {found}; esta versión lee hasta el {supported}): instale la versión más nueva antes de abrirla"
            ),
            Error::Busy => "otra ventana u orden de Bridger mantuvo ocupada la base de datos demasiado tiempo: no se guardó nada, inténtelo de nuevo en un momento".into(),
            Error::Database(e) => format!("no se pudo leer o escribir la base de datos: {e}"),
            Error::Io { context, source } => format!("{}: {source}", context.es),
            Error::NotSignedIn => "nadie ha iniciado sesión: inicie sesión primero".into(),
            Error::Locked { idle_minutes } => locked_es(*idle_minutes),
            Error::PasswordChangeRequired => {
                "elija antes su propia contraseña: la que tiene la asignó un administrador (en la aplicación, o con `bridger accounts passwd`)".into()
            }
            Error::WrongPassword => "el nombre de usuario o la contraseña no son correctos".into(),
            Error::LockedOut { seconds, locked } => locked_out_es(*seconds, *locked),
            Error::Forbidden(p) => format!("su rol no permite {}: pregunte a un administrador si debería", p.described_es()),
            Error::OutOfScope(p) => format!("su cuenta no permite {} en ese centro: no es uno de los centros de su cuenta", p.described_es()),
            Error::NotEverywhere(p) => format!(
                "su cuenta no permite {}: eso recibe o envía los expedientes de todos los centros, y su cuenta cubre solo algunos",
                p.described_es()
            ),
            Error::Refused(said) | Error::KeyFile(said) => said.es.clone(),
            Error::Quarantined { problem, moved_to, backups } => format!(
                "la base de datos no superó su comprobación de integridad ({problem}) y se apartó a {moved_to}; no se eliminó nada: restaure la copia de seguridad más reciente con `bridger restore BACKUP --recovery-key-file FILE --account NAME` (las copias están en {backups})"
            ),
            Error::Bundle(said) => format!("{}: no se importó nada", said.es),
            Error::Tampered(said) => format!("el registro de auditoría fue manipulado: {}", said.es),
        }
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
    /// The same, in Spanish, for a person who reads the screens in Spanish.
    pub message_es: String,
    pub fields: Vec<FieldError>,
}

impl From<&Error> for ErrorReport {
    fn from(e: &Error) -> Self {
        Self { code: e.code(), message: e.to_string(), message_es: e.spanish(), fields: e.fields().to_vec() }
    }
}

impl From<Error> for ErrorReport {
    fn from(e: Error) -> Self {
        Self::from(&e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_error_is_said_in_spanish_too() {
        let io = || std::io::Error::other("disk full");
        let errors = [
            Error::field("dob", said!("date of birth cannot be in the future", "la fecha de nacimiento no puede estar en el futuro")),
            Error::NotFound { what: "participant", id: "p1".into() },
            Error::NotInitialized,
            Error::SchemaTooNew { found: 12, supported: 9 },
            Error::Busy,
            Error::Io { context: said!("cannot read {}", "no se puede leer {}", "x.db"), source: io() },
            Error::NotSignedIn,
            Error::Locked { idle_minutes: Some(10) },
            Error::Locked { idle_minutes: None },
            Error::PasswordChangeRequired,
            Error::WrongPassword,
            Error::LockedOut { seconds: 90, locked: true },
            Error::LockedOut { seconds: 30, locked: false },
            Error::Forbidden(Permission::ExportData),
            Error::OutOfScope(Permission::EditParticipants),
            Error::NotEverywhere(Permission::ExportData),
            Error::Refused(said!("you cannot deactivate your own account", "no puede desactivar su propia cuenta")),
            Error::KeyFile(said!("the key file is damaged", "el archivo de clave está dañado")),
            Error::Quarantined { problem: "page 3".into(), moved_to: "a".into(), backups: "b".into() },
            Error::Bundle(said!("this file is not a Bridger bundle", "este archivo no es un paquete de Bridger")),
            Error::Tampered(said!("entry 4 is gone", "la entrada 4 ha desaparecido")),
        ];
        for e in &errors {
            let report = ErrorReport::from(e);
            assert!(!report.message_es.is_empty() && report.message_es != report.message, "{e:?} is not said in Spanish");
        }
        let fields = ErrorReport::from(&errors[0]).fields;
        assert_eq!(fields[0].message_es, "la fecha de nacimiento no puede estar en el futuro");
        assert_eq!(fields[0].message, "date of birth cannot be in the future");
    }

    #[test]
    fn said_formats_both_languages_from_the_same_values() {
        let n = 3;
        let s = said!("{n} days and {}", "{n} días y {}", "more");
        assert_eq!(s, Said { en: "3 days and more".into(), es: "3 días y more".into() });
    }
}
