//! Incarcerated peer mentors, the supervision report and program readiness through the store:
//! evaluations, the summary of peer work (its contents counted from roll call, contacts, the
//! supervision log and the training ledger), the PDF and its audit; a period's lapses; dated
//! readiness assessments answered, reopened and compared. Each refused from the wrong role and
//! the wrong facility, with bad input refused and nothing saved.

use crate::fixture::{account, add_peer, after, count, ctx, jail_and_prison, person, signed_in, site_on_disk, today, weekly_group};
use bridger::auth::{Role, Scope};
use bridger::model::{
    CeHoursInput, EvaluationInput, Facility, Mark, ReadinessAnswer, ReadinessAnswerInput, ReadinessAssessmentInput, StaffId, StaffRecordInput, StaffReach,
    SupervisionInput,
};
use bridger::paths::SiteFiles;
use bridger::reports::Language;
use bridger::store::{MarkInput, MeetingKey, RollCallInput};
use bridger::{ErrorCode, Store};
use chrono::{Duration, NaiveDate};

/// A jail with Luis (an incarcerated peer mentor, no login) supervised by Dee (`sup`), Rosa
/// (`peer`), a coordinator (`coord`) and an auditor (`aud`); a prison with Sam and its own
/// coordinator (`pcoord`).
struct Site {
    _dir: tempfile::TempDir,
    files: SiteFiles,
    jail: Facility,
    prison: Facility,
    luis: StaffId,
    dee: StaffId,
    rosa: StaffId,
    sam: StaffId,
}

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let (mut ada, files) = site_on_disk(&dir, "A", 1);
    let c = ctx();
    let (jail, prison) = jail_and_prison(&mut ada, &c);
    let luis = add_peer(&mut ada, &c, &jail, "Luis Ortega", "");
    let dee = add_peer(&mut ada, &c, &jail, "Dee Carter", "sup");
    let rosa = add_peer(&mut ada, &c, &jail, "Rosa Díaz", "peer");
    let sam = add_peer(&mut ada, &c, &prison, "Sam Ortiz", "");
    for (name, role, facility) in
        [("coord", Role::Coordinator, &jail), ("peer", Role::PeerSpecialist, &jail), ("sup", Role::PeerSpecialist, &jail), ("aud", Role::Auditor, &jail), ("pcoord", Role::Coordinator, &prison)]
    {
        account(&files, &mut ada, name, vec![role], Scope::Facilities(vec![facility.id]));
    }
    let mut coord = signed_in(&files, "coord");
    let mentor = StaffRecordInput {
        roles: vec!["incarcerated_peer_mentor".into()],
        employer_kind: "facility".into(),
        cadence: "weekly".into(),
        supervisor_id: dee.to_string(),
        start_date: "2026-10-05".into(),
        agreement_signed_on: "2026-10-01".into(),
        agreement_covers: "Conduct, boundaries and the duty to report".into(),
        ..Default::default()
    };
    coord.update_staff_record(&after(5), luis, &mentor).unwrap();
    Site { _dir: dir, files, jail, prison, luis, dee, rosa, sam }
}

fn evaluation(staff: StaffId, evaluator: StaffId, date: NaiveDate) -> EvaluationInput {
    EvaluationInput {
        staff_id: staff.to_string(),
        date: date.to_string(),
        evaluator_id: evaluator.to_string(),
        strengths: "Calm with new members; keeps the group to its topic".into(),
        growth: "Hand off questions about release plans".into(),
    }
}

