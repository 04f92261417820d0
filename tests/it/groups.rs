//! Groups end to end in the core: the weekly calendar, moved, cancelled and added sessions,
//! clashes, roll call and its rules, and dosage.

use crate::fixture::{person, store};
use bridger::model::{Mark, ParticipantId, MeetingStatus, StaffInput, StatusChange};
use bridger::store::{Group, MarkInput, RollCallInput, MeetingKey, MeetingMove};
use bridger::{Store, WriteCtx};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn relapse_prevention(s: &mut Store, ctx: &WriteCtx, f: &bridger::model::Facility) -> Group {
    let staff = s.add_staff(ctx, &StaffInput { name: "Rosa Díaz".into(), peer_roles: vec!["forensic peer specialist".into()], facility_id: f.id.to_string(), username: String::new() }).unwrap();
    let input = crate::fixture::weekly_group(f, staff.id.to_string());
    s.save_group(ctx, None, &input).unwrap()
}

fn key(s: &bridger::model::Meeting) -> MeetingKey {
    MeetingKey { id: s.id, group_id: s.group_id, occurrence: s.occurrence }
}

fn marks(list: &[(ParticipantId, Mark)]) -> RollCallInput {
    RollCallInput {
        marks: list.iter().map(|(p, m)| MarkInput { participant_id: *p, mark: *m, walk_in: false }).collect(),
        topic_covered: "Triggers".into(),
        notes: String::new(),
        facilitator_hours: Some(2.0),
        late_reason: String::new(),
    }
}

#[test]
fn the_week_follows_the_rule_with_moves_cancellations_and_additions() {
    let (mut s, ctx, f) = store();
    let g = relapse_prevention(&mut s, &ctx, &f);
    let week = s.week(f.id, d("2026-11-23"), None).unwrap();
    let days: Vec<NaiveDate> = week.meetings.iter().map(|x| x.date).collect();
    assert_eq!(days, [d("2026-11-23"), d("2026-11-25")]);
    assert_eq!(week.meetings[0].facilitator_names, ["Rosa Díaz"]);

    let monday = key(&week.meetings[0]);
    let e = s.cancel_meeting(&ctx, &monday, "  ").unwrap_err();
    assert_eq!(e.fields()[0].field, "cancel_reason");
    s.cancel_meeting(&ctx, &monday, "facility lockdown").unwrap();
    let to_thursday = MeetingMove { date: "2026-11-26".into(), start_time: "13:30".into(), duration_min: 60, location_id: f.rooms[0].id.to_string() };
    s.move_meeting(&ctx, &key(&week.meetings[1]), &to_thursday).unwrap();
    let extra = MeetingMove { date: "2026-11-27".into(), start_time: "10:00".into(), duration_min: 60, location_id: f.rooms[0].id.to_string() };
    s.add_meeting(&ctx, g.id, &extra).unwrap();
    let nowhere = MeetingMove { location_id: "01a20f60-0000-7000-8000-000000000000".into(), ..extra.clone() };
    assert_eq!(s.add_meeting(&ctx, g.id, &nowhere).unwrap_err().fields()[0].field, "location_id");

    let week = s.week(f.id, d("2026-11-23"), None).unwrap();
    let shown: Vec<(NaiveDate, &str, MeetingStatus)> = week.meetings.iter().map(|x| (x.date, x.start_time.as_str(), x.status)).collect();
    assert_eq!(
        shown,
        [(d("2026-11-23"), "09:00", MeetingStatus::Cancelled), (d("2026-11-26"), "13:30", MeetingStatus::Scheduled), (d("2026-11-27"), "10:00", MeetingStatus::Scheduled)]
    );
    assert_eq!(week.meetings[0].cancel_reason.as_deref(), Some("facility lockdown"));
    // The moved session left its scheduled week's Wednesday, and the next week is untouched.
    assert_eq!(s.week(f.id, d("2026-11-30"), None).unwrap().meetings.len(), 2);
}

