//! Hand-offs to community partners (ADR 0008): a bundle in the sync format carrying only what
//! a person's consent covers, recorded as a disclosure, closed when the partner confirms.

use super::exchange::{community_partner, journal_entry, peer_lock, seal_bundle, JOURNAL_ROW};
use super::participants::load as load_participant;
use super::peers::site_keys;
use super::reentry::{load_consents, plan_id};
use super::write::{Table, Writer};
use super::{Store, WriteCtx};
use crate::auth::Permission;
use crate::error::{Error, Result};
use crate::model::{Area, ParticipantId, SiteId};
use crate::sync::bundle::{Entry, Lock};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;
use uuid::Uuid;

/// Printed on every disclosure (42 CFR 2.32): the recipient may not pass the records on.
pub const REDISCLOSURE_NOTICE: &str = "This record, disclosed with the person's written consent, is protected by federal \
confidentiality rules (42 CFR part 2). Those rules prohibit you from making any further disclosure of information \
that identifies this person as having or having had a substance use disorder, unless further disclosure is \
expressly permitted by their written consent or otherwise permitted by 42 CFR part 2. A general authorization \
for the release of medical or other information is not sufficient for this purpose.";

/// What a disclosure row's `what` column holds: the areas sent, and the newest clock among the
/// changes sent, so that a receipt showing the partner holds that much confirms it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Disclosed {
    areas: Vec<Area>,
    through: i64,
}

fn peer_key_known(conn: &Connection, site: SiteId) -> bool {
    conn.query_row("SELECT count(*) > 0 FROM peers WHERE site_id = ?1", [site], |r| r.get(0)).unwrap_or(false)
}

/// What a hand-off may carry, and where it goes.
struct HandOffTerms {
    facility: String,
    partner: String,
    consent: Uuid,
    areas: Vec<Area>,
    site: SiteId,
}

/// One line of the accounting of disclosures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disclosure {
    pub id: Uuid,
    pub consent_id: Option<Uuid>,
    pub recipient: String,
    pub areas: Vec<Area>,
    pub how: String,
    pub disclosed_ms: i64,
    pub disclosed_by: String,
    pub confirmed_on: Option<NaiveDate>,
    pub confirmed_how: Option<String>,
}

/// A hand-off written and waiting for the partner's confirmation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenHandOff {
    pub disclosure_id: Uuid,
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub recipient: String,
    pub disclosed_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandOffSummary {
    pub disclosure_id: Uuid,
    pub to: String,
    pub path: String,
    pub changes: u64,
    pub areas: Vec<Area>,
}

/// The participant's fields a partner needs to know whom the plan is for; nothing about
/// custody beyond the facility, admission and release.
const PERSON_FIELDS: &[&str] = &["legal_name", "preferred_name", "dob", "language", "facility_id", "admission_date", "release_date", "status", "status_date"];

