//! Program readiness assessments: started, answered item by item, listed, compared and printed,
//! by whoever assesses the program of the facility.

use super::columns::date_col;
use super::identity;
use super::schema::Table;
use super::write::{text, RecordChange};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{
    derived_id, readiness_item, FacilityId, ItemAnswer, ReadinessAnswer, ReadinessAnswerInput, ReadinessAssessment, ReadinessAssessmentInput, ReadinessCounts,
    ReadinessListing,
};
use crate::reports::{readiness_summary, Language};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

fn answers(conn: &Connection, assessment: &str) -> Result<Vec<ItemAnswer>> {
    let mut stmt = conn.prepare_cached("SELECT item, answer, note, action, owner, due_date FROM readiness_answers WHERE assessment_id = ?1 AND deleted = 0 ORDER BY item")?;
    let rows = stmt.query_map([assessment], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (item, answer, note, action, owner, due_date) = row?;
        let Some(answer) = ReadinessAnswer::parse(&answer) else { continue };
        out.push(ItemAnswer { item, answer, note, action, owner, due_date: date_col(due_date) });
    }
    Ok(out)
}

/// The assessments of `facility` (all when `None`), newest first.
fn listings(conn: &Connection, facility: Option<FacilityId>, only: Option<&str>) -> Result<Vec<(ReadinessListing, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.facility_id, a.date, a.title, coalesce(f.name, '') FROM readiness_assessments a LEFT JOIN facilities f ON f.id = a.facility_id
         WHERE a.deleted = 0 AND (?1 IS NULL OR a.facility_id = ?1) AND (?2 IS NULL OR a.id = ?2) ORDER BY a.date DESC, a.id",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![facility, only], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<FacilityId>>(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (id, facility_id, date, title, facility_name) in rows {
        // An assessment still arriving in parts is listed once it has its facility and its day.
        let (Some(facility_id), Some(date)) = (facility_id, date_col(date)) else { continue };
        let counts = ReadinessCounts::of(&answers(conn, &id)?);
        out.push((ReadinessListing { id, facility_id, date, title, counts }, facility_name));
    }
    Ok(out)
}

fn parse_assessment(id: &str) -> Result<Uuid> {
    Uuid::parse_str(id.trim()).map_err(|_| Error::NotFound { what: "readiness assessment", id: id.to_string() })
}

/// The assessment `id`, unchecked: its callers check who may read it.
fn assessment(conn: &Connection, id: Uuid) -> Result<ReadinessAssessment> {
    let id = id.to_string();
    let (listing, facility_name) =
        listings(conn, None, Some(&id))?.pop().ok_or_else(|| Error::NotFound { what: "readiness assessment", id: id.clone() })?;
    Ok(ReadinessAssessment { answers: answers(conn, &id)?, listing, facility_name })
}

impl Store {
    /// A facility's readiness assessments, newest first.
    pub fn readiness_assessments(&self, facility: FacilityId) -> Result<Vec<ReadinessListing>> {
        self.allowed(Need::In(Permission::AssessProgram, facility))?;
        Ok(listings(&self.conn, Some(facility), None)?.into_iter().map(|(l, _)| l).collect())
    }

    /// One assessment with its answers, for whoever assesses its facility's program.
    pub fn readiness_assessment(&self, id: &str) -> Result<ReadinessAssessment> {
        self.allowed(Need::Role(Permission::AssessProgram))?;
        let found = assessment(&self.conn, parse_assessment(id)?)?;
        self.allowed(Need::In(Permission::AssessProgram, found.listing.facility_id))?;
        Ok(found)
    }

