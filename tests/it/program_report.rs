//! The program report on a hand-built site where every figure is known by construction: the
//! expected numbers sit beside the data, each with its reason. Then the edges (an empty period,
//! someone enrolled twice, the other facility), the drill-down from the wrong role and the wrong
//! facility, and, for random demo sites, that every drill-down lists exactly as many people as
//! its figure says.

use crate::fixture::{account, add_peer, after, ctx, file_store, person, raw, setup, signed_in, store, today};
use bridger::auth::{Role, Scope};
use bridger::model::{
    AppointmentInput, ContactInput, EpisodeInput, Facility, NewFacility, ParticipantId, PlanItemInput, ProgramReport, ReferralInput, ResourceInput, StaffId, StatusChange,
};
use bridger::store::SiteSetup;
use bridger::{ErrorCode, Store, WriteCtx};
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The third quarter of 2026.
const FROM: &str = "2026-07-01";
const TO: &str = "2026-09-30";

struct Site {
    s: Store,
    c: WriteCtx,
    jail: Facility,
    prison: Facility,
    alpha: ParticipantId,
    bravo: ParticipantId,
    charlie: ParticipantId,
    delta: ParticipantId,
}

fn enrol(s: &mut Store, c: &WriteCtx, f: &Facility, name: &str, number: &str) -> ParticipantId {
    let input = bridger::model::ParticipantInput { admission_date: "2025-01-01".into(), release_date: String::new(), ..person(f, name, number) };
    s.enroll(c, &input).unwrap().id
}

fn episode(s: &mut Store, c: &WriteCtx, p: ParticipantId, kind: &str, start: &str, end: &str, outcome: &str) {
    let input = EpisodeInput { kind: kind.into(), start_date: start.into(), end_date: end.into(), outcome: outcome.into(), ..Default::default() };
    s.save_episode(c, p, None, &input).unwrap();
}

fn contact(p: ParticipantId, peer: StaffId, date: &str, minutes: i64, kind: &str, supports: &[&str], dimensions: &[&str]) -> ContactInput {
    ContactInput {
        participant_id: p.to_string(),
        staff_id: peer.to_string(),
        date: date.into(),
        start_time: "10:00".into(),
        minutes,
        setting: "program_room".into(),
        kind: kind.into(),
        support_types: supports.iter().map(|x| (*x).to_string()).collect(),
        dimensions: dimensions.iter().map(|x| (*x).to_string()).collect(),
        ..Default::default()
    }
}

fn site() -> Site {
    let (s, c, jail) = store();
    build(s, c, jail)
}

