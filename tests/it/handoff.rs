//! Hand-offs to a community partner: only what the consent covers leaves, a bad consent sends
//! nothing, and the partner's receipt closes the loop.

use crate::fixture::{ctx, person, site_on_disk, today};
use bridger::store::PeerKind;
use bridger::model::{AppointmentInput, ConsentInput, ParticipantId, ParticipantInput, ResourceInput};
use bridger::store::REDISCLOSURE_NOTICE;
use bridger::{Store, WriteCtx};
use chrono::Duration;
use uuid::Uuid;

struct World {
    jail: Store,
    partner: Store,
    dir: tempfile::TempDir,
    person: ParticipantId,
    clinic: Uuid,
}

/// A jail and a clinic's site that trust each other; the clinic is in the jail's directory,
/// linked to its site; a person releasing in 20 days has a MOUD appointment and a housing item.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let (mut jail, _) = site_on_disk(&dir, "Jail", 1);
    let (mut partner, _) = site_on_disk(&dir, "Clinic", 2);
    let (cj, cp) = (jail.site_card(&ctx()).unwrap(), partner.site_card(&ctx()).unwrap());
    jail.trust_peer(&ctx(), &cp, &cp.fingerprint, PeerKind::Partner).unwrap();
    partner.trust_peer(&ctx(), &cj, &cj.fingerprint, PeerKind::ProgramSite).unwrap();
    let c = ctx();
    let f = jail.facilities().unwrap().remove(0);
    let input = ParticipantInput {
        release_date: (today() + Duration::days(20)).to_string(),
        admission_date: (today() - Duration::days(100)).to_string(),
        notes: "private note that must not leave".into(),
        ..person(&f, "OKAFOR, Grace", "N-55120")
    };
    let p = jail.enroll(&c, &input).unwrap().id;
    let resource = ResourceInput { name: "Eastside Recovery Clinic".into(), kind: "treatment_provider".into(), ..Default::default() };
    let clinic = jail.save_resource(&c, None, &resource, Some(cp.site_id)).unwrap().id;
    jail.start_plan(&c, p).unwrap();
    let visit = AppointmentInput { area: "moud".into(), resource_id: clinic.to_string(), provider: "Eastside Recovery Clinic".into(), date: (today() + Duration::days(21)).to_string(), ..Default::default() };
    jail.save_appointment(&c, p, None, &visit).unwrap();
    World { jail, partner, dir, person: p, clinic }
}

fn consent(w: &mut World, c: &WriteCtx, areas: &[&str], expires: i64) -> Uuid {
    let input = ConsentInput {
        resource_id: w.clinic.to_string(),
        information: areas.iter().map(|a| a.to_string()).collect(),
        purpose: "continuity of medication after release".into(),
        signed_on: (today() - Duration::days(1)).to_string(),
        expires_on: (today() + Duration::days(expires)).to_string(),
    };
    w.jail.add_consent(c, w.person, &input).unwrap().consents.into_iter().find(|k| k.terms.information.len() == areas.len()).unwrap().id
}

#[test]
fn a_handoff_carries_only_what_the_consent_covers() {
    let mut w = world();
    let c = ctx();
    consent(&mut w, &c, &["moud"], 90);
    assert_eq!(w.jail.check_handoff(c.today, w.person, w.clinic).unwrap(), [bridger::model::Area::Moud]);
    let path = w.dir.path().join("handoff.bundle");
    let done = w.jail.export_handoff(&c, w.person, w.clinic, &path).unwrap();
    assert_eq!((done.to.as_str(), done.areas.as_slice()), ("Eastside Recovery Clinic", [bridger::model::Area::Moud].as_slice()));
    let summary = w.partner.import_bundle(&c, &path, None).unwrap();
    assert_eq!(summary.notice.as_deref(), Some(REDISCLOSURE_NOTICE));
    let records = w.partner.synced_records().unwrap();
    let text = format!("{records:?}");
    assert!(text.contains("OKAFOR, Grace"));
    assert!(text.contains("First community MOUD appointment"), "the consented area's items arrive");
    assert!(!text.contains("Housing confirmed for the first night"), "an area outside the consent stays home");
    assert!(!text.contains("private note"), "the record's notes stay home");
    assert!(!text.contains("N-55120"), "the facility number stays home");
    let plan = w.jail.plan(&c, w.person).unwrap();
    assert_eq!(plan.disclosures.len(), 1);
    assert_eq!(plan.disclosures[0].recipient, "Eastside Recovery Clinic");
    assert!(plan.disclosures[0].confirmed_on.is_none());
}

