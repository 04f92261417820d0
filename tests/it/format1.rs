//! A bundle written in format 1 (tests/format1, frozen by the last Bridger that wrote it) still
//! imports into a site that trusts its writer: every change checked against its own signature,
//! the data exactly as the writer held it, and a second import changing nothing.

use bridger::paths::SiteFiles;
use bridger::site;
use bridger::WriteCtx;
use std::path::Path;

/// The receiving site's digest after the import: the sending site's, as its README records.
const SENDER_DIGEST: &str = "30d0d19ceb63f18d911b23eb25ab69009f8d7b8faca53b12c134c96989761ab0";

fn later() -> WriteCtx {
    let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
    WriteCtx::fixed(day.and_hms_opt(12, 0, 0).expect("noon").and_utc().timestamp_millis() as u64, day, 17)
}

#[test]
fn a_frozen_format_1_bundle_imports_whole_and_once() {
    let frozen = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/format1");
    let dir = tempfile::tempdir().unwrap();
    let files = SiteFiles::for_db(dir.path().join("site.db"));
    std::fs::copy(frozen.join("site.db"), &files.db).unwrap();
    std::fs::copy(frozen.join("site.db.key"), &files.key).unwrap();
    let mut store = site::sign_in(&files, &later(), "demo", "peer-recovery-2026").expect("the frozen receiving site opens").store;

    let first = store.import_bundle(&later(), &frozen.join("format1.bundle"), None).expect("a format-1 bundle imports");
    assert_eq!((first.changes, first.updated_fields, first.already_present, first.conflicts), (41, 41, 0, 0), "{first:?}");
    assert!(first.kept_out.is_empty(), "{first:?}");
    assert_eq!(store.content_digest().unwrap(), SENDER_DIGEST, "the receiving site holds exactly what the sender held");
    let names: Vec<String> = store.search("nguyen", &Default::default(), 10).unwrap().rows.into_iter().map(|r| r.legal_name).collect();
    assert!(names.iter().any(|n| n == "NGUYỄN, Đặng"), "{names:?}");

    let again = store.import_bundle(&later(), &frozen.join("format1.bundle"), None).unwrap();
    assert!(again.nothing_new && again.already_present == 41, "{again:?}");
    assert_eq!(store.content_digest().unwrap(), SENDER_DIGEST);
}
