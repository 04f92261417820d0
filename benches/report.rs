//! `make bench`: the quarter's program report on demo sites of 100,000 and 1,000,000
//! participants, each with a year of the program's work (a peer team per 2,000 people held:
//! caseloads with contacts and check-ins, program episodes with phases and outcomes, and each
//! facility's weekly groups with their roll calls). Before timing, the year's report prints how
//! much history the site holds, so the figures can be read against it.
//!
//! `BRIDGER_BENCH_SIZES=100000` limits the sizes.

mod common;

use bridger::model::ProgramReport;
use chrono::NaiveDate;
use common::{database, fixed_ctx, sign_in, sizes};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn value(report: &ProgramReport, key: &str) -> f64 {
    report.figure(key).map_or(0.0, |f| f.value)
}

fn bench_size(c: &mut Criterion, size: usize) {
    let files = database(size);
    let store = sign_in(&files);
    let today = fixed_ctx(4).today;
    let year = store.program_report(today - chrono::Duration::days(364), today, None, today).expect("the year's report");
    println!(
        "{size} participants, the past year: {} people served, {} contacts, {} check-ins, {} group sessions held, {} releases, {} program exits",
        value(&year, "enrolment.served"),
        value(&year, "contacts.count"),
        value(&year, "check_ins.count"),
        value(&year, "groups.held"),
        value(&year, "releases.count"),
        value(&year, "enrolment.exits"),
    );
    let (from, to) = (date(2026, 7, 1), date(2026, 9, 30));
    let jail = store.facilities().expect("facilities")[0].id;

    let mut group = c.benchmark_group(format!("program report at {size} participants"));
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("the quarter, every facility", |b| b.iter(|| black_box(store.program_report(from, to, None, today).expect("report"))));
    group.bench_function("the quarter, one facility", |b| b.iter(|| black_box(store.program_report(from, to, Some(jail), today).expect("report"))));
    group.finish();
}

fn benches(c: &mut Criterion) {
    for size in sizes() {
        bench_size(c, size);
    }
}

criterion_group!(report, benches);
criterion_main!(report);
