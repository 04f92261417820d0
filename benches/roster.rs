//! `make bench`: search-as-you-type, opening the roster, a page deep in it, enrolling one person
//! and listing likely duplicates across every facility, on demo databases of 100,000 and
//! 1,000,000 participants (built once through the real write path, encrypted, and kept under
//! target/). Criterion times each operation; before it, five rounds of
//! 700 typed queries print the median and 95th percentile of search latency per query, since
//! a short prefix costs more than a long one. Compare ratios between runs on one machine.
//!
//! `BRIDGER_BENCH_SIZES=100000` limits the sizes.

mod common;

use bridger::model::{ParticipantInput, RosterFilter, Status};
use bridger::paths::SiteFiles;
use bridger::Store;
use common::{data_dir, database, fixed_ctx, sign_in, sizes};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// What people type: growing prefixes of real family names, a family name with a given name
/// begun, and part of a facility number.
fn typed_queries(store: &Store) -> Vec<String> {
    let rows = store.roster_page(&RosterFilter::default(), 0, 500).expect("rows").rows;
    let mut queries = Vec::new();
    for row in rows.iter().step_by(5) {
        let family = row.legal_name.split(',').next().unwrap_or("").to_lowercase();
        let given = row.legal_name.split(", ").nth(1).unwrap_or("").to_lowercase();
        for len in 1..=family.chars().count().min(6) {
            queries.push(family.chars().take(len).collect());
        }
        queries.push(format!("{} {}", family.split(' ').next().unwrap_or(""), given.chars().take(2).collect::<String>()));
        queries.push(row.facility_number.chars().skip(4).take(4).collect());
    }
    queries
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Search latency per typed query: median and 95th percentile over five timed rounds of all
/// queries (after one untimed round).
fn search_distribution(size: usize, store: &Store, queries: &[String]) {
    let mut samples: Vec<Duration> = Vec::new();
    for round in 0..6 {
        for q in queries {
            let t = Instant::now();
            black_box(store.search(q, &RosterFilter::default(), 200).expect("search"));
            if round > 0 {
                samples.push(t.elapsed());
            }
        }
    }
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{size} participants: search as you type, per query: median {:.3} ms, p95 {:.3} ms ({} timings of {} typed queries)",
        ms(at(0.5)),
        ms(at(0.95)),
        samples.len(),
        queries.len()
    );
}

fn bench_size(c: &mut Criterion, size: usize) {
    let files = database(size);
    // Enrolment writes, so it runs on a scratch copy that is thrown away afterwards.
    let scratch = SiteFiles::for_db(data_dir().join(format!("scratch-{size}.db")));
    std::fs::copy(&files.db, &scratch.db).expect("scratch copy");
    std::fs::copy(&files.key, &scratch.key).expect("scratch key file");
    let store = sign_in(&files);
    let queries = typed_queries(&store);
    search_distribution(size, &store, &queries);

    let mut group = c.benchmark_group(format!("{size} participants"));
    group.sample_size(30).measurement_time(Duration::from_secs(6));
    let mut next = 0usize;
    group.bench_function("search as you type (limit 200)", |b| {
        b.iter(|| {
            next = (next + 1) % queries.len();
            black_box(store.search(&queries[next], &RosterFilter::default(), 200).expect("search"))
        })
    });
    let active = RosterFilter { status: Some(Status::Active), ..Default::default() };
    group.bench_function("open roster (count + first 100 active)", |b| {
        b.iter(|| black_box(store.roster_page(&active, 0, 100).expect("page")))
    });
    let deep = (size as u64 * 9 / 10) / 100 * 100;
    group.bench_function("a roster page 90% of the way down", |b| {
        b.iter(|| black_box(store.roster_page(&active, deep, 100).expect("page")))
    });
    enroll_bench(&mut group, &scratch);
    group.finish();
    duplicates_bench(c, size, &scratch);
    let _ = remove_database(&scratch);
}

fn enroll_bench(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, scratch: &SiteFiles) {
    let mut store: Store = sign_in(scratch);
    let facility = store.facilities().expect("facilities").remove(0);
    let ctx = fixed_ctx(2);
    let mut n = 0u64;
    group.bench_function("enroll one person (one transaction)", |b| {
        b.iter(|| {
            n += 1;
            let input = ParticipantInput {
                legal_name: format!("BENCH, Person {n}"),
                dob: "1990-01-01".into(),
                facility_number: format!("BENCH-{n}"),
                facility_id: facility.id.to_string(),
                admission_date: "2026-01-01".into(),
                ..Default::default()
            };
            black_box(store.enroll(&ctx, &input).expect("enroll"))
        })
    });
}

/// Reading every record for likely duplicates, on the scratch copy (each listing is audited).
fn duplicates_bench(c: &mut Criterion, size: usize, scratch: &SiteFiles) {
    let mut store: Store = sign_in(scratch);
    let ctx = fixed_ctx(3);
    let found = store.likely_duplicates(&ctx).expect("duplicates");
    println!("{size} participants: {} likely duplicate pairs{}", found.pairs.len(), if found.more { " (the list stops there)" } else { "" });
    let mut group = c.benchmark_group(format!("{size} participants, every record read"));
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("likely duplicates across every facility", |b| b.iter(|| black_box(store.likely_duplicates(&ctx).expect("duplicates"))));
    group.finish();
}

fn remove_database(files: &SiteFiles) -> std::io::Result<()> {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", files.db.display()));
    }
    let _ = std::fs::remove_file(&files.logins);
    std::fs::remove_file(&files.key)?;
    std::fs::remove_file(&files.db)
}

fn benches(c: &mut Criterion) {
    for size in sizes() {
        bench_size(c, size);
    }
}

criterion_group!(roster, benches);
criterion_main!(roster);
