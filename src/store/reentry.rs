//! Reentry plans: the program's template, each participant's plan items, appointments and
//! referrals, the community resource directory, consents, disclosures, and the release
//! pipeline that counts down to each release.

use super::handoff::{load_disclosures, Disclosure};
use super::participants::load as load_participant;
use super::write::{text, Table, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::Permission;
use crate::error::{Error, Result};
use crate::reports::{release_packet, Document, Language};
use crate::model::{
    derived_id, AppointmentInput, Area, ConsentInput, ConsentTerms, ItemStatus, Participant, ParticipantId, PlanDetails, PlanDetailsInput,
    PlanItemInput, ReferralInput, ReferralStatus, ResourceInput,
    FacilityId, ResourceKind, SiteId, Status, ValidAppointment, ValidPlanItem, Window, DEFAULT_TEMPLATE, HIGH_RISK_DAYS,
};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TemplateItem {
    pub id: Uuid,
    pub area: Area,
    pub title: String,
    pub due_days: i64,
    pub sort: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    pub id: Uuid,
    pub template_id: Option<Uuid>,
    #[serde(flatten)]
    pub item: ValidPlanItem,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appointment {
    pub id: Uuid,
    pub resource_id: Option<Uuid>,
    #[serde(flatten)]
    pub details: ValidAppointment,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    pub id: Uuid,
    pub name: String,
    pub kind: ResourceKind,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub contact: Option<String>,
    pub offers: Option<String>,
    pub notes: Option<String>,
    /// The trusted site it receives hand-off bundles as, if it has one.
    pub site_id: Option<SiteId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Referral {
    pub id: Uuid,
    pub resource_id: Uuid,
    pub resource_name: String,
    pub area: Area,
    pub status: ReferralStatus,
    pub sent_on: NaiveDate,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consent {
    pub id: Uuid,
    pub resource_id: Uuid,
    pub resource_name: String,
    #[serde(flatten)]
    pub terms: ConsentTerms,
    pub purpose: String,
    /// In force today: signed, not expired, not revoked.
    pub active: bool,
}

/// How far a plan has come: items settled (done or not needed) of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub settled: u32,
    pub total: u32,
}

/// One participant's plan, as the plan screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub language: String,
    /// The projected release date, or the day the person was released.
    pub release: Option<NaiveDate>,
    pub released: bool,
    pub window: Option<Window>,
    pub progress: Progress,
    /// Items that should be settled by the end of the current window and are not.
    pub missing: Vec<String>,
    pub high_risk: bool,
    pub details: PlanDetails,
    pub items: Vec<PlanItem>,
    pub appointments: Vec<Appointment>,
    pub referrals: Vec<Referral>,
    pub consents: Vec<Consent>,
    /// The accounting of disclosures: what went to whom, and whether they confirmed it.
    pub disclosures: Vec<Disclosure>,
}

/// One row of the release pipeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineRow {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub facility_number: String,
    pub release: NaiveDate,
    pub released: bool,
    pub window: Window,
    pub started: bool,
    pub progress: Progress,
    pub missing: Vec<String>,
    pub high_risk: bool,
}

/// A plan item due soon or overdue, for the Today screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskDue {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub title: String,
    pub area: Area,
    pub owner: Option<String>,
    pub due: NaiveDate,
    pub overdue: bool,
}

/// An appointment in the coming week, for the Today screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppointmentDue {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    #[serde(flatten)]
    pub appointment: Appointment,
}

/// What reentry work needs today: releases in the next 30 days and anyone flagged, tasks due
/// within a week or overdue, and appointments in the next seven days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TodayView {
    pub releases: Vec<PipelineRow>,
    pub tasks: Vec<TaskDue>,
    pub appointments: Vec<AppointmentDue>,
}

/// A pipeline row with the plan items and appointments it was worked out from.
type PipelinePlan = (PipelineRow, Vec<PlanItem>, Vec<Appointment>);

/// How far ahead the Today screen looks for releases, and for tasks and appointments.
const RELEASES_AHEAD_DAYS: i64 = 30;
const WEEK_DAYS: i64 = 7;

/// The id a template item has on every workstation, so that the default template written at
/// two sites is one template after sync.
fn default_template_id(key: &str) -> Uuid {
    derived_id(&["plan-template", key])
}

/// The id of `participant`'s plan details, the same everywhere.
pub(crate) fn plan_id(participant: ParticipantId) -> Uuid {
    derived_id(&["reentry-plan", &participant.to_string()])
}

