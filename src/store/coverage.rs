//! Who a report covers: the participants in the person's scope, where each is held now, and the
//! facilities counted (the one chosen, or all in scope). What happened at a place (a program
//! episode, a group) counts at that place; what belongs to the person (a contact, a check-in, a
//! release) counts where the person is held. The program report and the follow-ups list both
//! count from it, and neither ever names someone outside the account's scope.

use super::scope::within;
use crate::auth::Session;
use crate::error::Result;
use crate::model::FacilityId;
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};

/// The participants and facilities a report counts.
pub(crate) struct Covered {
    /// Everyone in the account's scope, with the facility holding them now.
    held: HashMap<String, String>,
    facilities: HashSet<String>,
}

impl Covered {
    /// Whether the person counts: in scope and held now at a counted facility.
    pub(crate) fn person(&self, id: &str) -> bool {
        self.held.get(id).is_some_and(|f| self.facilities.contains(f))
    }

    /// Whether what the person did at `facility` counts: the person is in scope and the place is
    /// counted, wherever the person is held now.
    pub(crate) fn at(&self, id: &str, facility: &str) -> bool {
        self.held.contains_key(id) && self.facilities.contains(facility)
    }

    /// Whether what the person did at `facility` counts, with none meaning where the person is
    /// held (a record kept before its place was).
    pub(crate) fn at_or_held(&self, id: &str, facility: Option<&str>) -> bool {
        match facility {
            Some(f) => self.at(id, f),
            None => self.person(id),
        }
    }

    /// Whether the person is in the account's scope at all.
    pub(crate) fn in_scope(&self, id: &str) -> bool {
        self.held.contains_key(id)
    }

    /// Whether the facility is counted.
    pub(crate) fn facility(&self, id: &str) -> bool {
        self.facilities.contains(id)
    }
}

pub(crate) fn covered(conn: &Connection, who: &Session, facility: Option<FacilityId>) -> Result<Covered> {
    let (clause, arg) = within(who.scope(), "facility_id", 1);
    let wanted = facility.map(|f| f.to_string());
    let ids = |sql: String| -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(arg.iter()), |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default())))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let facilities = ids(format!("SELECT id, id FROM facilities WHERE deleted = 0 AND {}", clause.replace("facility_id", "id")))?;
    // Named, since SQLite would otherwise walk the roster's index and read each row for its facility.
    let held = ids(format!("SELECT id, facility_id FROM participants INDEXED BY participants_scope WHERE deleted = 0 AND {clause}"))?;
    Ok(Covered {
        held: held.into_iter().collect(),
        facilities: facilities.into_iter().map(|(id, _)| id).filter(|id| wanted.as_deref().is_none_or(|w| w == id)).collect(),
    })
}
