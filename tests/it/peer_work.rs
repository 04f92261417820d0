//! Peer work through the store: contacts with their rows, units and intercept; what each role
//! reads of a note; the caseload's due rules; check-ins scored from instruments loaded as data;
//! recovery plans with their history; the timeline; and each refused from the wrong role and
//! the wrong facility, with nothing saved.

use crate::fixture::{account, add_peer, after, count, ctx, jail_and_prison, person, signed_in, site_on_disk, today, weekly_group};
use bridger::auth::{Role, Scope};
use bridger::model::instrument::{Instrument, BUILT_IN};
use bridger::model::{
    CheckInInput, ContactInput, Due, Facility, GoalInput, Intercept, Mark, MomentKind, Note, ParticipantId, ParticipantInput, StaffId, StaffInput,
    StatusChange, StepInput,
};
use bridger::paths::SiteFiles;
use bridger::store::{AuditFilter, MarkInput, MeetingKey, RollCallInput};
use bridger::{ErrorCode, Store};
use chrono::Duration;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// A site on disk with the jail (its staff: Rosa, who signs in as `peer`, and Lee, who does
/// not) and a prison, accounts for every role limited to the jail, and one person in each.
struct Site {
    _dir: tempfile::TempDir,
    files: SiteFiles,
    jail: Facility,
    rosa: StaffId,
    lee: StaffId,
    mary: ParticipantId,
    /// In the prison, outside every scoped account.
    eli: ParticipantId,
    prison_peer: StaffId,
}

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let (mut ada, files) = site_on_disk(&dir, "A", 1);
    let c = ctx();
    let (jail, prison) = jail_and_prison(&mut ada, &c);
    let rosa = add_peer(&mut ada, &c, &jail, "Rosa Díaz", "peer");
    let lee = add_peer(&mut ada, &c, &jail, "Lee Park", "");
    let prison_peer = add_peer(&mut ada, &c, &prison, "Sam Ortiz", "");
    let mary = ada.enroll(&c, &person(&jail, "SMITH, Mary", "J-1")).unwrap().id;
    let eli = ada.enroll(&c, &person(&prison, "STONE, Eli", "P-1")).unwrap().id;
    for (name, role) in [("coord", Role::Coordinator), ("peer", Role::PeerSpecialist), ("peer2", Role::PeerSpecialist), ("reentry", Role::ReentryStaff), ("aud", Role::Auditor)] {
        account(&files, &mut ada, name, vec![role], Scope::Facilities(vec![jail.id]));
    }
    Site { _dir: dir, files, jail, rosa, lee, mary, eli, prison_peer }
}

fn contact(p: ParticipantId, peer: StaffId) -> ContactInput {
    ContactInput {
        participant_id: p.to_string(),
        staff_id: peer.to_string(),
        date: (today() - Duration::days(1)).to_string(),
        start_time: "10:15".into(),
        minutes: 40,
        setting: "housing_unit".into(),
        kind: "planned_session".into(),
        support_types: vec!["emotional".into(), "informational".into()],
        dimensions: vec!["home".into()],
        note: "Talked about what home will look like.".into(),
        ..Default::default()
    }
}

fn all_answers(value: i64) -> BTreeMap<String, i64> {
    Instrument::parse(BUILT_IN).unwrap().items.iter().map(|i| (i.key.clone(), value)).collect()
}

fn check_in(p: ParticipantId, peer: StaffId, date: &str, answers: BTreeMap<String, i64>) -> CheckInInput {
    CheckInInput { participant_id: p.to_string(), date: date.into(), language: "en".into(), staff_id: peer.to_string(), answers, ..Default::default() }
}

