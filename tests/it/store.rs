use crate::fixture::{count, ctx, file_store, person, store};
use bridger::model::{ParticipantInput, RosterFilter, Status, StatusChange};
use bridger::{ErrorCode, Store};

fn fields(e: &bridger::Error) -> Vec<&'static str> {
    e.fields().iter().map(|f| f.field).collect()
}

#[test]
fn enrolling_stores_clean_values_and_starts_active() {
    let (mut s, ctx, f) = store();
    let p = s.enroll(&ctx, &person(&f, "  garcía lópez,   José ", "b-1")).unwrap();
    assert_eq!(p.legal_name, "garcía lópez, José");
    assert_eq!(p.facility_number, "B-1");
    assert_eq!(p.status, Status::Active);
    assert_eq!(p.status_date, p.admission_date);
    assert_eq!(p.unit_name.as_deref(), Some("A-North"));
    assert_eq!(p.facility_name, "Riverside County Jail");
}

#[test]
fn a_number_is_unique_within_a_facility_and_the_message_names_no_one() {
    let (mut s, ctx, f) = store();
    s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let e = s.enroll(&ctx, &person(&f, "JONES, Ann", " b-1 ")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    assert_eq!(fields(&e), ["facility_number"]);
    assert!(!e.to_string().contains("SMITH") && !e.to_string().contains("JONES"), "a refusal on a shared screen names no one: {e}");
    assert_eq!(s.roster_page(&RosterFilter::default(), 0, 10).unwrap().total, 1);
}

#[test]
fn a_unit_from_another_facility_is_refused() {
    let (mut s, ctx, f) = store();
    let other = s
        .create_facility(&ctx, &bridger::model::NewFacility { name: "Eastfield".into(), code: "ESP".into(), units: vec!["Unit 1".into()], rooms: vec![] })
        .unwrap();
    let mut input = person(&f, "SMITH, Mary", "B-1");
    input.unit_id = other.units[0].id.to_string();
    let e = s.enroll(&ctx, &input).unwrap_err();
    assert_eq!(fields(&e), ["unit_id"]);
    assert!(e.to_string().contains("Riverside County Jail"));
}

#[test]
fn a_release_before_admission_changes_nothing() {
    let (mut s, ctx, f) = store();
    let p = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let original = p.to_input();
    let mut edited = original.clone();
    edited.release_date = "2026-01-01".into();
    edited.program = "MOUD continuity".into();
    let e = s.update_participant(&ctx, p.id, &original, &edited).unwrap_err();
    assert_eq!(fields(&e), ["release_date"]);
    assert_eq!(s.view_participant(&ctx, p.id).unwrap(), p);
}

#[test]
fn an_edit_writes_only_the_fields_that_changed() {
    let (mut s, ctx, f) = store();
    let p = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let original = p.to_input();
    let edited = ParticipantInput { preferred_name: "Mare".into(), ..original.clone() };
    let after = s.update_participant(&ctx, p.id, &original, &edited).unwrap();
    assert_eq!(after.preferred_name.as_deref(), Some("Mare"));
    assert_eq!(after.legal_name, p.legal_name);
}

#[test]
fn a_field_someone_else_changed_meanwhile_is_not_overwritten() {
    let (mut s, ctx, f) = store();
    let p = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let opened = p.to_input();
    // Someone else changes the program while the form is open.
    let theirs = ParticipantInput { program: "MOUD continuity".into(), ..opened.clone() };
    s.update_participant(&ctx, p.id, &opened, &theirs).unwrap();
    // Our save changes a different field: it lands, and their program stays.
    let ours = ParticipantInput { preferred_name: "Mare".into(), ..opened.clone() };
    let after = s.update_participant(&ctx, p.id, &opened, &ours).unwrap();
    assert_eq!(after.program.as_deref(), Some("MOUD continuity"));
    assert_eq!(after.preferred_name.as_deref(), Some("Mare"));
    // A save that changes the same field they changed is refused, naming it.
    let clash = ParticipantInput { program: "RSAT aftercare".into(), ..opened.clone() };
    let e = s.update_participant(&ctx, p.id, &opened, &clash).unwrap_err();
    assert_eq!(fields(&e), ["program"]);
    assert_eq!(s.view_participant(&ctx, p.id).unwrap().program.as_deref(), Some("MOUD continuity"));
}

#[test]
fn status_changes_are_recorded_and_checked() {
    let (mut s, ctx, f) = store();
    let p = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let change = StatusChange { status: "released".into(), date: "2026-11-20".into(), note: "to probation".into() };
    let after = s.set_status(&ctx, p.id, &change).unwrap();
    assert_eq!(after.status, Status::Released);
    assert_eq!(after.status_note.as_deref(), Some("to probation"));
    let future = StatusChange { date: "2026-12-01".into(), ..change };
    assert_eq!(fields(&s.set_status(&ctx, p.id, &future).unwrap_err()), ["date"]);
    let released = RosterFilter { status: Some(Status::Released), ..Default::default() };
    assert_eq!(s.roster_page(&released, 0, 10).unwrap().total, 1);
}

#[test]
fn a_deleted_participant_is_a_tombstone() {
    let (mut s, ctx, f) = store();
    let p = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    s.delete_participant(&ctx, p.id).unwrap();
    assert_eq!(s.view_participant(&ctx, p.id).unwrap_err().code(), ErrorCode::NotFound);
    assert!(s.search("smith", &RosterFilter::default(), 10).unwrap().rows.is_empty());
    assert_eq!(s.roster_page(&RosterFilter::default(), 0, 10).unwrap().total, 0);
    assert_eq!(s.delete_participant(&ctx, p.id).unwrap_err().code(), ErrorCode::NotFound);
    // The number is free again for a new booking.
    s.enroll(&ctx, &person(&f, "JONES, Ann", "B-1")).unwrap();
}

#[test]
fn duplicates_are_found_by_number_or_by_birth_date_and_name() {
    let (mut s, ctx, f) = store();
    let jose = s.enroll(&ctx, &person(&f, "GARCÍA LÓPEZ, José", "B-1")).unwrap();
    s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-2")).unwrap();
    let same_name = person(&f, "Garcia Lopez, Jose", "B-9");
    let found = s.possible_duplicates(&same_name, None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].row.id, jose.id);
    assert!(found[0].reason.contains("date of birth"));
    let same_number = ParticipantInput { dob: "1970-01-01".into(), ..person(&f, "Someone Else", "b-1") };
    assert!(s.possible_duplicates(&same_number, None).unwrap()[0].reason.contains("facility number"));
    let other_dob = ParticipantInput { dob: "1990-01-01".into(), ..person(&f, "GARCÍA LÓPEZ, José", "B-10") };
    assert!(s.possible_duplicates(&other_dob, None).unwrap().is_empty());
    assert!(s.possible_duplicates(&person(&f, "GARCÍA LÓPEZ, José", "B-1"), Some(jose.id)).unwrap().is_empty());
}

