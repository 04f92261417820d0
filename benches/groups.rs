//! `make bench`: saving a 30-person roll call (one transaction) and opening a participant's
//! attendance history after five years of three weekly groups, on an encrypted database.

use bridger::site;
use bridger::auth::{KdfParams, Role, Scope};
use bridger::model::{GroupInput, Mark, NewFacility, ParticipantId, ParticipantInput, StaffInput};
use bridger::paths::SiteFiles;
use bridger::store::{MarkInput, NewAccount, RollCallInput, MeetingKey, SiteSetup};
use bridger::{Store, WriteCtx};
use chrono::{Duration, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const PEOPLE: usize = 30;
const YEARS: i64 = 5;

fn ctx(today: NaiveDate) -> WriteCtx {
    WriteCtx::fixed(1_795_521_600_000, today, 5)
}

/// A site with one facility, three weekly groups that began five years ago and 30 people on
/// each roster.
fn site(dir: &tempfile::TempDir, today: NaiveDate) -> (Store, Vec<bridger::store::Group>, Vec<ParticipantId>) {
    let files = SiteFiles::for_db(dir.path().join("groups.db"));
    let setup = SiteSetup {
        site_name: "Bench".into(),
        admin: NewAccount { username: "bench".into(), display_name: "Bench".into(), password: "a long password for timing".into(), roles: vec![Role::Admin, Role::Coordinator], scope: Scope::All },
        facility: Some(NewFacility { name: "Riverside County Jail".into(), code: "RCJ".into(), units: vec!["A".into()], rooms: vec!["Room 1".into(), "Room 2".into(), "Room 3".into()] }),
    };
    let c = ctx(today);
    let (mut store, _) = site::create(&files, &c, &setup, KdfParams::FAST_FOR_TESTS).expect("create");
    let f = store.facilities().expect("facilities").remove(0);
    let staff = store.add_staff(&c, &StaffInput { name: "Rosa".into(), peer_roles: vec![], facility_id: f.id.to_string(), username: String::new() }).expect("staff");
    let people: Vec<ParticipantId> = (0..PEOPLE)
        .map(|i| {
            let input = ParticipantInput {
                legal_name: format!("PERSON, Number {i}"),
                dob: "1990-01-01".into(),
                facility_number: format!("B-{i}"),
                facility_id: f.id.to_string(),
                admission_date: (today - Duration::days(365 * YEARS + 10)).to_string(),
                ..Default::default()
            };
            store.enroll(&c, &input).expect("enroll").id
        })
        .collect();
    let groups = (0..3)
        .map(|g| {
            let input = GroupInput {
                name: format!("Group {g}"),
                support_type: "emotional".into(),
                facility_id: f.id.to_string(),
                location_id: f.rooms[g].id.to_string(),
                weekdays: vec![g as u32 + 1],
                start_time: "09:00".into(),
                duration_min: 90,
                facilitators: vec![staff.id.to_string()],
                open_group: true,
                starts_on: (today - Duration::days(365 * YEARS)).to_string(),
                ..Default::default()
            };
            let group = store.save_group(&c, None, &input).expect("group");
            for p in &people {
                store.add_member(&c, group.id, *p).expect("member");
            }
            group
        })
        .collect();
    (store, groups, people)
}

fn roll(people: &[ParticipantId], flip: bool) -> RollCallInput {
    let marks = people
        .iter()
        .enumerate()
        .map(|(i, p)| MarkInput { participant_id: *p, mark: if (i % 4 == 0) ^ flip { Mark::Absent } else { Mark::Present }, walk_in: false })
        .collect();
    RollCallInput { marks, topic_covered: "Coping plans".into(), notes: String::new(), facilitator_hours: Some(2.0), late_reason: "entered from paper".into() }
}

fn benches(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, groups, people) = site(&dir, today);
    let c0 = ctx(today);
    // Five years of roll calls, taken once.
    let mut sessions: Vec<MeetingKey> = Vec::new();
    let mut week = bridger::model::week_start(today - Duration::days(365 * YEARS));
    let facility = groups[0].facility_id;
    while week <= today - Duration::days(7) {
        for s in store.week(facility, week, None).expect("week").meetings {
            sessions.push(MeetingKey { id: s.id, group_id: s.group_id, occurrence: s.occurrence });
        }
        week += Duration::days(7);
    }
    let started = std::time::Instant::now();
    for (i, key) in sessions.iter().enumerate() {
        store.save_roll_call(&c0, key, &roll(&people, i % 3 == 0)).expect("roll call");
    }
    println!("{} roll calls of {PEOPLE} people taken in {:.1} s", sessions.len(), started.elapsed().as_secs_f64());

    let mut group = c.benchmark_group("groups");
    group.sample_size(30);
    let mut flip = false;
    let mut n = 0;
    group.bench_function("save a 30-person roll call (one transaction, every mark changed)", |b| {
        b.iter(|| {
            flip = !flip;
            n = (n + 1) % 10;
            black_box(store.save_roll_call(&c0, &sessions[n], &roll(&people, flip)).expect("roll call"))
        })
    });
    group.bench_function(format!("a participant's attendance history ({} sessions over {YEARS} years)", sessions.len()), |b| {
        b.iter(|| black_box(store.attendance_history(people[1]).expect("history")))
    });
    group.bench_function("the week calendar with clashes (3 groups, 30 people each)", |b| {
        b.iter(|| black_box(store.week(facility, bridger::model::week_start(today), None).expect("week")))
    });
    group.finish();
}

criterion_group!(groups_bench, benches);
criterion_main!(groups_bench);