    /// Starts a dated assessment of a facility's program, with nothing answered yet.
    pub fn start_readiness_assessment(&mut self, ctx: &WriteCtx, input: &ReadinessAssessmentInput) -> Result<ReadinessAssessment> {
        let v = input.validate(ctx.today)?;
        let id = ctx.new_uuid();
        self.change(ctx, Need::In(Permission::AssessProgram, v.facility_id), |w| {
            let known: Option<i64> = w.tx().prepare_cached("SELECT 1 FROM facilities WHERE id = ?1 AND deleted = 0")?.query_row([v.facility_id], |r| r.get(0)).optional()?;
            if known.is_none() {
                return Err(Error::field("facility_id", said!("that facility is not one of this site's", "ese centro no es de este sitio")));
            }
            w.write(&RecordChange {
                table: Table::ReadinessAssessments,
                id,
                action: Action::Create,
                fields: vec![
                    ("facility_id", Value::Text(v.facility_id.to_string())),
                    ("date", Value::Text(v.date.to_string())),
                    ("title", text(v.title.clone())),
                    ("entered_by", Value::Text(w.who().username().to_string())),
                ],
            })
        })?;
        assessment(&self.conn, id)
    }

    /// Saves the answer to one item of an assessment: a new answer, or only what changed of one
    /// given before.
    pub fn save_readiness_answer(&mut self, ctx: &WriteCtx, assessment_id: &str, item: &str, input: &ReadinessAnswerInput) -> Result<ReadinessAssessment> {
        let assessment_uuid = parse_assessment(assessment_id)?;
        let item = readiness_item(item.trim()).ok_or_else(|| Error::field("item", said!("that item is not on the readiness checklists", "ese punto no está en las listas de preparación")))?;
        let v = input.validate()?;
        self.change(ctx, Need::Role(Permission::AssessProgram), |w| {
            // Read in the change itself, so an assessment removed meanwhile takes no answer.
            w.require(Permission::AssessProgram, assessment(w.tx(), assessment_uuid)?.listing.facility_id)?;
            let id = derived_id(&[Table::ReadinessAnswers.name(), &assessment_uuid.to_string(), &item.id]);
            let stored: Option<bool> = w.tx().prepare_cached("SELECT deleted FROM readiness_answers WHERE id = ?1")?.query_row([id.to_string()], |r| r.get(0)).optional()?;
            let mut fields = vec![
                ("answer", Value::Text(v.answer.as_str().into())),
                ("note", text(v.note.clone())),
                ("action", text(v.action.clone())),
                ("owner", text(v.owner.clone())),
                ("due_date", text(v.due_date.map(|d| d.to_string()))),
                ("deleted", Value::Integer(0)),
            ];
            if stored.is_none() {
                fields.extend([("assessment_id", Value::Text(assessment_uuid.to_string())), ("item", Value::Text(item.id.clone()))]);
            }
            w.save(Table::ReadinessAnswers, id, stored.is_none(), fields)
        })?;
        assessment(&self.conn, assessment_uuid)
    }

    /// The name offered when a summary is saved: `readiness-riverside-county-jail-2026-12-03.pdf`.
    pub fn readiness_summary_file_name(&self, assessment_id: &str) -> Result<String> {
        let a = self.readiness_assessment(assessment_id)?;
        Ok(format!("readiness-{}-{}.pdf", crate::text::file_word(&a.facility_name), a.listing.date))
    }

    /// Writes the printable summary of an assessment, beside an earlier one when `earlier` is
    /// given, as a PDF at `path`, whole or not at all, and records the print.
    pub fn save_readiness_summary(&mut self, ctx: &WriteCtx, assessment_id: &str, earlier: Option<&str>, language: Language, path: &std::path::Path) -> Result<()> {
        let now = self.readiness_assessment(assessment_id)?;
        let before = earlier.map(|e| self.readiness_assessment(e)).transpose()?;
        if before.as_ref().is_some_and(|b| b.listing.facility_id != now.listing.facility_id) {
            return Err(Error::field("earlier", said!("compare assessments of the same facility", "compare evaluaciones del mismo centro")));
        }
        self.change(ctx, Need::In(Permission::Print, now.listing.facility_id), |w| {
            let site = identity::site_row(w.tx())?.map(|s| s.name).unwrap_or_default();
            // Recorded first, so a file that cannot be written undoes the record of it.
            w.audit(Action::Print, Some(Table::ReadinessAssessments.name()), Some(&now.listing.id), &format!("readiness summary ({})", language.code()))?;
            w.write_output(path, &crate::reports::render(&readiness_summary(&now, before.as_ref(), &site, ctx.today, language)))
        })
    }
}