fn build(mut s: Store, c: WriteCtx, jail: Facility) -> Site {
    let prison = s.create_facility(&c, &NewFacility { name: "Eastfield State Prison".into(), code: "ESP".into(), units: vec!["E-1".into()], rooms: vec![] }).unwrap();
    let peer = add_peer(&mut s, &c, &jail, "Rosa Díaz", "");
    let alpha = enrol(&mut s, &c, &jail, "ALPHA, Ann", "J-1");
    let bravo = enrol(&mut s, &c, &jail, "BRAVO, Ben", "J-2");
    let charlie = enrol(&mut s, &c, &jail, "CHARLIE, Cy", "J-3");
    let delta = enrol(&mut s, &c, &jail, "DELTA, Di", "J-4");
    let echo = enrol(&mut s, &c, &jail, "ECHO, Ed", "J-5");
    let foxtrot = enrol(&mut s, &c, &prison, "FOXTROT, Flo", "P-1");

    // Alpha: in RSAT from March, completed on 31 August: in a program at the start, left
    // completed after 5 whole months.
    episode(&mut s, &c, alpha, "rsat", "2026-03-01", "2026-08-31", "completed");
    // Bravo: started RSAT and MOUD continuity in the period: one new enrolment, not two.
    episode(&mut s, &c, bravo, "rsat", "2026-07-15", "", "");
    episode(&mut s, &c, bravo, "moud", "2026-08-01", "", "");
    // Charlie: in RSAT from June, released on 15 September before completing it, 3 months in.
    episode(&mut s, &c, charlie, "rsat", "2026-06-01", "2026-09-15", "released");
    // Delta: in since January 2025, transferred on 2 July: 18 months.
    episode(&mut s, &c, delta, "therapeutic_community", "2025-01-01", "2026-07-02", "transferred");
    // Echo: a program that ended before the period and one that began after: neither counts.
    episode(&mut s, &c, echo, "rsat", "2026-01-01", "2026-05-01", "completed");
    episode(&mut s, &c, echo, "peer_mentoring", "2026-10-05", "", "");
    // Foxtrot: new in the period, at the prison.
    episode(&mut s, &c, foxtrot, "rsat", "2026-08-10", "", "");

    // Contacts in the period: Alpha twice (40 minutes = 3 billing units, 10 minutes = 1),
    // Charlie once (20 minutes = 1); Bravo's is the day before the period.
    s.save_contact(&c, None, &contact(alpha, peer, "2026-07-20", 40, "planned_session", &["emotional", "informational"], &["home"])).unwrap();
    s.save_contact(&c, None, &contact(alpha, peer, "2026-08-03", 10, "brief_check_in", &["emotional"], &[])).unwrap();
    s.save_contact(&c, None, &contact(charlie, peer, "2026-09-10", 20, "crisis_support", &["instrumental"], &["health"])).unwrap();
    s.save_contact(&c, None, &contact(bravo, peer, "2026-06-30", 30, "planned_session", &["emotional"], &[])).unwrap();

    // Charlie's release: every plan item settled (MOUD among them), a MOUD appointment kept five
    // days out; referred to the clinic in August and attended, with a contact 30 days on.
    let clinic = s.save_resource(&c, None, &ResourceInput { name: "Eastside Recovery Clinic".into(), kind: "treatment_provider".into(), ..Default::default() }, None).unwrap().id;
    let plan = s.start_plan(&c, charlie).unwrap();
    for item in &plan.items {
        let done = PlanItemInput { area: item.item.area.as_str().into(), title: item.item.title.clone(), due_days: item.item.due_days, status: "done".into(), ..Default::default() };
        s.save_plan_item(&c, charlie, Some(item.id), &done).unwrap();
    }
    let visit = AppointmentInput { area: "moud".into(), resource_id: clinic.to_string(), provider: "Eastside Recovery Clinic".into(), date: "2026-09-20".into(), confirmed: true, ..Default::default() };
    s.save_appointment(&c, charlie, None, &visit).unwrap();
    s.save_referral(&c, charlie, None, &ReferralInput { resource_id: clinic.to_string(), area: "moud".into(), status: "attended".into(), sent_on: "2026-08-05".into(), ..Default::default() }).unwrap();
    s.set_status(&c, charlie, &StatusChange { status: "released".into(), date: "2026-09-15".into(), note: String::new() }).unwrap();
    // Alpha: referred in September, still only sent: referred, not connected.
    s.start_plan(&c, alpha).unwrap();
    s.save_referral(&c, alpha, None, &ReferralInput { resource_id: clinic.to_string(), area: "housing".into(), status: "sent".into(), sent_on: "2026-09-01".into(), ..Default::default() }).unwrap();
    Site { s, c, jail, prison, alpha, bravo, charlie, delta }
}

fn value(r: &ProgramReport, key: &str) -> f64 {
    r.figure(key).unwrap_or_else(|| panic!("no figure {key}")).value
}

