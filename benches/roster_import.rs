//! `make bench`: a jail roster of 5,000 rows brought into the 100,000-participant demo site,
//! encrypted: 4,000 people the jail holds already (one in eight moved to another cell) and
//! 1,000 new bookings. Measures the preview, the apply (each on a fresh copy of the site, the
//! source's first file, so every person is written), and the same file previewed once applied.

mod common;

use bridger::paths::SiteFiles;
use bridger::roster::Decisions;
use bridger::store::RosterRequest;
use common::{data_dir, database, fixed_ctx, sign_in};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const KEPT: usize = 4_000;
const NEW: usize = 1_000;

/// The facility's own roster, as the app exports it, reshaped into the jail's next file.
fn jail_file(exported: &Path, out: &Path) {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_path(exported).expect("the export");
    let mut rows = reader.records().map(|r| r.expect("a row"));
    let title = rows.next().expect("a title");
    let header = rows.next().expect("a header");
    let mut w = csv::WriterBuilder::new().flexible(true).from_path(out).expect("the roster file");
    w.write_record(&title).expect("write");
    w.write_record(&header).expect("write");
    let mut kept = 0;
    for (i, row) in rows.take(KEPT).enumerate() {
        let mut cells: Vec<String> = row.iter().map(str::to_string).collect();
        if i % 8 == 0 {
            cells[5] = format!("{}X", cells[5]);
        }
        w.write_record(&cells).expect("write");
        kept += 1;
    }
    assert_eq!(kept, KEPT, "the facility holds enough people");
    for n in 0..NEW {
        let born = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("date") + chrono::Duration::days(i64::try_from(n * 7).expect("small"));
        let cells = [format!("BENCH-{n:05}"), String::new(), format!("NEWCOMER, Person {n}"), born.to_string(), "A-North".into(), format!("{}", n % 40), "2026-11-20".into(), "TBD".into(), "DUI".into()];
        w.write_record(&cells).expect("write");
    }
    w.flush().expect("flush");
}

fn copy(from: &SiteFiles, to: &SiteFiles) {
    std::fs::copy(&from.db, &to.db).expect("copy");
    std::fs::copy(&from.key, &to.key).expect("copy key");
}

fn roster_import(c: &mut Criterion) {
    let source = database(100_000);
    let dir = tempfile::tempdir_in(data_dir()).expect("temp dir");
    let base = SiteFiles::for_db(dir.path().join("base.db"));
    copy(&source, &base);
    let ctx = fixed_ctx(13);
    let (facility, file) = {
        let mut store = sign_in(&base);
        let facility = store.facilities().expect("facilities").into_iter().find(|f| f.code == "RCJ").expect("the jail");
        let exported = dir.path().join("export.csv");
        store.export_roster(&ctx, facility.id, &exported).expect("export");
        let file = dir.path().join("jail-roster.csv");
        jail_file(&exported, &file);
        (facility.id, file)
    };
    let request = RosterRequest { facility, source: "Jail system", path: &file, mapping: None };
    let mut store = sign_in(&base);
    let preview = store.preview_roster(&ctx, &request).expect("preview");
    let c5 = &preview.comparison;
    assert_eq!((c5.new.len(), c5.changed.len(), c5.refused.len()), (NEW, KEPT, 0), "every kept person is linked to the source; one in eight moved");
    let plan = preview.plan.clone();

    let mut group = c.benchmark_group("a 5,000-row roster into 100,000 participants");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("preview (4,000 kept, 500 moved, 1,000 new)", |b| b.iter(|| black_box(store.preview_roster(&ctx, &request).expect("preview"))));
    drop(store);
    let scratch = SiteFiles::for_db(dir.path().join("scratch.db"));
    group.bench_function("apply, the source's first file (4,000 changed, 1,000 enrolled)", |b| {
        b.iter_batched(
            || {
                copy(&base, &scratch);
                sign_in(&scratch)
            },
            |mut store| black_box(store.apply_roster(&ctx, &request, &plan, &Decisions::default()).expect("apply")),
            BatchSize::PerIteration,
        )
    });
    let mut store = sign_in(&scratch);
    group.bench_function("the same file again, once applied (nothing new)", |b| {
        b.iter(|| {
            let again = store.preview_roster(&ctx, &request).expect("preview");
            assert!(again.comparison.new.is_empty() && again.comparison.changed.is_empty());
            black_box(again)
        })
    });
    group.finish();
}

criterion_group!(benches, roster_import);
criterion_main!(benches);
