use bridger::model::{Facility, NewFacility, ParticipantInput};
use bridger::{Store, WriteCtx};
use chrono::NaiveDate;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("a valid date")
}

/// A fixed context: 2026-11-24 at noon UTC, seed 7.
pub fn ctx() -> WriteCtx {
    WriteCtx::fixed("test", 1_795_521_600_000, today(), 7)
}

/// An in-memory store with a site and one facility (units A-North and B-East, one room).
pub fn store() -> (Store, WriteCtx, Facility) {
    set_up(Store::open_in_memory().expect("in-memory store"))
}

/// The same on a file in `dir`, for tests that look at the file through a second connection.
pub fn file_store(dir: &tempfile::TempDir) -> (Store, WriteCtx, Facility, std::path::PathBuf) {
    let path = dir.path().join("site.db");
    let (store, ctx, facility) = set_up(Store::open(&path).expect("file store"));
    (store, ctx, facility, path)
}

fn set_up(mut store: Store) -> (Store, WriteCtx, Facility) {
    let ctx = ctx();
    store.init_site(&ctx, "Test Site").expect("site");
    let facility = store
        .create_facility(
            &ctx,
            &NewFacility {
                name: "Riverside County Jail".into(),
                code: "rcj".into(),
                units: vec!["A-North".into(), "B-East".into()],
                rooms: vec!["Program Room 1".into()],
            },
        )
        .expect("facility");
    (store, ctx, facility)
}

pub fn person(facility: &Facility, name: &str, number: &str) -> ParticipantInput {
    ParticipantInput {
        legal_name: name.into(),
        dob: "1988-03-14".into(),
        facility_number: number.into(),
        facility_id: facility.id.to_string(),
        unit_id: facility.units.first().map(|u| u.id.to_string()).unwrap_or_default(),
        admission_date: "2026-05-02".into(),
        release_date: "2027-01-15".into(),
        program: "RSAT".into(),
        ..Default::default()
    }
}

/// Counts rows of a table through a second connection to the same file.
pub fn count(path: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).expect("count")
}
