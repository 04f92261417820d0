//! Rosters from the jail's system through the store: previewed without a write, applied all at
//! once and audited with the file's digest, applied again without a change; the next day's
//! file proposing releases, housing moves and returns for a person to confirm; stale previews,
//! bad files, the wrong role and the wrong facility refused with nothing written.

use crate::fixture::{account, after, count, jail_and_prison, person, signed_in, site_on_disk, today};
use bridger::auth::{Role, Scope};
use bridger::model::{Facility, ParticipantId, RosterFilter, Status};
use bridger::paths::SiteFiles;
use bridger::roster::compare::RecordField;
use bridger::roster::{Decisions, ReturnDecision};
use bridger::store::{RosterPreview, RosterRequest};
use bridger::{ErrorCode, Store};
use std::path::{Path, PathBuf};

/// The jail's in-custody report, as its system writes it: a title, a run line, Windows-1252
/// accents, month-first dates, a booking on one row per charge, and a total line.
fn first_day() -> Vec<u8> {
    let text = "RIVERSIDE COUNTY JAIL - IN CUSTODY\r\nRun 11/24/2026 06:00\r\n\r\n\
        Booking #,Inmate Name,DOB,Housing,Booking Date,Proj Release,Charge\r\n\
        26-0101,\"GARCÍA LÓPEZ, José Luis\",02/13/1985,A-POD-12B,11/20/2026,TBD,POSS CS\r\n\
        26-0101,\"GARCÍA LÓPEZ, José Luis\",02/13/1985,A-POD-12B,11/20/2026,TBD,FTA\r\n\
        26-0102,\"SMITH, Ann\",7/4/1990,B-East-3,11/21/2026,3/15/2027,DUI\r\n\
        26-0103,\"NÚÑEZ, Inés\",12/1/1979,A-POD-14,11/22/2026,LIFE,THEFT\r\n\
        26-0104,\"DOE, Jane\",2/30/1985,A-POD-1,11/22/2026,,TRESPASS\r\n\
        26-0105,\"ROE, Rick\",,A-POD-2,11/23/2026,,DUI\r\n\
        Total: 5 inmates\r\n";
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

/// The next day: Smith is gone, García moved to C-POD, Núñez's cell changed, and Okafor, known
/// from an earlier stay under another booking, is back.
fn next_day() -> Vec<u8> {
    let text = "RIVERSIDE COUNTY JAIL - IN CUSTODY\r\nRun 11/25/2026 06:00\r\n\r\n\
        Booking #,Inmate Name,DOB,Housing,Booking Date,Proj Release,Charge\r\n\
        26-0101,\"GARCÍA LÓPEZ, José Luis\",02/13/1985,C-POD-3A,11/20/2026,TBD,POSS CS\r\n\
        26-0101,\"GARCÍA LÓPEZ, José Luis\",02/13/1985,C-POD-3A,11/20/2026,TBD,FTA\r\n\
        26-0103,\"NÚÑEZ, Inés\",12/1/1979,A-POD-15,11/22/2026,LIFE,THEFT\r\n\
        26-0104,\"DOE, Jane\",2/30/1985,A-POD-1,11/22/2026,,TRESPASS\r\n\
        26-0105,\"ROE, Rick\",,A-POD-2,11/23/2026,,DUI\r\n\
        26-0190,\"OKAFOR, Chidi\",3/14/1988,B-East-1,11/24/2026,,PV\r\n\
        Total: 5 inmates\r\n";
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn request<'a>(facility: &Facility, path: &'a Path) -> RosterRequest<'a> {
    RosterRequest { facility: facility.id, source: "Jail system", path, mapping: None }
}

fn written(files: &SiteFiles) -> (i64, i64) {
    (count(files, "SELECT count(*) FROM journal"), count(files, "SELECT count(*) FROM participants"))
}

/// A site with the jail and a prison, and Okafor, released from the jail under an old booking.
fn site(dir: &tempfile::TempDir) -> (Store, SiteFiles, Facility, Facility, ParticipantId) {
    let (mut s, files) = site_on_disk(dir, "A", 1);
    let (jail, prison) = jail_and_prison(&mut s, &after(1));
    let okafor = s.enroll(&after(2), &person(&jail, "Chidi Okafor", "25-0042")).unwrap().id;
    let released = bridger::model::StatusChange { status: "released".into(), date: "2026-06-01".into(), note: String::new() };
    s.set_status(&after(3), okafor, &released).unwrap();
    (s, files, jail, prison, okafor)
}