#[test]
fn clashes_of_room_facilitator_and_participant_are_named() {
    let (mut s, ctx, f) = store();
    let g = relapse_prevention(&mut s, &ctx, &f);
    let mary = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap().id;
    s.add_member(&ctx, g.id, mary).unwrap();
    let mut other = g.to_input();
    other.name = "Coffee and Conversation".into();
    other.support_type = "affiliational".into();
    other.start_time = "10:00".into();
    other.weekdays = vec![1];
    let h = s.save_group(&ctx, None, &other).unwrap();
    s.add_member(&ctx, h.id, mary).unwrap();
    let week = s.week(f.id, d("2026-11-23"), None).unwrap();
    let kinds: Vec<String> = week.clashes.iter().map(|c| format!("{:?}: {}", c.kind, c.detail)).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(kinds[0].starts_with("Room") && kinds[0].contains("Program Room 1"), "{kinds:?}");
    assert!(kinds[1].contains("Rosa Díaz facilitates both"), "{kinds:?}");
    assert!(kinds[2].contains("SMITH, Mary"), "{kinds:?}");
    // Apart on Wednesday (only one group meets), and a cancelled session clashes with nothing.
    s.cancel_meeting(&ctx, &key(&week.meetings[1]), "staff training").unwrap();
    assert!(s.week(f.id, d("2026-11-23"), None).unwrap().clashes.is_empty());
}

#[test]
fn roll_call_is_saved_whole_once_and_obeys_its_rules() {
    let (mut s, ctx, f) = store();
    let g = relapse_prevention(&mut s, &ctx, &f);
    let people: Vec<ParticipantId> =
        ["ALVAREZ, Ana", "BROWN, Ben", "CHEN, Carl"].iter().enumerate().map(|(i, n)| s.enroll(&ctx, &person(&f, n, &format!("B-{i}"))).unwrap().id).collect();
    for p in &people[..2] {
        s.add_member(&ctx, g.id, *p).unwrap();
    }
    let today = s.week(f.id, d("2026-11-23"), None).unwrap().meetings[0].clone();
    let k = key(&today);
    let call = s.roll_call(&k, ctx.today).unwrap();
    assert_eq!(call.rows.iter().map(|r| r.legal_name.as_str()).collect::<Vec<_>>(), ["ALVAREZ, Ana", "BROWN, Ben"]);

    let mut input = marks(&[(people[0], Mark::Present), (people[1], Mark::Absent), (people[2], Mark::Present)]);
    input.marks[2].walk_in = true;
    let saved = s.save_roll_call(&ctx, &k, &input).unwrap();
    assert_eq!(saved.meeting.status, MeetingStatus::Held);
    assert!(saved.rows.iter().any(|r| r.legal_name == "CHEN, Carl" && r.walk_in));
    let audit_before = s.audit_page(&Default::default(), 0, 1).unwrap().total;
    // The same roll call saved again changes nothing and adds no second session.
    s.save_roll_call(&ctx, &k, &input).unwrap();
    assert_eq!(s.group_attendance(g.id).unwrap().len(), 1);
    assert_eq!(s.group_attendance(g.id).unwrap()[0].present, 2);
    assert_eq!(s.audit_page(&Default::default(), 0, 1).unwrap().total, audit_before, "the same marks again write nothing");

    // A future session, a released person marked present, and a late one without a reason.
    let wednesday = key(&s.week(f.id, d("2026-11-23"), None).unwrap().meetings[1]);
    assert!(s.save_roll_call(&ctx, &wednesday, &input).unwrap_err().to_string().contains("on the day or after"));
    s.set_status(&ctx, people[1], &StatusChange { status: "released".into(), date: "2026-11-10".into(), note: String::new() }).unwrap();
    let old = key(&s.week(f.id, d("2026-11-09"), None).unwrap().meetings[1]);
    let e = s.save_roll_call(&ctx, &old, &marks(&[(people[1], Mark::Present)])).unwrap_err();
    let fields: Vec<&str> = e.fields().iter().map(|f| f.field).collect();
    assert_eq!(fields, ["late_reason", "marks"], "{e}");
    assert!(e.to_string().contains("released on 2026-11-10"), "{e}");
    assert_eq!(s.group_attendance(g.id).unwrap().len(), 1, "nothing was saved");
    let mut late = marks(&[(people[1], Mark::Absent)]);
    late.late_reason = "paper sheet found after lockdown".into();
    s.save_roll_call(&ctx, &old, &late).unwrap();

    let mut closed = g.to_input();
    closed.open_group = false;
    s.save_group(&ctx, Some(g.id), &closed).unwrap();
    let e = s.save_roll_call(&ctx, &k, &marks(&[(people[2], Mark::Present)])).unwrap_err();
    assert!(e.to_string().contains("closed group"), "{e}");
}