/// The records and fields a hand-off under `areas` carries for `participant`.
fn selection(conn: &Connection, participant: ParticipantId, facility: &str, consent: Uuid, areas: &[Area]) -> Result<Vec<(Table, Uuid, Vec<&'static str>)>> {
    let all = |t: Table| t.fields().to_vec();
    let person = Uuid::parse_str(&participant.to_string()).map_err(|_| Error::NotFound { what: "participant", id: participant.to_string() })?;
    let mut chosen = vec![(Table::Participants, person, PERSON_FIELDS.to_vec()), (Table::Consents, consent, all(Table::Consents))];
    if let Ok(f) = Uuid::parse_str(facility) {
        chosen.push((Table::Facilities, f, vec!["name", "code"]));
    }
    let mut plan_fields = vec!["participant_id"];
    if areas.contains(&Area::RecoverySupports) {
        plan_fields.extend(["community_peer", "community_peer_phone", "community_peer_resource_id"]);
    }
    if areas.contains(&Area::Supervision) {
        plan_fields.extend(["supervision_conditions", "first_report_date", "first_report_place"]);
    }
    if plan_fields.len() > 1 {
        chosen.push((Table::ReentryPlans, plan_id(participant), plan_fields));
    }
    let names: Vec<&str> = areas.iter().map(|a| a.as_str()).collect();
    let mut resources = BTreeSet::new();
    for table in [Table::PlanItems, Table::Appointments, Table::Referrals] {
        let mut stmt = conn.prepare(&format!("SELECT id, area, {} FROM {} WHERE participant_id = ?1 AND deleted = 0", if table == Table::PlanItems { "NULL" } else { "resource_id" }, table.name()))?;
        let rows: Vec<(String, String, Option<String>)> = stmt.query_map([participant], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        for (id, _, resource) in rows.into_iter().filter(|(_, area, _)| names.contains(&area.as_str())) {
            if let Ok(id) = Uuid::parse_str(&id) {
                chosen.push((table, id, all(table)));
            }
            resources.extend(resource.and_then(|r| Uuid::parse_str(&r).ok()));
        }
    }
    let consent_resource: Option<String> = conn.query_row("SELECT resource_id FROM consents WHERE id = ?1", [consent.to_string()], |r| r.get(0)).optional()?.flatten();
    resources.extend(consent_resource.and_then(|r| Uuid::parse_str(&r).ok()));
    // The directory entries the plan points to are shared whole: they hold nothing about anyone.
    chosen.extend(resources.into_iter().map(|r| (Table::Resources, r, all(Table::Resources))));
    Ok(chosen)
}

/// The current value of each selected field, as the signed change that set it.
fn current_entries(tx: &Connection, chosen: &[(Table, Uuid, Vec<&'static str>)], me: SiteId, signing: &ed25519_dalek::SigningKey) -> Result<Vec<Entry>> {
    let mut stmt = tx.prepare(&format!(
        "{JOURNAL_ROW} JOIN field_clocks c ON c.tbl = j.tbl AND c.record_id = j.record_id AND c.field = j.field AND c.hlc = j.hlc AND c.site_no = j.site_no
         WHERE c.tbl = ?1 AND c.record_id = ?2"
    ))?;
    let mut entries = Vec::new();
    for (table, record, fields) in chosen {
        let mut rows = stmt.query(params![table.name(), record.as_bytes().as_slice()])?;
        while let Some(r) = rows.next()? {
            let field: String = r.get(5)?;
            if fields.contains(&field.as_str()) {
                entries.extend(journal_entry(tx, r, me, signing)?);
            }
        }
    }
    entries.sort_by_key(|e| e.hlc);
    Ok(entries)
}

fn disclosure_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Disclosure> {
    let what: Disclosed = serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default();
    Ok(Disclosure {
        id: Uuid::parse_str(&r.get::<_, String>(0)?).unwrap_or_default(),
        consent_id: r.get::<_, Option<String>>(1)?.and_then(|c| Uuid::parse_str(&c).ok()),
        recipient: r.get(2)?,
        areas: what.areas,
        how: r.get(4)?,
        disclosed_ms: r.get::<_, Option<i64>>(5)?.unwrap_or_default(),
        disclosed_by: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        confirmed_on: r.get::<_, Option<String>>(7)?.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        confirmed_how: r.get(8)?,
    })
}

const DISCLOSURE_ROW: &str = "SELECT d.id, d.consent_id, coalesce(r.name, '(removed from the directory)'), d.what, d.how, d.disclosed_ms, d.disclosed_by,
     d.confirmed_on, d.confirmed_how FROM disclosures d LEFT JOIN resources r ON r.id = d.resource_id";

pub(crate) fn load_disclosures(conn: &Connection, participant: ParticipantId) -> Result<Vec<Disclosure>> {
    let mut stmt = conn.prepare(&format!("{DISCLOSURE_ROW} WHERE d.participant_id = ?1 AND d.deleted = 0 ORDER BY d.disclosed_ms DESC"))?;
    let rows = stmt.query_map([participant], disclosure_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// What a hand-off to `recipient` would carry (the areas of the person's consents in force
    /// for it), or why there can be none: asked before anyone picks where to save it.
    pub fn check_handoff(&self, ctx: &WriteCtx, participant: ParticipantId, recipient: Uuid) -> Result<Vec<Area>> {
        Ok(self.handoff_terms(ctx, participant, recipient)?.areas)
    }

    fn handoff_terms(&self, ctx: &WriteCtx, participant: ParticipantId, recipient: Uuid) -> Result<HandOffTerms> {
        let p = load_participant(&self.conn, participant)?;
        self.allowed(Permission::HandOff, Some(p.facility_id))?;
        let (partner, site): (String, Option<String>) = self
            .conn
            .query_row("SELECT name, site_id FROM resources WHERE id = ?1 AND deleted = 0", [recipient.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| Error::field("recipient", "choose the partner from the directory"))?;
        let consents: Vec<_> = load_consents(&self.conn, participant, ctx.today)?.into_iter().filter(|c| c.resource_id == recipient).collect();
        let in_force: Vec<_> = consents.iter().filter(|c| c.active).collect();
        let Some(latest) = in_force.first() else {
            let why = match consents.first() {
                None => format!("{} has not consented to share anything with {partner}", p.legal_name),
                Some(c) => format!("{}'s consent for {partner} is not in force ({})", p.legal_name, c.terms.covers(&[], ctx.today).err().unwrap_or_default()),
            };
            return Err(Error::field("recipient", format!("{why}: nothing was sent. Record a signed consent first.")));
        };
        let mut areas: Vec<Area> = in_force.iter().flat_map(|c| c.terms.information.iter().copied()).collect();
        areas.sort();
        areas.dedup();
        let site: Option<SiteId> = site.and_then(|s| s.parse().ok());
        let Some(site) = site.filter(|s| community_partner(&self.conn, *s).ok().flatten().is_some() && peer_key_known(&self.conn, *s)) else {
            return Err(Error::field(
                "recipient",
                format!("{partner} has no Bridger site to receive a hand-off: add its card on the Sync screen and link it in the directory"),
            ));
        };
        Ok(HandOffTerms { facility: p.facility_id.to_string(), partner, consent: latest.id, areas, site })
    }

    /// Writes a hand-off bundle for community partner `recipient` (an entry of the directory),
    /// carrying only the areas its consents in force cover, and records the disclosure. No
    /// consent in force, or a partner without a trusted site, is refused and nothing is written.
    pub fn export_handoff(&mut self, ctx: &WriteCtx, participant: ParticipantId, recipient: Uuid, path: &Path) -> Result<HandOffSummary> {
        let HandOffTerms { facility, partner, consent, areas, site } = self.handoff_terms(ctx, participant, recipient)?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let (_, lock) = peer_lock(&self.conn, site)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let me = w.tx().query_row("SELECT site_id FROM site", [], |r| r.get::<_, SiteId>(0))?;
        let keys = site_keys(w.tx())?;
        let chosen = selection(w.tx(), participant, &facility, consent, &areas)?;
        let entries = current_entries(w.tx(), &chosen, me, &keys.signing)?;
        seal_bundle(w.tx(), ctx, Some(site), &entries, Lock::Recipient(&lock), Some(REDISCLOSURE_NOTICE.into()), path)?;
        let id = ctx.new_uuid();
        let what = Disclosed { areas: areas.clone(), through: entries.iter().map(|e| e.hlc).max().unwrap_or_default() };
        w.save(
            Table::Disclosures,
            id,
            true,
            vec![
                ("participant_id", Value::Text(participant.to_string())),
                ("consent_id", Value::Text(consent.to_string())),
                ("resource_id", Value::Text(recipient.to_string())),
                ("what", Value::Text(serde_json::to_string(&what).map_err(|e| Error::Bundle(e.to_string()))?)),
                ("how", Value::Text("handoff_bundle".into())),
                ("disclosed_ms", Value::Integer(i64::try_from(ctx.now_ms).unwrap_or(i64::MAX))),
                ("disclosed_by", Value::Text(who.username.clone())),
            ],
        )?;
        w.commit()?;
        Ok(HandOffSummary { disclosure_id: id, to: partner, path: path.display().to_string(), changes: entries.len() as u64, areas })
    }

    /// The accounting of disclosures: what about this person went to whom, when, by whom, and
    /// whether the recipient confirmed it.
    pub fn disclosures(&self, participant: ParticipantId) -> Result<Vec<Disclosure>> {
        let p = load_participant(&self.conn, participant)?;
        self.allowed(Permission::ReentryWork, Some(p.facility_id))?;
        load_disclosures(&self.conn, participant)
    }

    /// Hand-offs still waiting for the partner's confirmation, oldest first.
    pub fn open_handoffs(&self) -> Result<Vec<OpenHandOff>> {
        let scope = &self.allowed(Permission::ReentryWork, None)?.scope;
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.participant_id, coalesce(r.name, '(removed from the directory)'), d.disclosed_ms FROM disclosures d
             LEFT JOIN resources r ON r.id = d.resource_id
             WHERE d.deleted = 0 AND d.confirmed_on IS NULL AND d.how = 'handoff_bundle' ORDER BY d.disclosed_ms",
        )?;
        let rows: Vec<(String, ParticipantId, String, Option<i64>)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut open = Vec::new();
        for (id, participant, recipient, at) in rows {
            let p = load_participant(&self.conn, participant)?;
            if scope.covers(p.facility_id) {
                open.push(OpenHandOff { disclosure_id: Uuid::parse_str(&id).unwrap_or_default(), participant_id: participant, legal_name: p.legal_name, recipient, disclosed_ms: at.unwrap_or_default() });
            }
        }
        Ok(open)
    }

    /// Records that the partner confirmed a hand-off (the first contact was made, say).
    pub fn confirm_handoff(&mut self, ctx: &WriteCtx, participant: ParticipantId, disclosure: Uuid, on: NaiveDate, how: &str) -> Result<Vec<Disclosure>> {
        let p = load_participant(&self.conn, participant)?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::HandOff, Some(p.facility_id))?;
        if on > ctx.today {
            return Err(Error::field("confirmed_on", "a confirmation is recorded on or after the day it came, not ahead of it"));
        }
        let how = crate::model::optional_text(how).ok_or_else(|| Error::field("confirmed_how", "say how the partner confirmed, e.g. first contact by phone"))?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let owner: Option<String> = w.tx().query_row("SELECT participant_id FROM disclosures WHERE id = ?1 AND deleted = 0", [disclosure.to_string()], |r| r.get(0)).optional()?;
        if owner.as_deref() != Some(participant.to_string().as_str()) {
            return Err(Error::NotFound { what: "hand-off", id: disclosure.to_string() });
        }
        w.save(Table::Disclosures, disclosure, false, vec![("confirmed_on", Value::Text(on.to_string())), ("confirmed_how", Value::Text(how))])?;
        w.commit()?;
        self.disclosures(participant)
    }
}

/// Closes the hand-offs to `partner` that a receipt shows arrived: those whose newest change
/// the partner now holds.
pub(crate) fn confirm_by_receipt(w: &mut Writer<'_>, partner: SiteId, holds: i64, partner_name: &str) -> Result<u64> {
    let rows: Vec<(String, String)> = w
        .tx()
        .prepare(
            "SELECT d.id, d.what FROM disclosures d JOIN resources r ON r.id = d.resource_id
             WHERE r.site_id = ?1 AND d.deleted = 0 AND d.confirmed_on IS NULL AND d.how = 'handoff_bundle'",
        )?
        .query_map([partner], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut closed = 0;
    for (id, what) in rows {
        let what: Disclosed = serde_json::from_str(&what).unwrap_or_default();
        if let (Ok(id), true) = (Uuid::parse_str(&id), what.through <= holds) {
            let today = w.ctx().today.to_string();
            w.save(Table::Disclosures, id, false, vec![("confirmed_on", Value::Text(today)), ("confirmed_how", Value::Text(format!("receipt from {partner_name}")))])?;
            closed += 1;
        }
    }
    Ok(closed)
}