/// The person holding `booking`.
fn booked(s: &Store, booking: &str) -> ParticipantId {
    let found = s.search(booking, &RosterFilter::default(), 5).unwrap().rows;
    assert_eq!(found.len(), 1, "{booking}");
    found[0].id
}

fn rows(p: &RosterPreview) -> (usize, usize, usize, usize) {
    (p.comparison.new.len(), p.comparison.changed.len(), p.comparison.unchanged, p.comparison.refused.len())
}

#[test]
fn a_roster_is_previewed_then_applied_whole_and_the_same_file_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, files, jail, _, _) = site(&dir);
    let path = file(&dir, "custody.csv", &first_day());
    let before = written(&files);
    let preview = s.preview_roster(&after(10), &request(&jail, &path)).unwrap();
    assert_eq!(written(&files), before, "a preview writes nothing but its audit entry");
    assert_eq!((preview.people, rows(&preview)), (5, (3, 0, 0, 2)));
    let refused: Vec<(usize, &str, &str)> = preview.comparison.refused.iter().map(|r| (r.row, r.column.as_str(), r.reason.as_str())).collect();
    assert_eq!(
        refused,
        [
            (9, "DOB", "\"2/30/1985\" is not a date (month/day/year (2/3/1985))"),
            (10, "DOB", "no date of birth: a new record needs one, to tell people with one name apart")
        ]
    );
    assert_eq!(preview.comparison.new_units, ["A-POD"], "B-East is the facility's already");
    assert_eq!(preview.file_name, "custody.csv");
    assert_eq!(preview.digest.len(), 64);

    let done = s.apply_roster(&after(11), &request(&jail, &path), &preview.plan, &Decisions::default()).unwrap();
    assert_eq!((done.enrolled, done.changed, done.refused, done.units_added, done.nothing_new), (3, 0, 2, 1, false));
    let jose = s.view_participant(&after(12), booked(&s, "26-0101")).unwrap();
    assert_eq!(jose.legal_name, "GARCÍA LÓPEZ, José Luis", "Windows-1252 accents read as written");
    assert_eq!((jose.unit_name.as_deref(), jose.cell.as_deref()), (Some("A-POD"), Some("12B")));
    assert_eq!((jose.release_date, jose.release_note.as_deref()), (None, Some("TBD")));
    assert_eq!(jose.charges, ["POSS CS", "FTA"]);
    assert_eq!(jose.admission_date.to_string(), "2026-11-20");
    assert_eq!(count(&files, "SELECT count(*) FROM roster_imports WHERE people = 5 AND enrolled = 3 AND refused = 2"), 1);
    assert_eq!(count(&files, &format!("SELECT count(*) FROM audit_log WHERE action = 'import' AND detail LIKE '%{}%'", preview.digest)), 1, "audited as one import with the file's digest");

    let digest = s.content_digest().unwrap();
    let again = s.preview_roster(&after(13), &request(&jail, &path)).unwrap();
    assert_eq!(rows(&again), (0, 0, 3, 2), "the saved mapping reads it; every person unchanged");
    let before = written(&files);
    let done = s.apply_roster(&after(14), &request(&jail, &path), &again.plan, &Decisions::default()).unwrap();
    assert!(done.nothing_new);
    assert_eq!((written(&files), s.content_digest().unwrap()), (before, digest), "the same file again changes nothing");
}

