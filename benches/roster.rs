//! `make bench`: search-as-you-type, opening the roster and enrolling one person, on demo
//! databases of 100,000 and 1,000,000 participants (built once and kept under target/).
//! Prints the median and 95th percentile of each; absolute times vary by machine, so compare
//! ratios between runs on the same one.
//!
//! `BRIDGER_BENCH_SIZES=100000` limits the sizes.

use bridger::demo::{generate, DemoOptions};
use bridger::model::{ParticipantInput, RosterFilter, Status};
use bridger::{Store, WriteCtx};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn database(size: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data");
    let path = dir.join(format!("demo-{size}.db"));
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("bench folder");
        let partial = dir.join(format!("demo-{size}.partial.db"));
        let _ = std::fs::remove_file(&partial);
        let started = Instant::now();
        let mut store = Store::open(&partial).expect("open");
        let ctx = WriteCtx::fixed("bench", 1_795_521_600_000, chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"), 1);
        generate(&mut store, &ctx, &DemoOptions { participants: size, seed: 1 }).expect("demo data");
        drop(store);
        std::fs::rename(&partial, &path).expect("rename");
        println!("built {size} participants in {:.1} s", started.elapsed().as_secs_f64());
    }
    path
}

struct Stats {
    median: Duration,
    p95: Duration,
    n: usize,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Stats { median: at(0.5), p95: at(0.95), n: samples.len() }
}

fn report(name: &str, s: &Stats) {
    println!("{name:<44} median {:>9.3} ms   p95 {:>9.3} ms   ({} samples)", ms(s.median), ms(s.p95), s.n);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// What people type: growing prefixes of real family names, then a given name started.
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

fn main() {
    let sizes: Vec<usize> = std::env::var("BRIDGER_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000]);
    for size in sizes {
        let path = database(size);
        let mut store = Store::open(&path).expect("open");
        println!("\n{size} participants ({:.0} MB)", std::fs::metadata(&path).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0));

        let queries = typed_queries(&store);
        for q in &queries {
            store.search(q, &RosterFilter::default(), 200).expect("warm");
        }
        let mut samples = Vec::new();
        for _ in 0..5 {
            for q in &queries {
                let t = Instant::now();
                std::hint::black_box(store.search(q, &RosterFilter::default(), 200).expect("search"));
                samples.push(t.elapsed());
            }
        }
        report("search as you type (limit 200)", &stats(samples));

        let active = RosterFilter { status: Some(Status::Active), ..Default::default() };
        let samples = (0..30)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(store.roster_page(&active, 0, 100).expect("page"));
                t.elapsed()
            })
            .collect();
        report("open roster (count + first 100 active)", &stats(samples));

        let samples = (0..30)
            .map(|i| {
                let t = Instant::now();
                std::hint::black_box(store.roster_page(&active, (i * 997 % 900) as u64 * 100, 100).expect("page"));
                t.elapsed()
            })
            .collect();
        report("scroll roster (a page deep in the list)", &stats(samples));

        let facility = store.facilities().expect("facilities").remove(0);
        let ctx = WriteCtx::now("bench");
        let samples = (0..30)
            .map(|i| {
                let input = ParticipantInput {
                    legal_name: format!("BENCH, Person {i}"),
                    dob: "1990-01-01".into(),
                    facility_number: format!("BENCH-{}-{i}", ctx.now_ms),
                    facility_id: facility.id.to_string(),
                    admission_date: "2026-01-01".into(),
                    ..Default::default()
                };
                let t = Instant::now();
                store.enroll(&ctx, &input).expect("enroll");
                t.elapsed()
            })
            .collect();
        report("enroll one person (one transaction)", &stats(samples));
    }
}