fn load_details(conn: &Connection, participant: ParticipantId) -> Result<PlanDetails> {
    let found = conn
        .query_row(
            "SELECT community_peer, community_peer_phone, community_peer_resource_id, supervision_conditions, first_report_date, first_report_place
             FROM reentry_plans WHERE id = ?1 AND deleted = 0",
            [plan_id(participant).to_string()],
            |r| {
                Ok(PlanDetails {
                    community_peer: r.get(0)?,
                    community_peer_phone: r.get(1)?,
                    community_peer_resource_id: r.get(2)?,
                    supervision_conditions: r.get(3)?,
                    first_report_date: date_col(r.get(4)?),
                    first_report_place: r.get(5)?,
                })
            },
        )
        .optional()?;
    Ok(found.unwrap_or_default())
}

/// The id of `participant`'s item made from template item `template`, the same everywhere.
fn plan_item_id(participant: ParticipantId, template: Uuid) -> Uuid {
    derived_id(&["plan-item", &participant.to_string(), &template.to_string()])
}

fn uuid_col(text: Option<String>) -> Option<Uuid> {
    text.and_then(|t| Uuid::parse_str(&t).ok())
}

fn date_col(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn area_col(text: &str) -> Area {
    Area::parse(text).unwrap_or(Area::RecoverySupports)
}

/// The template as stored, or the default one while the program has not changed it.
fn load_template(conn: &Connection) -> Result<Vec<TemplateItem>> {
    let stored: i64 = conn.query_row("SELECT count(*) FROM plan_template", [], |r| r.get(0))?;
    if stored == 0 {
        return Ok(DEFAULT_TEMPLATE
            .iter()
            .enumerate()
            .map(|(i, d)| TemplateItem { id: default_template_id(d.key), area: d.area, title: d.title.into(), due_days: d.due_days, sort: i as i64 })
            .collect());
    }
    let mut stmt = conn.prepare("SELECT id, area, title, due_days, sort FROM plan_template WHERE deleted = 0 ORDER BY sort, title")?;
    let rows = stmt.query_map([], |r| {
        Ok(TemplateItem {
            id: uuid_col(r.get(0)?).unwrap_or_default(),
            area: area_col(&r.get::<_, String>(1)?),
            title: r.get(2)?,
            due_days: r.get(3)?,
            sort: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes the default template as records, before the program's first change to it.
fn materialize_template(w: &mut Writer<'_>) -> Result<()> {
    let stored: i64 = w.tx().query_row("SELECT count(*) FROM plan_template", [], |r| r.get(0))?;
    if stored > 0 {
        return Ok(());
    }
    for item in load_template(w.tx())? {
        w.save(Table::PlanTemplate, item.id, true, template_fields(item.area, &item.title, item.due_days, item.sort))?;
    }
    Ok(())
}

fn template_fields(area: Area, title: &str, due_days: i64, sort: i64) -> Vec<(&'static str, Value)> {
    vec![
        ("area", Value::Text(area.as_str().into())),
        ("title", Value::Text(title.into())),
        ("due_days", Value::Integer(due_days)),
        ("sort", Value::Integer(sort)),
    ]
}

const ITEM_COLUMNS: &str = "i.id, i.template_id, i.area, i.title, i.due_days, i.status, i.owner, i.due_date, i.notes";

/// A plan item from [`ITEM_COLUMNS`] read from column `at` on.
fn item_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<PlanItem> {
    Ok(PlanItem {
        id: uuid_col(r.get(at)?).unwrap_or_default(),
        template_id: uuid_col(r.get(at + 1)?),
        item: ValidPlanItem {
            area: area_col(&r.get::<_, String>(at + 2)?),
            title: r.get(at + 3)?,
            due_days: r.get(at + 4)?,
            status: ItemStatus::parse(&r.get::<_, String>(at + 5)?).unwrap_or(ItemStatus::Open),
            owner: r.get(at + 6)?,
            due_date: date_col(r.get(at + 7)?),
            notes: r.get(at + 8)?,
        },
    })
}

fn load_items(conn: &Connection, participant: ParticipantId) -> Result<Vec<PlanItem>> {
    let mut stmt = conn.prepare(&format!("SELECT {ITEM_COLUMNS} FROM plan_items i WHERE i.participant_id = ?1 AND i.deleted = 0 ORDER BY i.sort, i.title"))?;
    let mut items: Vec<PlanItem> = stmt.query_map([participant], |r| item_row(r, 0))?.collect::<rusqlite::Result<_>>()?;
    items.sort_by_key(|i| i.item.area);
    Ok(items)
}

const APPOINTMENT_COLUMNS: &str =
    "a.id, a.area, a.resource_id, a.provider, a.address, a.phone, a.date, a.time, a.before_release_reason, a.confirmed, a.notes";

/// An appointment from [`APPOINTMENT_COLUMNS`] read from column `at` on.
fn appointment_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Appointment> {
    Ok(Appointment {
        id: uuid_col(r.get(at)?).unwrap_or_default(),
        resource_id: uuid_col(r.get(at + 2)?),
        details: ValidAppointment {
            area: area_col(&r.get::<_, String>(at + 1)?),
            provider: r.get(at + 3)?,
            address: r.get(at + 4)?,
            phone: r.get(at + 5)?,
            date: date_col(r.get(at + 6)?).unwrap_or_default(),
            time: r.get(at + 7)?,
            before_release_reason: r.get(at + 8)?,
            confirmed: r.get(at + 9)?,
            notes: r.get(at + 10)?,
        },
    })
}

fn load_appointments(conn: &Connection, participant: ParticipantId) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare(&format!("SELECT {APPOINTMENT_COLUMNS} FROM appointments a WHERE a.participant_id = ?1 AND a.deleted = 0 ORDER BY a.date, a.time"))?;
    let appointments = stmt.query_map([participant], |r| appointment_row(r, 0))?.collect::<rusqlite::Result<_>>()?;
    Ok(appointments)
}

fn load_referrals(conn: &Connection, participant: ParticipantId) -> Result<Vec<Referral>> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.resource_id, coalesce(r.name, '(removed from the directory)'), f.area, f.status, f.sent_on, f.notes
         FROM referrals f LEFT JOIN resources r ON r.id = f.resource_id
         WHERE f.participant_id = ?1 AND f.deleted = 0 ORDER BY f.sent_on",
    )?;
    let rows = stmt.query_map([participant], |r| {
        Ok(Referral {
            id: uuid_col(r.get(0)?).unwrap_or_default(),
            resource_id: uuid_col(r.get(1)?).unwrap_or_default(),
            resource_name: r.get(2)?,
            area: area_col(&r.get::<_, String>(3)?),
            status: ReferralStatus::parse(&r.get::<_, String>(4)?).unwrap_or(ReferralStatus::Sent),
            sent_on: date_col(r.get(5)?).unwrap_or_default(),
            notes: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn load_resource(conn: &Connection, id: Uuid) -> Result<Resource> {
    conn.query_row(
        "SELECT id, name, kind, address, phone, contact, offers, notes, site_id FROM resources WHERE id = ?1 AND deleted = 0",
        [id.to_string()],
        resource_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound { what: "community resource", id: id.to_string() })
}

fn resource_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Resource> {
    Ok(Resource {
        id: uuid_col(r.get(0)?).unwrap_or_default(),
        name: r.get(1)?,
        kind: ResourceKind::parse(&r.get::<_, String>(2)?).unwrap_or(ResourceKind::Other),
        address: r.get(3)?,
        phone: r.get(4)?,
        contact: r.get(5)?,
        offers: r.get(6)?,
        notes: r.get(7)?,
        site_id: r.get::<_, Option<String>>(8)?.and_then(|s| s.parse().ok()),
    })
}

const CONSENT_ROW: &str = "SELECT c.id, c.resource_id, coalesce(r.name, '(removed from the directory)'), c.information, c.purpose, c.signed_on, c.expires_on, c.revoked_on
     FROM consents c LEFT JOIN resources r ON r.id = c.resource_id";

fn consent_row(r: &rusqlite::Row<'_>, today: NaiveDate) -> rusqlite::Result<Consent> {
    let information: Vec<Area> = serde_json::from_str::<Vec<String>>(&r.get::<_, String>(3)?).unwrap_or_default().iter().filter_map(|a| Area::parse(a)).collect();
    let terms = ConsentTerms {
        information,
        signed_on: date_col(r.get(5)?).unwrap_or_default(),
        expires_on: date_col(r.get(6)?).unwrap_or_default(),
        revoked_on: date_col(r.get(7)?),
    };
    Ok(Consent { id: uuid_col(r.get(0)?).unwrap_or_default(), resource_id: uuid_col(r.get(1)?).unwrap_or_default(), resource_name: r.get(2)?, active: terms.active(today), terms, purpose: r.get(4)? })
}

pub(crate) fn load_consents(conn: &Connection, participant: ParticipantId, today: NaiveDate) -> Result<Vec<Consent>> {
    let mut stmt = conn.prepare(&format!("{CONSENT_ROW} WHERE c.participant_id = ?1 AND c.deleted = 0 ORDER BY c.signed_on DESC"))?;
    let rows = stmt.query_map([participant], |r| consent_row(r, today))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The day the countdown runs to: the release itself once it happened, else the projection.
fn release_of(p: &Participant) -> (Option<NaiveDate>, bool) {
    match p.status {
        Status::Released => (Some(p.status_date), true),
        _ => (p.release_date, false),
    }
}

/// Progress, what is missing now and the overdose-risk flag, from a plan's items and
/// appointments. A plan not started yet counts the template's items as missing.
fn assess(items: &[PlanItem], template: &[TemplateItem], appointments: &[Appointment], release: Option<NaiveDate>, released: bool, today: NaiveDate) -> (Progress, Vec<String>, bool) {
    let window = release.map(|r| Window::of(r, today));
    let due_from = window.map_or(i64::MAX, Window::due_from);
    let (progress, missing) = if items.is_empty() {
        let missing = template.iter().filter(|t| t.due_days >= due_from).map(|t| t.title.clone()).collect();
        (Progress { settled: 0, total: template.len() as u32 }, missing)
    } else {
        let settled = items.iter().filter(|i| i.item.status.settled()).count() as u32;
        let missing = items.iter().filter(|i| !i.item.status.settled() && i.item.due_days >= due_from).map(|i| i.item.title.clone()).collect();
        (Progress { settled, total: items.len() as u32 }, missing)
    };
    let high_risk = match release {
        Some(r) if released => {
            let days_out = (today - r).num_days();
            (0..=HIGH_RISK_DAYS).contains(&days_out) && !appointments.iter().any(|a| a.details.confirmed && a.details.date >= r)
        }
        _ => false,
    };
    (progress, missing, high_risk)
}

impl Store {
    fn reentry_participant(&self, conn: &Connection, id: ParticipantId) -> Result<Participant> {
        let p = load_participant(conn, id)?;
        self.allowed(Permission::ReentryWork, Some(p.facility_id))?;
        Ok(p)
    }

    /// The plan template: the program's, or the default until the program changes it.
    pub fn plan_template(&self) -> Result<Vec<TemplateItem>> {
        self.allowed(Permission::ReentryWork, None)?;
        load_template(&self.conn)
    }

    /// Adds a template item (`id` none) or changes one; new plans start from the template.
    pub fn save_template_item(&mut self, ctx: &WriteCtx, id: Option<Uuid>, input: &PlanItemInput) -> Result<Vec<TemplateItem>> {
        let v = input.validate()?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::ReentryWork, None)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        materialize_template(&mut w)?;
        let (id, new, sort) = match id {
            Some(id) => {
                let sort: i64 = w
                    .tx()
                    .query_row("SELECT sort FROM plan_template WHERE id = ?1 AND deleted = 0", [id.to_string()], |r| r.get(0))
                    .optional()?
                    .ok_or_else(|| Error::NotFound { what: "template item", id: id.to_string() })?;
                (id, false, sort)
            }
            None => (ctx.new_uuid(), true, w.tx().query_row("SELECT coalesce(max(sort), 0) + 1 FROM plan_template", [], |r| r.get(0))?),
        };
        w.save(Table::PlanTemplate, id, new, template_fields(v.area, &v.title, v.due_days, sort))?;
        w.commit()?;
        load_template(&self.conn)
    }

    /// Takes an item out of the template; plans already started keep theirs.
    pub fn remove_template_item(&mut self, ctx: &WriteCtx, id: Uuid) -> Result<Vec<TemplateItem>> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::ReentryWork, None)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        materialize_template(&mut w)?;
        let known: bool = w.tx().query_row("SELECT count(*) > 0 FROM plan_template WHERE id = ?1 AND deleted = 0", [id.to_string()], |r| r.get(0))?;
        if !known {
            return Err(Error::NotFound { what: "template item", id: id.to_string() });
        }
        w.save(Table::PlanTemplate, id, false, vec![("deleted", Value::Integer(1))])?;
        w.commit()?;
        load_template(&self.conn)
    }

    /// A participant's plan; opening it is recorded in the audit trail like opening the record.
    pub fn plan(&mut self, ctx: &WriteCtx, participant: ParticipantId) -> Result<Plan> {
        let p = self.reentry_participant(&self.conn, participant)?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        w.audit(Action::View, Some(Table::PlanItems.name()), Some(&participant.to_string()), "reentry plan")?;
        w.commit()?;
        let (release, released) = release_of(&p);
        let items = load_items(&self.conn, participant)?;
        let appointments = load_appointments(&self.conn, participant)?;
        let template = load_template(&self.conn)?;
        let (progress, missing, high_risk) = assess(&items, &template, &appointments, release, released, ctx.today);
        Ok(Plan {
            participant_id: participant,
            legal_name: p.legal_name,
            language: p.language,
            release,
            released,
            window: release.map(|r| Window::of(r, ctx.today)),
            progress,
            missing,
            high_risk,
            details: load_details(&self.conn, participant)?,
            items,
            appointments,
            referrals: load_referrals(&self.conn, participant)?,
            consents: load_consents(&self.conn, participant, ctx.today)?,
            disclosures: load_disclosures(&self.conn, participant)?,
        })
    }

    /// Starts the plan from the template. Items already there are kept as they are, so starting
    /// twice, or at two workstations, gives one plan.
    pub fn start_plan(&mut self, ctx: &WriteCtx, participant: ParticipantId) -> Result<Plan> {
        self.reentry_participant(&self.conn, participant)?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        for t in load_template(w.tx())? {
            let id = plan_item_id(participant, t.id);
            let exists: bool = w.tx().query_row("SELECT count(*) > 0 FROM plan_items WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
            if !exists {
                let mut fields = template_fields(t.area, &t.title, t.due_days, t.sort);
                fields.extend([
                    ("participant_id", Value::Text(participant.to_string())),
                    ("template_id", Value::Text(t.id.to_string())),
                    ("status", Value::Text(ItemStatus::Open.as_str().into())),
                ]);
                w.save(Table::PlanItems, id, true, fields)?;
            }
        }
        w.commit()?;
        self.plan(ctx, participant)
    }

    /// Saves the plan's community peer and supervision details.
    pub fn save_plan_details(&mut self, ctx: &WriteCtx, participant: ParticipantId, input: &PlanDetailsInput) -> Result<Plan> {
        let p = self.reentry_participant(&self.conn, participant)?;
        let v = input.validate(release_of(&p).0)?;
        if let Some(r) = &v.community_peer_resource_id {
            let id = Uuid::parse_str(r).map_err(|_| Error::field("community_peer_resource_id", "choose the organization from the directory"))?;
            load_resource(&self.conn, id).map_err(|_| Error::field("community_peer_resource_id", "that organization is not in the directory"))?;
        }
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let id = plan_id(participant);
        let new = !w.tx().query_row("SELECT count(*) > 0 FROM reentry_plans WHERE id = ?1", [id.to_string()], |r| r.get::<_, bool>(0))?;
        let mut fields = vec![
            ("community_peer", text(v.community_peer)),
            ("community_peer_phone", text(v.community_peer_phone)),
            ("community_peer_resource_id", text(v.community_peer_resource_id)),
            ("supervision_conditions", text(v.supervision_conditions)),
            ("first_report_date", text(v.first_report_date.map(|d| d.to_string()))),
            ("first_report_place", text(v.first_report_place)),
        ];
        if new {
            fields.push(("participant_id", Value::Text(participant.to_string())));
        }
        w.save(Table::ReentryPlans, id, new, fields)?;
        w.commit()?;
        self.plan(ctx, participant)
    }

    /// Adds an item to a plan (`id` none) or saves changes to one.
    pub fn save_plan_item(&mut self, ctx: &WriteCtx, participant: ParticipantId, id: Option<Uuid>, input: &PlanItemInput) -> Result<Plan> {
        let v = input.validate()?;
        self.reentry_participant(&self.conn, participant)?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let (id, new) = match id {
            Some(id) => {
                owned_by(w.tx(), "plan_items", id, participant, "plan item")?;
                (id, false)
            }
            None => (ctx.new_uuid(), true),
        };
        let mut fields = vec![
            ("area", Value::Text(v.area.as_str().into())),
            ("title", Value::Text(v.title)),
            ("due_days", Value::Integer(v.due_days)),
            ("status", Value::Text(v.status.as_str().into())),
            ("owner", text(v.owner)),
            ("due_date", text(v.due_date.map(|d| d.to_string()))),
            ("notes", text(v.notes)),
        ];
        if new {
            let sort: i64 = w.tx().query_row("SELECT coalesce(max(sort), 0) + 1 FROM plan_items WHERE participant_id = ?1", [participant], |r| r.get(0))?;
            fields.extend([("participant_id", Value::Text(participant.to_string())), ("sort", Value::Integer(sort))]);
        }
        w.save(Table::PlanItems, id, new, fields)?;
        w.commit()?;
        self.plan(ctx, participant)
    }

    /// Adds an appointment (`id` none) or saves changes to one. One before the release date is
    /// refused unless its reason is given.
    pub fn save_appointment(&mut self, ctx: &WriteCtx, participant: ParticipantId, id: Option<Uuid>, input: &AppointmentInput) -> Result<Plan> {
        let p = self.reentry_participant(&self.conn, participant)?;
        let v = input.validate(release_of(&p).0)?;
        let resource = uuid_col(Some(input.resource_id.clone()).filter(|s| !s.trim().is_empty()));
        if let Some(r) = resource {
            load_resource(&self.conn, r).map_err(|_| Error::field("resource_id", "that resource is not in the directory"))?;
        }
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let (id, new) = match id {
            Some(id) => {
                owned_by(w.tx(), "appointments", id, participant, "appointment")?;
                (id, false)
            }
            None => (ctx.new_uuid(), true),
        };
        let mut fields = vec![
            ("area", Value::Text(v.area.as_str().into())),
            ("resource_id", text(resource.map(|r| r.to_string()))),
            ("provider", Value::Text(v.provider)),
            ("address", text(v.address)),
            ("phone", text(v.phone)),
            ("date", Value::Text(v.date.to_string())),
            ("time", text(v.time)),
            ("before_release_reason", text(v.before_release_reason)),
            ("confirmed", Value::Integer(i64::from(v.confirmed))),
            ("notes", text(v.notes)),
        ];
        if new {
            fields.push(("participant_id", Value::Text(participant.to_string())));
        }
        w.save(Table::Appointments, id, new, fields)?;
        w.commit()?;
        self.plan(ctx, participant)
    }

    /// Refers the person to a resource from the directory (`id` none), or updates where the
    /// referral stands.
    pub fn save_referral(&mut self, ctx: &WriteCtx, participant: ParticipantId, id: Option<Uuid>, input: &ReferralInput) -> Result<Plan> {
        let (area, status, sent_on, notes) = input.validate(ctx.today)?;
        self.reentry_participant(&self.conn, participant)?;
        let resource = Uuid::parse_str(input.resource_id.trim()).map_err(|_| Error::field("resource_id", "choose the resource from the directory"))?;
        load_resource(&self.conn, resource).map_err(|_| Error::field("resource_id", "that resource is not in the directory"))?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let (id, new) = match id {
            Some(id) => {
                owned_by(w.tx(), "referrals", id, participant, "referral")?;
                (id, false)
            }
            None => (ctx.new_uuid(), true),
        };
        let mut fields = vec![
            ("resource_id", Value::Text(resource.to_string())),
            ("area", Value::Text(area.as_str().into())),
            ("status", Value::Text(status.as_str().into())),
            ("sent_on", Value::Text(sent_on.to_string())),
            ("notes", text(notes)),
        ];
        if new {
            fields.push(("participant_id", Value::Text(participant.to_string())));
        }
        w.save(Table::Referrals, id, new, fields)?;
        w.commit()?;
        self.plan(ctx, participant)
    }

    /// The community resource directory, filtered by a few letters of the name, kind or offer.
    pub fn resources(&self, query: &str) -> Result<Vec<Resource>> {
        self.allowed(Permission::ReentryWork, None)?;
        let like = format!("%{}%", query.trim().replace('%', ""));
        let mut stmt = self.conn.prepare(
            "SELECT id, name, kind, address, phone, contact, offers, notes, site_id FROM resources
             WHERE deleted = 0 AND (name LIKE ?1 OR coalesce(offers, '') LIKE ?1 OR kind LIKE ?1 OR coalesce(address, '') LIKE ?1)
             ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([like], resource_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a resource to the directory (`id` none) or saves changes to one.
    pub fn save_resource(&mut self, ctx: &WriteCtx, id: Option<Uuid>, input: &ResourceInput, site: Option<SiteId>) -> Result<Resource> {
        let (name, kind) = input.validate()?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::ReentryWork, None)?;
        if let Some(site) = site {
            let trusted: bool = self.conn.query_row("SELECT count(*) > 0 FROM peers WHERE site_id = ?1", [site], |r| r.get(0))?;
            if !trusted {
                return Err(Error::field("site_id", "that site is not trusted here: add its card on the Sync screen first"));
            }
        }
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let (id, new) = match id {
            Some(id) => {
                load_resource(w.tx(), id)?;
                (id, false)
            }
            None => (ctx.new_uuid(), true),
        };
        let optional = |s: &str| text(crate::model::optional_text(s));
        w.save(
            Table::Resources,
            id,
            new,
            vec![
                ("name", Value::Text(name)),
                ("kind", Value::Text(kind.as_str().into())),
                ("address", optional(&input.address)),
                ("phone", optional(&input.phone)),
                ("contact", optional(&input.contact)),
                ("offers", optional(&input.offers)),
                ("notes", optional(&input.notes)),
                ("site_id", text(site.map(|s| s.to_string()))),
            ],
        )?;
        w.commit()?;
        load_resource(&self.conn, id)
    }

    /// Records a consent the person signed.
    pub fn add_consent(&mut self, ctx: &WriteCtx, participant: ParticipantId, input: &ConsentInput) -> Result<Plan> {
        let v = input.validate(ctx.today)?;
        self.reentry_participant(&self.conn, participant)?;
        let resource = Uuid::parse_str(input.resource_id.trim()).map_err(|_| Error::field("resource_id", "choose who the information may go to"))?;
        load_resource(&self.conn, resource).map_err(|_| Error::field("resource_id", "that recipient is not in the directory"))?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let information: Vec<&str> = v.information.iter().map(|a| a.as_str()).collect();
        w.save(
            Table::Consents,
            ctx.new_uuid(),
            true,
            vec![
                ("participant_id", Value::Text(participant.to_string())),
                ("resource_id", Value::Text(resource.to_string())),
                ("information", Value::Text(serde_json::json!(information).to_string())),
                ("purpose", Value::Text(v.purpose)),
                ("signed_on", Value::Text(v.signed_on.to_string())),
                ("expires_on", Value::Text(v.expires_on.to_string())),
            ],
        )?;
        w.commit()?;
        self.plan(ctx, participant)
    }

    /// Records that the person revoked a consent on `on`; nothing more goes out under it.
    pub fn revoke_consent(&mut self, ctx: &WriteCtx, participant: ParticipantId, consent: Uuid, on: NaiveDate) -> Result<Plan> {
        self.reentry_participant(&self.conn, participant)?;
        if on > ctx.today {
            return Err(Error::field("revoked_on", "a revocation is recorded on or after the day it was made, not ahead of it"));
        }
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        owned_by(w.tx(), "consents", consent, participant, "consent")?;
        w.save(Table::Consents, consent, false, vec![("revoked_on", Value::Text(on.to_string()))])?;
        w.commit()?;
        self.plan(ctx, participant)
    }

    /// The release packet for the person leaving, in `language` or the one their record names.
    /// Printing it is recorded in the audit trail.
    pub fn release_packet(&mut self, ctx: &WriteCtx, participant: ParticipantId, language: Option<Language>) -> Result<Document> {
        self.allowed(Permission::Print, None)?;
        let plan = self.plan(ctx, participant)?;
        let language = language.unwrap_or_else(|| Language::for_person(&plan.language));
        let resources = self.resources("")?;
        let site = self.site()?.name;
        self.record_print(ctx, &format!("release packet for {} ({language:?})", plan.legal_name))?;
        Ok(release_packet(&plan, &resources, &site, ctx.today, language))
    }

    /// Writes the release packet as a PDF file at `path`, whole or not at all.
    pub fn save_release_packet(&mut self, ctx: &WriteCtx, participant: ParticipantId, language: Option<Language>, path: &std::path::Path) -> Result<()> {
        let document = self.release_packet(ctx, participant, language)?;
        crate::auth::write_atomically(path, &crate::reports::render(&document))
    }

    /// The Today screen: releases coming up, tasks due, appointments this week.
    pub fn today_view(&self, today: NaiveDate) -> Result<TodayView> {
        let plans = self.pipeline_plans(today)?;
        let week = today + chrono::Duration::days(WEEK_DAYS);
        let mut tasks = Vec::new();
        let mut appointments = Vec::new();
        for (r, items, visits) in &plans {
            for i in items.iter().filter(|i| !i.item.status.settled()) {
                let due = i.item.due_date.unwrap_or(r.release - chrono::Duration::days(i.item.due_days));
                if due <= week {
                    let task = TaskDue { participant_id: r.participant_id, legal_name: r.legal_name.clone(), title: i.item.title.clone(), area: i.item.area, owner: i.item.owner.clone(), due, overdue: due < today };
                    tasks.push(task);
                }
            }
            for a in visits.iter().filter(|a| a.details.date >= today && a.details.date < week) {
                appointments.push(AppointmentDue { participant_id: r.participant_id, legal_name: r.legal_name.clone(), appointment: a.clone() });
            }
        }
        tasks.sort_by(|a, b| (a.due, &a.legal_name).cmp(&(b.due, &b.legal_name)));
        appointments.sort_by(|a, b| (a.appointment.details.date, &a.appointment.details.time).cmp(&(b.appointment.details.date, &b.appointment.details.time)));
        let horizon = today + chrono::Duration::days(RELEASES_AHEAD_DAYS);
        let releases = plans.into_iter().map(|(r, _, _)| r).filter(|r| r.high_risk || (!r.released && r.release >= today && r.release <= horizon)).collect();
        Ok(TodayView { releases, tasks, appointments })
    }

    /// Everyone with a release date, in release order, from 90 days ahead to a month after
    /// release, with their plan's progress and what is missing for their window.
    pub fn release_pipeline(&self, today: NaiveDate) -> Result<Vec<PipelineRow>> {
        Ok(self.pipeline_plans(today)?.into_iter().map(|(row, _, _)| row).collect())
    }

    /// The pipeline's people with their plan items and appointments, read in three queries
    /// rather than three per person: a large prison has thousands in the window.
    fn pipeline_plans(&self, today: NaiveDate) -> Result<Vec<PipelinePlan>> {
        // Reentry work starts 90 days out, when Medicaid reentry coverage can begin; people
        // further out are not listed.
        const IN_PIPELINE: &str = "p.deleted = 0 AND ((p.status = 'active' AND p.release_date <= ?2) OR (p.status = 'released' AND p.status_date >= ?1))";
        let scope = &self.allowed(Permission::ReentryWork, None)?.scope;
        let template = load_template(&self.conn)?;
        let window = [(today - chrono::Duration::days(30)).to_string(), (today + chrono::Duration::days(90)).to_string()];
        let mut items: HashMap<ParticipantId, Vec<PlanItem>> = HashMap::new();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT i.participant_id, {ITEM_COLUMNS} FROM plan_items i JOIN participants p ON p.id = i.participant_id
             WHERE i.deleted = 0 AND {IN_PIPELINE} ORDER BY i.sort, i.title"
        ))?;
        let mut rows = stmt.query(params![window[0], window[1]])?;
        while let Some(r) = rows.next()? {
            items.entry(r.get(0)?).or_default().push(item_row(r, 1)?);
        }
        let mut appointments: HashMap<ParticipantId, Vec<Appointment>> = HashMap::new();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT a.participant_id, {APPOINTMENT_COLUMNS} FROM appointments a JOIN participants p ON p.id = a.participant_id
             WHERE a.deleted = 0 AND {IN_PIPELINE} ORDER BY a.date, a.time"
        ))?;
        let mut rows = stmt.query(params![window[0], window[1]])?;
        while let Some(r) = rows.next()? {
            appointments.entry(r.get(0)?).or_default().push(appointment_row(r, 1)?);
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT p.id, p.legal_name, p.facility_number, p.facility_id, p.status, p.release_date, p.status_date FROM participants p WHERE {IN_PIPELINE}"
        ))?;
        let mut rows = stmt.query(params![window[0], window[1]])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (id, facility): (ParticipantId, FacilityId) = (r.get(0)?, r.get(3)?);
            if !scope.covers(facility) {
                continue;
            }
            let released = r.get::<_, String>(4)? == Status::Released.as_str();
            let Some(release) = date_col(if released { r.get(6)? } else { r.get(5)? }) else { continue };
            let mut plan_items = items.remove(&id).unwrap_or_default();
            plan_items.sort_by_key(|i| i.item.area);
            let visits = appointments.remove(&id).unwrap_or_default();
            let (progress, missing, high_risk) = assess(&plan_items, &template, &visits, Some(release), released, today);
            let row = PipelineRow {
                participant_id: id,
                legal_name: r.get(1)?,
                facility_number: r.get(2)?,
                release,
                released,
                window: Window::of(release, today),
                started: !plan_items.is_empty(),
                progress,
                missing,
                high_risk,
            };
            out.push((row, plan_items, visits));
        }
        out.sort_by(|a, b| (a.0.release, &a.0.legal_name).cmp(&(b.0.release, &b.0.legal_name)));
        Ok(out)
    }
}

/// Refuses a record of `table` that is not `participant`'s (or does not exist).
fn owned_by(conn: &Connection, table: &str, id: Uuid, participant: ParticipantId, what: &'static str) -> Result<()> {
    let owner: Option<String> =
        conn.query_row(&format!("SELECT participant_id FROM {table} WHERE id = ?1 AND deleted = 0"), params![id.to_string()], |r| r.get(0)).optional()?.flatten();
    if owner.as_deref() != Some(participant.to_string().as_str()) {
        return Err(Error::NotFound { what, id: id.to_string() });
    }
    Ok(())
}