#[test]
fn no_consent_an_expired_or_revoked_one_or_a_partner_without_a_site_sends_nothing() {
    let mut w = world();
    let c = ctx();
    let path = w.dir.path().join("refused.bundle");
    let digest = w.jail.content_digest().unwrap();
    assert!(w.jail.check_handoff(c.today, w.person, w.clinic).is_err(), "asked before the save dialog, the answer is the same");
    let e = w.jail.export_handoff(&c, w.person, w.clinic, &path).unwrap_err();
    assert!(e.fields()[0].message.contains("has not consented to share anything with Eastside Recovery Clinic"), "{e}");
    assert_eq!(w.jail.content_digest().unwrap(), digest, "a refusal changes nothing");

    consent(&mut w, &c, &["moud", "housing"], 5);
    let later = WriteCtx::fixed(c.now_ms + 10 * 86_400_000, today() + Duration::days(10), 99);
    let e = w.jail.export_handoff(&later, w.person, w.clinic, &path).unwrap_err();
    assert!(e.fields()[0].message.contains("expired on"), "{e}");

    let mut w = world();
    let revoked = consent(&mut w, &c, &["moud"], 90);
    w.jail.revoke_consent(&c, w.person, revoked, today()).unwrap();
    let digest = w.jail.content_digest().unwrap();
    let e = w.jail.export_handoff(&c, w.person, w.clinic, &path).unwrap_err();
    assert!(e.fields()[0].message.contains("revoked on"), "{e}");
    assert!(!path.exists(), "nothing was written");
    assert_eq!(w.jail.content_digest().unwrap(), digest);
    assert!(w.jail.plan(&c, w.person).unwrap().disclosures.is_empty());

    // A partner the directory does not link to a trusted site cannot receive one.
    let walk_in = ResourceInput { name: "Hope House".into(), kind: "recovery_residence".into(), ..Default::default() };
    let house = w.jail.save_resource(&c, None, &walk_in, None).unwrap().id;
    let input = ConsentInput { resource_id: house.to_string(), information: vec!["housing".into()], purpose: "a bed".into(), signed_on: today().to_string(), expires_on: (today() + Duration::days(30)).to_string() };
    w.jail.add_consent(&c, w.person, &input).unwrap();
    let e = w.jail.export_handoff(&c, w.person, house, &path).unwrap_err();
    assert!(e.fields()[0].message.contains("no Bridger site"), "{e}");
    assert!(!path.exists());
}

#[test]
fn the_partners_receipt_closes_the_handoff_and_a_full_export_to_it_is_refused() {
    let mut w = world();
    let c = ctx();
    consent(&mut w, &c, &["moud"], 90);
    let path = w.dir.path().join("handoff.bundle");
    w.jail.export_handoff(&c, w.person, w.clinic, &path).unwrap();
    assert_eq!(w.jail.open_handoffs().unwrap().len(), 1);
    let partner_site = w.partner.site().unwrap().site_id;
    let e = w.jail.export_bundle(&c, partner_site, true, &w.dir.path().join("all.bundle")).unwrap_err();
    assert!(e.fields()[0].message.contains("community partner"), "{e}");
    w.partner.import_bundle(&c, &path, None).unwrap();
    let receipt = w.dir.path().join("receipt");
    w.partner.write_receipt(&c, w.jail.site().unwrap().site_id, &receipt).unwrap();
    w.jail.import_receipt(&c, &receipt).unwrap();
    assert!(w.jail.open_handoffs().unwrap().is_empty());
    let d = &w.jail.plan(&c, w.person).unwrap().disclosures[0];
    assert_eq!(d.confirmed_on, Some(today()));
    assert_eq!(d.confirmed_how.as_deref(), Some("receipt from Clinic"));
}

#[test]
fn staff_can_record_the_confirmed_first_contact_instead() {
    let mut w = world();
    let c = ctx();
    consent(&mut w, &c, &["moud"], 90);
    let d = w.jail.export_handoff(&c, w.person, w.clinic, &w.dir.path().join("h.bundle")).unwrap().disclosure_id;
    assert!(w.jail.confirm_handoff(&c, w.person, d, today() + Duration::days(1), "phone").is_err());
    assert_eq!(w.jail.confirm_handoff(&c, w.person, d, today(), " ").unwrap_err().fields()[0].field, "confirmed_how");
    let list = w.jail.confirm_handoff(&c, w.person, d, today(), "first contact by phone with the clinic's peer").unwrap();
    assert_eq!(list[0].confirmed_how.as_deref(), Some("first contact by phone with the clinic's peer"));
    assert!(w.jail.open_handoffs().unwrap().is_empty());
}