#[test]
fn every_write_journals_its_fields_and_audits_in_the_same_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, f, path) = file_store(&dir);
    let audit_before = count(&path, "SELECT count(*) FROM audit_log");
    let p = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let journalled = s.journal_entries().unwrap().iter().filter(|j| j.record_id == p.id.to_string()).count() as i64;
    let clocks = s.synced_records().unwrap()[&("participants".to_string(), p.id.to_string())].len() as i64;
    assert_eq!(journalled, 11, "every non-empty field and the status pair");
    assert_eq!(clocks, journalled);
    assert_eq!(count(&path, "SELECT count(*) FROM audit_log") - audit_before, 1);
    // A refused write leaves no journal or audit trace.
    let _ = s.enroll(&ctx, &person(&f, "JONES, Ann", "B-1")).unwrap_err();
    assert_eq!(count(&path, "SELECT count(*) FROM audit_log") - audit_before, 1);
    assert_eq!(count(&path, "SELECT count(*) FROM journal WHERE tbl = 'participants'"), 11);
}

#[test]
fn a_batch_is_all_or_nothing() {
    let (mut s, ctx, f) = store();
    let good = person(&f, "SMITH, Mary", "B-1");
    let bad = person(&f, "", "B-2");
    let e = s.enroll_many(&ctx, &[good.clone(), bad]).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    assert_eq!(s.roster_page(&RosterFilter::default(), 0, 10).unwrap().total, 0);
}

#[test]
fn nothing_is_read_or_written_before_someone_signs_in() {
    let mut s = Store::open_in_memory().unwrap();
    let e = s
        .create_facility(&ctx(), &bridger::model::NewFacility { name: "Jail".into(), code: "J".into(), ..Default::default() })
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotSignedIn);
    assert!(e.to_string().contains("sign in"));
    assert_eq!(s.roster_page(&RosterFilter::default(), 0, 10).unwrap_err().code(), ErrorCode::NotSignedIn);
}

