//! Program episodes through the store: started, moved through phases, ended with an outcome;
//! overlaps and phases outside an episode refused with nothing written; an ended episode kept;
//! every change audited and carried in a bundle.

use crate::fixture::{after, count, ctx, person, site_on_disk, today};
use bridger::model::{Episode, EpisodeInput, Outcome, ParticipantId, PhaseInput, ProgramKind};
use bridger::paths::SiteFiles;
use bridger::{ErrorCode, Store};
use chrono::Duration;

fn days_ago(n: i64) -> String {
    (today() - Duration::days(n)).to_string()
}

fn rsat(start: &str) -> EpisodeInput {
    EpisodeInput { kind: "rsat".into(), name: "RSAT unit B".into(), start_date: start.into(), ..Default::default() }
}

fn ended(start: &str, end: &str, outcome: &str) -> EpisodeInput {
    EpisodeInput { end_date: end.into(), outcome: outcome.into(), ..rsat(start) }
}

fn fields(e: bridger::Error) -> Vec<&'static str> {
    e.fields().iter().map(|f| f.field).collect()
}

fn site(dir: &tempfile::TempDir) -> (Store, SiteFiles, ParticipantId) {
    let (mut s, files) = site_on_disk(dir, "A", 1);
    let jail = s.facilities().unwrap().remove(0);
    let p = s.enroll(&ctx(), &person(&jail, "NGUYỄN, Mai", "E-1")).unwrap().id;
    (s, files, p)
}

#[test]
fn an_episode_starts_moves_through_phases_and_ends_with_its_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, files, p) = site(&dir);
    let list = s.save_episode(&after(1), p, None, &rsat(&days_ago(120))).unwrap();
    let id = list[0].id;
    s.add_phase(&after(2), p, id, &PhaseInput { date: days_ago(90), phase: "Phase 2".into() }).unwrap();
    s.add_phase(&after(3), p, id, &PhaseInput { date: days_ago(30), phase: "Phase 3".into() }).unwrap();
    let list = s.save_episode(&after(4), p, Some(id), &EpisodeInput { exit_note: "went home early".into(), ..ended(&days_ago(120), &days_ago(2), "released") }).unwrap();
    let e = &list[0];
    assert_eq!((e.kind, e.title(), e.outcome, e.end_date), (ProgramKind::Rsat, "RSAT unit B", Some(Outcome::Released), Some(today() - Duration::days(2))));
    assert_eq!(e.phases.iter().map(|h| h.phase.as_str()).collect::<Vec<_>>(), ["Phase 2", "Phase 3"]);
    assert_eq!(e.months(today()), 3);
    // A second episode of the same kind may follow the first; one of another kind may run beside it.
    s.save_episode(&after(5), p, None, &rsat(&days_ago(1))).unwrap();
    let moud = EpisodeInput { kind: "moud".into(), start_date: days_ago(60), ..Default::default() };
    let list = s.save_episode(&after(6), p, None, &moud).unwrap();
    assert_eq!(list.iter().map(|e| e.start_date).collect::<Vec<_>>(), [today() - Duration::days(1), today() - Duration::days(60), today() - Duration::days(120)], "latest first");
    assert_eq!(s.episodes(&after(7), p).unwrap(), list);
    let audited = count(&files, "SELECT count(*) FROM audit_log WHERE tbl IN ('program_episodes', 'episode_phases')");
    assert_eq!(audited, 6, "each start, phase and end is in the audit trail");
}

