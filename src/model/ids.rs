//! Record ids are UUIDv7, born where the record is born, wrapped per kind of record so that the
//! id of one kind of thing can never be passed where another's is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! record_id {
    ($name:ident, $what:literal) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            pub fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                crate::model::parse::record_id($what, s).map(Self)
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.0.to_string()))
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                Uuid::parse_str(text)
                    .map(Self)
                    .map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

record_id!(SiteId, "site");
record_id!(FacilityId, "facility");
record_id!(LocationId, "housing unit or room");
record_id!(ParticipantId, "participant");
record_id!(StaffId, "staff member");
record_id!(GroupId, "group");
record_id!(MeetingId, "group meeting");

impl MeetingId {
    /// The id of a weekly group's meeting on `occurrence`: the same on every workstation, so
    /// two people who take the same roll call write the same record and sync merges them.
    pub fn scheduled(group: GroupId, occurrence: chrono::NaiveDate) -> MeetingId {
        MeetingId(derived_id(&["session", &group.to_string(), &occurrence.to_string()]))
    }

    /// The id of one participant's mark at one meeting, derived the same way.
    pub fn attendance(self, participant: ParticipantId) -> Uuid {
        derived_id(&["attendance", &self.to_string(), &participant.to_string()])
    }
}

/// A version-8 UUID from a SHA-256 of the parts: stable for the same parts everywhere, for
/// records that two workstations may both create and must merge as one.
pub(crate) fn derived_id(parts: &[&str]) -> Uuid {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let digest: [u8; 32] = h.finalize().into();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}