#[test]
fn a_contact_keeps_its_words_as_rows_and_derives_units_and_intercept() {
    let s = site();
    let mut peer = signed_in(&s.files, "peer");
    let c = peer.save_contact(&after(10), None, &contact(s.mary, s.rosa)).unwrap();
    assert_eq!((c.minutes, c.units), (40, 3));
    assert_eq!(c.intercept, Intercept::Reentry, "released in January: within 90 days of the contact");
    assert_eq!(c.support_types.len(), 2);
    assert_eq!(c.note, Note::Text("Talked about what home will look like.".into()));
    assert_eq!(c.entered_by, "peer");
    assert_eq!(count(&s.files, "SELECT count(*) FROM contact_supports WHERE deleted = 0"), 2);
    assert_eq!(count(&s.files, "SELECT count(*) FROM contact_dimensions WHERE deleted = 0"), 1);
    assert_eq!(count(&s.files, "SELECT count(*) FROM audit_log WHERE actor = 'peer' AND tbl = 'contacts' AND action = 'create'"), 1);

    // A correction drops one support type (a tombstone) and adds a dimension.
    let fixed = ContactInput { support_types: vec!["emotional".into()], dimensions: vec!["home".into(), "health".into()], minutes: 50, ..contact(s.mary, s.rosa) };
    let c = peer.save_contact(&after(20), Some(c.id.parse().unwrap()), &fixed).unwrap();
    assert_eq!((c.minutes, c.units, c.support_types.len(), c.dimensions.len()), (50, 3, 1, 2));
    assert_eq!(count(&s.files, "SELECT count(*) FROM contact_supports WHERE deleted = 1"), 1);
    // Someone else's contact is not theirs to correct.
    let mut other = signed_in(&s.files, "peer2");
    let e = other.save_contact(&after(30), Some(c.id.parse().unwrap()), &fixed).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
}

#[test]
fn bad_contacts_are_refused_naming_the_field_and_nothing_is_saved() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    let before = count(&s.files, "SELECT count(*) FROM journal");
    let cases: Vec<(ContactInput, &str)> = vec![
        (ContactInput { date: (today() + Duration::days(1)).to_string(), ..contact(s.mary, s.rosa) }, "date"),
        (ContactInput { minutes: 0, ..contact(s.mary, s.rosa) }, "minutes"),
        (ContactInput { minutes: 481, ..contact(s.mary, s.rosa) }, "minutes"),
        (ContactInput { staff_id: "0190f4c4-2b9a-7cc2-8a4e-3f1f5c0d9e99".into(), ..contact(s.mary, s.rosa) }, "staff_id"),
        (ContactInput { setting: "yard".into(), ..contact(s.mary, s.rosa) }, "setting"),
    ];
    for (input, field) in cases {
        let e = coord.save_contact(&after(10), None, &input).unwrap_err();
        assert_eq!(e.fields().first().map(|f| f.field), Some(field), "{e}");
    }
    coord.set_status(&after(11), s.mary, &StatusChange { status: "discharged".into(), date: (today() - Duration::days(3)).to_string(), note: String::new() }).unwrap();
    let after_status = count(&s.files, "SELECT count(*) FROM journal");
    let e = coord.save_contact(&after(12), None, &contact(s.mary, s.rosa)).unwrap_err();
    assert_eq!(e.fields()[0].field, "date");
    assert!(e.to_string().contains("discharged"), "{e}");
    let e = coord.record_check_in(&after(12), &check_in(s.mary, s.rosa, &(today() - Duration::days(1)).to_string(), all_answers(3))).unwrap_err();
    assert_eq!(e.fields()[0].message, format!("the person was discharged on {}, before this check-in's date", today() - Duration::days(3)));
    assert_eq!(count(&s.files, "SELECT count(*) FROM contacts"), 0);
    assert!(after_status > before, "the status change was written");
    assert_eq!(count(&s.files, "SELECT count(*) FROM journal"), after_status, "no refused contact reached the journal");
}