#[test]
fn overlaps_phases_outside_the_dates_and_bad_input_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, files, p) = site(&dir);
    let id = s.save_episode(&after(1), p, None, &rsat(&days_ago(100))).unwrap()[0].id;
    s.add_phase(&after(2), p, id, &PhaseInput { date: days_ago(50), phase: "Phase 2".into() }).unwrap();
    let journal = count(&files, "SELECT count(*) FROM journal");
    let refused = |e: bridger::Error, field: &str, words: &str| {
        let message = e.to_string();
        assert_eq!(fields(e), [field], "{message}");
        assert!(message.contains(words), "{message}");
    };
    refused(s.save_episode(&after(3), p, None, &rsat(&days_ago(10))).unwrap_err(), "start_date", "already open since");
    refused(s.save_episode(&after(4), p, Some(id), &rsat(&days_ago(40))).unwrap_err(), "start_date", "the phase Phase 2 starts on");
    refused(s.save_episode(&after(5), p, Some(id), &ended(&days_ago(100), &days_ago(60), "completed")).unwrap_err(), "end_date", "outside these dates");
    refused(s.save_episode(&after(6), p, Some(id), &ended(&days_ago(100), &days_ago(60), "")).unwrap_err(), "outcome", "say how the program ended");
    refused(s.save_episode(&after(7), p, None, &rsat(&(today() + Duration::days(1)).to_string())).unwrap_err(), "start_date", "future");
    refused(s.add_phase(&after(8), p, id, &PhaseInput { date: days_ago(101), phase: "Phase 1".into() }).unwrap_err(), "date", "before the program did");
    refused(s.add_phase(&after(9), p, id, &PhaseInput { date: days_ago(1), phase: " \u{7} ".into() }).unwrap_err(), "phase", "name the phase");
    refused(s.add_phase(&after(9), p, id, &PhaseInput { date: days_ago(1), phase: "P".repeat(81) }).unwrap_err(), "phase", "at most 80");
    let other = s.enroll(&after(100), &person(&s.facilities().unwrap()[0], "OTHER, Person", "E-2")).unwrap().id;
    let journal_after_enrol = count(&files, "SELECT count(*) FROM journal");
    assert_eq!(s.add_phase(&after(10), other, id, &PhaseInput { date: days_ago(1), phase: "Phase 3".into() }).unwrap_err().code(), ErrorCode::NotFound, "an episode of someone else");
    let phase = s.episodes(&after(11), p).unwrap()[0].phases[0].id;
    assert_eq!(s.remove_phase(&after(11), other, phase).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(s.save_episode(&after(12), other, Some(id), &rsat(&days_ago(100))).unwrap_err().code(), ErrorCode::NotFound);
    assert!(journal_after_enrol > journal);
    assert_eq!(count(&files, "SELECT count(*) FROM journal"), journal_after_enrol, "nothing was written by a refusal");
    assert_eq!(count(&files, "SELECT count(*) FROM program_episodes"), 1);
}

#[test]
fn an_ended_episode_stays_and_an_open_one_entered_by_mistake_goes_with_its_phases() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, files, p) = site(&dir);
    let done = s.save_episode(&after(1), p, None, &ended(&days_ago(300), &days_ago(200), "completed")).unwrap()[0].id;
    assert_eq!(s.remove_episode(&after(2), p, done).unwrap_err().code(), ErrorCode::Forbidden);
    let mistake = s.save_episode(&after(3), p, None, &rsat(&days_ago(10))).unwrap()[0].id;
    s.add_phase(&after(4), p, mistake, &PhaseInput { date: days_ago(5), phase: "Phase 1".into() }).unwrap();
    let left = s.remove_episode(&after(5), p, mistake).unwrap();
    assert_eq!(left.iter().map(|e| e.id).collect::<Vec<_>>(), [done]);
    assert_eq!(count(&files, "SELECT count(*) FROM episode_phases WHERE deleted = 0"), 0, "its phase went with it");
    assert_eq!(count(&files, "SELECT count(*) FROM program_episodes WHERE deleted = 1"), 1, "a tombstone, as every delete");
}

#[test]
fn episodes_travel_in_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _, p) = site(&dir);
    let (mut b, _) = site_on_disk(&dir, "B", 2);
    let c = ctx();
    let (ca, cb) = (a.site_card(&c).unwrap(), b.site_card(&c).unwrap());
    a.trust_peer(&c, &cb, &cb.fingerprint, bridger::store::PeerKind::ProgramSite).unwrap();
    b.trust_peer(&c, &ca, &ca.fingerprint, bridger::store::PeerKind::ProgramSite).unwrap();
    let id = a.save_episode(&after(1), p, None, &rsat(&days_ago(100))).unwrap()[0].id;
    a.add_phase(&after(2), p, id, &PhaseInput { date: days_ago(50), phase: "Phase 2".into() }).unwrap();
    let mine: Vec<Episode> = a.save_episode(&after(3), p, Some(id), &ended(&days_ago(100), &days_ago(1), "completed")).unwrap();
    let stick = dir.path().join("a-to-b.bundle");
    a.export_bundle(&after(20), b.site().unwrap().site_id, true, &stick).unwrap();
    b.import_bundle(&after(30), &stick, None).unwrap();
    assert_eq!(b.episodes(&after(40), p).unwrap(), mine);
    b.import_bundle(&after(50), &stick, None).unwrap();
    assert_eq!(b.episodes(&after(60), p).unwrap(), mine, "twice changes nothing");
}
