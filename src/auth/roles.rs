//! Who may do what: the role matrix. Every store method states what it [`Need`]s and the store
//! checks it against the [`Session`] before it reads or writes, so the app, the CLI and the tests
//! all meet the same refusal.

use super::Preferences;
use crate::error::{Error, Result};
use crate::model::FacilityId;
use crate::permission::Permission;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    PeerSpecialist,
    ReentryStaff,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Coordinator, Role::PeerSpecialist, Role::ReentryStaff, Role::Auditor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::PeerSpecialist => "peer_specialist",
            Role::ReentryStaff => "reentry_staff",
            Role::Auditor => "auditor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Coordinator => "Coordinator",
            Role::PeerSpecialist => "Peer specialist",
            Role::ReentryStaff => "Reentry staff",
            Role::Auditor => "Auditor",
        }
    }

    /// What the role is for, in a few words, beside its name on the account form.
    pub fn summary(self) -> &'static str {
        match self {
            Role::Admin => "accounts, facilities, settings, backups, the audit trail",
            Role::Coordinator => "all program records and peer staff in their facilities",
            Role::PeerSpecialist => "participants, groups, contacts and check-ins in their facility; no exports",
            Role::ReentryStaff => "participants and reentry work; hand-offs",
            Role::Auditor => "reads records and the audit trail; changes nothing",
        }
    }

    /// What the role grants. Program data is further limited to the account's facilities.
    pub fn grants(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Admin => &[ManageAccounts, ManageSite, ManageTrustedPeers, Backup, ViewAudit, ExportAudit],
            Role::Coordinator => &[
                ViewParticipants,
                EnrollParticipants,
                EditParticipants,
                DeleteParticipants,
                RunGroups,
                ReentryWork,
                PeerWork,
                HandOff,
                ExportData,
                Print,
                KeepStaffRecords,
                AssessProgram,
                ReportPeople,
                ImportRosters,
                TransferParticipants,
                MergeParticipants,
            ],
            Role::PeerSpecialist => &[ViewParticipants, EnrollParticipants, EditParticipants, RunGroups, PeerWork, Print, ReportPeople],
            Role::ReentryStaff => &[ViewParticipants, EnrollParticipants, EditParticipants, ReentryWork, HandOff, Print, ReportPeople, ImportRosters, TransferParticipants],
            Role::Auditor => &[ViewParticipants, ViewAudit, ExportAudit],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let wanted = s.trim().to_lowercase().replace(['-', ' '], "_");
        Role::ALL.into_iter().find(|r| r.as_str() == wanted || (wanted == "reentry" && *r == Role::ReentryStaff)).ok_or_else(|| {
            Error::field("roles", said!("\"{s}\" is not a role: use admin, coordinator, peer_specialist, reentry_staff or auditor", "«{s}» no es un rol: use admin, coordinator, peer_specialist, reentry_staff o auditor"))
        })
    }
}

/// What a person may read of a contact's note ([`Session::note_access`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteAccess {
    Read,
    /// Sensitive: opened one at a time, each opening audited.
    OnRequest,
    Withheld,
}

/// Which facilities' program data an account reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", content = "facilities", rename_all = "snake_case")]
pub enum Scope {
    All,
    Facilities(Vec<FacilityId>),
}

impl Scope {
    pub fn covers(&self, facility: FacilityId) -> bool {
        match self {
            Scope::All => true,
            Scope::Facilities(ids) => ids.contains(&facility),
        }
    }

    /// As the accounts table and the audit trail write it: `*`, or a JSON list of ids.
    pub(crate) fn to_text(&self) -> String {
        match self {
            Scope::All => "*".into(),
            Scope::Facilities(ids) => serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()),
        }
    }

    pub(crate) fn from_text(text: &str) -> Scope {
        if text == "*" {
            Scope::All
        } else {
            Scope::Facilities(serde_json::from_str(text).unwrap_or_default())
        }
    }
}

/// What an action needs of the person doing it. Every read and every change in the store names
/// one, and the store checks it before it touches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone signed in, acting on their own session: signing out, their own password.
    SignedIn,
    /// A permission the role must grant; for program data, each record's facility is then
    /// checked as it is read ([`Session::require`]) or the query is limited to the scope.
    Role(Permission),
    /// A permission in one facility.
    In(Permission, FacilityId),
    /// A permission over every facility: the action reads or sends the whole site's records.
    Everywhere(Permission),
}