#[test]
fn a_participants_hours_add_up_from_roll_calls() {
    let (mut s, _, f) = store();
    let ctx = WriteCtx::fixed(1_795_521_600_000, d("2026-11-30"), 7);
    let g = relapse_prevention(&mut s, &ctx, &f);
    let ana = s.enroll(&ctx, &person(&f, "ALVAREZ, Ana", "B-1")).unwrap().id;
    s.add_member(&ctx, g.id, ana).unwrap();
    for (week, mark) in [("2026-11-23", Mark::Present), ("2026-11-30", Mark::Absent)] {
        let session = s.week(f.id, d(week), None).unwrap().meetings[0].clone();
        s.save_roll_call(&ctx, &key(&session), &marks(&[(ana, mark)])).unwrap();
    }
    let h = s.attendance_history(ana).unwrap();
    assert_eq!((h.sessions_attended, h.hours, h.current_missed_streak), (1, 1.5, 1));
    assert_eq!(h.by_support[0].label, "informational");
}

#[test]
fn the_day_holds_todays_meetings_with_their_roll_call_and_the_fortnights_missing_ones() {
    let (mut s, ctx, f) = store();
    let g = relapse_prevention(&mut s, &ctx, &f);
    let people: Vec<ParticipantId> = ["ALVAREZ, Ana", "BROWN, Ben"].iter().enumerate().map(|(i, n)| s.enroll(&ctx, &person(&f, n, &format!("B-{i}"))).unwrap().id).collect();
    for p in &people {
        s.add_member(&ctx, g.id, *p).unwrap();
    }
    let walk_in = s.enroll(&ctx, &person(&f, "CHEN, Carl", "B-9")).unwrap().id;
    // Wednesday 25 November: the group meets today; since the 11th it met on the 11th, 16th,
    // 18th and 23rd. The 16th was cancelled and the 23rd's roll call was taken.
    let wednesday = d("2026-11-25");
    let on_wednesday = WriteCtx::fixed(ctx.now_ms + 86_400_000, wednesday, 8);
    let weeks = [s.week(f.id, d("2026-11-09"), None).unwrap(), s.week(f.id, d("2026-11-16"), None).unwrap(), s.week(f.id, d("2026-11-23"), None).unwrap()];
    s.cancel_meeting(&ctx, &key(&weeks[1].meetings[0]), "facility lockdown").unwrap();
    s.save_roll_call(&ctx, &key(&weeks[2].meetings[0]), &marks(&[(people[0], Mark::Present), (people[1], Mark::Absent)])).unwrap();

    let day = s.my_day(wednesday).unwrap();
    assert_eq!(day.meetings.len(), 1);
    let today = &day.meetings[0];
    assert_eq!((today.meeting.date, today.facility_name.as_str(), today.roster, today.marked, today.present), (wednesday, "Riverside County Jail", 2, 0, 0));
    let missing: Vec<NaiveDate> = day.no_roll_call.iter().map(|m| m.meeting.date).collect();
    assert_eq!(missing, [d("2026-11-18"), d("2026-11-11")], "newest first; neither the cancelled nor the held one");

    let mut input = marks(&[(people[0], Mark::Present), (people[1], Mark::Excused), (walk_in, Mark::Present)]);
    input.marks[2].walk_in = true;
    s.save_roll_call(&on_wednesday, &key(&today.meeting), &input).unwrap();
    let today = &s.my_day(wednesday).unwrap().meetings[0];
    assert_eq!((today.meeting.status, today.roster, today.marked, today.present), (MeetingStatus::Held, 3, 3, 2), "the walk-in counts on the roster");
    // A fortnight back and no further: on 9 December the 18th is past the window.
    let later: Vec<NaiveDate> = s.my_day(d("2026-12-09")).unwrap().no_roll_call.iter().map(|m| m.meeting.date).collect();
    assert_eq!(later.last(), Some(&d("2026-11-30")), "{later:?}");
}