#[test]
fn the_next_days_roster_proposes_moves_releases_and_returns_for_a_person_to_confirm() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, files, jail, _, okafor) = site(&dir);
    let day1 = file(&dir, "day1.csv", &first_day());
    let p = s.preview_roster(&after(10), &request(&jail, &day1)).unwrap();
    s.apply_roster(&after(11), &request(&jail, &day1), &p.plan, &Decisions::default()).unwrap();

    let day2 = file(&dir, "day2.csv", &next_day());
    let p = s.preview_roster(&after(20), &request(&jail, &day2)).unwrap();
    let c = &p.comparison;
    assert_eq!((c.new.len(), c.unchanged), (0, 0));
    let moves: Vec<(&str, Vec<RecordField>, bool)> = c.changed.iter().map(|ch| (ch.entry.booking.as_str(), ch.changes.iter().map(|x| x.field).collect(), ch.moved)).collect();
    assert_eq!(moves, [("26-0101", vec![RecordField::Unit, RecordField::Cell], true), ("26-0103", vec![RecordField::Cell], true)]);
    assert_eq!(c.new_units, ["C-POD"]);
    assert_eq!(c.releases.iter().map(|r| r.booking.as_str()).collect::<Vec<_>>(), ["26-0102"], "Smith, missing from the roster");
    assert_eq!(c.returns.len(), 1);
    assert_eq!(count(&files, &format!("SELECT count(*) FROM audit_log WHERE record_id = '{okafor}' AND detail = 'roster preview: possible return'")), 1, "shown as a candidate, audited as a view of his record");
    assert_eq!((c.returns[0].entry.booking.as_str(), c.returns[0].candidates[0].participant, c.returns[0].candidates[0].booking.as_str()), ("26-0190", okafor, "25-0042"));

    // Nothing confirmed: the moves are applied, the release and the return wait.
    let done = s.apply_roster(&after(21), &request(&jail, &day2), &p.plan, &Decisions::default()).unwrap();
    assert_eq!((done.changed, done.released, done.returned, done.waiting), (2, 0, 0, 1));
    let smith = booked(&s, "26-0102");
    assert_eq!(s.view_participant(&after(22), smith).unwrap().status, Status::Active, "never released unasked");

    let p = s.preview_roster(&after(23), &request(&jail, &day2)).unwrap();
    assert_eq!((p.comparison.changed.len(), p.comparison.releases.len(), p.comparison.returns.len()), (0, 1, 1));
    let before = count(&files, "SELECT count(*) FROM journal");
    let twice = Decisions { releases: vec![], returns: vec![ReturnDecision { booking: "26-0190".into(), same_as: Some(okafor) }, ReturnDecision { booking: "26-0190".into(), same_as: None }] };
    let refused = s.apply_roster(&after(24), &request(&jail, &day2), &p.plan, &twice).unwrap_err();
    assert_eq!(refused.to_string(), "returns: booking 26-0190 is decided twice: choose one answer");
    assert_eq!(count(&files, "SELECT count(*) FROM journal"), before, "nothing written");
    let decided = Decisions { releases: vec![smith], returns: vec![ReturnDecision { booking: "26-0190".into(), same_as: Some(okafor) }] };
    let done = s.apply_roster(&after(24), &request(&jail, &day2), &p.plan, &decided).unwrap();
    assert_eq!((done.released, done.returned, done.enrolled), (1, 1, 0));
    let smith = s.view_participant(&after(25), smith).unwrap();
    assert_eq!((smith.status, smith.status_note.as_deref()), (Status::Released, Some("not on the roster of Jail system of 2026-11-24")));
    let okafor = s.view_participant(&after(26), okafor).unwrap();
    assert_eq!((okafor.status, okafor.facility_number.as_str(), okafor.unit_name.as_deref()), (Status::Active, "26-0190", Some("B-East")));
    assert_eq!(okafor.status_note.as_deref(), Some("back under booking 26-0190 (was 25-0042)"));
    assert_eq!(okafor.legal_name, "Chidi Okafor", "the name as it was typed stays: the roster's is the same name");
    assert_eq!(count(&files, "SELECT count(*) FROM participants WHERE legal_name LIKE '%Okafor%' OR legal_name LIKE '%OKAFOR%'"), 1, "one person, not two");
    assert_eq!(count(&files, "SELECT count(*) FROM roster_imports"), 3);
}

#[test]
fn a_stale_preview_a_bad_file_or_a_decision_not_proposed_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, files, jail, _, okafor) = site(&dir);
    let path = file(&dir, "day1.csv", &first_day());
    let p = s.preview_roster(&after(10), &request(&jail, &path)).unwrap();

    // Someone enrols a person the roster lists between the preview and the apply.
    let mut ann = person(&jail, "SMITH, Ann", "26-0102");
    ann.dob = "1990-07-04".into();
    s.enroll(&after(11), &ann).unwrap();
    let before = written(&files);
    let stale = s.apply_roster(&after(12), &request(&jail, &path), &p.plan, &Decisions::default()).unwrap_err();
    assert_eq!(stale.to_string(), "the file or the records changed since the preview: preview the roster again before applying it");
    assert_eq!(written(&files), before);

    let p = s.preview_roster(&after(13), &request(&jail, &path)).unwrap();
    let strays = [
        Decisions { releases: vec![okafor], returns: vec![] },
        Decisions { releases: vec![], returns: vec![ReturnDecision { booking: "26-0101".into(), same_as: None }] },
    ];
    for stray in strays {
        let refused = s.apply_roster(&after(14), &request(&jail, &path), &p.plan, &stray).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Validation, "{refused}");
        assert_eq!(written(&files), before, "{refused}");
    }

    for (bytes, said) in [
        (&b""[..], "the file is empty"),
        (&b"Booking,Name\n"[..], "the file has a header but no people under it"),
        (&b"\x00\x01\x02binary\xff"[..], "the file holds binary data"),
    ] {
        let bad = file(&dir, "bad.csv", bytes);
        let refused = s.preview_roster(&after(15), &request(&jail, &bad)).unwrap_err();
        assert!(refused.to_string().contains(said), "{refused} / {said}");
    }
    let twice: bridger::roster::Mapping = serde_json::from_str(
        r#"{"columns":[{"header":"Booking #","field":"booking"},{"header":"Inmate Name","field":"full_name"},{"header":"Inmate Name","field":"last_name"}],"century_pivot":26}"#,
    )
    .unwrap();
    let mapped_twice = RosterRequest { mapping: Some(&twice), ..request(&jail, &path) };
    let refused = s.apply_roster(&after(16), &mapped_twice, &p.plan, &Decisions::default()).unwrap_err();
    assert!(refused.fields().iter().any(|f| f.message == "the column \"Inmate Name\" is mapped twice, to Name as LAST, FIRST MIDDLE and to Last name"), "{refused:?}");
    assert_eq!(written(&files), before);
    let nameless = RosterRequest { source: "  ", ..request(&jail, &path) };
    assert_eq!(s.preview_roster(&after(17), &nameless).unwrap_err().fields()[0].field, "source");
}