fn supervision(supervisor: StaffId, supervisee: StaffId, date: NaiveDate, minutes: i64) -> SupervisionInput {
    SupervisionInput {
        supervisor_id: supervisor.to_string(),
        supervisees: vec![supervisee.to_string()],
        date: date.to_string(),
        minutes,
        functions: vec!["administrative".into(), "supportive".into()],
        setting: "in_person".into(),
        topics: "Group facilitation".into(),
        follow_ups: String::new(),
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_mentors_summary_counts_training_groups_contacts_supervision_and_evaluations() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    // Training: 30 hours and 10.5 more.
    for (n, date, hours, title) in [(8, "2026-09-20", 30.0, "Peer mentor training"), (9, "2026-10-20", 10.5, "Facilitating groups")] {
        coord.add_ce_hours(&after(n), &CeHoursInput { staff_id: s.luis.to_string(), date: date.into(), hours, topic: "peer_practice".into(), title: title.into(), provider: String::new() }).unwrap();
    }
    // Groups: he co-facilitates Relapse Prevention with Rosa; Monday's session is held with 2
    // facilitator hours, Wednesday's is not held (not counted).
    let mut input = weekly_group(&s.jail, s.luis.to_string());
    input.facilitators.push(s.rosa.to_string());
    let group = coord.save_group(&after(11), None, &input).unwrap().id;
    let mary = coord.enroll(&after(12), &person(&s.jail, "Mary Jones", "J-1")).unwrap().id;
    coord.add_member(&after(13), group, mary).unwrap();
    let monday = coord.week(s.jail.id, day("2026-11-23"), None).unwrap().meetings.remove(0);
    let key = MeetingKey { id: monday.id, group_id: monday.group_id, occurrence: monday.occurrence };
    let roll = RollCallInput {
        marks: vec![MarkInput { participant_id: mary, mark: Mark::Present, walk_in: false }],
        topic_covered: "Triggers".into(),
        notes: String::new(),
        facilitator_hours: Some(2.0),
        late_reason: String::new(),
    };
    coord.save_roll_call(&after(14), &key, &roll).unwrap();
    // Dee takes the group over afterwards: the session stays Luis's and Rosa's, not hers.
    input.facilitators = vec![s.dee.to_string()];
    coord.save_group(&after(20), Some(group), &input).unwrap();
    coord.save_roll_call(&after(21), &key, &roll).unwrap();
    assert!(coord.mentor_summary(s.dee, today()).unwrap().groups.is_empty());
    // Supervision: 45 and 75 minutes by Dee, who also evaluates him, as does the coordinator.
    let mut sup = signed_in(&s.files, "sup");
    sup.log_supervision(&after(15), &supervision(s.dee, s.luis, day("2026-11-09"), 45)).unwrap();
    sup.log_supervision(&after(16), &supervision(s.dee, s.luis, day("2026-11-16"), 75)).unwrap();
    let first = sup.add_evaluation(&after(17), &evaluation(s.luis, s.dee, day("2026-11-20"))).unwrap();
    assert_eq!(first.evaluator.name, "Dee Carter");
    coord.add_evaluation(&after(18), &evaluation(s.luis, s.rosa, day("2026-10-30"))).unwrap();

    let summary = coord.mentor_summary(s.luis, today()).unwrap();
    assert_eq!(summary.training_hours(), 40.5);
    assert_eq!(summary.groups.len(), 1);
    let g = &summary.groups[0];
    assert_eq!((g.name.as_str(), g.sessions, g.hours, g.first), ("Relapse Prevention", 1, 2.0, day("2026-11-23")));
    assert_eq!((summary.contacts, summary.peer_work_hours()), (0, 2.0));
    assert_eq!((summary.supervision_sessions, summary.supervision_hours()), (2, 2.0));
    assert_eq!(summary.evaluations.iter().map(|e| e.date).collect::<Vec<_>>(), [day("2026-10-30"), day("2026-11-20")], "oldest first");
    assert_eq!(summary.agreement_signed_on, Some(day("2026-10-01")));
    // The record shows the evaluations and who reads it how far.
    let record = sup.staff_record(s.luis, today()).unwrap();
    assert_eq!((record.evaluations.len(), record.reach), (2, StaffReach::Supervisor));
    assert_eq!(coord.staff_record(s.luis, today()).unwrap().reach, StaffReach::Keeper);

    // The PDF, in Spanish, is written and its print audited; it names no participant.
    let pdf = s._dir.path().join("luis.pdf");
    sup.save_mentor_summary(&after(19), s.luis, Language::Spanish, &pdf).unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(!String::from_utf8_lossy(&bytes).contains("Mary"), "no participant's name");
    let printed = format!("SELECT count(*) FROM audit_log WHERE action = 'print' AND tbl = 'staff' AND record_id = '{}' AND detail = 'summary of peer work (spanish)'", s.luis);
    assert_eq!(count(&s.files, &printed), 1);
}

#[test]
fn evaluations_and_summaries_are_refused_to_the_wrong_role_and_outside_the_facility() {
    let s = site();
    let d = today();
    let pdf = s._dir.path().join("refused.pdf");
    // Rosa is not Luis's supervisor: she neither reads nor evaluates nor prints him.
    let mut peer = signed_in(&s.files, "peer");
    assert_eq!(peer.add_evaluation(&after(10), &evaluation(s.luis, s.rosa, d)).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(peer.mentor_summary(s.luis, d).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(peer.save_mentor_summary(&after(11), s.luis, Language::English, &pdf).unwrap_err().code(), ErrorCode::Forbidden);
    // Her own record she reads, but does not evaluate or print.
    assert_eq!(peer.add_evaluation(&after(12), &evaluation(s.rosa, s.dee, d)).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(peer.mentor_summary(s.rosa, d).unwrap().name, "Rosa Díaz");
    assert_eq!(peer.save_mentor_summary(&after(13), s.rosa, Language::English, &pdf).unwrap_err().code(), ErrorCode::Forbidden);
    // The supervisor evaluates in her own name only.
    let mut sup = signed_in(&s.files, "sup");
    let e = sup.add_evaluation(&after(14), &evaluation(s.luis, s.rosa, d)).unwrap_err();
    assert_eq!(e.fields()[0].field, "evaluator_id");
    // The prison's coordinator reaches nothing of the jail's, and the jail's nothing of Sam.
    let mut pcoord = signed_in(&s.files, "pcoord");
    assert_eq!(pcoord.add_evaluation(&after(15), &evaluation(s.luis, s.sam, d)).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(pcoord.mentor_summary(s.luis, d).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(pcoord.save_mentor_summary(&after(16), s.luis, Language::English, &pdf).unwrap_err().code(), ErrorCode::OutOfScope);
    let mut coord = signed_in(&s.files, "coord");
    assert_eq!(coord.add_evaluation(&after(17), &evaluation(s.sam, s.dee, d)).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(coord.mentor_summary(s.sam, d).unwrap_err().code(), ErrorCode::OutOfScope);
    // An auditor reads no staff record; nothing was written and no file left behind.
    let aud = signed_in(&s.files, "aud");
    assert_eq!(aud.mentor_summary(s.luis, d).unwrap_err().code(), ErrorCode::Forbidden);
    assert!(!pdf.exists());
    assert_eq!(count(&s.files, "SELECT count(*) FROM evaluations"), 0);
}

#[test]
fn bad_evaluations_are_refused_naming_the_field_and_nothing_is_saved() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    let journal = count(&s.files, "SELECT count(*) FROM journal");
    let field = |e: bridger::Error| e.fields().iter().map(|f| f.field).collect::<Vec<_>>();
    assert_eq!(field(coord.add_evaluation(&after(10), &evaluation(s.luis, s.dee, today() + Duration::days(1))).unwrap_err()), ["date"]);
    assert_eq!(field(coord.add_evaluation(&after(11), &evaluation(s.luis, s.luis, today())).unwrap_err()), ["evaluator_id"]);
    let nobody = StaffId::from_uuid(uuid::Uuid::from_u128(99));
    assert_eq!(field(coord.add_evaluation(&after(12), &evaluation(s.luis, nobody, today())).unwrap_err()), ["evaluator_id"]);
    let blank = EvaluationInput { strengths: " ".into(), growth: String::new(), ..evaluation(s.luis, s.dee, today()) };
    assert_eq!(field(coord.add_evaluation(&after(13), &blank).unwrap_err()), ["strengths"]);
    assert_eq!(count(&s.files, "SELECT count(*) FROM journal"), journal, "nothing was written");
}

#[test]
fn the_supervision_report_lists_sessions_and_lapses_for_whom_the_person_reaches() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    // Luis, weekly from 5 October: supervised 12 and 26 October, 9 November.
    for (n, date, minutes) in [(10, "2026-10-12", 30), (11, "2026-10-26", 60), (12, "2026-11-09", 45)] {
        coord.log_supervision(&after(n), &supervision(s.dee, s.luis, day(date), minutes)).unwrap();
    }
    let report = coord.supervision_report(day("2026-10-01"), day("2026-10-31"), None, today()).unwrap();
    let luis = report.rows.iter().find(|r| r.staff.id == s.luis).unwrap();
    assert_eq!((luis.sessions, luis.minutes, luis.last), (2, 90, Some(day("2026-10-26"))));
    // Due 12 October after the 5th: met that day. Due the 19th, met the 26th: 7 days late.
    assert_eq!(luis.lapses.iter().map(|l| (l.due_on, l.met_on, l.days_late)).collect::<Vec<_>>(), [(day("2026-10-19"), Some(day("2026-10-26")), 7)]);
    assert_eq!(luis.functions.iter().map(|f| f.sessions).collect::<Vec<_>>(), [2, 2], "administrative and supportive");
    // In November: due the 2nd after 26 October, met the 9th; then due the 16th and not held
    // by today, the 24th.
    let now = coord.supervision_report(day("2026-11-01"), day("2026-11-30"), Some(s.jail.id), today()).unwrap();
    let luis = now.rows.iter().find(|r| r.staff.id == s.luis).unwrap();
    let lapses: Vec<_> = luis.lapses.iter().map(|l| (l.due_on, l.met_on, l.days_late)).collect();
    assert_eq!(lapses, [(day("2026-11-02"), Some(day("2026-11-09")), 7), (day("2026-11-16"), None, 8)]);
    assert_eq!(luis.due.map(|d| d.days_late), Some(8));
    assert_eq!(now.people_lapsed(), 1, "no one else has a cadence");
    // People supervised at no cadence and never in the period are left out.
    assert!(now.rows.iter().all(|r| r.staff.id != s.rosa));
    // Scoped: the supervisor sees her supervisee; a peer sees only herself; the prison's
    // coordinator sees none of the jail's, and the jail asked by name is refused to him.
    let sup = signed_in(&s.files, "sup");
    assert_eq!(sup.supervision_report(day("2026-11-01"), day("2026-11-30"), None, today()).unwrap().rows.len(), 1);
    let peer = signed_in(&s.files, "peer");
    assert!(peer.supervision_report(day("2026-11-01"), day("2026-11-30"), None, today()).unwrap().rows.is_empty());
    let pcoord = signed_in(&s.files, "pcoord");
    assert!(pcoord.supervision_report(day("2026-11-01"), day("2026-11-30"), None, today()).unwrap().rows.iter().all(|r| r.staff.id != s.luis));
    assert_eq!(pcoord.supervision_report(day("2026-11-01"), day("2026-11-30"), Some(s.jail.id), today()).unwrap_err().code(), ErrorCode::OutOfScope);
    // A period that ends before it begins is refused, naming the field.
    let e = coord.supervision_report(day("2026-11-30"), day("2026-11-01"), None, today()).unwrap_err();
    assert_eq!(e.fields()[0].field, "to");
}

fn answer(a: &str) -> ReadinessAnswerInput {
    ReadinessAnswerInput { answer: a.into(), ..Default::default() }
}

#[test]
fn readiness_is_assessed_item_by_item_reopened_and_compared_year_on_year() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    let start = |store: &mut Store, n: u64, date: &str, title: &str| {
        store.start_readiness_assessment(&after(n), &ReadinessAssessmentInput { facility_id: s.jail.id.to_string(), date: date.into(), title: title.into() }).unwrap()
    };
    let last_year = start(&mut coord, 8, "2025-11-20", "Annual review 2025");
    coord.save_readiness_answer(&after(11), &last_year.listing.id, "supervision.frequency", &answer("not_yet")).unwrap();
    let this_year = start(&mut coord, 9, "2026-11-20", "Annual review 2026");
    let gap = ReadinessAnswerInput { action: "Adopt a code of conduct".into(), owner: "Rosa Díaz".into(), due_date: "2027-02-01".into(), note: "Draft exists".into(), ..answer("in_progress") };
    coord.save_readiness_answer(&after(12), &this_year.listing.id, "policies.conduct", &gap).unwrap();
    let saved = coord.save_readiness_answer(&after(13), &this_year.listing.id, "supervision.frequency", &answer("in_place")).unwrap();
    assert_eq!((saved.listing.counts.in_place, saved.listing.counts.in_progress, saved.listing.counts.answered), (1, 1, 2));
    // Reopened, the answers are as saved; the list is newest first.
    let list = coord.readiness_assessments(s.jail.id).unwrap();
    assert_eq!(list.iter().map(|l| l.title.as_deref().unwrap()).collect::<Vec<_>>(), ["Annual review 2026", "Annual review 2025"]);
    let reopened = coord.readiness_assessment(&this_year.listing.id).unwrap();
    let conduct = reopened.answer("policies.conduct").unwrap();
    assert_eq!((conduct.answer, conduct.owner.as_deref(), conduct.due_date), (ReadinessAnswer::InProgress, Some("Rosa Díaz"), Some(day("2027-02-01"))));
    let earlier = coord.readiness_assessment(&last_year.listing.id).unwrap();
    assert_eq!(earlier.answer("supervision.frequency").map(|a| a.answer), Some(ReadinessAnswer::NotYet));
    assert_eq!(reopened.answer("supervision.frequency").map(|a| a.answer), Some(ReadinessAnswer::InPlace));
    // Changing the answer writes only the answer: one journal entry.
    let journal = count(&s.files, "SELECT count(*) FROM journal");
    coord.save_readiness_answer(&after(14), &this_year.listing.id, "policies.conduct", &ReadinessAnswerInput { answer: "in_place".into(), ..gap.clone() }).unwrap();
    assert_eq!(count(&s.files, "SELECT count(*) FROM journal"), journal + 1);
    // The summary beside last year's, as a PDF, audited.
    let pdf = s._dir.path().join("readiness.pdf");
    coord.save_readiness_summary(&after(15), &this_year.listing.id, Some(&last_year.listing.id), Language::English, &pdf).unwrap();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    assert_eq!(count(&s.files, "SELECT count(*) FROM audit_log WHERE action = 'print' AND tbl = 'readiness_assessments'"), 1);
}

#[test]
fn readiness_is_refused_to_the_wrong_role_and_outside_the_facility_and_bad_answers_change_nothing() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    let input = |f: &Facility| ReadinessAssessmentInput { facility_id: f.id.to_string(), date: today().to_string(), title: String::new() };
    let mine = coord.start_readiness_assessment(&after(10), &input(&s.jail)).unwrap();
    let id = mine.listing.id.clone();
    assert_eq!(coord.start_readiness_assessment(&after(11), &input(&s.prison)).unwrap_err().code(), ErrorCode::OutOfScope);
    let pdf = s._dir.path().join("refused.pdf");
    for who in ["peer", "aud"] {
        let mut other = signed_in(&s.files, who);
        assert_eq!(other.readiness_assessments(s.jail.id).unwrap_err().code(), ErrorCode::Forbidden, "{who}");
        assert_eq!(other.readiness_assessment(&id).unwrap_err().code(), ErrorCode::Forbidden, "{who}");
        assert_eq!(other.start_readiness_assessment(&after(12), &input(&s.jail)).unwrap_err().code(), ErrorCode::Forbidden, "{who}");
        assert_eq!(other.save_readiness_answer(&after(13), &id, "plan.remote", &answer("in_place")).unwrap_err().code(), ErrorCode::Forbidden, "{who}");
    }
    let mut pcoord = signed_in(&s.files, "pcoord");
    assert_eq!(pcoord.readiness_assessments(s.jail.id).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(pcoord.readiness_assessment(&id).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(pcoord.save_readiness_answer(&after(14), &id, "plan.remote", &answer("in_place")).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(pcoord.save_readiness_summary(&after(15), &id, None, Language::English, &pdf).unwrap_err().code(), ErrorCode::OutOfScope);
    let theirs = pcoord.start_readiness_assessment(&after(16), &input(&s.prison)).unwrap();
    // Nor are two facilities' assessments compared.
    assert_eq!(coord.save_readiness_summary(&after(17), &id, Some(&theirs.listing.id), Language::English, &pdf).unwrap_err().code(), ErrorCode::OutOfScope);
    assert!(!pdf.exists());
    // Bad input: an item not on the checklist, an answer not offered, an owner without an
    // action, a date after today. Nothing is written.
    let journal = count(&s.files, "SELECT count(*) FROM journal");
    let field = |e: bridger::Error| e.fields().iter().map(|f| f.field).collect::<Vec<_>>();
    assert_eq!(field(coord.save_readiness_answer(&after(18), &id, "plan.nothing", &answer("in_place")).unwrap_err()), ["item"]);
    assert_eq!(field(coord.save_readiness_answer(&after(19), &id, "plan.remote", &answer("yes")).unwrap_err()), ["answer"]);
    let owner_only = ReadinessAnswerInput { owner: "Rosa".into(), ..answer("not_yet") };
    assert_eq!(field(coord.save_readiness_answer(&after(20), &id, "plan.remote", &owner_only).unwrap_err()), ["action"]);
    let tomorrow = ReadinessAssessmentInput { date: (today() + Duration::days(1)).to_string(), ..input(&s.jail) };
    assert_eq!(field(coord.start_readiness_assessment(&after(21), &tomorrow).unwrap_err()), ["date"]);
    assert_eq!(coord.save_readiness_answer(&after(22), "not-an-id", "plan.remote", &answer("in_place")).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(count(&s.files, "SELECT count(*) FROM journal"), journal, "nothing was written");
}

#[test]
fn a_keeper_signs_only_for_staff_they_keep_and_never_evaluates_their_own_work() {
    let s = site();
    let mut ada = signed_in(&s.files, "ada");
    // The coordinator's own staff record, at the jail.
    let carla = add_peer(&mut ada, &ctx(), &s.jail, "Carla Moss", "coord");
    let mut coord = signed_in(&s.files, "coord");
    let d = today();
    let e = coord.add_evaluation(&after(10), &evaluation(carla, s.dee, d)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "her own work: {e}");
    // An evaluation or a session in the name of someone at a facility she does not keep.
    assert_eq!(coord.add_evaluation(&after(11), &evaluation(s.luis, s.sam, d)).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(coord.log_supervision(&after(12), &supervision(s.sam, s.luis, d, 30)).unwrap_err().code(), ErrorCode::OutOfScope);
    // In her own name or a colleague's at the jail, it is recorded.
    coord.add_evaluation(&after(13), &evaluation(s.luis, carla, d)).unwrap();
    coord.add_evaluation(&after(14), &evaluation(s.luis, s.rosa, d)).unwrap();
    assert_eq!(count(&s.files, "SELECT count(*) FROM evaluations"), 2);
}

#[test]
fn a_read_only_role_reaches_its_own_record_and_supervisees_but_writes_nothing() {
    let s = site();
    // The auditor's account is linked to Dee's supervisee-holding record, as a record that
    // travelled from another site could be.
    let mut ada = signed_in(&s.files, "ada");
    let audra = add_peer(&mut ada, &ctx(), &s.jail, "Audra Vance", "aud");
    let mut coord = signed_in(&s.files, "coord");
    let under = StaffRecordInput { roles: vec!["peer_specialist".into()], employer_kind: "facility".into(), cadence: "monthly".into(), supervisor_id: audra.to_string(), start_date: "2026-10-01".into(), ..Default::default() };
    coord.update_staff_record(&after(5), s.rosa, &under).unwrap();
    let mut aud = signed_in(&s.files, "aud");
    let d = today();
    assert_eq!(aud.staff_record(audra, d).unwrap().reach, StaffReach::Own);
    assert_eq!(aud.staff_record(s.rosa, d).unwrap().reach, StaffReach::Supervisor);
    let hours = CeHoursInput { staff_id: audra.to_string(), date: d.to_string(), hours: 1.0, topic: "ethics".into(), title: "Boundaries".into(), provider: String::new() };
    for refused in [
        aud.add_ce_hours(&after(10), &hours).map(drop),
        aud.log_supervision(&after(11), &supervision(audra, s.rosa, d, 30)).map(drop),
        aud.add_evaluation(&after(12), &evaluation(s.rosa, audra, d)).map(drop),
    ] {
        assert_eq!(refused.unwrap_err().code(), ErrorCode::Forbidden);
    }
    assert_eq!(count(&s.files, "SELECT count(*) FROM ce_hours") + count(&s.files, "SELECT count(*) FROM supervision") + count(&s.files, "SELECT count(*) FROM evaluations"), 0);
}

#[test]
fn another_facilitys_group_and_sessions_before_the_start_never_reach_the_record_of_peer_work() {
    let s = site();
    let mut ada = signed_in(&s.files, "ada");
    let prison = ada.facilities().unwrap().into_iter().find(|f| f.id == s.prison.id).unwrap();
    // A prison group names Luis, of the jail, as a facilitator, and holds a session.
    // The prison has a housing unit and no program room: the group meets on the unit.
    let mut input = weekly_group(&s.jail, s.luis.to_string());
    (input.facility_id, input.location_id) = (prison.id.to_string(), prison.units[0].id.to_string());
    let group = ada.save_group(&after(10), None, &input).unwrap().id;
    let eli = ada.enroll(&after(11), &person(&prison, "Eli Stone", "P-1")).unwrap().id;
    ada.add_member(&after(12), group, eli).unwrap();
    let monday = ada.week(prison.id, day("2026-11-23"), None).unwrap().meetings.remove(0);
    let key = MeetingKey { id: monday.id, group_id: monday.group_id, occurrence: monday.occurrence };
    let roll = RollCallInput { marks: vec![MarkInput { participant_id: eli, mark: Mark::Present, walk_in: false }], topic_covered: String::new(), notes: String::new(), facilitator_hours: Some(1.0), late_reason: String::new() };
    ada.save_roll_call(&after(13), &key, &roll).unwrap();
    assert!(ada.mentor_summary(s.luis, today()).unwrap().groups.is_empty(), "not his facility");
    // Once he works at the prison too, it counts; before his start date, it would not.
    let mut record = bridger::model::StaffRecordInput::from(&ada.staff_record(s.luis, today()).unwrap());
    record.other_facilities = vec![prison.id.to_string()];
    ada.update_staff_record(&after(14), s.luis, &record).unwrap();
    assert_eq!(ada.mentor_summary(s.luis, today()).unwrap().groups.len(), 1);
    record.start_date = "2026-11-24".into();
    ada.update_staff_record(&after(15), s.luis, &record).unwrap();
    assert!(ada.mentor_summary(s.luis, today()).unwrap().groups.is_empty(), "held before he started");
}

#[test]
fn a_date_outside_the_years_kept_is_refused_naming_the_field() {
    let s = site();
    let mut coord = signed_in(&s.files, "coord");
    for date in ["0001-01-01", "1899-12-31", "2200-01-01"] {
        let e = coord.add_evaluation(&after(10), &EvaluationInput { date: date.into(), ..evaluation(s.luis, s.dee, today()) }).unwrap_err();
        assert_eq!(e.fields()[0].field, "date", "{date}");
        assert!(e.fields()[0].message.contains("after 1900 and before 2200"), "{date}: {e}");
    }
    assert_eq!(count(&s.files, "SELECT count(*) FROM evaluations"), 0);
}
