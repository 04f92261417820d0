//! Which facility a record belongs to, and the SQL that limits a list to the session's
//! facilities. Every list, export, audit view and conflict list is limited with these.

use super::schema::Table;
use crate::auth::Scope;
use crate::error::Result;
use crate::model::FacilityId;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

/// The facility a record of `table` belongs to: its own column, or its group's, meeting's or
/// participant's. `None` for what belongs to the whole site (the plan template, the resource
/// directory) and for a record not (yet) here.
pub(crate) fn facility_of(conn: &Connection, table: Table, record: &str) -> Result<Option<FacilityId>> {
    let sql = match table {
        Table::Facilities => "SELECT id FROM facilities WHERE id = ?1".to_string(),
        Table::Locations | Table::Participants | Table::Staff | Table::Groups => format!("SELECT facility_id FROM {} WHERE id = ?1", table.name()),
        Table::GroupMembers => "SELECT g.facility_id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.id = ?1".into(),
        Table::Meetings => "SELECT g.facility_id FROM sessions s JOIN groups g ON g.id = s.group_id WHERE s.id = ?1".into(),
        Table::Attendance => {
            "SELECT g.facility_id FROM attendance a JOIN sessions s ON s.id = a.session_id JOIN groups g ON g.id = s.group_id WHERE a.id = ?1".into()
        }
        Table::ReentryPlans
        | Table::PlanItems
        | Table::Appointments
        | Table::Referrals
        | Table::Consents
        | Table::Disclosures
        | Table::Contacts
        | Table::CheckIns
        | Table::RecoveryGoals
        | Table::RecoverySteps
        | Table::RecoveryPlanChanges
        | Table::StatusChanges
        | Table::ProgramEpisodes => {
            format!("SELECT p.facility_id FROM {} r JOIN participants p ON p.id = r.participant_id WHERE r.id = ?1", table.name())
        }
        Table::ContactSupports | Table::ContactDimensions => format!(
            "SELECT p.facility_id FROM {} r JOIN contacts c ON c.id = r.contact_id JOIN participants p ON p.id = c.participant_id WHERE r.id = ?1",
            table.name()
        ),
        Table::EpisodePhases => {
            "SELECT p.facility_id FROM episode_phases r JOIN program_episodes e ON e.id = r.episode_id JOIN participants p ON p.id = e.participant_id WHERE r.id = ?1".into()
        }
        Table::CheckInAnswers => {
            "SELECT p.facility_id FROM checkin_answers a JOIN checkins c ON c.id = a.checkin_id JOIN participants p ON p.id = c.participant_id WHERE a.id = ?1".into()
        }
        Table::StaffFacilities => "SELECT facility_id FROM staff_facilities WHERE id = ?1".into(),
        Table::StaffRoles | Table::Credentials | Table::CeHours | Table::Evaluations => {
            format!("SELECT s.facility_id FROM {} r JOIN staff s ON s.id = r.staff_id WHERE r.id = ?1", table.name())
        }
        Table::Supervision => "SELECT s.facility_id FROM supervision v JOIN staff s ON s.id = v.supervisor_id WHERE v.id = ?1".into(),
        Table::SupervisionSupervisees | Table::SupervisionFunctions => format!(
            "SELECT s.facility_id FROM {} r JOIN supervision v ON v.id = r.supervision_id JOIN staff s ON s.id = v.supervisor_id WHERE r.id = ?1",
            table.name()
        ),
        // A transfer is the sending facility's until it is answered; the receiving one reads it
        // through its own list (store/transfers.rs).
        Table::Transfers => "SELECT from_facility_id FROM transfers WHERE id = ?1".into(),
        // A merge is the kept record's facility's (it needed both to be made).
        Table::ParticipantMerges => "SELECT p.facility_id FROM participant_merges m JOIN participants p ON p.id = m.kept_id WHERE m.id = ?1".into(),
        Table::MergeMoves => {
            "SELECT p.facility_id FROM merge_moves v JOIN participant_merges m ON m.id = v.merge_id JOIN participants p ON p.id = m.kept_id WHERE v.id = ?1".into()
        }
        Table::ReadinessAssessments | Table::RosterSources | Table::RosterImports => format!("SELECT facility_id FROM {} WHERE id = ?1", table.name()),
        Table::ReadinessAnswers => "SELECT a.facility_id FROM readiness_answers r JOIN readiness_assessments a ON a.id = r.assessment_id WHERE r.id = ?1".into(),
        Table::PlanTemplate | Table::Resources | Table::Instruments => return Ok(None),
    };
    Ok(conn.prepare_cached(&sql)?.query_row([record], |r| r.get::<_, Option<FacilityId>>(0)).optional()?.flatten())
}

/// A clause over `column` (a facility id) that holds only inside `scope`, and its one argument
/// (numbered `?{at}`); `1 = 1` for an account that covers every facility.
pub(crate) fn within(scope: &Scope, column: &str, at: usize) -> (String, Option<Value>) {
    match ids_json(scope) {
        None => ("1 = 1".into(), None),
        Some(ids) => (format!("{column} IN (SELECT value FROM json_each(?{at}))"), Some(Value::Text(ids))),
    }
}

/// The scope's facilities as a JSON list for `json_each`, or `None` for every facility.
pub(crate) fn ids_json(scope: &Scope) -> Option<String> {
    match scope {
        Scope::All => None,
        Scope::Facilities(ids) => Some(serde_json::to_string(&ids.iter().map(ToString::to_string).collect::<Vec<_>>()).unwrap_or_default()),
    }
}