#[test]
fn each_role_reads_as_much_of_a_note_as_it_should_and_every_opening_is_audited() {
    let s = site();
    let mut peer = signed_in(&s.files, "peer");
    let sensitive = peer.save_contact(&after(10), None, &ContactInput { sensitive: true, note: "Spoke of a relapse.".into(), ..contact(s.mary, s.rosa) }).unwrap();
    let plain = peer.save_contact(&after(11), None, &ContactInput { start_time: "14:00".into(), ..contact(s.mary, s.lee) }).unwrap();
    let notes = |store: &mut Store| -> Vec<(String, Note)> { store.contacts(&after(90), s.mary).unwrap().into_iter().map(|c| (c.id, c.note)).collect() };
    let note_of = |store: &mut Store, id: &str| notes(store).into_iter().find(|(c, _)| c == id).unwrap().1;

    // The writer and a coordinator see that it is sensitive and may open it, one opening at a time.
    assert_eq!(note_of(&mut peer, &sensitive.id), Note::Sensitive);
    assert_eq!(peer.open_contact_note(&after(20), sensitive.id.parse().unwrap()).unwrap(), "Spoke of a relapse.");
    let mut coord = signed_in(&s.files, "coord");
    assert_eq!(note_of(&mut coord, &sensitive.id), Note::Sensitive);
    assert_eq!(coord.open_contact_note(&after(21), sensitive.id.parse().unwrap()).unwrap(), "Spoke of a relapse.");
    // Another peer and reentry staff read the plain note, not the sensitive one.
    for name in ["peer2", "reentry"] {
        let mut other = signed_in(&s.files, name);
        assert_eq!(note_of(&mut other, &sensitive.id), Note::Withheld, "{name}");
        assert!(matches!(note_of(&mut other, &plain.id), Note::Text(_)), "{name}");
        assert_eq!(other.open_contact_note(&after(22), sensitive.id.parse().unwrap()).unwrap_err().code(), ErrorCode::Forbidden);
    }
    // An auditor learns that notes exist, never their words, in the list or on the timeline.
    let mut aud = signed_in(&s.files, "aud");
    assert!(notes(&mut aud).iter().all(|(_, n)| *n == Note::Withheld));
    let story = aud.timeline(&after(93), s.mary, &[MomentKind::Contact]).unwrap();
    assert!(story.moments.iter().all(|m| !m.detail.contains("relapse") && !m.detail.contains("home will look")), "{:?}", story.moments);
    assert_eq!(aud.open_contact_note(&after(23), plain.id.parse().unwrap()).unwrap_err().code(), ErrorCode::Forbidden);
    // The audit trail names whose note was opened, and finds it, the contacts and every reading
    // of them among the person's entries.
    let trail = aud.audit_page(&AuditFilter::default(), 0, 50).unwrap();
    let opening = trail.entries.iter().find(|e| e.detail == "opened the contact's note").unwrap();
    assert_eq!(opening.participant_name.as_deref(), Some("SMITH, Mary"));
    let about_mary = aud.audit_page(&AuditFilter { participant: Some(s.mary), ..Default::default() }, 0, 200).unwrap();
    let has = |f: &dyn Fn(&bridger::store::AuditEntry) -> bool| about_mary.entries.iter().any(f);
    assert!(has(&|e| e.table.as_deref() == Some("contacts") && e.action == "create"));
    assert!(has(&|e| e.detail == "opened the contact's note"));
    assert!(has(&|e| e.action == "view" && e.detail == "contacts" && e.actor == "aud"));
    assert!(about_mary.entries.iter().all(|e| e.participant_name.as_deref() == Some("SMITH, Mary")), "{:?}", about_mary.entries);
    drop(aud);
    let opened = count(&s.files, &format!("SELECT count(*) FROM audit_log WHERE action = 'view' AND record_id = '{}' AND detail = 'opened the contact''s note'", sensitive.id));
    let refused = count(&s.files, "SELECT count(*) FROM audit_log WHERE action = 'view' AND detail = 'was refused the contact''s note'");
    assert_eq!((opened, refused), (2, 3));
}