#[test]
fn a_peer_specialist_or_an_account_of_another_facility_cannot_bring_in_a_roster() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, files, jail, prison, _) = site(&dir);
    let path = file(&dir, "day1.csv", &first_day());
    let plan = s.preview_roster(&after(10), &request(&jail, &path)).unwrap().plan;
    account(&files, &mut s, "pat", vec![Role::PeerSpecialist], Scope::Facilities(vec![jail.id]));
    account(&files, &mut s, "ray", vec![Role::ReentryStaff], Scope::Facilities(vec![prison.id]));
    let before = written(&files);
    let mut peer = signed_in(&files, "pat");
    let refused = peer.preview_roster(&after(11), &request(&jail, &path)).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
    assert_eq!(peer.apply_roster(&after(12), &request(&jail, &path), &plan, &Decisions::default()).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(peer.read_roster(&request(&jail, &path), today()).unwrap_err().code(), ErrorCode::Forbidden);
    let mut other = signed_in(&files, "ray");
    for refused in [
        other.preview_roster(&after(13), &request(&jail, &path)).unwrap_err(),
        other.apply_roster(&after(14), &request(&jail, &path), &plan, &Decisions::default()).unwrap_err(),
        other.read_roster(&request(&jail, &path), today()).unwrap_err(),
    ] {
        assert_eq!(refused.code(), ErrorCode::OutOfScope, "{refused}");
    }
    // Their own facility's roster is theirs to bring in; Okafor, kept at the jail, is not offered
    // to them as a return, while an account over both facilities is offered him.
    let day2 = file(&dir, "day2.csv", &next_day());
    let own = RosterRequest { facility: prison.id, ..request(&jail, &day2) };
    let p = other.preview_roster(&after(15), &own).unwrap();
    assert_eq!((p.comparison.new.len(), p.comparison.returns.len()), (3, 0), "{:?}", p.comparison.returns);
    assert_eq!(s.preview_roster(&after(16), &own).unwrap().comparison.returns.len(), 1, "the same file, for an account that may see the jail");
    let journal = count(&files, "SELECT count(*) FROM journal");
    assert_eq!((journal - before.0, count(&files, "SELECT count(*) FROM participants")), (0, before.1), "nothing written by anyone refused");
}

#[test]
fn the_mapping_screen_reads_the_columns_and_the_first_people() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _, jail, _, _) = site(&dir);
    let path = file(&dir, "day1.csv", &first_day());
    let sheet = s.read_roster(&request(&jail, &path), today()).unwrap();
    assert_eq!((sheet.header_row, sheet.rows, sheet.set_aside, sheet.saved), (4, 6, 3, false));
    assert_eq!(sheet.columns, ["Booking #", "Inmate Name", "DOB", "Housing", "Booking Date", "Proj Release", "Charge"]);
    assert_eq!(sheet.sample[0][1], "GARCÍA LÓPEZ, José Luis");
    assert_eq!(sheet.mapping.columns.len(), 7);
    let p = s.preview_roster(&after(10), &request(&jail, &path)).unwrap();
    s.apply_roster(&after(11), &request(&jail, &path), &p.plan, &Decisions::default()).unwrap();
    assert!(s.read_roster(&request(&jail, &path), today()).unwrap().saved, "saved under the source's name");
    let sources = s.roster_sources(jail.id).unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!((sources[0].name.as_str(), sources[0].last_imported_on, sources[0].last_file.as_deref()), ("Jail system", Some(today()), Some("day1.csv")));
}