impl Need {
    /// A permission in `facility` when one is chosen, else as the role grants it (a list or a
    /// report then limited to the scope).
    pub fn at(permission: Permission, facility: Option<FacilityId>) -> Need {
        facility.map_or(Need::Role(permission), |f| Need::In(permission, f))
    }
}

/// The person signed in: built only by the store, from the account as it stands when they
/// unlock, so a shell can never claim a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Session {
    pub(crate) user_id: String,
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) roles: Vec<Role>,
    pub(crate) scope: Scope,
    pub(crate) workstation: String,
    pub(crate) must_change_password: bool,
    /// Everything the roles grant, for the UI to hide what it cannot do.
    pub(crate) permissions: Vec<Permission>,
    /// The screens' language and how dates are typed, as the person chose.
    pub(crate) preferences: Preferences,
}

impl Session {
    pub(crate) fn new(
        user_id: String,
        username: String,
        display_name: String,
        roles: Vec<Role>,
        scope: Scope,
        workstation: String,
        preferences: Preferences,
    ) -> Self {
        let mut permissions: Vec<Permission> = roles.iter().flat_map(|r| r.grants().iter().copied()).collect();
        permissions.sort();
        permissions.dedup();
        Self { user_id, username, display_name, roles, scope, workstation, must_change_password: false, permissions, preferences }
    }

    pub fn username(&self) -> &str {
        &self.username
    }
    /// The name records show for what this person did.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }
    pub fn preferences(&self) -> Preferences {
        self.preferences
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// How much of a contact's note this person reads. Coordinators read every note in their
    /// facilities and a writer reads their own; peer specialists and reentry staff read the notes
    /// not marked sensitive; an auditor learns that a note exists, never its words. A sensitive
    /// note is only ever opened on request, and each opening is audited.
    pub fn note_access(&self, sensitive: bool, wrote_it: bool) -> NoteAccess {
        let reads_all = wrote_it || self.roles.contains(&Role::Coordinator);
        let reads_plain = reads_all || self.roles.iter().any(|r| matches!(r, Role::PeerSpecialist | Role::ReentryStaff));
        match (sensitive, reads_all, reads_plain) {
            (true, true, _) => NoteAccess::OnRequest,
            (false, _, true) => NoteAccess::Read,
            _ => NoteAccess::Withheld,
        }
    }

    /// Refuses unless the roles grant `permission` and, for program data, the account's
    /// facilities include `facility` (when one is given).
    pub fn require(&self, permission: Permission, facility: Option<FacilityId>) -> Result<()> {
        if self.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        if !self.may(permission) {
            return Err(Error::Forbidden(permission));
        }
        match facility {
            Some(f) if permission.is_program_data() && !self.scope.covers(f) => Err(Error::OutOfScope(permission)),
            _ => Ok(()),
        }
    }

    /// Refuses unless the session meets `need`.
    pub fn check(&self, need: Need) -> Result<()> {
        match need {
            Need::SignedIn => Ok(()),
            Need::Role(p) => self.require(p, None),
            Need::In(p, facility) => self.require(p, Some(facility)),
            Need::Everywhere(p) => {
                self.require(p, None)?;
                if p.is_program_data() && self.scope != Scope::All {
                    return Err(Error::NotEverywhere(p));
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(roles: &[Role]) -> Session {
        Session::new("u".into(), "pat".into(), "Pat".into(), roles.to_vec(), Scope::All, "ws".into(), Preferences::default())
    }

    #[test]
    fn each_role_reads_as_much_of_a_note_as_it_needs() {
        use NoteAccess::*;
        // (roles, plain note by someone else, sensitive by someone else, sensitive of their own)
        let cases: [(&[Role], NoteAccess, NoteAccess, NoteAccess); 6] = [
            (&[Role::Coordinator], Read, OnRequest, OnRequest),
            (&[Role::PeerSpecialist], Read, Withheld, OnRequest),
            (&[Role::ReentryStaff], Read, Withheld, OnRequest),
            (&[Role::Auditor], Withheld, Withheld, OnRequest),
            (&[Role::Admin], Withheld, Withheld, OnRequest),
            (&[Role::Auditor, Role::Coordinator], Read, OnRequest, OnRequest),
        ];
        for (roles, plain, sensitive, own) in cases {
            let s = session(roles);
            assert_eq!((s.note_access(false, false), s.note_access(true, false), s.note_access(true, true)), (plain, sensitive, own), "{roles:?}");
        }
    }
}
