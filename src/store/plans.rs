//! A participant's reentry plan: started from the template, its items, its community peer and
//! supervision details, read whole for the plan screen, and printed as the release packet.

use super::appointments::load_appointments;
use super::columns::{area_col, date_col, uuid_col};
use super::consents::load_consents;
use super::disclosures::load_disclosures;
use super::participants::load_for;
use super::plan_template::{load_template, template_fields};
use super::referrals::load_referrals;
use super::resources::{all_resources, load_resource};
use super::schema::Table;
use super::write::text;
use super::{identity, Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{
    assess, derived_id, release_of, ItemStatus, ParticipantId, Plan, PlanDetails, PlanDetailsInput, PlanItem, PlanItemInput, ValidPlanItem, Window,
};
use crate::reports::{release_packet, Document, Language};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

/// The id of `participant`'s plan details, the same everywhere.
pub(crate) fn plan_id(participant: ParticipantId) -> Uuid {
    derived_id(&["reentry-plan", &participant.to_string()])
}

/// The id of `participant`'s item made from template item `template`, the same everywhere.
pub(crate) fn plan_item_id(participant: ParticipantId, template: Uuid) -> Uuid {
    derived_id(&["plan-item", &participant.to_string(), &template.to_string()])
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

pub(crate) const ITEM_COLUMNS: &str = "i.id, i.template_id, i.area, i.title, i.due_days, i.status, i.owner, i.due_date, i.notes";

/// A plan item from [`ITEM_COLUMNS`] read from column `at` on.
pub(crate) fn item_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<PlanItem> {
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

impl Store {
    /// A participant's plan; opening it is recorded in the audit trail like opening the record.
    pub fn plan(&mut self, ctx: &WriteCtx, participant: ParticipantId) -> Result<Plan> {
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            load_for(w.tx(), w.who(), participant, Permission::ReentryWork)?;
            w.audit(Action::View, Some(Table::Participants.name()), Some(&participant.to_string()), "reentry plan")
        })?;
        self.plan_as_it_stands(ctx, participant)
    }

    /// The plan as a change or a print just left it, for the person who made that: their change
    /// is in the audit trail already, so it is not recorded again as an opening.
    pub(super) fn plan_as_it_stands(&self, ctx: &WriteCtx, participant: ParticipantId) -> Result<Plan> {
        let p = load_for(&self.conn, self.allowed(Need::Role(Permission::ReentryWork))?, participant, Permission::ReentryWork)?;
        let (release, released) = release_of(&p);
        let items = load_items(&self.conn, participant)?;
        let appointments = load_appointments(&self.conn, participant)?;
        let template = load_template(&self.conn)?;
        let found = assess(&items, &template, &appointments, release, released, ctx.today);
        Ok(Plan {
            participant_id: participant,
            legal_name: p.legal_name,
            language: p.language,
            release,
            released,
            window: release.map(|r| Window::of(r, ctx.today)),
            progress: found.progress,
            missing: found.missing,
            high_risk: found.high_risk,
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
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            load_for(w.tx(), w.who(), participant, Permission::ReentryWork)?;
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
            Ok(())
        })?;
        self.plan_as_it_stands(ctx, participant)
    }

    /// Saves the plan's community peer and supervision details.
    pub fn save_plan_details(&mut self, ctx: &WriteCtx, participant: ParticipantId, input: &PlanDetailsInput) -> Result<Plan> {
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            let p = load_for(w.tx(), w.who(), participant, Permission::ReentryWork)?;
            let v = input.validate(release_of(&p).0)?;
            if let Some(r) = &v.community_peer_resource_id {
                let id = Uuid::parse_str(r).map_err(|_| Error::field("community_peer_resource_id", said!("choose the organization from the directory", "elija la organización del directorio")))?;
                load_resource(w.tx(), id).map_err(|_| Error::field("community_peer_resource_id", said!("that organization is not in the directory", "esa organización no está en el directorio")))?;
            }
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
            w.save(Table::ReentryPlans, id, new, fields)
        })?;
        self.plan_as_it_stands(ctx, participant)
    }

    /// Adds an item to a plan (`id` none) or saves changes to one.
    pub fn save_plan_item(&mut self, ctx: &WriteCtx, participant: ParticipantId, id: Option<Uuid>, input: &PlanItemInput) -> Result<Plan> {
        let v = input.validate()?;
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            load_for(w.tx(), w.who(), participant, Permission::ReentryWork)?;
            let (id, new) = w.own_or_new(Table::PlanItems, id, participant, "plan item")?;
            let mut fields = vec![
                ("area", Value::Text(v.area.as_str().into())),
                ("title", Value::Text(v.title.clone())),
                ("due_days", Value::Integer(v.due_days)),
                ("status", Value::Text(v.status.as_str().into())),
                ("owner", text(v.owner.clone())),
                ("due_date", text(v.due_date.map(|d| d.to_string()))),
                ("notes", text(v.notes.clone())),
            ];
            if new {
                let sort: i64 = w.tx().query_row("SELECT coalesce(max(sort), 0) + 1 FROM plan_items WHERE participant_id = ?1", [participant], |r| r.get(0))?;
                fields.extend([("participant_id", Value::Text(participant.to_string())), ("sort", Value::Integer(sort))]);
            }
            w.save(Table::PlanItems, id, new, fields)
        })?;
        self.plan_as_it_stands(ctx, participant)
    }

    /// The release packet for the person leaving, in `language` or the one their record names.
    /// Printing it is recorded in the audit trail, by record id.
    pub fn release_packet(&mut self, ctx: &WriteCtx, participant: ParticipantId, language: Option<Language>) -> Result<Document> {
        self.print_packet(ctx, participant, language, None)
    }

    /// The name offered when a person's packet is saved: their name and the day, in plain
    /// letters, so the person's packet is found among others (`release-packet-okafor-grace-2026-12-02.pdf`).
    pub fn release_packet_file_name(&self, ctx: &WriteCtx, participant: ParticipantId) -> Result<String> {
        // As the packet itself: reentry work in the person's facility, and printing besides.
        self.allowed(Need::Role(Permission::ReentryWork))?;
        let who = self.allowed(Need::Role(Permission::Print))?;
        let p = load_for(&self.conn, who, participant, Permission::ReentryWork)?;
        Ok(format!("release-packet-{}-{}.pdf", crate::text::file_word(&p.legal_name), ctx.today))
    }

    /// Writes the release packet as a PDF file at `path`, whole or not at all.
    pub fn save_release_packet(&mut self, ctx: &WriteCtx, participant: ParticipantId, language: Option<Language>, path: &std::path::Path) -> Result<()> {
        self.print_packet(ctx, participant, language, Some(path)).map(drop)
    }

    /// The packet, recorded as printed in the same change that writes it to `to`, if given: a
    /// file that cannot be written leaves no record of a print.
    fn print_packet(&mut self, ctx: &WriteCtx, participant: ParticipantId, language: Option<Language>, to: Option<&std::path::Path>) -> Result<Document> {
        // A reentry plan on paper: reading the plan needs reentry work in the person's
        // facility, as on screen, and printing it needs the print permission besides.
        self.allowed(Need::Role(Permission::ReentryWork))?;
        self.allowed(Need::Role(Permission::Print))?;
        let plan = self.plan_as_it_stands(ctx, participant)?;
        let language = language.unwrap_or_else(|| Language::for_person(&plan.language));
        let resources = all_resources(&self.conn, "")?;
        let site = identity::site_row(&self.conn)?.map(|s| s.name).unwrap_or_default();
        let document = release_packet(&plan, &resources, &site, ctx.today, language);
        self.change(ctx, Need::Role(Permission::Print), |w| {
            load_for(w.tx(), w.who(), participant, Permission::Print)?;
            if let Some(path) = to {
                w.write_output(path, &crate::reports::render(&document))?;
            }
            w.audit(Action::Print, Some(Table::Participants.name()), Some(&participant.to_string()), &format!("release packet ({})", language.code()))
        })?;
        Ok(document)
    }
}
