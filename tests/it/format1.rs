//! A bundle written in format 1 (tests/format1, frozen by the last Bridger that wrote it) still
//! imports into a site that trusts its writer: every change checked against its own signature,
//! the data exactly as the writer held it, and a second import changing nothing. Its writer,
//! upgraded, then sends format 2: one segment holding the changes the receiver already has and
//! the new ones, of which the receiver takes the rest.

use bridger::paths::SiteFiles;
use bridger::site;
use bridger::{Store, WriteCtx};
use std::path::{Path, PathBuf};

/// The receiving site's digest after the import: the sending site's, as its README records.
const SENDER_DIGEST: &str = "30d0d19ceb63f18d911b23eb25ab69009f8d7b8faca53b12c134c96989761ab0";

fn later() -> WriteCtx {
    at_seed(17)
}

/// The same moment with ids of its own, for a second site.
fn at_seed(seed: u64) -> WriteCtx {
    let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
    WriteCtx::fixed(day.and_hms_opt(12, 0, 0).expect("noon").and_utc().timestamp_millis() as u64, day, seed)
}

fn frozen() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/format1")
}

/// A working copy of one of the frozen sites, signed in.
fn open(name: &str, dir: &tempfile::TempDir) -> Store {
    let files = SiteFiles::for_db(dir.path().join(format!("{name}.db")));
    std::fs::copy(frozen().join(format!("{name}.db")), &files.db).unwrap();
    std::fs::copy(frozen().join(format!("{name}.db.key")), &files.key).unwrap();
    site::sign_in(&files, &later(), "demo", "peer-recovery-2026").unwrap_or_else(|e| panic!("the frozen {name} opens: {e}")).store
}

#[test]
fn a_frozen_format_1_bundle_imports_whole_and_once_and_its_writer_then_sends_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open("site", &dir);
    let first = store.import_bundle(&later(), &frozen().join("format1.bundle"), None).expect("a format-1 bundle imports");
    assert_eq!((first.changes, first.updated_fields, first.already_present, first.conflicts), (41, 41, 0, 0), "{first:?}");
    assert!(first.kept_out.is_empty(), "{first:?}");
    assert_eq!(store.content_digest().unwrap(), SENDER_DIGEST, "the receiving site holds exactly what the sender held");
    let names: Vec<String> = store.search("nguyen", &Default::default(), 10).unwrap().rows.into_iter().map(|r| r.legal_name).collect();
    assert_eq!(names, ["NGUYỄN, Đặng"]);

    let again = store.import_bundle(&later(), &frozen().join("format1.bundle"), None).unwrap();
    assert!(again.nothing_new && again.already_present == 41, "{again:?}");
    assert_eq!(store.content_digest().unwrap(), SENDER_DIGEST);

    // The writer, upgraded, seals everything it wrote into one segment: 41 changes the receiver
    // holds already (signed alone, in format 1) and the new person's.
    let mut sender = open("sender", &dir);
    assert_eq!(sender.content_digest().unwrap(), SENDER_DIGEST);
    let facility = sender.facilities().unwrap().remove(0);
    sender.enroll(&later(), &crate::fixture::person(&facility, "OKAFOR, Chidi", "B-1004")).unwrap();
    let to = store.site().unwrap().site_id;
    let path = dir.path().join("format2.bundle");
    let sent = sender.export_bundle(&later(), to, false, &path).unwrap();
    assert!(sent.changes > 41, "{sent:?}");
    let rest = store.import_bundle(&later(), &path, None).unwrap();
    assert_eq!(rest.already_present, 41, "{rest:?}");
    assert_eq!(rest.updated_fields, sent.changes - 41, "{rest:?}");
    assert_eq!(rest.new_records, 1, "one new person: {rest:?}");
    assert_eq!(store.content_digest().unwrap(), sender.content_digest().unwrap());

    // A bundle with more changes than the site has people rebuilds the search index once rather
    // than change by change: the people it brought are found, and so is one enrolled after it.
    assert_eq!(store.search("okafor", &Default::default(), 5).unwrap().rows.len(), 1);
    store.enroll(&at_seed(18), &crate::fixture::person(&facility, "MENSAH, Ama", "B-1005")).unwrap();
    assert_eq!(store.search("mensah", &Default::default(), 5).unwrap().rows.len(), 1, "the index follows edits again");
    assert_eq!(store.search("nguyen", &Default::default(), 5).unwrap().rows.len(), 1);
}