#[test]
fn every_figure_of_a_hand_built_quarter_is_what_the_data_says() {
    let mut site = site();
    let r = site.s.program_report(d(FROM), d(TO), Some(site.jail.id), today()).unwrap();
    let expected: &[(&str, f64, &str)] = &[
        ("enrolment.served", 4.0, "Alpha, Bravo, Charlie in programs and contacts; Delta in a program until 2 July"),
        ("enrolment.active_at_start", 3.0, "Alpha, Charlie, Delta; Echo's ended in May"),
        ("enrolment.new", 1.0, "Bravo, enrolled twice, counts once; Foxtrot is at the prison"),
        ("enrolment.exits", 3.0, "Alpha, Charlie, Delta"),
        ("enrolment.exit.completed", 1.0, "Alpha"),
        ("enrolment.exit.released", 1.0, "Charlie"),
        ("enrolment.exit.transferred", 1.0, "Delta"),
        ("enrolment.exit.discharged", 0.0, "no one"),
        ("enrolment.months.3_5", 2.0, "Alpha 5 months, Charlie 3"),
        ("enrolment.months.12_plus", 1.0, "Delta 18 months"),
        ("enrolment.months.0_2", 0.0, "no one"),
        ("enrolment.completion_rate", 33.3, "1 of the 3 who left"),
        ("contacts.count", 3.0, "Alpha 2 and Charlie 1; Bravo's was on 30 June"),
        ("contacts.minutes", 70.0, "40 + 10 + 20"),
        ("contacts.billing_units", 5.0, "3 + 1 + 1"),
        ("contacts.kind.planned_session", 1.0, "Alpha's first"),
        ("contacts.kind.crisis_support", 1.0, "Charlie's"),
        ("contacts.support.emotional", 2.0, "both of Alpha's"),
        ("contacts.support.instrumental", 1.0, "Charlie's"),
        ("contacts.dimension.home", 1.0, "Alpha's first"),
        ("contacts.intercept.3", 3.0, "all three in custody: jails and courts"),
        ("groups.held", 0.0, "no groups at this site"),
        ("releases.count", 1.0, "Charlie on 15 September"),
        ("releases.plan_complete", 100.0, "every item done"),
        ("releases.appointment_7", 100.0, "kept on the 20th, 5 days out"),
        ("releases.handoff_confirmed", 0.0, "no hand-off"),
        ("releases.moud_continued", 100.0, "the MOUD item is done"),
        ("referrals.referred", 2.0, "Charlie in August, Alpha in September"),
        ("referrals.connected", 50.0, "Charlie attended"),
        ("referrals.engaged", 100.0, "Charlie had a contact on 10 September, 36 days after the referral"),
    ];
    for (key, want, why) in expected {
        assert_eq!(value(&r, key), *want, "{key}: {why}");
    }
    // Every figure that stands on people has a drill-down of exactly that many.
    for f in r.sections.iter().flat_map(|s| &s.figures) {
        let Some(n) = f.people else { continue };
        let listed = site.s.program_report_people(&site.c, d(FROM), d(TO), Some(site.jail.id), &f.key).unwrap();
        assert_eq!(listed.people.len() as u32, n, "{}", f.key);
    }
    let completed = site.s.program_report_people(&site.c, d(FROM), d(TO), Some(site.jail.id), "enrolment.exit.completed").unwrap();
    assert_eq!(completed.people.iter().map(|p| p.id).collect::<Vec<_>>(), [site.alpha]);
    let new = site.s.program_report_people(&site.c, d(FROM), d(TO), Some(site.jail.id), "enrolment.new").unwrap();
    assert_eq!(new.people.iter().map(|p| p.legal_name.as_str()).collect::<Vec<_>>(), ["BRAVO, Ben"]);
    assert_ne!(site.bravo, site.charlie);
}

#[test]
fn all_facilities_count_the_prison_too_and_an_empty_period_gives_zeros() {
    let site = site();
    let all = site.s.program_report(d(FROM), d(TO), None, today()).unwrap();
    assert_eq!(value(&all, "enrolment.new"), 2.0, "Bravo and Foxtrot");
    let prison = site.s.program_report(d(FROM), d(TO), Some(site.prison.id), today()).unwrap();
    assert_eq!((value(&prison, "enrolment.new"), value(&prison, "contacts.count")), (1.0, 0.0));
    let empty = site.s.program_report(d("2020-01-01"), d("2020-03-31"), None, today()).unwrap();
    assert!(empty.sections.iter().flat_map(|s| &s.figures).all(|f| f.value == 0.0), "{empty:?}");
    assert_eq!(empty.figure("enrolment.completion_rate").unwrap().of.as_deref(), Some("enrolment.exits"));
    let refused = site.s.program_report(d(TO), d(FROM), None, today()).unwrap_err();
    assert_eq!(refused.fields()[0].field, "to");
    assert_eq!(site.s.program_report(d("2020-01-01"), d("2026-01-02"), None, today()).unwrap_err().fields()[0].field, "from");
}