#[test]
fn the_day_shows_contacts_due_on_ones_own_caseload_and_reentry_only_to_those_roles() {
    let (mut s, ctx, f) = store();
    let day = s.my_day(d("2026-11-24")).unwrap();
    assert_eq!(day.contacts_due, None, "an account not in the staff directory has no caseload");
    assert_eq!(s.home_facility().unwrap(), None, "nor a facility of its own");
    assert!(day.reentry.is_some(), "a coordinator does reentry work");
    let me = s.add_staff(&ctx, &StaffInput { name: "Ada Admin".into(), peer_roles: vec![], facility_id: f.id.to_string(), username: "ada".into() }).unwrap();
    let mine = s.enroll(&ctx, &person(&f, "DIAZ, Dora", "B-4")).unwrap().id;
    s.enroll(&ctx, &person(&f, "EVANS, Eve", "B-5")).unwrap();
    s.assign_peer(&ctx, mine, Some(me.id)).unwrap();
    let due = s.my_day(d("2026-11-24")).unwrap().contacts_due.expect("a caseload");
    assert_eq!(due.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["DIAZ, Dora"], "only one's own people, and only those due");

    // A peer whose staff record is at a facility the account does not cover has no caseload
    // on the day, and the day still opens.
    let prison = s.create_facility(&ctx, &bridger::model::NewFacility { name: "Eastfield State Prison".into(), code: "ESP".into(), units: vec![], rooms: vec![] }).unwrap();
    s.add_staff(&ctx, &StaffInput { name: "Lee Park".into(), peer_roles: vec![], facility_id: prison.id.to_string(), username: "lee".into() }).unwrap();
    let lee = bridger::store::NewAccount {
        username: "lee".into(),
        display_name: "Lee".into(),
        password: "temporary password".into(),
        roles: vec![bridger::auth::Role::PeerSpecialist],
        scope: bridger::auth::Scope::Facilities(vec![f.id]),
    };
    s.create_account(&ctx, &lee).unwrap();
    s.act_as("lee").unwrap();
    s.change_password(&ctx, "temporary password", "my own pass phrase").unwrap();
    assert_eq!(s.my_day(d("2026-11-24")).unwrap().contacts_due, None);
    assert_eq!(s.home_facility().unwrap(), Some(f.id), "the first facility the account covers, not the record's");
    s.act_as("ada").unwrap();
    assert_eq!(s.home_facility().unwrap(), Some(f.id), "an account over every facility opens on its staff record's");

    let auditor = bridger::store::NewAccount { username: "audrey".into(), display_name: "Audrey".into(), password: "temporary password".into(), roles: vec![bridger::auth::Role::Auditor], scope: bridger::auth::Scope::All };
    s.create_account(&ctx, &auditor).unwrap();
    s.act_as("audrey").unwrap();
    s.change_password(&ctx, "temporary password", "my own pass phrase").unwrap();
    let day = s.my_day(d("2026-11-24")).unwrap();
    assert_eq!((day.contacts_due, day.reentry), (None, None), "an auditor sees the meetings only");
}
