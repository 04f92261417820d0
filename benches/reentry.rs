//! `make bench`: reentry screens on the 100,000-participant demo site, encrypted: the release
//! pipeline, the reentry part of Today and the whole day a coordinator over every facility
//! signs in to, opening a plan, and setting a release packet as a PDF.

mod common;

use bridger::reports::{release_packet, render, Language};
use common::{data_dir, database, fixed_ctx, sign_in};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn reentry(c: &mut Criterion) {
    let source = database(100_000);
    // A copy, so that plans started here never change the database other benchmarks share.
    let dir = tempfile::tempdir_in(data_dir()).expect("temp dir");
    let files = bridger::paths::SiteFiles::for_db(dir.path().join("reentry.db"));
    std::fs::copy(&source.db, &files.db).expect("copy");
    std::fs::copy(&source.key, &files.key).expect("copy key");
    let mut store = sign_in(&files);
    let ctx = fixed_ctx(11);
    let rows = store.release_pipeline(ctx.today).expect("pipeline");
    for row in &rows {
        store.start_plan(&ctx, row.participant_id).expect("start");
    }
    let someone = rows.first().expect("someone releasing").participant_id;
    let site = store.site().expect("site").name;
    let resources = store.resources("").expect("directory");

    let mut group = c.benchmark_group("reentry at 100,000 participants");
    group.sample_size(20);
    group.bench_function(format!("release pipeline ({} people, plans started)", rows.len()), |b| b.iter(|| black_box(store.release_pipeline(ctx.today).expect("pipeline"))));
    group.bench_function("the Today view", |b| b.iter(|| black_box(store.today_view(ctx.today).expect("today"))));
    group.bench_function("the whole day (Today screen, every facility)", |b| b.iter(|| black_box(store.my_day(ctx.today).expect("day"))));
    group.bench_function("open a plan (audited)", |b| b.iter(|| black_box(store.plan(&ctx, someone).expect("plan"))));
    let plan = store.plan(&ctx, someone).expect("plan");
    group.bench_function("set the release packet as a PDF", |b| {
        b.iter(|| black_box(render(&release_packet(&plan, &resources, &site, ctx.today, Language::Spanish))))
    });
    group.finish();
}

criterion_group!(benches, reentry);
criterion_main!(benches);