#[test]
fn a_transfer_is_an_exit_where_the_program_ran_and_a_new_enrolment_where_the_person_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let (s, c, jail, files) = file_store(&dir);
    let mut site = build(s, c, jail);
    let (jail, prison, c) = (site.jail.clone(), site.prison.clone(), after(40));
    // Delta's therapeutic community at the jail ended "transferred" on 2 July; the prison takes
    // Delta in and starts RSAT on 6 July.
    let delta = site.delta;
    let before = bridger::model::ParticipantInput { admission_date: "2025-01-01".into(), release_date: String::new(), ..person(&jail, "DELTA, Di", "J-4") };
    let moved = bridger::model::ParticipantInput { facility_id: prison.id.to_string(), unit_id: prison.units[0].id.to_string(), facility_number: "P-2".into(), ..before.clone() };
    site.s.update_participant(&c, delta, &before, &moved).unwrap();
    episode(&mut site.s, &c, delta, "rsat", "2026-07-06", "", "");
    let shown = site.s.episodes(&c, delta).unwrap();
    assert_eq!(shown.iter().map(|e| e.facility.as_deref()).collect::<Vec<_>>(), [Some("Eastfield State Prison"), Some("Riverside County Jail")], "each episode shows where it ran");

    let at_jail = site.s.program_report(d(FROM), d(TO), Some(jail.id), today()).unwrap();
    assert_eq!(value(&at_jail, "enrolment.exit.transferred"), 1.0, "the jail lost Delta to a transfer, though Delta is held at the prison now");
    assert_eq!(value(&at_jail, "enrolment.new"), 1.0, "Bravo only");
    let at_prison = site.s.program_report(d(FROM), d(TO), Some(prison.id), today()).unwrap();
    assert_eq!((value(&at_prison, "enrolment.new"), value(&at_prison, "enrolment.exit.transferred")), (2.0, 0.0), "Foxtrot, and Delta arriving");
    let everywhere = site.s.program_report(d(FROM), d(TO), None, today()).unwrap();
    assert_eq!(value(&everywhere, "enrolment.new"), 3.0, "Bravo, Foxtrot and Delta");
    let served = site.s.program_report_people(&c, d(FROM), d(TO), None, "enrolment.served").unwrap();
    assert_eq!(served.people.iter().filter(|p| p.id == delta).count(), 1, "Delta is served once, in two programs at two facilities");

    // An episode kept before Bridger recorded where it ran counts where the person is held.
    raw(&files).execute("UPDATE program_episodes SET facility_id = NULL WHERE participant_id = ?1", [site.alpha.to_string()]).unwrap();
    let kept_before = site.s.program_report(d(FROM), d(TO), Some(jail.id), today()).unwrap();
    assert_eq!(value(&kept_before, "enrolment.exit.completed"), 1.0, "Alpha, held at the jail");

    // Someone whose account covers the jail only no longer sees Delta, so the jail's report
    // counts without Delta rather than name a person outside that account's scope.
    account(&files, &mut site.s, "jailer", vec![Role::Coordinator], Scope::Facilities(vec![jail.id]));
    let mut jailer = signed_in(&files, "jailer");
    let theirs = jailer.program_report(d(FROM), d(TO), Some(jail.id), today()).unwrap();
    assert_eq!(value(&theirs, "enrolment.exit.transferred"), 0.0);
    let listed = jailer.program_report_people(&after(60), d(FROM), d(TO), Some(jail.id), "enrolment.exits").unwrap();
    assert!(listed.people.iter().all(|p| p.id != delta));
}

