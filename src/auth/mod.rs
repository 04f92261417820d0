//! Who may do what, and the keys that open a site's database: roles and permissions, the key
//! file, passwords and failed sign-ins. Nothing here opens a database; [`crate::site`] does,
//! with these.

mod attempts;
mod keyfile;
mod password;
mod preferences;
mod roles;

pub use attempts::{Attempts, PendingFailure};
pub use keyfile::{DbKey, KdfParams, KeyFile, RecoveryKey, Rotation};
pub use password::Password;
pub use preferences::{DateOrder, Preferences, ScreenLanguage, TextSize};
pub use crate::permission::Permission;
pub use roles::{Need, NoteAccess, Role, Scope, Session};