#[test]
fn the_roster_exported_reads_back_through_the_import_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, files, jail, prison, _) = site(&dir);
    let day1 = file(&dir, "day1.csv", &first_day());
    let p = s.preview_roster(&after(10), &request(&jail, &day1)).unwrap();
    s.apply_roster(&after(11), &request(&jail, &day1), &p.plan, &Decisions::default()).unwrap();
    let out = dir.path().join("export.csv");
    assert_eq!(s.export_roster(&after(12), jail.id, &out).unwrap(), 3, "the people in custody; Okafor is released");
    assert_eq!(count(&files, "SELECT count(*) FROM audit_log WHERE action = 'export' AND detail = 'roster file'"), 3);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.lines().next().unwrap().contains("Roster of Riverside County Jail from Bridger, 2026-11-24"), "{text}");
    assert!(text.contains("26-0101,,\"GARCÍA LÓPEZ, José Luis\",1985-02-13,A-POD,12B,2026-11-20,TBD,POSS CS"), "{text}");
    let back = RosterRequest { source: "Bridger export", ..request(&jail, &out) };
    let back = s.preview_roster(&after(13), &back).unwrap();
    assert_eq!((rows(&back), back.comparison.releases.len(), back.comparison.returns.len()), ((0, 0, 3, 0), 0, 0), "{:?}", back.comparison);

    account(&files, &mut s, "pat", vec![Role::PeerSpecialist], Scope::Facilities(vec![jail.id]));
    account(&files, &mut s, "cole", vec![Role::Coordinator], Scope::Facilities(vec![prison.id]));
    let refused = signed_in(&files, "pat").export_roster(&after(15), jail.id, &dir.path().join("peer.csv")).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
    let refused = signed_in(&files, "cole").export_roster(&after(16), jail.id, &dir.path().join("other.csv")).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::OutOfScope);
    assert!(!dir.path().join("peer.csv").exists() && !dir.path().join("other.csv").exists(), "nothing written by anyone refused");
}


#[test]
fn a_person_back_under_a_new_booking_is_not_also_released_under_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, files, jail, _, _) = site(&dir);
    let day1 = file(&dir, "day1.csv", &first_day());
    let p = s.preview_roster(&after(10), &request(&jail, &day1)).unwrap();
    s.apply_roster(&after(11), &request(&jail, &day1), &p.plan, &Decisions::default()).unwrap();
    // Smith is rebooked: the old booking is gone from the roster, a new one has her name and birth date.
    let text = encoding_rs::WINDOWS_1252.decode(&first_day()).0.replace("26-0102,\"SMITH, Ann\"", "26-0199,\"SMITH, Ann\"");
    let day2 = file(&dir, "day2.csv", &encoding_rs::WINDOWS_1252.encode(&text).0);
    let p = s.preview_roster(&after(12), &request(&jail, &day2)).unwrap();
    let smith = booked(&s, "26-0102");
    assert_eq!(p.comparison.releases.iter().map(|r| r.participant).collect::<Vec<_>>(), [smith]);
    assert_eq!(p.comparison.returns[0].candidates[0].participant, smith);
    let before = count(&files, "SELECT count(*) FROM journal");
    let both = Decisions { releases: vec![smith], returns: vec![ReturnDecision { booking: "26-0199".into(), same_as: Some(smith) }] };
    let refused = s.apply_roster(&after(13), &request(&jail, &day2), &p.plan, &both).unwrap_err();
    assert!(refused.to_string().contains("is both confirmed as released and back under a new booking: choose one"), "{refused}");
    assert_eq!(count(&files, "SELECT count(*) FROM journal"), before, "nothing written");
    let back = Decisions { releases: vec![], returns: vec![ReturnDecision { booking: "26-0199".into(), same_as: Some(smith) }] };
    s.apply_roster(&after(14), &request(&jail, &day2), &p.plan, &back).unwrap();
    let smith = s.view_participant(&after(15), smith).unwrap();
    assert_eq!((smith.status, smith.facility_number.as_str(), smith.charges.as_slice()), (Status::Active, "26-0199", &["DUI".to_string()][..]));
}

#[cfg(unix)]
#[test]
fn a_pipe_or_a_device_is_not_read_as_a_roster() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _, jail, _, _) = site(&dir);
    let pipe = dir.path().join("roster.csv");
    assert!(std::process::Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    for path in [pipe.as_path(), Path::new("/dev/zero")] {
        let refused = s.preview_roster(&after(10), &request(&jail, path)).unwrap_err();
        assert!(refused.to_string().contains("is not a file: choose the roster file"), "{refused}");
    }
}
