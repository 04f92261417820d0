//! Peer staff records through the store: credentials that warn before they lapse, hours that
//! fall behind, supervision that lapses and clears; each refused from the wrong role and the
//! wrong facility, bad input refused with nothing saved, and the records carried in a bundle.

use crate::fixture::{account, add_peer, after, count, ctx, jail_and_prison, signed_in, site_on_disk, today};
use bridger::auth::{Role, Scope};
use bridger::model::{
    CeHoursInput, CredentialInput, Expiry, Facility, StaffId, StaffInput, StaffRecordInput, StaffWarning, SupervisionInput, SupervisionSetting,
};
use bridger::paths::SiteFiles;
use bridger::{ErrorCode, Store};
use chrono::{Duration, NaiveDate};

/// A site on disk with the jail (Rosa, who signs in as `peer`; Dee, her supervisor, as `sup`;
/// Lee, without a login) and a prison (Sam), and accounts limited to the jail.
struct Site {
    _dir: tempfile::TempDir,
    files: SiteFiles,
    prison: Facility,
    rosa: StaffId,
    dee: StaffId,
    lee: StaffId,
    sam: StaffId,
}

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let (mut ada, files) = site_on_disk(&dir, "A", 1);
    let c = ctx();
    let (jail, prison) = jail_and_prison(&mut ada, &c);
    let rosa = add_peer(&mut ada, &c, &jail, "Rosa Díaz", "peer");
    let dee = add_peer(&mut ada, &c, &jail, "Dee Carter", "sup");
    let lee = add_peer(&mut ada, &c, &jail, "Lee Park", "");
    let sam = add_peer(&mut ada, &c, &prison, "Sam Ortiz", "");
    for (name, role) in [("coord", Role::Coordinator), ("peer", Role::PeerSpecialist), ("sup", Role::PeerSpecialist), ("aud", Role::Auditor)] {
        account(&files, &mut ada, name, vec![role], Scope::Facilities(vec![jail.id]));
    }
    let mut coord = signed_in(&files, "coord");
    coord.update_staff_record(&after(5), rosa, &record(Some(dee), "monthly", "2026-09-30")).unwrap();
    Site { _dir: dir, files, prison, rosa, dee, lee, sam }
}

fn record(supervisor: Option<StaffId>, cadence: &str, start: &str) -> StaffRecordInput {
    StaffRecordInput {
        roles: vec!["peer_specialist".into()],
        employer_kind: "facility".into(),
        cadence: cadence.into(),
        supervisor_id: supervisor.map(|s| s.to_string()).unwrap_or_default(),
        start_date: start.into(),
        ..Default::default()
    }
}

fn credential(staff: StaffId, issued: NaiveDate, expires: NaiveDate) -> CredentialInput {
    CredentialInput {
        staff_id: staff.to_string(),
        kind: "state_certification".into(),
        name: "Certified Peer Recovery Specialist".into(),
        issuer: "State certification board".into(),
        number: "PRS-1041".into(),
        issued_on: issued.to_string(),
        expires_on: expires.to_string(),
        renewal_years: 2,
        renewal_hours: 20.0,
        renewal_ethics_hours: 6.0,
    }
}

fn hours(staff: StaffId, date: NaiveDate, hours: f64, topic: &str) -> CeHoursInput {
    CeHoursInput { staff_id: staff.to_string(), date: date.to_string(), hours, topic: topic.into(), title: "Boundaries in peer work".into(), provider: String::new() }
}

fn supervision(supervisor: StaffId, supervisees: &[StaffId], date: NaiveDate) -> SupervisionInput {
    SupervisionInput {
        supervisor_id: supervisor.to_string(),
        supervisees: supervisees.iter().map(ToString::to_string).collect(),
        date: date.to_string(),
        minutes: 60,
        functions: vec!["educative".into(), "supportive".into()],
        setting: "in_person".into(),
        topics: "Caseload, self-care".into(),
        follow_ups: String::new(),
    }
}

