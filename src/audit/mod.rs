//! The audit trail's vocabulary and its hash chain. Rows are appended by the store in the same
//! transaction as the change they describe; a look at a record, a sign-in, an export or a print
//! is appended on its own.

pub mod chain;

use serde::{Deserialize, Serialize};

/// What an audit row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    InitSite,
    Create,
    Update,
    Delete,
    View,
    SignIn,
    SignInRefused,
    SignOut,
    Lock,
    Unlock,
    PasswordChange,
    PasswordReset,
    RecoveryKeyUsed,
    Export,
    Import,
    Print,
    Backup,
    Restore,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::InitSite => "init_site",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::View => "view",
            Action::SignIn => "sign_in",
            Action::SignInRefused => "sign_in_refused",
            Action::SignOut => "sign_out",
            Action::Lock => "lock",
            Action::Unlock => "unlock",
            Action::PasswordChange => "password_change",
            Action::PasswordReset => "password_reset",
            Action::RecoveryKeyUsed => "recovery_key_used",
            Action::Export => "export",
            Action::Import => "import",
            Action::Print => "print",
            Action::Backup => "backup",
            Action::Restore => "restore",
        }
    }
}

/// The name this workstation goes by on its network or label, for "from which workstation".
pub fn workstation_name() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}
