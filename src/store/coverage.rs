//! Who a report covers: the participants in the person's scope (and the one facility, if
//! chosen), and those facilities. The program report and the follow-ups list both count them.

use super::scope::within;
use crate::auth::Session;
use crate::error::Result;
use crate::model::FacilityId;
use rusqlite::Connection;
use std::collections::HashSet;

/// The participants and facilities a report counts.
pub(crate) struct Covered {
    pub(crate) participants: HashSet<String>,
    pub(crate) facilities: HashSet<String>,
}

pub(crate) fn covered(conn: &Connection, who: &Session, facility: Option<FacilityId>) -> Result<Covered> {
    let (clause, arg) = within(who.scope(), "facility_id", 1);
    let wanted = facility.map(|f| f.to_string());
    let keep = |id: &str| wanted.as_deref().is_none_or(|w| w == id);
    let ids = |sql: String| -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(arg.iter()), |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default())))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let facilities = ids(format!("SELECT id, id FROM facilities WHERE deleted = 0 AND {}", clause.replace("facility_id", "id")))?;
    let participants = ids(format!("SELECT id, facility_id FROM participants WHERE deleted = 0 AND {clause}"))?;
    Ok(Covered {
        participants: participants.into_iter().filter(|(_, f)| keep(f)).map(|(id, _)| id).collect(),
        facilities: facilities.into_iter().filter(|(id, _)| keep(id)).map(|(id, _)| id).collect(),
    })
}