/// The warnings `staff` has on `day`, as `store` sees them.
fn warnings(store: &Store, staff: StaffId, day: NaiveDate) -> Vec<StaffWarning> {
    store.staff_due(day).unwrap().into_iter().find(|d| d.staff.id == staff).map(|d| d.warnings).unwrap_or_default()
}

#[test]
fn a_credential_warns_at_90_30_and_7_days_and_when_its_hours_fall_behind() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    let expires = today() + Duration::days(20);
    let issued = expires - Duration::days(730);
    let added = coord.add_credential(&after(10), &credential(s.lee, issued, expires)).unwrap();
    assert_eq!(added.expiry, Some(Expiry::Soon { notice: 30, days_left: 20 }));
    let expiry_of = |day: NaiveDate| {
        warnings(&coord, s.lee, day).into_iter().find_map(|w| match w {
            StaffWarning::Expiry { expiry, .. } => Some(expiry),
            _ => None,
        })
    };
    assert_eq!(expiry_of(expires - Duration::days(91)), None);
    assert_eq!(expiry_of(expires - Duration::days(90)), Some(Expiry::Soon { notice: 90, days_left: 90 }));
    assert_eq!(expiry_of(today()), Some(Expiry::Soon { notice: 30, days_left: 20 }));
    assert_eq!(expiry_of(expires - Duration::days(7)), Some(Expiry::Soon { notice: 7, days_left: 7 }));
    assert_eq!(expiry_of(expires + Duration::days(3)), Some(Expiry::Expired { days_ago: 3 }));
    // Nearly two years in with no hours: behind. Fourteen hours and six of ethics later: not.
    let behind = |store: &Store| warnings(store, s.lee, today()).iter().any(|w| matches!(w, StaffWarning::HoursBehind { .. }));
    assert!(behind(&coord));
    coord.add_ce_hours(&after(11), &hours(s.lee, today() - Duration::days(200), 14.0, "peer_practice")).unwrap();
    assert!(behind(&coord), "no ethics yet");
    coord.add_ce_hours(&after(12), &hours(s.lee, today() - Duration::days(30), 6.0, "ethics")).unwrap();
    assert!(!behind(&coord));
    let record = coord.staff_record(s.lee, today()).unwrap();
    let progress = record.credentials[0].progress.unwrap();
    assert_eq!((progress.hours, progress.ethics_hours, record.ce_hours.len()), (20.0, 6.0, 2));
}

#[test]
fn supervision_lapses_across_a_month_end_and_clears_when_it_is_logged() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    // Started on 30 September, supervised monthly: due 30 October, lapsed by 24 November.
    let lapsed = |store: &Store, day: NaiveDate| {
        warnings(store, s.rosa, day).into_iter().find_map(|w| match w {
            StaffWarning::SupervisionLapsed { due } => Some((due.due_on, due.days_late)),
            _ => None,
        })
    };
    assert_eq!(lapsed(&coord, today()), Some((NaiveDate::from_ymd_opt(2026, 10, 30).unwrap(), 25)));
    let logged = coord.log_supervision(&after(10), &supervision(s.dee, &[s.rosa], NaiveDate::from_ymd_opt(2026, 10, 31).unwrap())).unwrap();
    assert_eq!((logged.supervisees[0].name.as_str(), logged.setting, logged.functions.len()), ("Rosa Díaz", SupervisionSetting::InPerson, 2));
    // A month after 31 October is 30 November: not lapsed today, lapsed on 1 December.
    assert_eq!(lapsed(&coord, today()), None);
    assert_eq!(lapsed(&coord, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()), None);
    assert_eq!(lapsed(&coord, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), Some((NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), 1)));
    let record = coord.staff_record(s.rosa, today()).unwrap();
    assert_eq!((record.supervision.len(), record.supervisor.map(|p| p.name)), (1, Some("Dee Carter".to_string())));
    assert_eq!(coord.staff_record(s.dee, today()).unwrap().supervisees[0].id, s.rosa);
}

