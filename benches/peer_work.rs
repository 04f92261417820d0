//! `make bench`: peer work on the 100,000-participant demo site, encrypted: logging a contact,
//! opening the caseload of a peer with 60 people, and opening the timeline of a person with
//! five years of weekly contacts and groups and quarterly check-ins.

mod common;

use bridger::model::instrument::{Instrument, BUILT_IN};
use bridger::model::{CheckInInput, ContactInput, GroupInput, Mark, ParticipantId, ParticipantInput, RosterFilter, StaffId, StaffInput, Status};
use bridger::store::{MarkInput, MeetingKey, RollCallInput};
use bridger::{Store, WriteCtx};
use chrono::{Datelike, Duration, NaiveDate};
use common::{data_dir, database, fixed_ctx, sign_in};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Instant;

fn contact(person: ParticipantId, peer: StaffId, date: NaiveDate) -> ContactInput {
    ContactInput {
        participant_id: person.to_string(),
        staff_id: peer.to_string(),
        date: date.to_string(),
        start_time: "10:00".into(),
        minutes: 30,
        setting: "housing_unit".into(),
        kind: "planned_session".into(),
        support_types: vec!["emotional".into(), "informational".into()],
        dimensions: vec!["home".into()],
        note: "Talked about the week ahead.".into(),
        ..Default::default()
    }
}

fn check_in(person: ParticipantId, peer: StaffId, date: NaiveDate, level: i64) -> CheckInInput {
    let answers = Instrument::parse(BUILT_IN).expect("built-in").items.iter().map(|i| (i.key.clone(), level)).collect();
    CheckInInput { participant_id: person.to_string(), date: date.to_string(), language: "en".into(), staff_id: peer.to_string(), answers, ..Default::default() }
}

/// A peer with 60 people on their caseload, each seen a few times and checked in once.
fn caseload_of_60(store: &mut Store, ctx: &WriteCtx) -> StaffId {
    let facility = store.facilities().expect("facilities")[0].id;
    let peer = store
        .add_staff(ctx, &StaffInput { name: "Bench Peer".into(), peer_roles: vec![], facility_id: facility.to_string(), username: String::new() })
        .expect("staff")
        .id;
    let filter = RosterFilter { facility_id: Some(facility), status: Some(Status::Active), ..Default::default() };
    let people = store.roster_page(&filter, 5_000, 60).expect("roster").rows;
    for (n, row) in people.iter().enumerate() {
        store.assign_peer(ctx, row.id, Some(peer)).expect("assign");
        for k in 0..4 {
            // Some have been admitted only days ago: a contact is never dated before admission.
            let _ = store.save_contact(ctx, None, &contact(row.id, peer, ctx.today - Duration::days(3 * k + (n % 5) as i64)));
        }
        let _ = store.record_check_in(ctx, &check_in(row.id, peer, ctx.today - Duration::days(2), 3));
    }
    peer
}

/// A person admitted five years ago with a weekly contact, a weekly group attended and a
/// check-in every quarter since.
fn five_years(store: &mut Store, ctx: &WriteCtx, peer: StaffId) -> ParticipantId {
    let f = store.facilities().expect("facilities").remove(0);
    let from = ctx.today - Duration::days(5 * 365);
    let input = ParticipantInput {
        legal_name: "LONGSTAY, Five Years".into(),
        dob: "1980-01-01".into(),
        facility_number: "BENCH-5Y".into(),
        facility_id: f.id.to_string(),
        admission_date: from.to_string(),
        language: "English".into(),
        ..Default::default()
    };
    let person = store.enroll(ctx, &input).expect("enrol").id;
    let group = GroupInput {
        name: "Five-year group".into(),
        support_type: "emotional".into(),
        facility_id: f.id.to_string(),
        location_id: f.rooms[0].id.to_string(),
        weekdays: vec![2],
        start_time: "08:00".into(),
        duration_min: 60,
        facilitators: vec![peer.to_string()],
        open_group: true,
        starts_on: from.to_string(),
        ..Default::default()
    };
    let group = store.save_group(ctx, None, &group).expect("group").id;
    store.add_member(ctx, group, person).expect("member");
    let mut monday = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    let mut week = 0;
    while monday + Duration::days(6) < ctx.today {
        for m in store.week(f.id, monday, None).expect("week").meetings.into_iter().filter(|m| m.group_id == group && m.date >= from) {
            let roll = RollCallInput {
                marks: vec![MarkInput { participant_id: person, mark: Mark::Present, walk_in: false }],
                topic_covered: "Check-in round".into(),
                notes: String::new(),
                facilitator_hours: Some(1.0),
                late_reason: "entered from the paper sheets".into(),
            };
            store.save_roll_call(ctx, &MeetingKey { id: m.id, group_id: m.group_id, occurrence: m.occurrence }, &roll).expect("roll call");
        }
        let day = (monday + Duration::days(3)).max(from);
        store.save_contact(ctx, None, &contact(person, peer, day)).expect("contact");
        if week % 13 == 0 {
            store.record_check_in(ctx, &check_in(person, peer, day, 2 + (week / 52).min(3))).expect("check-in");
        }
        monday += Duration::days(7);
        week += 1;
    }
    person
}

fn peer_work(c: &mut Criterion) {
    let source = database(100_000);
    // A copy, so that what is added here never changes the database other benchmarks share.
    let dir = tempfile::tempdir_in(data_dir()).expect("temp dir");
    let files = bridger::paths::SiteFiles::for_db(dir.path().join("peer.db"));
    std::fs::copy(&source.db, &files.db).expect("copy");
    std::fs::copy(&source.key, &files.key).expect("copy key");
    let mut store = sign_in(&files);
    let ctx = fixed_ctx(21);
    let started = Instant::now();
    let peer = caseload_of_60(&mut store, &ctx);
    let person = five_years(&mut store, &ctx, peer);
    let story = store.timeline(&ctx, person, &[]).expect("timeline");
    let load = store.caseload(ctx.today, Some(peer)).expect("caseload");
    println!("prepared a caseload of {} and a timeline of {} moments in {:.1} s", load.rows.len(), story.moments.len(), started.elapsed().as_secs_f64());
    let someone = load.rows[0].participant_id;

    let mut group = c.benchmark_group("peer work at 100,000 participants");
    group.sample_size(30);
    group.bench_function("log a contact", |b| b.iter(|| black_box(store.save_contact(&ctx, None, &contact(someone, peer, ctx.today)).expect("contact"))));
    group.bench_function("open the caseload of a peer with 60 people", |b| b.iter(|| black_box(store.caseload(ctx.today, Some(peer)).expect("caseload"))));
    group.bench_function(format!("open a timeline of five years ({} moments, audited)", story.moments.len()), |b| b.iter(|| black_box(store.timeline(&ctx, person, &[]).expect("timeline"))));
    group.finish();
}

criterion_group!(benches, peer_work);
criterion_main!(benches);