#[test]
fn peer_work_is_refused_to_the_wrong_role_and_outside_the_facility() {
    let s = site();
    let mut peer = signed_in(&s.files, "peer");
    let e = peer.save_contact(&after(10), None, &contact(s.eli, s.prison_peer)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::OutOfScope);
    assert_eq!(peer.contacts(&after(90), s.eli).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(peer.timeline(&after(93), s.eli, &[]).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(peer.check_ins(&after(91), s.eli).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(peer.recovery_plan(&after(92), s.eli).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(peer.caseload(today(), Some(s.prison_peer)).unwrap_err().code(), ErrorCode::OutOfScope);
    let e = peer.record_check_in(&after(11), &check_in(s.eli, s.prison_peer, &today().to_string(), all_answers(3))).unwrap_err();
    assert_eq!(e.code(), ErrorCode::OutOfScope);
    // Work in the jail is not credited to the prison's staff.
    let e = peer.save_contact(&after(11), None, &contact(s.mary, s.prison_peer)).unwrap_err();
    assert_eq!((e.fields()[0].field, e.fields()[0].message.as_str()), ("staff_id", "that peer is not in the staff directory of Riverside County Jail"));
    let e = peer.record_check_in(&after(11), &check_in(s.mary, s.prison_peer, &today().to_string(), all_answers(3))).unwrap_err();
    assert_eq!(e.fields()[0].field, "staff_id");
    for name in ["reentry", "aud"] {
        let mut other = signed_in(&s.files, name);
        assert_eq!(other.save_contact(&after(12), None, &contact(s.mary, s.rosa)).unwrap_err().code(), ErrorCode::Forbidden, "{name}");
        let goal = GoalInput { goal: "Stay clean".into(), dimension: "health".into(), ..Default::default() };
        assert_eq!(other.save_goal(&after(13), s.mary, None, &goal).unwrap_err().code(), ErrorCode::Forbidden, "{name}");
    }
    let mut aud = signed_in(&s.files, "aud");
    assert_eq!(aud.load_instrument(&after(14), BUILT_IN).unwrap_err().code(), ErrorCode::Forbidden);
}

#[test]
fn the_caseload_shows_who_is_due_for_a_contact_a_follow_up_or_a_check_in() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    let c = after(5);
    let kim = coord.enroll(&c, &person(&s.jail, "KIM, Ana", "J-2")).unwrap().id;
    let zed = coord.enroll(&c, &person(&s.jail, "ZED, Bo", "J-3")).unwrap().id;
    for p in [s.mary, kim, zed] {
        coord.assign_peer(&c, p, Some(s.rosa)).unwrap();
    }
    // Mary: seen yesterday with a follow-up today; Ana: seen 20 days ago; Bo: never seen but
    // checked in yesterday.
    coord.save_contact(&after(10), None, &ContactInput { follow_up_on: today().to_string(), ..contact(s.mary, s.rosa) }).unwrap();
    coord.save_contact(&after(11), None, &ContactInput { date: (today() - Duration::days(20)).to_string(), ..contact(kim, s.rosa) }).unwrap();
    coord.record_check_in(&after(12), &check_in(zed, s.rosa, &(today() - Duration::days(1)).to_string(), all_answers(4))).unwrap();
    // The prison's person cannot be put on the jail peer's caseload.
    let e = signed_in(&s.files, "ada").assign_peer(&after(13), s.eli, Some(s.rosa)).unwrap_err();
    assert_eq!(e.fields()[0].field, "peer_id");

    let peer = signed_in(&s.files, "peer");
    let load = peer.caseload(today(), None).unwrap();
    assert_eq!(load.staff_name, "Rosa Díaz");
    let row = |id: ParticipantId| load.rows.iter().find(|r| r.participant_id == id).unwrap();
    assert!(row(s.mary).due.contains(&Due::FollowUp { on: today() }));
    assert!(row(kim).due.contains(&Due::Contact { days: Some(20) }));
    assert!(row(zed).due.contains(&Due::Contact { days: None }));
    assert!(!row(zed).due.iter().any(|d| matches!(d, Due::CheckIn { .. })), "a check-in yesterday is not due again");
    // Admitted 2026-05-02 with no check-in: the baseline was due 30 days later.
    assert!(row(s.mary).due.iter().any(|d| matches!(d, Due::CheckIn { .. })));
    assert_eq!(load.rows[0].participant_id, s.mary, "an overdue follow-up comes first");
    // Someone without a staff record is asked to choose a peer.
    assert_eq!(signed_in(&s.files, "peer2").caseload(today(), None).unwrap_err().fields()[0].field, "staff_id");
}

#[test]
fn check_ins_are_scored_by_the_core_and_bad_answers_refused() {
    let s = site();
    let mut peer = signed_in(&s.files, "peer");
    let day = (today() - Duration::days(2)).to_string();
    let done = peer.record_check_in(&after(10), &check_in(s.mary, s.rosa, &day, all_answers(4))).unwrap();
    assert_eq!(done.total, 30, "seven items at 4 and one reverse-scored at 2");
    assert_eq!(done.band.as_deref(), Some("Strong"));
    assert_eq!(done.subscales.len(), 4);

    let mut missing = all_answers(3);
    missing.pop_first();
    let mut outside = all_answers(3);
    outside.insert("home-place".into(), 6);
    let spanish = CheckInInput { language: "fr".into(), ..check_in(s.mary, s.rosa, &day, all_answers(3)) };
    for (input, field) in [
        (check_in(s.mary, s.rosa, &day, missing), "answers"),
        (check_in(s.mary, s.rosa, &day, outside), "answers"),
        (spanish, "language"),
        (check_in(s.mary, s.rosa, &(today() + Duration::days(1)).to_string(), all_answers(3)), "date"),
        (check_in(s.mary, StaffId::from_uuid(uuid::Uuid::nil()), &day, all_answers(3)), "staff_id"),
    ] {
        let e = peer.record_check_in(&after(11), &input).unwrap_err();
        assert_eq!(e.fields().first().map(|f| f.field), Some(field), "{e}");
    }
    let history = peer.check_ins(&after(91), s.mary).unwrap();
    assert_eq!(history.check_ins.len(), 1, "nothing refused was saved");
    assert!(history.next_due.is_some());
}

/// A ten-item scale of the published shape: six points, totals 10 to 60, a line at 47.
fn ten_items(id_key: &str, licence: &str, languages: &str, based_on: &str) -> String {
    let spanish = languages.contains("es");
    let text = |en: String, es: String| if spanish { format!(r#"{{"en": "{en}", "es": "{es}"}}"#) } else { format!(r#"{{"en": "{en}"}}"#) };
    let items: Vec<String> = (1..=10).map(|n| format!(r#"{{"key": "i{n}", "text": {}}}"#, text(format!("Statement {n}"), format!("Afirmación {n}")))).collect();
    let labels = r#"["1","2","3","4","5","6"]"#;
    let labels = if spanish { format!(r#"{{"en": {labels}, "es": {labels}}}"#) } else { format!(r#"{{"en": {labels}}}"#) };
    format!(
        r#"{{"format": 1, "key": "{id_key}", "version": "1", "name": {}, "languages": {languages},
          "licence": {{"holder": "Its authors", "terms": "per program", "original_language": "en", {licence}}}{based_on},
          "scale": {{"min": 1, "max": 6, "labels": {labels}}},
          "items": [{}], "scoring": {{"cutoff": 47}}}}"#,
        text("Ten-item scale".into(), "Escala de diez".into()),
        items.join(",")
    )
}

#[test]
fn a_program_loads_its_own_instrument_and_licence_terms_are_kept() {
    let s = site();
    let mut ada = signed_in(&s.files, "ada");
    let forbids = r#""may_translate": false, "may_change": false, "may_print": true"#;
    let original = ten_items("capital-10", forbids, r#"["en"]"#, "");
    let loaded = ada.load_instrument(&after(10), &original).unwrap();
    assert_eq!(loaded.definition.total_range(), (10, 60));
    assert_eq!(ada.load_instrument(&after(11), &original).unwrap().id, loaded.id, "loading the same file twice changes nothing");
    assert_eq!(ada.instruments().unwrap().len(), 2);

    let translation = ten_items("capital-10-es", r#""may_translate": true, "may_change": false, "may_print": true"#, r#"["en", "es"]"#, r#", "based_on": {"key": "capital-10", "change": "translation"}"#);
    let e = ada.load_instrument(&after(12), &translation).unwrap_err();
    assert_eq!(e.fields()[0].field, "based_on");
    assert!(e.to_string().contains("may not be translated"), "{e}");
    assert_eq!(ada.load_instrument(&after(13), "{\"format\": 1,").unwrap_err().fields()[0].field, "definition");
    let changed = original.replace("Statement 1\"", "Statement one\"");
    assert_eq!(ada.load_instrument(&after(14), &changed).unwrap_err().fields()[0].field, "version");
    assert_eq!(ada.instruments().unwrap().len(), 2, "nothing refused was loaded");

    let mut coord = signed_in(&s.files, "coord");
    let answers: BTreeMap<String, i64> = (1..=10).map(|n| (format!("i{n}"), if n <= 5 { 5 } else { 4 })).collect();
    let input = CheckInInput { instrument_id: loaded.id.clone(), ..check_in(s.mary, s.rosa, &today().to_string(), answers) };
    assert_eq!(coord.record_check_in(&after(15), &input).unwrap().total, 45);
}

#[test]
fn a_recovery_plan_keeps_who_changed_what_and_when() {
    let s = site();
    let mut peer = signed_in(&s.files, "peer");
    let goal = GoalInput { goal: "Get back to my kids".into(), dimension: "home".into(), review_on: "2027-01-10".into(), ..Default::default() };
    let plan = peer.save_goal(&after(10), s.mary, None, &goal).unwrap();
    let goal_id: uuid::Uuid = plan.goals[0].id.parse().unwrap();
    let step = StepInput { step: "Call family court".into(), owner: "Mary".into(), due_on: "2026-12-10".into(), ..Default::default() };
    let plan = peer.save_step(&after(20), s.mary, goal_id, None, &step).unwrap();
    let step_id: uuid::Uuid = plan.goals[0].steps[0].id.parse().unwrap();
    peer.save_step(&after(30), s.mary, goal_id, Some(step_id), &StepInput { status: "done".into(), ..step.clone() }).unwrap();
    let plan = peer.save_goal(&after(40), s.mary, Some(goal_id), &GoalInput { status: "achieved".into(), ..goal.clone() }).unwrap();
    // Saving without a change writes no history.
    let plan_again = peer.save_goal(&after(50), s.mary, Some(goal_id), &GoalInput { status: "achieved".into(), ..goal }).unwrap();
    assert_eq!(plan_again.history.len(), plan.history.len());
    let lines: Vec<&str> = plan.history.iter().map(|h| h.what.as_str()).collect();
    assert_eq!(
        lines,
        vec![
            "changed the goal \"Get back to my kids\": status active → achieved",
            "changed the step \"Call family court\": status to_do → done",
            "added the step \"Call family court\" to \"Get back to my kids\"",
            "added the home goal \"Get back to my kids\"",
        ]
    );
    assert!(plan.history.iter().all(|h| h.by == "peer"));
    assert!(plan.history[0].at_ms > plan.history[3].at_ms);
    // A step of one goal is not reached through another person's plan.
    let e = peer.save_step(&after(60), s.eli, goal_id, None, &step).unwrap_err();
    assert_eq!(e.code(), ErrorCode::OutOfScope);
}

#[test]
fn the_timeline_tells_the_persons_story_and_filters_by_kind() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    let c = after(5);
    coord.save_contact(&after(10), None, &contact(s.mary, s.rosa)).unwrap();
    coord.record_check_in(&after(11), &check_in(s.mary, s.rosa, &(today() - Duration::days(3)).to_string(), all_answers(3))).unwrap();
    coord.save_goal(&after(12), s.mary, None, &GoalInput { goal: "Find work".into(), dimension: "purpose".into(), ..Default::default() }).unwrap();
    let group = coord.save_group(&c, None, &weekly_group(&s.jail, s.rosa.to_string())).unwrap().id;
    coord.add_member(&c, group, s.mary).unwrap();
    let monday = coord.week(s.jail.id, today() - Duration::days(1), None).unwrap().meetings.remove(0);
    let key = MeetingKey { id: monday.id, group_id: monday.group_id, occurrence: monday.occurrence };
    let roll = RollCallInput {
        marks: vec![MarkInput { participant_id: s.mary, mark: Mark::Present, walk_in: false }],
        topic_covered: "Triggers".into(),
        notes: String::new(),
        facilitator_hours: Some(1.5),
        late_reason: String::new(),
    };
    coord.save_roll_call(&after(13), &key, &roll).unwrap();
    coord.set_status(&after(14), s.mary, &StatusChange { status: "released".into(), date: today().to_string(), note: "to probation".into() }).unwrap();

    let story = coord.timeline(&after(93), s.mary, &[]).unwrap();
    let kinds: std::collections::BTreeSet<MomentKind> = story.moments.iter().map(|m| m.kind).collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    assert!(story.moments.windows(2).all(|w| w[0].date >= w[1].date), "newest first");
    assert!(story.moments.iter().any(|m| m.title == "Released" && m.date == today() && m.detail == "to probation"));
    assert_eq!(story.moments.last().unwrap().title, "Admitted to Riverside County Jail");
    let only = coord.timeline(&after(93), s.mary, &[MomentKind::CheckIn, MomentKind::Group]).unwrap();
    assert_eq!(only.moments.len(), 2);
    assert!(only.moments.iter().any(|m| m.title == "Attended Relapse Prevention"));
}

#[test]
fn peer_work_travels_in_a_bundle_with_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = site_on_disk(&dir, "A", 1);
    let (mut b, _) = site_on_disk(&dir, "B", 2);
    let c = ctx();
    let (ca, cb) = (a.site_card(&c).unwrap(), b.site_card(&c).unwrap());
    a.trust_peer(&c, &cb, &cb.fingerprint, bridger::store::PeerKind::ProgramSite).unwrap();
    b.trust_peer(&c, &ca, &ca.fingerprint, bridger::store::PeerKind::ProgramSite).unwrap();
    let jail = a.facilities().unwrap().remove(0);
    let rosa = a.add_staff(&c, &StaffInput { name: "Rosa Díaz".into(), peer_roles: vec![], facility_id: jail.id.to_string(), username: String::new() }).unwrap().id;
    let mary = a.enroll(&c, &ParticipantInput { ..person(&jail, "SMITH, Mary", "J-1") }).unwrap().id;
    a.save_contact(&after(10), None, &ContactInput { sensitive: true, ..contact(mary, rosa) }).unwrap();
    a.record_check_in(&after(11), &check_in(mary, rosa, &today().to_string(), all_answers(2))).unwrap();
    a.save_goal(&after(12), mary, None, &GoalInput { goal: "Stay housed".into(), dimension: "home".into(), ..Default::default() }).unwrap();
    let stick = dir.path().join("a-to-b.bundle");
    a.export_bundle(&after(20), b.site().unwrap().site_id, true, &stick).unwrap();
    b.import_bundle(&after(30), &stick, None).unwrap();
    let got = b.contacts(&after(90), mary).unwrap();
    assert_eq!((got.len(), got[0].support_types.len(), got[0].note.clone()), (1, 2, Note::Sensitive));
    assert_eq!(b.check_ins(&after(91), mary).unwrap().check_ins[0].total, a.check_ins(&after(91), mary).unwrap().check_ins[0].total);
    assert_eq!(b.recovery_plan(&after(92), mary).unwrap().history.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever answers are given, the answers stored rescore to the total stored.
    #[test]
    fn a_check_ins_stored_answers_rescore_to_its_stored_total(values in proptest::collection::vec(1i64..=5, 8)) {
        let dir = tempfile::tempdir().unwrap();
        let (mut a, _) = site_on_disk(&dir, "A", 1);
        let c = ctx();
        let jail = a.facilities().unwrap().remove(0);
        let rosa = a.add_staff(&c, &StaffInput { name: "Rosa".into(), peer_roles: vec![], facility_id: jail.id.to_string(), username: String::new() }).unwrap().id;
        let mary = a.enroll(&c, &person(&jail, "SMITH, Mary", "J-1")).unwrap().id;
        let instrument = Instrument::parse(BUILT_IN).unwrap();
        let answers: BTreeMap<String, i64> = instrument.items.iter().zip(values).map(|(i, v)| (i.key.clone(), v)).collect();
        a.record_check_in(&after(1), &check_in(mary, rosa, &today().to_string(), answers.clone())).unwrap();
        let stored = a.check_ins(&after(91), mary).unwrap().check_ins.remove(0);
        prop_assert_eq!(&stored.answers, &answers);
        prop_assert_eq!(instrument.score(&stored.answers).unwrap().total, stored.total);
        prop_assert_eq!(stored.subscales.iter().map(|(_, v)| v).sum::<i64>(), stored.total);
    }
}