#[test]
fn staff_records_are_refused_to_the_wrong_role_and_outside_the_facility() {
    let s = site();
    let day = today();
    // A peer reads and adds to their own record, and nobody else's.
    let mut peer = signed_in(&s.files, "peer");
    assert_eq!(peer.staff_record(s.rosa, day).unwrap().staff.name, "Rosa Díaz");
    peer.add_ce_hours(&after(10), &hours(s.rosa, day, 2.0, "ethics")).unwrap();
    assert_eq!(peer.staff_record(s.lee, day).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(peer.add_ce_hours(&after(11), &hours(s.lee, day, 2.0, "ethics")).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(peer.update_staff_record(&after(12), s.rosa, &record(None, "none", "")).unwrap_err().code(), ErrorCode::Forbidden, "nobody lifts their own supervision");
    assert_eq!(peer.log_supervision(&after(13), &supervision(s.dee, &[s.rosa], day)).unwrap_err().code(), ErrorCode::Forbidden);
    let own_due: Vec<StaffId> = peer.staff_due(day).unwrap().iter().map(|d| d.staff.id).collect();
    assert_eq!(own_due, vec![s.rosa], "her own lapsed supervision, and nobody else's");
    // Her supervisor reads her record and logs her supervision, and no one else's.
    let mut sup = signed_in(&s.files, "sup");
    assert_eq!(sup.staff_record(s.rosa, day).unwrap().ce_hours.len(), 1);
    sup.log_supervision(&after(14), &supervision(s.dee, &[s.rosa], day)).unwrap();
    assert_eq!(sup.log_supervision(&after(15), &supervision(s.dee, &[s.lee], day)).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(sup.log_supervision(&after(16), &supervision(s.lee, &[s.rosa], day)).unwrap_err().code(), ErrorCode::Forbidden, "only as herself");
    assert_eq!(sup.add_credential(&after(17), &credential(s.rosa, day, day + Duration::days(700))).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(sup.staff_record(s.lee, day).unwrap_err().code(), ErrorCode::Forbidden);
    // A coordinator keeps the jail's staff and not the prison's.
    let mut coord = signed_in(&s.files, "coord");
    assert_eq!(coord.staff_record(s.sam, day).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(coord.update_staff_record(&after(18), s.sam, &record(None, "weekly", "2026-10-01")).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(coord.add_credential(&after(19), &credential(s.sam, day, day + Duration::days(700))).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(coord.log_supervision(&after(20), &supervision(s.dee, &[s.sam], day)).unwrap_err().code(), ErrorCode::OutOfScope);
    let into_prison = StaffRecordInput { other_facilities: vec![s.prison.id.to_string()], ..record(None, "weekly", "2026-10-01") };
    assert_eq!(coord.update_staff_record(&after(21), s.lee, &into_prison).unwrap_err().code(), ErrorCode::OutOfScope);
    let mut ada = signed_in(&s.files, "ada");
    ada.update_staff_record(&after(22), s.sam, &record(None, "weekly", "2026-01-05")).unwrap();
    assert!(ada.staff_due(day).unwrap().iter().any(|d| d.staff.id == s.sam), "a coordinator of every facility sees the prison's");
    assert!(coord.staff_due(day).unwrap().iter().all(|d| d.staff.id != s.sam));
    // An auditor reads no staff record and is due nothing.
    let aud = signed_in(&s.files, "aud");
    assert_eq!(aud.staff_record(s.rosa, day).unwrap_err().code(), ErrorCode::Forbidden);
    assert!(aud.staff_due(day).unwrap().is_empty());
}

#[test]
fn bad_staff_input_is_refused_naming_the_field_and_nothing_is_saved() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    let day = today();
    let journal = count(&s.files, "SELECT count(*) FROM journal");
    let field = |e: bridger::Error| e.fields().iter().map(|f| f.field).collect::<Vec<_>>();
    let before_issue = credential(s.lee, day, day - Duration::days(1));
    assert_eq!(field(coord.add_credential(&after(10), &before_issue).unwrap_err()), vec!["expires_on"]);
    assert_eq!(field(coord.add_ce_hours(&after(11), &hours(s.lee, day, -3.0, "ethics")).unwrap_err()), vec!["hours"]);
    assert_eq!(field(coord.log_supervision(&after(12), &supervision(s.dee, &[s.rosa], day + Duration::days(1))).unwrap_err()), vec!["date"]);
    let stranger = StaffId::from_uuid(uuid::Uuid::from_u128(99));
    assert_eq!(field(coord.log_supervision(&after(13), &supervision(s.dee, &[stranger], day)).unwrap_err()), vec!["supervisees"]);
    assert_eq!(field(coord.log_supervision(&after(14), &supervision(stranger, &[s.rosa], day)).unwrap_err()), vec!["supervisor_id"]);
    assert_eq!(field(coord.update_staff_record(&after(15), s.lee, &record(Some(s.lee), "weekly", "2026-10-01")).unwrap_err()), vec!["supervisor_id"]);
    assert_eq!(field(coord.update_staff_record(&after(16), s.lee, &record(None, "daily", "")).unwrap_err()), vec!["cadence"]);
    assert_eq!(field(coord.add_credential(&after(17), &CredentialInput { staff_id: "nobody".into(), ..credential(s.lee, day, day + Duration::days(9)) }).unwrap_err()), vec!["staff_id"]);
    assert_eq!(count(&s.files, "SELECT count(*) FROM journal"), journal, "nothing was written");
    assert_eq!(count(&s.files, "SELECT count(*) FROM credentials") + count(&s.files, "SELECT count(*) FROM ce_hours") + count(&s.files, "SELECT count(*) FROM supervision"), 0);
}

#[test]
fn staff_records_travel_in_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = site_on_disk(&dir, "A", 1);
    let (mut b, _) = site_on_disk(&dir, "B", 2);
    let c = ctx();
    let (ca, cb) = (a.site_card(&c).unwrap(), b.site_card(&c).unwrap());
    a.trust_peer(&c, &cb, &cb.fingerprint, bridger::store::PeerKind::ProgramSite).unwrap();
    b.trust_peer(&c, &ca, &ca.fingerprint, bridger::store::PeerKind::ProgramSite).unwrap();
    let jail = a.facilities().unwrap().remove(0);
    let add = |a: &mut Store, name: &str| a.add_staff(&c, &StaffInput { name: name.into(), peer_roles: vec![], facility_id: jail.id.to_string(), username: String::new() }).unwrap().id;
    let (rosa, dee) = (add(&mut a, "Rosa Díaz"), add(&mut a, "Dee Carter"));
    a.update_staff_record(&after(5), rosa, &record(Some(dee), "weekly", "2026-11-01")).unwrap();
    a.add_credential(&after(6), &credential(rosa, today() - Duration::days(100), today() + Duration::days(600))).unwrap();
    a.add_ce_hours(&after(7), &hours(rosa, today(), 3.5, "trauma_informed_care")).unwrap();
    a.log_supervision(&after(8), &supervision(dee, &[rosa], today())).unwrap();
    let stick = dir.path().join("a-to-b.bundle");
    a.export_bundle(&after(20), b.site().unwrap().site_id, true, &stick).unwrap();
    b.import_bundle(&after(30), &stick, None).unwrap();
    let got = b.staff_record(rosa, today()).unwrap();
    assert_eq!((got.cadence.as_str(), got.supervisor.as_ref().map(|p| p.id)), ("weekly", Some(dee)));
    assert_eq!((got.credentials.len(), got.ce_hours.len(), got.supervision.len()), (1, 1, 1));
    assert_eq!((got.ce_hours[0].hours, got.supervision[0].functions.len()), (3.5, 2));
    assert_eq!(got, a.staff_record(rosa, today()).unwrap());
}

#[test]
fn nobody_lifts_their_own_supervision_or_removes_what_a_keeper_entered() {
    let s = site();
    let day = today();
    let mut ada = signed_in(&s.files, "ada");
    let jail = ada.facilities().unwrap().into_iter().find(|f| f.id != s.prison.id).unwrap();
    let carla = ada.add_staff(&ctx(), &StaffInput { name: "Carla Moss".into(), peer_roles: vec![], facility_id: jail.id.to_string(), username: "coord".into() }).unwrap().id;
    ada.update_staff_record(&after(5), carla, &record(Some(s.dee), "monthly", "2026-10-01")).unwrap();
    let mut coord = signed_in(&s.files, "coord");
    let e = coord.update_staff_record(&after(10), carla, &record(Some(s.dee), "none", "2026-10-01")).unwrap_err();
    assert_eq!(e.fields().first().map(|f| f.field), Some("cadence"), "a coordinator does not lift their own supervision: {e}");
    let e = coord.update_staff_record(&after(10), carla, &record(None, "monthly", "2026-10-01")).unwrap_err();
    assert_eq!(e.fields().first().map(|f| f.field), Some("supervisor_id"), "nor choose their own supervisor: {e}");
    coord.update_staff_record(&after(11), carla, &StaffRecordInput { phone: "555-0100".into(), ..record(Some(s.dee), "monthly", "2026-10-01") }).unwrap();
    let e = coord.log_supervision(&after(12), &supervision(s.dee, &[carla], day)).unwrap_err();
    assert_eq!(e.fields()[0].field, "supervisees", "nor logs their own");
    // Two people do not supervise each other, however far down.
    coord.update_staff_record(&after(13), s.lee, &record(Some(s.rosa), "weekly", "2026-10-01")).unwrap();
    let e = coord.update_staff_record(&after(14), s.dee, &record(Some(s.lee), "weekly", "2026-10-01")).unwrap_err();
    assert_eq!(e.fields()[0].field, "supervisor_id");
    // A peer removes the hours she entered, not the credential her coordinator entered.
    let mut peer = signed_in(&s.files, "peer");
    let mine = peer.add_ce_hours(&after(15), &hours(s.rosa, day, 1.5, "ethics")).unwrap();
    let theirs = coord.add_credential(&after(16), &credential(s.rosa, day - Duration::days(800), day - Duration::days(70))).unwrap();
    assert_eq!(peer.remove_credential(&after(17), &theirs.id).unwrap_err().code(), ErrorCode::Forbidden);
    peer.remove_ce_hours(&after(18), &mine.id).unwrap();
    assert!(coord.staff_record(s.rosa, day).unwrap().ce_hours.is_empty());
    coord.remove_credential(&after(19), &theirs.id).unwrap();
    assert_eq!(coord.remove_credential(&after(20), &theirs.id).unwrap_err().code(), ErrorCode::NotFound, "removed once");
}

#[test]
fn a_record_with_your_user_name_in_another_facility_is_not_yours() {
    let s = site();
    let mut ada = signed_in(&s.files, "ada");
    let prison = ada.facilities().unwrap().into_iter().find(|f| f.id == s.prison.id).unwrap();
    // As a record from another site would arrive: the same user name, another facility.
    let twin = ada.add_staff(&ctx(), &StaffInput { name: "Rosa Twin".into(), peer_roles: vec![], facility_id: prison.id.to_string(), username: "peer".into() }).unwrap().id;
    ada.update_staff_record(&after(5), s.sam, &record(Some(twin), "weekly", "2026-10-01")).unwrap();
    let mut peer = signed_in(&s.files, "peer");
    assert_eq!(peer.staff_record(twin, today()).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(peer.staff_record(s.sam, today()).unwrap_err().code(), ErrorCode::Forbidden, "nor does it make her Sam's supervisor");
    assert_eq!(peer.add_ce_hours(&after(10), &hours(twin, today(), 1.0, "ethics")).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(peer.staff_record(s.rosa, today()).unwrap().staff.name, "Rosa Díaz");
}