#[test]
fn setup_checks_everything_before_creating_the_site() {
    let mut s = Store::open_in_memory().unwrap();
    let mut setup = crate::fixture::setup();
    setup.facility = Some(bridger::model::NewFacility { name: "Jail".into(), code: "not a code!".into(), ..Default::default() });
    setup.admin.password = "short".into();
    let e = s.setup(&ctx(), &setup).unwrap_err();
    assert_eq!(fields(&e), ["code", "password"]);
    assert_eq!(s.site().unwrap_err().code(), ErrorCode::NotSignedIn, "nobody was signed in by a refused setup");
    assert_eq!(s.setup(&ctx(), &crate::fixture::setup()).unwrap().name, "Test Site");
    assert!(s.setup(&ctx(), &crate::fixture::setup()).unwrap_err().to_string().contains("already belongs"));
}

#[test]
fn an_edit_of_a_record_that_fails_todays_rules_still_saves() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, f, path) = file_store(&dir);
    let p = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    // As if it arrived from a workstation whose calendar was wrong: admitted in the future.
    crate::fixture::raw(&path)
        .execute("UPDATE participants SET admission_date = '2027-06-01', release_date = NULL", [])
        .unwrap();
    let stored = s.view_participant(&ctx, p.id).unwrap();
    let original = stored.to_input();
    let edited = ParticipantInput { admission_date: "2026-06-01".into(), preferred_name: "Mare".into(), ..original.clone() };
    let after = s.update_participant(&ctx, p.id, &original, &edited).unwrap();
    assert_eq!(after.preferred_name.as_deref(), Some("Mare"));
    assert_eq!(after.admission_date.to_string(), "2026-06-01");
}

#[test]
fn an_edit_is_checked_together_with_what_others_changed_meanwhile() {
    let (mut s, ctx, f) = store();
    let p = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let opened = p.to_input();
    // Someone else moves the admission date later while the form is open.
    let theirs = ParticipantInput { admission_date: "2026-09-01".into(), ..opened.clone() };
    s.update_participant(&ctx, p.id, &opened, &theirs).unwrap();
    // Our release date is fine against the admission we saw, not against the stored one.
    let ours = ParticipantInput { release_date: "2026-08-01".into(), ..opened.clone() };
    let e = s.update_participant(&ctx, p.id, &opened, &ours).unwrap_err();
    assert_eq!(fields(&e), ["release_date"]);
    assert!(e.to_string().contains("2026-09-01"), "{e}");
    assert_eq!(s.view_participant(&ctx, p.id).unwrap().release_date.map(|d| d.to_string()).as_deref(), Some("2027-01-15"));
}

#[test]
fn enrolling_a_possible_duplicate_needs_the_persons_confirmation() {
    use bridger::model::{DuplicateCheck, Enrolment};
    let (mut s, ctx, f) = store();
    s.enroll(&ctx, &person(&f, "GARCÍA LÓPEZ, José", "B-1")).unwrap();
    let again = person(&f, "Garcia Lopez, Jose", "B-2");
    match s.enroll_checked(&ctx, &again, DuplicateCheck::Check).unwrap() {
        Enrolment::PossibleDuplicates { candidates } => assert_eq!(candidates.len(), 1),
        Enrolment::Enrolled { .. } => panic!("enrolled without confirmation"),
    }
    assert_eq!(s.roster_page(&RosterFilter::default(), 0, 10).unwrap().total, 1);
    // Field errors come before any duplicate check.
    let bad = ParticipantInput { admission_date: "soon".into(), ..again.clone() };
    assert_eq!(fields(&s.enroll_checked(&ctx, &bad, DuplicateCheck::Check).unwrap_err()), ["admission_date"]);
    assert!(matches!(s.enroll_checked(&ctx, &again, DuplicateCheck::ConfirmedNewPerson).unwrap(), Enrolment::Enrolled { .. }));
    assert_eq!(s.roster_page(&RosterFilter::default(), 0, 10).unwrap().total, 2);
}

#[test]
fn the_content_digest_follows_the_data_not_its_history() {
    let (mut s, ctx, f) = store();
    let p = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let before = s.content_digest().unwrap();
    assert_eq!(before.len(), 64);
    s.view_participant(&ctx, p.id).unwrap();
    assert_eq!(s.content_digest().unwrap(), before, "looking (an audit entry) changes no synced data");
    let original = p.to_input();
    let edited = ParticipantInput { notes: "moved to A-North".into(), ..original.clone() };
    s.update_participant(&ctx, p.id, &original, &edited).unwrap();
    let changed = s.content_digest().unwrap();
    assert_ne!(changed, before);
    s.update_participant(&ctx, p.id, &edited, &original).unwrap();
    assert_eq!(s.content_digest().unwrap(), before, "the same values give the same digest, whatever happened between");
}
