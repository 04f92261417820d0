//! `make bench`: what merges cost a site after every import. Each import settles every merge
//! the site holds (ADR 25), so its cost grows with the merges held, not with the bundle: a
//! bundle already held (nothing new) is imported again into a site of 1,400 people holding no
//! merge, and into the same site holding 200 (each merged record with two goals). Also one
//! merge of two records, on the site holding 200.

use bridger::auth::{KdfParams, Role, Scope};
use bridger::model::{GoalInput, MergeInput, NewFacility, ParticipantId, ParticipantInput};
use bridger::paths::SiteFiles;
use bridger::site;
use bridger::store::{NewAccount, PeerKind, SiteSetup};
use bridger::{Store, WriteCtx};
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

const PEOPLE: usize = 1_000;
const MERGES: usize = 200;

fn ctx(step: u64) -> WriteCtx {
    WriteCtx::fixed(1_795_521_600_000 + step * 1_000, NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date"), 11 + step)
}

fn create(dir: &Path, name: &str, seed: u64) -> Store {
    let setup = SiteSetup {
        site_name: name.into(),
        admin: NewAccount { username: "bench".into(), display_name: "Bench".into(), password: "a long password for timing".into(), roles: vec![Role::Admin, Role::Coordinator], scope: Scope::All },
        facility: Some(NewFacility { name: "Riverside County Jail".into(), code: "RCJ".into(), units: vec!["A".into()], rooms: vec!["Room 1".into()] }),
    };
    site::create(&SiteFiles::for_db(dir.join(format!("{name}.db"))), &ctx(seed), &setup, KdfParams::FAST_FOR_TESTS).expect("create").0
}

fn enroll(store: &mut Store, step: u64, n: usize, facility: &str) -> ParticipantId {
    let input = ParticipantInput {
        legal_name: format!("PERSON, Number {n}"),
        dob: "1990-01-01".into(),
        facility_number: format!("B-{n}"),
        facility_id: facility.into(),
        admission_date: "2026-01-05".into(),
        ..Default::default()
    };
    store.enroll(&ctx(step), &input).expect("enroll").id
}

/// The receiving site's database, holding everything the other site wrote (with `merges`
/// merges among it), and the bundle that brought it.
fn receiving_site(dir: &Path, merges: usize) -> (SiteFiles, PathBuf) {
    let mut from = create(dir, &format!("from-{merges}"), 1);
    let mut to = create(dir, &format!("to-{merges}"), 2);
    let (card_from, card_to) = (from.site_card(&ctx(3)).expect("card"), to.site_card(&ctx(3)).expect("card"));
    from.trust_peer(&ctx(4), &card_to, &card_to.fingerprint, PeerKind::ProgramSite).expect("trust");
    to.trust_peer(&ctx(4), &card_from, &card_from.fingerprint, PeerKind::ProgramSite).expect("trust");
    let facility = from.facilities().expect("facilities").remove(0).id.to_string();
    let mut step = 10;
    for n in 0..PEOPLE {
        step += 1;
        enroll(&mut from, step, n, &facility);
    }
    // The same people and goals either way, so the two bundles differ by the merges alone.
    for n in 0..MERGES {
        step += 5;
        let kept = enroll(&mut from, step, PEOPLE + 2 * n, &facility);
        let merged = enroll(&mut from, step + 1, PEOPLE + 2 * n + 1, &facility);
        for (i, goal) in ["Keep my job", "Call my mother"].into_iter().enumerate() {
            from.save_goal(&ctx(step + 2 + i as u64), merged, None, &GoalInput { goal: goal.into(), dimension: "health".into(), ..Default::default() }).expect("goal");
        }
        if n < merges {
            from.merge_participants(&ctx(step + 4), &MergeInput { kept_id: kept.to_string(), merged_id: merged.to_string(), reason: "same DOC number".into() }).expect("merge");
        }
    }
    let bundle = dir.join(format!("all-{merges}.bundle"));
    from.export_bundle(&ctx(step + 10), to.site().expect("site").site_id, false, &bundle).expect("export");
    to.import_bundle(&ctx(step + 11), &bundle, None).expect("import");
    (SiteFiles::for_db(dir.join(format!("to-{merges}.db"))), bundle)
}

fn sign_in(files: &SiteFiles) -> Store {
    site::sign_in(files, &ctx(900), "bench", "a long password for timing").expect("sign in").store
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("merges");
    group.sample_size(10);
    for merges in [0, MERGES] {
        let (files, bundle) = receiving_site(dir.path(), merges);
        let mut store = sign_in(&files);
        group.bench_function(format!("import a bundle already held, into a site holding {merges} merges"), |b| {
            b.iter(|| store.import_bundle(&ctx(1_000), &bundle, None).expect("import"));
        });
        if merges == MERGES {
            let facility = store.facilities().expect("facilities").remove(0).id.to_string();
            // The two records to merge are enrolled outside the timing, by the same store.
            let store = RefCell::new(store);
            let mut n = 10 * PEOPLE;
            group.bench_function(format!("merge two records, on a site holding {merges} merges"), |b| {
                b.iter_batched(
                    || {
                        n += 3;
                        let step = n as u64;
                        let mut s = store.borrow_mut();
                        (enroll(&mut s, step, n, &facility), enroll(&mut s, step + 1, n + 1, &facility), step + 2)
                    },
                    |(kept, merged, step)| {
                        let input = MergeInput { kept_id: kept.to_string(), merged_id: merged.to_string(), reason: "same DOC number".into() };
                        store.borrow_mut().merge_participants(&ctx(step), &input).expect("merge")
                    },
                    BatchSize::PerIteration,
                );
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