#[test]
fn the_people_behind_a_figure_are_refused_to_counts_only_roles_and_outside_the_account_s_facilities() {
    let dir = tempfile::tempdir().unwrap();
    let (s, c, jail, files) = file_store(&dir);
    let mut site = build(s, c, jail);
    account(&files, &mut site.s, "aud", vec![Role::Auditor], Scope::Facilities(vec![site.jail.id]));
    account(&files, &mut site.s, "peer", vec![Role::PeerSpecialist], Scope::Facilities(vec![site.jail.id]));
    let c = after(50);
    let mut auditor = signed_in(&files, "aud");
    assert!(auditor.program_report(d(FROM), d(TO), Some(site.jail.id), today()).is_ok(), "an auditor sees the counts");
    assert_eq!(auditor.program_report_people(&c, d(FROM), d(TO), Some(site.jail.id), "enrolment.new").unwrap_err().code(), ErrorCode::Forbidden);
    drop(auditor);
    let mut peer = signed_in(&files, "peer");
    assert_eq!(peer.program_report(d(FROM), d(TO), Some(site.prison.id), today()).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(peer.program_report_people(&c, d(FROM), d(TO), Some(site.prison.id), "enrolment.new").unwrap_err().code(), ErrorCode::OutOfScope);
    let all = peer.program_report(d(FROM), d(TO), None, today()).unwrap();
    assert_eq!(value(&all, "enrolment.new"), 1.0, "all facilities means the account's: the prison's Foxtrot is not counted");
    let listed = peer.program_report_people(&c, d(FROM), d(TO), None, "enrolment.new").unwrap();
    assert_eq!(listed.people.iter().map(|p| p.id).collect::<Vec<_>>(), [site.bravo]);
    assert_eq!(peer.program_report_people(&c, d(FROM), d(TO), None, "groups.cancelled").unwrap_err().fields()[0].field, "figure");
    // A list of people leaving the app is an export: a peer may see it, not take it.
    let file = dir.path().join("new.csv");
    assert_eq!(peer.save_report_people(&c, (d(FROM), d(TO)), None, "enrolment.new", &file).unwrap_err().code(), ErrorCode::Forbidden);
    assert!(!file.exists());
    drop(peer);
    assert_eq!(site.s.save_report_people(&c, (d(FROM), d(TO)), Some(site.jail.id), "enrolment.exits", &file).unwrap(), 3);
    let csv = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "period_from,period_to,figure,participant_id,legal_name,facility_number,facility");
    assert_eq!(lines[1], format!("2026-07-01,2026-09-30,enrolment.exits,{},\"ALPHA, Ann\",J-1,Riverside County Jail", site.alpha));
    assert_eq!(lines.len(), 4, "a row per person");
    let trail = site.s.audit_page(&bridger::store::AuditFilter::default(), 0, 500).unwrap().entries;
    let opened: Vec<(&str, &str)> = trail.iter().filter(|e| e.detail.starts_with("program report")).map(|e| (e.actor.as_str(), e.action.as_str())).collect();
    assert_eq!(opened, [("ada", "export"), ("ada", "export"), ("ada", "export"), ("peer", "view")], "newest first: each person named, once for each opening and export that went through");
    let seen = trail.iter().find(|e| e.actor == "peer" && e.detail.starts_with("program report")).unwrap();
    assert_eq!((seen.record_id.clone(), seen.detail.as_str()), (Some(site.bravo.to_string()), "program report 2026-07-01 to 2026-09-30, every facility in scope: enrolment.new"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]
    /// For random demo sites and periods, every figure that stands on people has a drill-down
    /// of exactly that many people.
    #[test]
    fn drill_downs_match_their_figures_on_random_sites(seed in 1u64..10_000, people in 20usize..80, months_back in 1i64..12, length in 1i64..200) {
        let mut s = Store::open_in_memory().unwrap();
        let c = ctx();
        s.setup(&c, &SiteSetup { facility: None, ..setup() }).unwrap();
        bridger::demo::generate(&mut s, &c, &bridger::demo::DemoOptions { participants: people, seed, team_serves: None }).unwrap();
        let from = today() - chrono::Duration::days(months_back * 30);
        let to = from + chrono::Duration::days(length);
        let r = s.program_report(from, to, None, today()).unwrap();
        for f in r.sections.iter().flat_map(|s| &s.figures) {
            if let Some(n) = f.people {
                let listed = s.program_report_people(&c, from, to, None, &f.key).unwrap();
                prop_assert_eq!(listed.people.len() as u32, n, "{}", f.key);
            }
        }
        prop_assert!(r.figure("enrolment.served").unwrap().value >= r.figure("enrolment.new").unwrap().value);
    }
}

fn check_in(p: ParticipantId, peer: StaffId, date: &str) -> bridger::model::CheckInInput {
    let answers = bridger::model::instrument::Instrument::parse(bridger::model::instrument::BUILT_IN).unwrap().items.iter().map(|i| (i.key.clone(), 3)).collect();
    bridger::model::CheckInInput { participant_id: p.to_string(), date: date.into(), language: "en".into(), staff_id: peer.to_string(), answers, ..Default::default() }
}

#[test]
fn follow_ups_are_counted_against_the_target_and_listed_while_they_can_still_be_done() {
    let (mut s, c, jail) = store();
    let peer = add_peer(&mut s, &c, &jail, "Rosa Díaz", "");
    let on_time = enrol(&mut s, &c, &jail, "ONTIME, Olu", "F-1");
    let pending = enrol(&mut s, &c, &jail, "PENDING, Pat", "F-2");
    let missed = enrol(&mut s, &c, &jail, "MISSED, Mo", "F-3");
    // Intake on 20 January: the follow-up window runs 20 June to 20 September; met on 1 August.
    episode(&mut s, &c, on_time, "rsat", "2026-01-15", "", "");
    s.record_check_in(&c, &check_in(on_time, peer, "2026-01-20")).unwrap();
    s.record_check_in(&c, &check_in(on_time, peer, "2026-08-01")).unwrap();
    // No interviews: 1 July to 1 October, still open when the quarter ends.
    episode(&mut s, &c, pending, "moud", "2026-02-01", "", "");
    // No interviews: 1 May to 1 August, closed in the quarter without one.
    episode(&mut s, &c, missed, "rsat", "2025-12-01", "", "");

    let r = s.program_report(d(FROM), d(TO), None, today()).unwrap();
    let expected: &[(&str, f64, &str)] = &[
        ("follow_ups.due", 2.0, "On-time and Missed: their windows closed in the quarter"),
        ("follow_ups.met", 50.0, "On-time, of the two"),
        ("follow_ups.open", 1.0, "Pending's window closes on 1 October"),
        ("follow_ups.needed", 2.0, "80% of 3 is 3 (rounded up), less the 1 met"),
    ];
    for (key, want, why) in expected {
        assert_eq!(value(&r, key), *want, "{key}: {why}");
    }
    // On 24 November: Pending's follow-up closed 54 days ago (missed, still listed); Missed's
    // closed in August, too long ago to list; On-time's is done.
    let due = s.follow_ups_due(&c, None).unwrap();
    let listed: Vec<(&str, &str)> = due.iter().map(|d| (d.legal_name.as_str(), d.window.point.as_str())).collect();
    assert_eq!(listed, [("PENDING, Pat", "follow_up")]);
    assert!(due[0].in_custody, "held: the interview is inside");

    // Under the newer rule the reassessment at 180 days is the one counted: On-time's runs 14 June
    // to 13 August (met), Pending's 1 July to 30 August; Missed's closed on 29 June.
    let mut settings = s.settings().unwrap();
    settings.follow_up_rule = bridger::model::FollowUpRule::Suprt;
    s.set_settings(&c, &settings).unwrap();
    let r = s.program_report(d(FROM), d(TO), None, today()).unwrap();
    assert_eq!((value(&r, "follow_ups.due"), value(&r, "follow_ups.met")), (2.0, 50.0), "On-time's and Pending's closed in the quarter");
    let due = s.follow_ups_due(&WriteCtx::fixed(c.now_ms, d("2026-08-20"), 99), Some(jail.id)).unwrap();
    let listed: Vec<(&str, &str)> = due.iter().map(|d| (d.legal_name.as_str(), d.state.as_str())).collect();
    assert_eq!(listed, [("PENDING, Pat", "closing_soon"), ("MISSED, Mo", "missed")], "10 days left; closed 52 days ago");
}
