//! The audit trail's vocabulary. Rows are appended by the store's write path in the same
//! transaction as the change they describe.

/// What an audit row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    InitSite,
    Create,
    Update,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::InitSite => "init_site",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// How the audit trail names the person at this workstation until accounts exist: the surface
/// they used and their operating-system login.
pub fn os_actor(surface: &str) -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into());
    format!("{surface}:{user}")
}
