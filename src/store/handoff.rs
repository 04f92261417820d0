//! Hand-offs to community partners (ADR 0008, ADR 0011): a bundle in the sync format carrying
//! only what a person's consent covers, to the partner site the consent names, recorded as a
//! disclosure, closed when the partner confirms.

use super::bundles::{peer_lock, write_bundle, write_current_values, Sealing};
use super::consents::load_consents;
use super::disclosures::Disclosed;
use super::participants::load_for;
use super::peers::{peer_kind, site_keys};
use super::plans::plan_id;
use super::resources::load_resource;
use super::schema::Table;
use super::{PeerKind, Store, WriteCtx};
use crate::auth::{Need, Permission};
use crate::error::{Error, Result, Said};
use crate::model::{Area, ParticipantId, SiteId};
use crate::sync::bundle::Lock;
use crate::sync::payload::PayloadWriter;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;
use uuid::Uuid;

/// Printed on every disclosure (42 CFR 2.32): the recipient may not pass the records on.
pub const REDISCLOSURE_NOTICE: &str = "This record, disclosed with the person's written consent, is protected by federal \
confidentiality rules (42 CFR part 2). Those rules prohibit you from making any further disclosure of information \
that identifies this person as having or having had a substance use disorder, unless further disclosure is \
expressly permitted by their written consent or otherwise permitted by 42 CFR part 2. A general authorization \
for the release of medical or other information is not sufficient for this purpose.";

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct HandOffSummary {
    pub disclosure_id: Uuid,
    pub to: String,
    pub path: String,
    pub changes: u64,
    pub areas: Vec<Area>,
}

/// What a hand-off may carry, and where it goes.
struct HandOffTerms {
    facility: String,
    partner: String,
    consent: Uuid,
    areas: Vec<Area>,
    site: SiteId,
}

/// The participant's fields a partner needs to know whom the plan is for; nothing about
/// custody beyond the facility, admission and release.
const PERSON_FIELDS: &[&str] = &["legal_name", "preferred_name", "dob", "language", "facility_id", "admission_date", "release_date", "status", "status_date"];

/// The records and fields a hand-off under `areas` carries for `participant`.
fn selection(conn: &Connection, participant: ParticipantId, facility: &str, consent: Uuid, areas: &[Area]) -> Result<Vec<(Table, Uuid, Vec<&'static str>)>> {
    let all = |t: Table| t.field_names().collect::<Vec<_>>();
    let mut chosen = vec![(Table::Participants, participant.uuid(), PERSON_FIELDS.to_vec()), (Table::Consents, consent, all(Table::Consents))];
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
        let resource_column = if table == Table::PlanItems { "NULL" } else { "resource_id" };
        let mut stmt = conn.prepare(&format!("SELECT id, area, {resource_column} FROM {} WHERE participant_id = ?1 AND deleted = 0", table.name()))?;
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

/// What a hand-off of `participant` to directory entry `recipient` may carry, or why none may
/// go: the consents in force for that recipient that name its partner site, the site trusted
/// here as a community partner.
fn handoff_terms(conn: &Connection, today: chrono::NaiveDate, participant: ParticipantId, facility: String, recipient: Uuid) -> Result<HandOffTerms> {
    let resource = load_resource(conn, recipient).map_err(|_| Error::field("recipient", said!("choose the partner from the directory", "elija el socio del directorio")))?;
    let partner = resource.name.clone();
    let Some(site) = resource.site_id.filter(|s| peer_kind(conn, *s).ok().flatten() == Some(PeerKind::Partner)) else {
        return Err(Error::field(
            "recipient",
            said!("{partner} has no Bridger site trusted here as a community partner: add its card on the Sync screen and link it in the directory", "{partner} no tiene ningún sitio de Bridger de confianza aquí como socio comunitario: añada su tarjeta en la pantalla Sincronizar y vincúlela en el directorio"),
        ));
    };
    let consents: Vec<_> = load_consents(conn, participant, today)?.into_iter().filter(|c| c.resource_id == recipient).collect();
    let in_force: Vec<_> = consents.iter().filter(|c| c.active && c.site_id == Some(site)).collect();
    let Some(latest) = in_force.first() else {
        let why = match consents.first() {
            None => said!("this participant has not consented to share anything with {partner}", "este participante no ha consentido compartir nada con {partner}"),
            Some(c) if !c.active => {
                let reason = c.terms.covers(&[], today).err().unwrap_or(Said { en: String::new(), es: String::new() });
                Said {
                    en: format!("the participant's consent for {partner} is not in force ({})", reason.en),
                    es: format!("el consentimiento del participante para {partner} no está en vigor ({})", reason.es),
                }
            }
            Some(_) => said!(
                "the participant's consent names another site for {partner}: record a consent for its site as it is now",
                "el consentimiento del participante indica otro sitio para {partner}: registre un consentimiento para su sitio tal como es ahora"
            ),
        };
        return Err(Error::field(
            "recipient",
            Said { en: format!("{}: nothing was sent; record a signed consent first", why.en), es: format!("{}: no se envió nada; registre antes un consentimiento firmado", why.es) },
        ));
    };
    let mut areas: Vec<Area> = in_force.iter().flat_map(|c| c.terms.information.iter().copied()).collect();
    areas.sort();
    areas.dedup();
    Ok(HandOffTerms { facility, partner, consent: latest.id, areas, site })
}

impl Store {
    /// What a hand-off to `recipient` would carry (the areas of the person's consents in force
    /// for it), or why there can be none: asked before anyone picks where to save it.
    pub fn check_handoff(&self, today: chrono::NaiveDate, participant: ParticipantId, recipient: Uuid) -> Result<Vec<Area>> {
        let who = self.allowed(Need::Role(Permission::HandOff))?;
        let p = load_for(&self.conn, who, participant, Permission::HandOff)?;
        Ok(handoff_terms(&self.conn, today, participant, p.facility_id.to_string(), recipient)?.areas)
    }

    /// Writes a hand-off bundle for community partner `recipient` (an entry of the directory)
    /// at `path`, carrying only the areas its consents in force cover, and records the
    /// disclosure. No consent in force, or a partner without a trusted site, is refused and
    /// nothing is written.
    pub fn export_handoff(&mut self, ctx: &WriteCtx, participant: ParticipantId, recipient: Uuid, path: &Path) -> Result<HandOffSummary> {
        self.change(ctx, Need::Role(Permission::HandOff), |w| {
            let p = load_for(w.tx(), w.who(), participant, Permission::HandOff)?;
            let HandOffTerms { facility, partner, consent, areas, site } = handoff_terms(w.tx(), ctx.today, participant, p.facility_id.to_string(), recipient)?;
            let (_, lock) = peer_lock(w.tx(), site)?;
            let keys = site_keys(w)?;
            let mut chosen = selection(w.tx(), participant, &facility, consent, &areas)?;
            // How far what it discloses reaches: the newest change it carries, before the
            // disclosure record joins it.
            let through = write_current_values(w.tx(), &mut PayloadWriter::new(std::io::sink())?, &chosen, &keys.signing)?;
            let id = ctx.new_uuid();
            let what = Disclosed { areas: areas.clone(), through };
            w.save(
                Table::Disclosures,
                id,
                true,
                vec![
                    ("participant_id", Value::Text(participant.to_string())),
                    ("consent_id", Value::Text(consent.to_string())),
                    ("resource_id", Value::Text(recipient.to_string())),
                    ("what", Value::Text(serde_json::to_string(&what).map_err(|e| Error::Bundle(said!("the hand-off could not be written ({e})", "no se pudo escribir el traspaso ({e})")))?)),
                    ("how", Value::Text("handoff_bundle".into())),
                    ("disclosed_ms", Value::Integer(w.now_ms())),
                    ("disclosed_by", Value::Text(w.who().username().to_string())),
                ],
            )?;
            // The disclosure travels with what it disclosed, so the partner can confirm the first
            // contact on its own site and send that confirmation back.
            chosen.push((Table::Disclosures, id, Table::Disclosures.field_names().collect()));
            let sealing = Sealing { peer: site, lock: Lock::Recipient(&lock), notice: Some(REDISCLOSURE_NOTICE.into()) };
            let written = write_bundle(w, path, sealing, |out| write_current_values(w.tx(), out, &chosen, &keys.signing).map(drop))?;
            Ok(HandOffSummary { disclosure_id: id, to: partner, path: path.display().to_string(), changes: written.changes, areas })
        })
    }
}
