//! The access matrix, walked whole: every action the store offers, against every role, inside
//! the account's facility and in the other one. Each role's account is limited to the first
//! facility. The expected table is written out here rather than derived from the code it checks;
//! a refusal must carry the code (`forbidden` for the role, `out_of_scope` for the facility) and
//! the permission it was about, and an allowed action must go through.
//!
//! Every case runs on its own copy of one prepared site, signed in with a password as a person
//! would be, so a case that deletes or exports cannot change what the next one meets.

use crate::fixture::{ctx, person, site_on_disk, today, PASSWORD};
use bridger::auth::{Permission, Role, Scope};
use bridger::model::instrument::{Instrument, BUILT_IN};
use bridger::model::{
    AppointmentInput, CeHoursInput, EpisodeInput, PhaseInput, ReportFormat, CheckInInput, ContactInput, CredentialInput, EvaluationInput, GoalInput, ReadinessAnswerInput, ReadinessAssessmentInput, StaffId, ConsentInput, Facility, GroupId, GroupInput, LocationKind, Mark, NewFacility,
    MergeInput, ParticipantId, ParticipantInput, PlanDetailsInput, PlanItemInput, ReferralInput, ResourceInput, StaffInput, StaffRecordInput, StatusChange, SupervisionInput, TransferInput, TransferReply,
};
use bridger::paths::SiteFiles;
use bridger::reports::Language;
use bridger::roster::Decisions;
use bridger::site;
use bridger::store::{RosterRequest, AccountChange, AuditFilter, Keep, MarkInput, MeetingKey, MeetingMove, NewAccount, PeerKind, RollCallInput, Settings};
use bridger::sync::SiteCard;
use bridger::{ErrorCode, Result, Store, WriteCtx};
use chrono::Duration;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use uuid::Uuid;

const ROLES: [Role; 5] = [Role::Admin, Role::Coordinator, Role::PeerSpecialist, Role::ReentryStaff, Role::Auditor];

/// What one facility of the prepared site holds, for actions to aim at.
#[derive(Clone)]
struct Side {
    facility: Facility,
    /// Released in 20 days, with a started plan, a consent to the clinic, a hand-off waiting for
    /// confirmation, a place in the group and a conflict over their notes.
    person: ParticipantId,
    /// In the same facility with a release date, no plan and no group; enrolled as `newcomer_input`.
    newcomer: ParticipantId,
    newcomer_input: ParticipantInput,
    group: GroupId,
    /// A peer in the facility's staff directory, with the person on their caseload.
    staff: StaffId,
    /// Another of the facility's staff, to supervise and evaluate the first.
    supervisor: StaffId,
    /// Monday's meeting of the group, the day before "today".
    meeting: MeetingKey,
    consent: Uuid,
    disclosure: Uuid,
    conflict: i64,
    /// A program readiness assessment of the facility, nothing answered.
    readiness: String,
    /// The person's open RSAT episode, and the phase it is in.
    episode: Uuid,
    phase: Uuid,
    /// The newcomer's transfer to the other facility, waiting for an answer.
    transfer: Uuid,
    /// A second record of the person, to merge into the first.
    twin: ParticipantId,
    /// A merge of two other records of the facility, to undo.
    merge: Uuid,
}

/// The prepared site, made once: two facilities, a peer site and a partner trusted, a bundle and a
/// receipt from the peer waiting on the stick, and one account per role limited to `own`.
struct Prepared {
    dir: tempfile::TempDir,
    own: Side,
    other: Side,
    peer: bridger::model::SiteId,
    clinic: Uuid,
    stranger: SiteCard,
    /// The file name of a backup made as the site stood when prepared.
    backup: String,
    /// An anchor taken when prepared, as written in the paper log.
    anchor: String,
}

fn later(ms: u64) -> WriteCtx {
    WriteCtx::fixed(ctx().now_ms + ms, ctx().today, 1_000 + ms)
}

fn release_in_20_days(facility: &Facility, name: &str, number: &str) -> ParticipantInput {
    ParticipantInput {
        release_date: (today() + Duration::days(20)).to_string(),
        admission_date: (today() - Duration::days(100)).to_string(),
        ..person(facility, name, number)
    }
}

fn prepared() -> &'static Prepared {
    static PREPARED: OnceLock<Prepared> = OnceLock::new();
    PREPARED.get_or_init(prepare)
}

fn prepare() -> Prepared {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, files) = site_on_disk(&dir, "A", 1);
    let (mut b, _) = site_on_disk(&dir, "B", 2);
    let (mut clinic_site, _) = site_on_disk(&dir, "Clinic", 3);
    let (mut stranger_site, _) = site_on_disk(&dir, "Stranger", 4);
    let c = ctx();
    let (ca, cb, cc) = (a.site_card(&c).unwrap(), b.site_card(&c).unwrap(), clinic_site.site_card(&c).unwrap());
    a.trust_peer(&c, &cb, &cb.fingerprint, PeerKind::ProgramSite).unwrap();
    a.trust_peer(&c, &cc, &cc.fingerprint, PeerKind::Partner).unwrap();
    b.trust_peer(&c, &ca, &ca.fingerprint, PeerKind::ProgramSite).unwrap();
    clinic_site.trust_peer(&c, &ca, &ca.fingerprint, PeerKind::ProgramSite).unwrap();
    let stranger = stranger_site.site_card(&c).unwrap();

    let own_facility = a.facilities().unwrap().remove(0);
    let other_facility = a
        .create_facility(&c, &NewFacility { name: "Eastfield State Prison".into(), code: "ESP".into(), units: vec!["E-1".into()], rooms: vec!["Chapel".into()] })
        .unwrap();
    let resource = ResourceInput { name: "Eastside Recovery Clinic".into(), kind: "treatment_provider".into(), ..Default::default() };
    let clinic = a.save_resource(&c, None, &resource, Some(cc.site_id)).unwrap().id;

    let side = |a: &mut Store, f: &Facility, prefix: &str| {
        let person = a.enroll(&c, &release_in_20_days(f, &format!("{prefix}SMITH, Mary"), &format!("{prefix}1"))).unwrap().id;
        let newcomer_input = release_in_20_days(f, &format!("{prefix}NEW, Comer"), &format!("{prefix}2"));
        let newcomer = a.enroll(&c, &newcomer_input).unwrap().id;
        a.start_plan(&c, person).unwrap();
        let consent = ConsentInput {
            resource_id: clinic.to_string(),
            information: vec!["moud".into()],
            purpose: "continuity of medication".into(),
            signed_on: (today() - Duration::days(1)).to_string(),
            expires_on: (today() + Duration::days(200)).to_string(),
        };
        let consent = a.add_consent(&c, person, &consent).unwrap().consents[0].id;
        let disclosure = a.export_handoff(&c, person, clinic, &dir.path().join(format!("{prefix}handoff.bundle"))).unwrap().disclosure_id;
        let staff = a.add_staff(&c, &StaffInput { name: format!("{prefix}Rosa Díaz"), peer_roles: vec![], facility_id: f.id.to_string(), username: String::new() }).unwrap();
        let supervisor = a.add_staff(&c, &StaffInput { name: format!("{prefix}Dee Carter"), peer_roles: vec![], facility_id: f.id.to_string(), username: String::new() }).unwrap().id;
        let group = a.save_group(&c, None, &crate::fixture::weekly_group(f, staff.id.to_string())).unwrap().id;
        a.add_member(&c, group, person).unwrap();
        a.assign_peer(&c, person, Some(staff.id)).unwrap();
        let monday = a.week(f.id, today() - Duration::days(1), None).unwrap().meetings.remove(0);
        let meeting = MeetingKey { id: monday.id, group_id: monday.group_id, occurrence: monday.occurrence };
        let assessment = ReadinessAssessmentInput { facility_id: f.id.to_string(), date: today().to_string(), title: "Annual review".into() };
        let readiness = a.start_readiness_assessment(&c, &assessment).unwrap().listing.id;
        let rsat = EpisodeInput { kind: "rsat".into(), start_date: (today() - Duration::days(60)).to_string(), ..Default::default() };
        let episode = a.save_episode(&c, person, None, &rsat).unwrap()[0].id;
        let phase = PhaseInput { date: (today() - Duration::days(30)).to_string(), phase: "Phase 2".into() };
        let phase = a.add_phase(&c, person, episode, &phase).unwrap()[0].phases[0].id;
        let twin = a.enroll(&c, &release_in_20_days(f, &format!("{prefix}SMITH, Mary Ann"), &format!("{prefix}3"))).unwrap().id;
        let merged = a.enroll(&c, &release_in_20_days(f, &format!("{prefix}JONES, Jo"), &format!("{prefix}4"))).unwrap().id;
        let kept = a.enroll(&c, &release_in_20_days(f, &format!("{prefix}JONES, Josephine"), &format!("{prefix}5"))).unwrap().id;
        let merge = MergeInput { kept_id: kept.to_string(), merged_id: merged.to_string(), reason: "same DOC number".into() };
        let merge = a.merge_participants(&c, &merge).unwrap().id;
        Side { facility: f.clone(), person, newcomer, newcomer_input, group, staff: staff.id, meeting, consent, disclosure, conflict: 0, readiness, supervisor, episode, phase, transfer: Uuid::nil(), twin, merge }
    };
    let mut own = side(&mut a, &own_facility, "");
    let mut other = side(&mut a, &other_facility, "E");
    for (from, to) in [(&mut own, &other_facility), (&mut other, &own_facility)] {
        let input = TransferInput { to_facility_id: to.id.to_string(), reason: "RSAT bed".into() };
        from.transfer = a.request_transfer(&c, from.newcomer, &input).unwrap().id;
    }

    // Both sites change each person's notes without having seen the other's change: a conflict
    // in each facility.
    let (a_id, b_id) = (a.site().unwrap().site_id, b.site().unwrap().site_id);
    let stick = dir.path().join("a-to-b.bundle");
    a.export_bundle(&later(1_000), b_id, true, &stick).unwrap();
    b.import_bundle(&later(2_000), &stick, None).unwrap();
    for (n, s) in [&own, &other].into_iter().enumerate() {
        for (store, words, at) in [(&mut a, "said at A", 3_000), (&mut b, "said at B", 4_000)] {
            let before = store.view_participant(&c, s.person).unwrap().to_input();
            let edited = ParticipantInput { notes: format!("{words} {n}"), ..before.clone() };
            store.update_participant(&later(at), s.person, &before, &edited).unwrap();
        }
    }
    let back = dir.path().join("b-to-a.bundle");
    b.export_bundle(&later(5_000), a_id, false, &back).unwrap();
    assert_eq!(a.import_bundle(&later(6_000), &back, None).unwrap().conflicts, 2);
    for c in a.conflicts().unwrap() {
        let s = if c.record_id == own.person.to_string() { &mut own } else { &mut other };
        s.conflict = c.id;
    }
    // What waits on the stick for the import and receipt cases: something new from B, and B's
    // receipt for what it took from A.
    let before = b.view_participant(&c, own.newcomer).unwrap().to_input();
    b.update_participant(&later(7_000), own.newcomer, &before, &ParticipantInput { program: "Reentry".into(), ..before.clone() }).unwrap();
    b.export_bundle(&later(8_000), a_id, false, &dir.path().join("waiting.bundle")).unwrap();
    b.write_receipt(&later(8_000), a_id, &dir.path().join("waiting.receipt")).unwrap();

    for role in ROLES {
        let account = NewAccount {
            username: role.as_str().into(),
            display_name: role.label().into(),
            password: "temporary password".into(),
            roles: vec![role],
            scope: Scope::Facilities(vec![own.facility.id]),
        };
        a.create_account(&c, &account).unwrap();
    }
    let backup = a.backup(&later(9_000)).unwrap().name;
    let anchor = a.audit_anchor().unwrap();
    let anchor = format!("{} {}", anchor.seq, anchor.code);
    drop(a);
    for role in ROLES {
        let mut s = site::sign_in(&files, &later(10_000), role.as_str(), "temporary password").unwrap().store;
        s.change_password(&later(10_000), "temporary password", PASSWORD).unwrap();
    }
    Prepared { dir, own, other, peer: b_id, clinic, stranger, backup, anchor }
}


/// One case: a copy of the prepared site, signed in as the role's account.
struct Case {
    store: Store,
    files: SiteFiles,
    dir: tempfile::TempDir,
    ctx: WriteCtx,
    own: Side,
    other: Side,
}

impl Case {
    fn side(&self, own: bool) -> &Side {
        if own {
            &self.own
        } else {
            &self.other
        }
    }

    fn at(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn facility(&self, own: bool) -> &Facility {
        &self.side(own).facility
    }

    /// A one-person roster from the jail's system, written into the case's folder.
    fn roster(&self) -> PathBuf {
        let path = self.at("roster.csv");
        std::fs::write(&path, "Booking,Name,DOB\nR-1,\"NEW, Person\",1/22/1990\n").unwrap();
        path
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().map(|e| e.unwrap()) {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn case(role: Role) -> Case {
    let p = prepared();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(p.dir.path(), dir.path());
    let files = SiteFiles::for_db(dir.path().join("A.db"));
    let ctx = later(20_000);
    let store = site::sign_in(&files, &ctx, role.as_str(), PASSWORD).unwrap().store;
    Case { store, files, dir, ctx, own: p.own.clone(), other: p.other.clone() }
}

type Act = fn(&mut Case, bool) -> Result<()>;

/// An action, the permission it needs, and whether it is aimed at a facility (then it is tried
/// in the account's own facility and in the other one).
struct Row {
    name: &'static str,
    needs: Permission,
    aimed: bool,
    act: Act,
}

const fn row(name: &'static str, needs: Permission, aimed: bool, act: Act) -> Row {
    Row { name, needs, aimed, act }
}

use Permission::*;

const ROWS: &[Row] = &[
    row("list the roster", ViewParticipants, false, |c, _| c.store.roster_page(&Default::default(), 0, 10).map(drop)),
    row("search the roster", ViewParticipants, false, |c, _| c.store.search("smith", &Default::default(), 10).map(drop)),
    row("look for duplicates before enrolling", ViewParticipants, false, |c, _| {
        let lookalike = person(c.facility(true), "SMITH, Mary", "X-1");
        c.store.possible_duplicates(&lookalike, None).map(drop)
    }),
    row("open a record", ViewParticipants, true, |c, own| c.store.view_participant(&c.ctx, c.side(own).person).map(drop)),
    row("see a person's attendance", ViewParticipants, true, |c, own| c.store.attendance_history(c.side(own).person).map(drop)),
    row("see the week's calendar", ViewParticipants, true, |c, own| c.store.week(c.facility(own).id, today(), None).map(drop)),
    row("list the groups", ViewParticipants, true, |c, own| c.store.groups(c.facility(own).id).map(drop)),
    row("open a group", ViewParticipants, true, |c, own| c.store.group(c.side(own).group).map(drop)),
    row("see a group's attendance", ViewParticipants, true, |c, own| c.store.group_attendance(c.side(own).group).map(drop)),
    row("open a roll call", ViewParticipants, true, |c, own| c.store.roll_call(&c.side(own).meeting.clone(), today()).map(drop)),
    row("list the staff", ViewParticipants, true, |c, own| c.store.staff(c.facility(own).id).map(drop)),
    row("enrol", EnrollParticipants, true, |c, own| {
        let mut input = person(c.facility(own), "NEW, Person", "N-9");
        input.release_date = String::new();
        c.store.enroll(&c.ctx, &input).map(drop)
    }),
    row("edit a record", EditParticipants, true, |c, own| {
        let s = c.side(own).clone();
        let edited = ParticipantInput { notes: "changed".into(), ..s.newcomer_input.clone() };
        c.store.update_participant(&c.ctx, s.newcomer, &s.newcomer_input, &edited).map(drop)
    }),
    row("see a person's programs", ViewParticipants, true, |c, own| c.store.episodes(&c.ctx, c.side(own).person).map(drop)),
    row("start a program episode", EditParticipants, true, |c, own| {
        let input = EpisodeInput { kind: "moud".into(), start_date: today().to_string(), ..Default::default() };
        c.store.save_episode(&c.ctx, c.side(own).newcomer, None, &input).map(drop)
    }),
    row("end a program episode", EditParticipants, true, |c, own| {
        let input = EpisodeInput { kind: "rsat".into(), start_date: (today() - Duration::days(60)).to_string(), end_date: today().to_string(), outcome: "completed".into(), ..Default::default() };
        c.store.save_episode(&c.ctx, c.side(own).person, Some(c.side(own).episode), &input).map(drop)
    }),
    row("move a program episode to a phase", EditParticipants, true, |c, own| {
        let input = PhaseInput { date: today().to_string(), phase: "Phase 3".into() };
        c.store.add_phase(&c.ctx, c.side(own).person, c.side(own).episode, &input).map(drop)
    }),
    row("remove a phase", EditParticipants, true, |c, own| c.store.remove_phase(&c.ctx, c.side(own).person, c.side(own).phase).map(drop)),
    row("remove a program episode", EditParticipants, true, |c, own| c.store.remove_episode(&c.ctx, c.side(own).person, c.side(own).episode).map(drop)),
    row("see the program report", ViewParticipants, true, |c, own| c.store.program_report(today() - Duration::days(90), today(), Some(c.facility(own).id), today()).map(drop)),
    row("see the follow-ups due", ReportPeople, true, |c, own| {
        let facility = c.facility(own).id;
        c.store.follow_ups_due(&c.ctx, Some(facility)).map(drop)
    }),
    row("print the program report", Print, true, |c, own| {
        let (facility, path) = (c.facility(own).id, c.at("report.pdf"));
        c.store.save_program_report(&c.ctx, (today() - Duration::days(90), today()), Some(facility), ReportFormat::Pdf, Language::English, &path).map(drop)
    }),
    row("export the people behind a report's figure", ExportData, true, |c, own| {
        let (facility, path) = (c.facility(own).id, c.at("people.csv"));
        c.store.save_report_people(&c.ctx, (today() - Duration::days(90), today()), Some(facility), "enrolment.active_at_start", &path).map(drop)
    }),
    row("see the people behind a report's figure", ReportPeople, true, |c, own| {
        let facility = c.facility(own).id;
        c.store.program_report_people(&c.ctx, today() - Duration::days(90), today(), Some(facility), "enrolment.active_at_start").map(drop)
    }),
    row("list likely duplicates", ViewParticipants, false, |c, _| c.store.likely_duplicates(&c.ctx).map(drop)),
    row("merge two records of one person", MergeParticipants, true, |c, own| {
        let side = c.side(own);
        let input = MergeInput { kept_id: side.person.to_string(), merged_id: side.twin.to_string(), reason: "same birth date and name".into() };
        c.store.merge_participants(&c.ctx, &input).map(drop)
    }),
    row("list merges", ViewParticipants, false, |c, _| c.store.participant_merges(&c.ctx).map(drop)),
    row("undo a merge", MergeParticipants, true, |c, own| {
        let merge = c.side(own).merge;
        c.store.undo_merge(&c.ctx, merge, "two people after all").map(drop)
    }),
    row("list transfers", ViewParticipants, false, |c, _| c.store.transfers(&c.ctx).map(drop)),
    row("see a person's transfers", ViewParticipants, true, |c, own| {
        let person = c.side(own).person;
        c.store.transfers_of(&c.ctx, person).map(drop)
    }),
    row("ask for a transfer", TransferParticipants, true, |c, own| {
        let (person, to) = (c.side(own).person, c.facility(!own).id.to_string());
        c.store.request_transfer(&c.ctx, person, &TransferInput { to_facility_id: to, reason: "closer to family".into() }).map(drop)
    }),
    row("cancel a transfer", TransferParticipants, true, |c, own| {
        let reply = TransferReply { answer: "cancelled".into(), note: "court date moved".into(), ..Default::default() };
        let transfer = c.side(own).transfer;
        c.store.answer_transfer(&c.ctx, transfer, &reply).map(drop)
    }),
    row("accept a transfer", TransferParticipants, true, |c, own| {
        // The transfer coming into the facility tried: the other side's newcomer's.
        let reply = TransferReply { answer: "accepted".into(), date: today().to_string(), ..Default::default() };
        let transfer = c.side(!own).transfer;
        c.store.answer_transfer(&c.ctx, transfer, &reply).map(drop)
    }),
    row("list roster sources", ImportRosters, true, |c, own| c.store.roster_sources(c.facility(own).id).map(drop)),
    row("export the roster", ExportData, true, |c, own| {
        let (facility, path) = (c.facility(own).id, c.at("roster-out.csv"));
        c.store.export_roster(&c.ctx, facility, &path).map(drop)
    }),
    row("read a roster file", ImportRosters, true, |c, own| {
        let request = RosterRequest { facility: c.facility(own).id, source: "Jail system", path: &c.roster(), mapping: None };
        c.store.read_roster(&request, today()).map(drop)
    }),
    row("preview a roster", ImportRosters, true, |c, own| {
        let request = RosterRequest { facility: c.facility(own).id, source: "Jail system", path: &c.roster(), mapping: None };
        c.store.preview_roster(&c.ctx, &request).map(drop)
    }),
    row("apply a roster", ImportRosters, true, |c, own| {
        let path = c.roster();
        let request = RosterRequest { facility: c.facility(own).id, source: "Jail system", path: &path, mapping: None };
        // A role refused the preview has no plan: the apply is refused before it is looked at.
        let plan = c.store.preview_roster(&c.ctx, &request).map(|p| p.plan).unwrap_or_default();
        c.store.apply_roster(&c.ctx, &request, &plan, &Decisions::default()).map(drop)
    }),
    row("record a release", EditParticipants, true, |c, own| {
        let change = StatusChange { status: "released".into(), date: today().to_string(), note: String::new() };
        c.store.set_status(&c.ctx, c.side(own).newcomer, &change).map(drop)
    }),
    row("list sync conflicts", EditParticipants, false, |c, _| c.store.conflicts().map(drop)),
    row("resolve a sync conflict", EditParticipants, true, |c, own| c.store.resolve_conflict(&c.ctx, c.side(own).conflict, Keep::Other)),
    row("delete a record", DeleteParticipants, true, |c, own| c.store.delete_participant(&c.ctx, c.side(own).newcomer)),
    row("start a group", RunGroups, true, |c, own| {
        let input = GroupInput { name: "Seeking Safety".into(), weekdays: vec![5], start_time: "14:00".into(), facilitators: vec![], ..crate::fixture::weekly_group(c.facility(own), String::new()) };
        c.store.save_group(&c.ctx, None, &input).map(drop)
    }),
    row("add a group member", RunGroups, true, |c, own| c.store.add_member(&c.ctx, c.side(own).group, c.side(own).newcomer).map(drop)),
    row("remove a group member", RunGroups, true, |c, own| c.store.remove_member(&c.ctx, c.side(own).group, c.side(own).person).map(drop)),
    row("move a meeting", RunGroups, true, |c, own| {
        let room = c.facility(own).rooms[0].id.to_string();
        let to = MeetingMove { date: (today() + Duration::days(3)).to_string(), start_time: "13:00".into(), duration_min: 60, location_id: room };
        c.store.move_meeting(&c.ctx, &c.side(own).meeting.clone(), &to).map(drop)
    }),
    row("add a meeting", RunGroups, true, |c, own| {
        let room = c.facility(own).rooms[0].id.to_string();
        let at = MeetingMove { date: (today() + Duration::days(4)).to_string(), start_time: "13:00".into(), duration_min: 60, location_id: room };
        c.store.add_meeting(&c.ctx, c.side(own).group, &at).map(drop)
    }),
    row("cancel a meeting", RunGroups, true, |c, own| c.store.cancel_meeting(&c.ctx, &c.side(own).meeting.clone(), "facility lockdown").map(drop)),
    row("take a roll call", RunGroups, true, |c, own| {
        let input = RollCallInput {
            marks: vec![MarkInput { participant_id: c.side(own).person, mark: Mark::Present, walk_in: false }],
            topic_covered: "Triggers".into(),
            notes: String::new(),
            facilitator_hours: Some(1.5),
            late_reason: String::new(),
        };
        c.store.save_roll_call(&c.ctx, &c.side(own).meeting.clone(), &input).map(drop)
    }),
    row("add a peer specialist to the staff", RunGroups, true, |c, own| {
        let input = StaffInput { name: "Lee Park".into(), peer_roles: vec![], facility_id: c.facility(own).id.to_string(), username: String::new() };
        c.store.add_staff(&c.ctx, &input).map(drop)
    }),
    row("see the release pipeline", ReentryWork, false, |c, _| c.store.release_pipeline(today()).map(drop)),
    row("see today's reentry work", ReentryWork, false, |c, _| c.store.today_view(today()).map(drop)),
    row("see the day's groups, contacts and releases", ViewParticipants, false, |c, _| c.store.my_day(today()).map(drop)),
    row("open a reentry plan", ReentryWork, true, |c, own| c.store.plan(&c.ctx, c.side(own).person).map(drop)),
    row("start a reentry plan", ReentryWork, true, |c, own| c.store.start_plan(&c.ctx, c.side(own).newcomer).map(drop)),
    row("add a plan item", ReentryWork, true, |c, own| {
        let item = PlanItemInput { area: "phone".into(), title: "Charger".into(), due_days: 3, status: "open".into(), ..Default::default() };
        c.store.save_plan_item(&c.ctx, c.side(own).person, None, &item).map(drop)
    }),
    row("save the community peer and supervision", ReentryWork, true, |c, own| {
        let details = PlanDetailsInput { community_peer: "Dana".into(), ..Default::default() };
        c.store.save_plan_details(&c.ctx, c.side(own).person, &details).map(drop)
    }),
    row("add an appointment", ReentryWork, true, |c, own| {
        let visit = AppointmentInput { area: "moud".into(), provider: "Eastside Recovery Clinic".into(), date: (today() + Duration::days(21)).to_string(), ..Default::default() };
        c.store.save_appointment(&c.ctx, c.side(own).person, None, &visit).map(drop)
    }),
    row("add a referral", ReentryWork, true, |c, own| {
        let clinic = prepared().clinic.to_string();
        let referral = ReferralInput { resource_id: clinic, area: "moud".into(), status: "sent".into(), sent_on: today().to_string(), notes: String::new() };
        c.store.save_referral(&c.ctx, c.side(own).person, None, &referral).map(drop)
    }),
    row("record a consent", ReentryWork, true, |c, own| {
        let consent = ConsentInput {
            resource_id: prepared().clinic.to_string(),
            information: vec!["housing".into()],
            purpose: "housing on release".into(),
            signed_on: today().to_string(),
            expires_on: (today() + Duration::days(90)).to_string(),
        };
        c.store.add_consent(&c.ctx, c.side(own).person, &consent).map(drop)
    }),
    row("revoke a consent", ReentryWork, true, |c, own| c.store.revoke_consent(&c.ctx, c.side(own).person, c.side(own).consent, today()).map(drop)),
    row("see the accounting of disclosures", ReentryWork, true, |c, own| c.store.disclosures(c.side(own).person).map(drop)),
    row("list open hand-offs", ReentryWork, false, |c, _| c.store.open_handoffs().map(drop)),
    row("read the plan template", ReentryWork, false, |c, _| c.store.plan_template().map(drop)),
    row("change the plan template", ReentryWork, false, |c, _| {
        let item = PlanItemInput { area: "phone".into(), title: "Charger".into(), due_days: 3, status: "open".into(), ..Default::default() };
        c.store.save_template_item(&c.ctx, None, &item).map(drop)
    }),
    row("search the resource directory", ReentryWork, false, |c, _| c.store.resources("").map(drop)),
    row("add a community resource", ReentryWork, false, |c, _| {
        let input = ResourceInput { name: "Hope House".into(), kind: "recovery_residence".into(), ..Default::default() };
        c.store.save_resource(&c.ctx, None, &input, None).map(drop)
    }),
    row("see what a hand-off would carry", HandOff, true, |c, own| c.store.check_handoff(today(), c.side(own).person, prepared().clinic).map(drop)),
    row("hand off to the partner", HandOff, true, |c, own| {
        let path = c.at("handoff.bundle");
        c.store.export_handoff(&c.ctx, c.side(own).person, prepared().clinic, &path).map(drop)
    }),
    row("record the partner's confirmation", HandOff, true, |c, own| {
        let s = c.side(own).clone();
        c.store.confirm_handoff(&c.ctx, s.person, s.disclosure, today(), "first contact by phone").map(drop)
    }),
    row("check an export", ExportData, false, |c, _| c.store.check_export(prepared().peer).map(drop)),
    row("export to a program site", ExportData, false, |c, _| {
        let path = c.at("out.bundle");
        c.store.export_bundle(&c.ctx, prepared().peer, false, &path).map(drop)
    }),
    row("export everything to a program site", ExportData, false, |c, _| {
        let path = c.at("full.bundle");
        c.store.export_bundle(&c.ctx, prepared().peer, true, &path).map(drop)
    }),
    row("export with a passphrase", ExportData, false, |c, _| {
        let path = c.at("one-off.bundle");
        c.store.export_bundle_with_passphrase(&c.ctx, prepared().peer, "a long enough passphrase here", &path).map(drop)
    }),
    row("import a bundle", ExportData, false, |c, _| {
        let path = c.at("waiting.bundle");
        c.store.import_bundle(&c.ctx, &path, None).map(drop)
    }),
    row("write a receipt", ExportData, false, |c, _| {
        let path = c.at("out.receipt");
        c.store.write_receipt(&c.ctx, prepared().peer, &path)
    }),
    row("read a receipt", ExportData, false, |c, _| {
        let path = c.at("waiting.receipt");
        c.store.import_receipt(&c.ctx, &path).map(drop)
    }),
    row("compute the content digest", ExportData, false, |c, _| c.store.content_digest().map(drop)),
    row("read the change journal", ExportData, false, |c, _| c.store.journal_entries().map(drop)),
    row("print a release packet", ReentryWork, true, |c, own| c.store.release_packet(&c.ctx, c.side(own).person, None).map(drop)),
    row("save a release packet as PDF", ReentryWork, true, |c, own| {
        let path = c.at("packet.pdf");
        c.store.save_release_packet(&c.ctx, c.side(own).person, None, &path)
    }),
    row("name a release packet's file", ReentryWork, true, |c, own| c.store.release_packet_file_name(&c.ctx, c.side(own).person).map(drop)),
    row("print the week's calendar", Print, true, |c, own| c.store.record_week_print(&c.ctx, c.facility(own).id, today())),
    row("print a check-in trend", Print, true, |c, own| c.store.check_ins_print_recorded(&c.ctx, c.side(own).person)),
    row("log a contact", PeerWork, true, |c, own| {
        let s = c.side(own).clone();
        let input = ContactInput {
            participant_id: s.person.to_string(),
            staff_id: s.staff.to_string(),
            date: today().to_string(),
            start_time: "09:30".into(),
            minutes: 20,
            setting: "program_room".into(),
            kind: "brief_check_in".into(),
            ..Default::default()
        };
        c.store.save_contact(&c.ctx, None, &input).map(drop)
    }),
    row("list a person's contacts", ViewParticipants, true, |c, own| c.store.contacts(&c.ctx, c.side(own).person).map(drop)),
    row("open a peer's caseload", PeerWork, true, |c, own| c.store.caseload(today(), Some(c.side(own).staff)).map(drop)),
    row("list the peers with caseloads", PeerWork, false, |c, _| c.store.caseload_peers().map(drop)),
    row("put a person on a caseload", EditParticipants, true, |c, own| c.store.assign_peer(&c.ctx, c.side(own).newcomer, Some(c.side(own).staff)).map(drop)),
    row("record a check-in", PeerWork, true, |c, own| {
        let s = c.side(own).clone();
        let answers = Instrument::parse(BUILT_IN).unwrap().items.iter().map(|i| (i.key.clone(), 3)).collect();
        let input = CheckInInput { participant_id: s.person.to_string(), date: today().to_string(), language: "es".into(), staff_id: s.staff.to_string(), answers, ..Default::default() };
        c.store.record_check_in(&c.ctx, &input).map(drop)
    }),
    row("see a person's check-ins", ViewParticipants, true, |c, own| c.store.check_ins(&c.ctx, c.side(own).person).map(drop)),
    row("list the check-in instruments", ViewParticipants, false, |c, _| c.store.instruments().map(drop)),
    row("load a check-in instrument", ManageSite, false, |c, _| c.store.load_instrument(&c.ctx, BUILT_IN).map(drop)),
    row("add a recovery goal", PeerWork, true, |c, own| {
        let goal = GoalInput { goal: "Keep my job at the warehouse".into(), dimension: "purpose".into(), ..Default::default() };
        c.store.save_goal(&c.ctx, c.side(own).person, None, &goal).map(drop)
    }),
    row("see a recovery plan", ViewParticipants, true, |c, own| c.store.recovery_plan(&c.ctx, c.side(own).person).map(drop)),
    row("see a person's timeline", ViewParticipants, true, |c, own| c.store.timeline(&c.ctx, c.side(own).person, &[]).map(drop)),
    row("add a facility", ManageSite, false, |c, _| c.store.create_facility(&c.ctx, &NewFacility { name: "Third".into(), code: "TRD".into(), units: vec![], rooms: vec![] }).map(drop)),
    row("add a unit", ManageSite, false, |c, _| c.store.add_location(&c.ctx, c.own.facility.id, LocationKind::Unit, "C-West").map(drop)),
    row("change the settings", ManageSite, false, |c, _| {
        let settings = Settings { idle_lock_minutes: 5, backups_kept: 3, roll_call_window_days: 7, bundle_limit_mb: 100, ..Default::default() };
        c.store.set_settings(&c.ctx, &settings).map(drop)
    }),
    row("list the accounts", ManageAccounts, false, |c, _| c.store.accounts().map(drop)),
    row("create an account", ManageAccounts, false, |c, _| {
        let account = NewAccount { username: "newbie".into(), display_name: "New Bie".into(), password: "temporary password".into(), roles: vec![Role::Coordinator], scope: Scope::All };
        c.store.create_account(&c.ctx, &account).map(drop)
    }),
    row("change an account's roles", ManageAccounts, false, |c, _| {
        let change = AccountChange { display_name: "Peer".into(), roles: vec![Role::Coordinator], scope: Scope::All };
        c.store.update_account(&c.ctx, "peer_specialist", &change).map(drop)
    }),
    row("deactivate an account", ManageAccounts, false, |c, _| c.store.deactivate_account(&c.ctx, "peer_specialist").map(drop)),
    row("reset a password", ManageAccounts, false, |c, _| c.store.reset_password(&c.ctx, "peer_specialist", "another temporary one")),
    row("rotate the database key", ManageAccounts, false, |c, _| c.store.rotate_database_key(&c.ctx).map(drop)),
    row("see this site's card", ManageTrustedPeers, false, |c, _| c.store.site_card(&c.ctx).map(drop)),
    row("save this site's card", ManageTrustedPeers, false, |c, _| {
        let path = c.at("A.card");
        c.store.save_site_card(&c.ctx, &path).map(drop)
    }),
    row("list trusted sites", ManageTrustedPeers, false, |c, _| c.store.peers().map(drop)),
    row("trust a site", ManageTrustedPeers, false, |c, _| {
        let card = prepared().stranger.clone();
        c.store.trust_peer(&c.ctx, &card, &card.fingerprint, PeerKind::ProgramSite).map(drop)
    }),
    row("stop trusting a site", ManageTrustedPeers, false, |c, _| c.store.remove_peer(&c.ctx, prepared().peer)),
    row("make a backup", Backup, false, |c, _| c.store.backup(&c.ctx).map(drop)),
    row("list the backups", Backup, false, |c, _| c.store.backups().map(drop)),
    row("restore a backup", Backup, false, |c, _| {
        // Restoring is done with the database closed, as the command-line tool does it.
        let who = c.store.session()?.username().to_string();
        drop(std::mem::replace(&mut c.store, Store::open_in_memory()?));
        let backup = c.files.backups.join(&prepared().backup);
        site::restore(&c.files, &c.ctx, &backup, &who, PASSWORD).map(drop)
    }),
    row("read the audit trail", ViewAudit, false, |c, _| c.store.audit_page(&AuditFilter::default(), 0, 10).map(drop)),
    row("verify the audit trail", ViewAudit, false, |c, _| c.store.audit_verify().map(drop)),
    row("take the audit anchor", ViewAudit, false, |c, _| c.store.audit_anchor().map(drop)),
    row("check a written anchor", ViewAudit, false, |c, _| c.store.audit_check_anchor(&prepared().anchor).map(drop)),
    row("export the audit trail", ExportAudit, false, |c, _| {
        let path = c.at("audit.csv");
        c.store.audit_export(&c.ctx, &AuditFilter::default(), &path).map(drop)
    }),
    row("open a staff record", KeepStaffRecords, true, |c, own| c.store.staff_record(c.side(own).staff, today()).map(drop)),
    row("keep a staff record", KeepStaffRecords, true, |c, own| {
        let input = StaffRecordInput { employer_kind: "facility".into(), cadence: "monthly".into(), start_date: (today() - Duration::days(30)).to_string(), ..Default::default() };
        c.store.update_staff_record(&c.ctx, c.side(own).staff, &input).map(drop)
    }),
    row("add a credential", KeepStaffRecords, true, |c, own| {
        let input = CredentialInput {
            staff_id: c.side(own).staff.to_string(),
            kind: "training_certificate".into(),
            name: "Peer Mentor Training".into(),
            issuer: "Department of Corrections".into(),
            issued_on: today().to_string(),
            ..Default::default()
        };
        c.store.add_credential(&c.ctx, &input).map(drop)
    }),
    row("add continuing-education hours", KeepStaffRecords, true, |c, own| {
        let input = CeHoursInput { staff_id: c.side(own).staff.to_string(), date: today().to_string(), hours: 2.0, topic: "ethics".into(), title: "Boundaries".into(), provider: String::new() };
        c.store.add_ce_hours(&c.ctx, &input).map(drop)
    }),
    row("log supervision", KeepStaffRecords, true, |c, own| {
        let input = SupervisionInput {
            supervisor_id: c.side(own).supervisor.to_string(),
            supervisees: vec![c.side(own).staff.to_string()],
            date: today().to_string(),
            minutes: 60,
            functions: vec!["supportive".into()],
            setting: "remote".into(),
            ..Default::default()
        };
        c.store.log_supervision(&c.ctx, &input).map(drop)
    }),
    row("evaluate a peer's work", KeepStaffRecords, true, |c, own| {
        let input = EvaluationInput {
            staff_id: c.side(own).staff.to_string(),
            date: today().to_string(),
            evaluator_id: c.side(own).supervisor.to_string(),
            strengths: "Prepared for every group".into(),
            growth: String::new(),
        };
        c.store.add_evaluation(&c.ctx, &input).map(drop)
    }),
    row("read a record of peer work", KeepStaffRecords, true, |c, own| c.store.mentor_summary(c.side(own).staff, today()).map(drop)),
    row("print a record of peer work", KeepStaffRecords, true, |c, own| {
        let path = c.at("peer-work.pdf");
        c.store.save_mentor_summary(&c.ctx, c.side(own).staff, Language::Spanish, &path)
    }),
    row("see the supervision report", KeepStaffRecords, true, |c, own| {
        c.store.supervision_report(today() - Duration::days(90), today(), Some(c.facility(own).id), today()).map(drop)
    }),
    row("list readiness assessments", AssessProgram, true, |c, own| c.store.readiness_assessments(c.facility(own).id).map(drop)),
    row("open a readiness assessment", AssessProgram, true, |c, own| c.store.readiness_assessment(&c.side(own).readiness).map(drop)),
    row("start a readiness assessment", AssessProgram, true, |c, own| {
        let input = ReadinessAssessmentInput { facility_id: c.facility(own).id.to_string(), date: today().to_string(), title: String::new() };
        c.store.start_readiness_assessment(&c.ctx, &input).map(drop)
    }),
    row("answer a readiness item", AssessProgram, true, |c, own| {
        let input = ReadinessAnswerInput { answer: "in_progress".into(), action: "Name a supervisor".into(), ..Default::default() };
        let id = c.side(own).readiness.clone();
        c.store.save_readiness_answer(&c.ctx, &id, "supervision.structure", &input).map(drop)
    }),
    row("print a readiness summary", AssessProgram, true, |c, own| {
        let (id, path) = (c.side(own).readiness.clone(), c.at("readiness.pdf"));
        c.store.save_readiness_summary(&c.ctx, &id, None, Language::English, &path)
    }),
];

/// Y: allowed; n: refused for the role (`forbidden`); o: refused for the facility
/// (`out_of_scope`). Columns: admin, coordinator, peer specialist, reentry staff, auditor; an
/// aimed row has two cells per role, own facility then the other one.
const EXPECTED: &[(&str, &str)] = &[
    ("list the roster", "n Y Y Y Y"),
    ("search the roster", "n Y Y Y Y"),
    ("look for duplicates before enrolling", "n Y Y Y Y"),
    ("open a record", "nn Yo Yo Yo Yo"),
    ("see a person's attendance", "nn Yo Yo Yo Yo"),
    ("see the week's calendar", "nn Yo Yo Yo Yo"),
    ("list the groups", "nn Yo Yo Yo Yo"),
    ("open a group", "nn Yo Yo Yo Yo"),
    ("see a group's attendance", "nn Yo Yo Yo Yo"),
    ("open a roll call", "nn Yo Yo Yo Yo"),
    ("list the staff", "nn Yo Yo Yo Yo"),
    ("enrol", "nn Yo Yo Yo nn"),
    ("edit a record", "nn Yo Yo Yo nn"),
    ("see a person's programs", "nn Yo Yo Yo Yo"),
    ("start a program episode", "nn Yo Yo Yo nn"),
    ("end a program episode", "nn Yo Yo Yo nn"),
    ("move a program episode to a phase", "nn Yo Yo Yo nn"),
    ("remove a phase", "nn Yo Yo Yo nn"),
    ("remove a program episode", "nn Yo Yo Yo nn"),
    // Everyone who reads records sees a report's counts; an auditor sees no one behind them.
    ("see the program report", "nn Yo Yo Yo Yo"),
    ("see the follow-ups due", "nn Yo Yo Yo nn"),
    ("print the program report", "nn Yo Yo Yo nn"),
    // A list of people leaving the app is an export of records.
    ("export the people behind a report's figure", "nn Yo nn nn nn"),
    ("see the people behind a report's figure", "nn Yo Yo Yo nn"),
    // The receiving facility sees who is coming; only it accepts, only the sender cancels.
    ("list likely duplicates", "n Y Y Y Y"),
    ("merge two records of one person", "nn Yo nn nn nn"),
    ("list merges", "n Y Y Y Y"),
    ("undo a merge", "nn Yo nn nn nn"),
    ("list transfers", "n Y Y Y Y"),
    ("see a person's transfers", "nn Yo Yo Yo Yo"),
    ("ask for a transfer", "nn Yo nn Yo nn"),
    ("cancel a transfer", "nn Yo nn Yo nn"),
    ("accept a transfer", "nn Yo nn Yo nn"),
    ("list roster sources", "nn Yo nn Yo nn"),
    ("export the roster", "nn Yo nn nn nn"),
    ("read a roster file", "nn Yo nn Yo nn"),
    ("preview a roster", "nn Yo nn Yo nn"),
    ("apply a roster", "nn Yo nn Yo nn"),
    ("record a release", "nn Yo Yo Yo nn"),
    ("list sync conflicts", "n Y Y Y n"),
    ("resolve a sync conflict", "nn Yo Yo Yo nn"),
    ("delete a record", "nn Yo nn nn nn"),
    ("start a group", "nn Yo Yo nn nn"),
    ("add a group member", "nn Yo Yo nn nn"),
    ("remove a group member", "nn Yo Yo nn nn"),
    ("move a meeting", "nn Yo Yo nn nn"),
    ("add a meeting", "nn Yo Yo nn nn"),
    ("cancel a meeting", "nn Yo Yo nn nn"),
    ("take a roll call", "nn Yo Yo nn nn"),
    ("add a peer specialist to the staff", "nn Yo Yo nn nn"),
    ("see the release pipeline", "n Y n Y n"),
    ("see today's reentry work", "n Y n Y n"),
    ("see the day's groups, contacts and releases", "n Y Y Y Y"),
    ("open a reentry plan", "nn Yo nn Yo nn"),
    ("start a reentry plan", "nn Yo nn Yo nn"),
    ("add a plan item", "nn Yo nn Yo nn"),
    ("save the community peer and supervision", "nn Yo nn Yo nn"),
    ("add an appointment", "nn Yo nn Yo nn"),
    ("add a referral", "nn Yo nn Yo nn"),
    ("record a consent", "nn Yo nn Yo nn"),
    ("revoke a consent", "nn Yo nn Yo nn"),
    ("see the accounting of disclosures", "nn Yo nn Yo nn"),
    ("list open hand-offs", "n Y n Y n"),
    ("read the plan template", "n Y n Y n"),
    ("change the plan template", "n Y n Y n"),
    ("search the resource directory", "n Y n Y n"),
    ("add a community resource", "n Y n Y n"),
    ("see what a hand-off would carry", "nn Yo nn Yo nn"),
    ("hand off to the partner", "nn Yo nn Yo nn"),
    ("record the partner's confirmation", "nn Yo nn Yo nn"),
    // Sending or taking in the whole site's records needs every facility (ADR 0011): an
    // account limited to one may not.
    ("check an export", "n o n n n"),
    ("export to a program site", "n o n n n"),
    ("export everything to a program site", "n o n n n"),
    ("export with a passphrase", "n o n n n"),
    ("import a bundle", "n o n n n"),
    ("write a receipt", "n o n n n"),
    ("read a receipt", "n o n n n"),
    ("compute the content digest", "n o n n n"),
    ("read the change journal", "n o n n n"),
    // The packet is a reentry plan on paper: reading the plan decides, as on screen.
    ("print a release packet", "nn Yo nn Yo nn"),
    ("save a release packet as PDF", "nn Yo nn Yo nn"),
    ("name a release packet's file", "nn Yo nn Yo nn"),
    ("print the week's calendar", "nn Yo Yo Yo nn"),
    ("print a check-in trend", "nn Yo Yo Yo nn"),
    // Peer work is the peers' and their coordinators'; everyone who reads records sees it.
    ("log a contact", "nn Yo Yo nn nn"),
    ("list a person's contacts", "nn Yo Yo Yo Yo"),
    ("open a peer's caseload", "nn Yo Yo nn nn"),
    ("list the peers with caseloads", "n Y Y n n"),
    ("put a person on a caseload", "nn Yo Yo Yo nn"),
    ("record a check-in", "nn Yo Yo nn nn"),
    ("see a person's check-ins", "nn Yo Yo Yo Yo"),
    ("list the check-in instruments", "n Y Y Y Y"),
    ("load a check-in instrument", "Y n n n n"),
    ("add a recovery goal", "nn Yo Yo nn nn"),
    ("see a recovery plan", "nn Yo Yo Yo Yo"),
    ("see a person's timeline", "nn Yo Yo Yo Yo"),
    ("add a facility", "Y n n n n"),
    ("add a unit", "Y n n n n"),
    ("change the settings", "Y n n n n"),
    ("list the accounts", "Y n n n n"),
    ("create an account", "Y n n n n"),
    ("change an account's roles", "Y n n n n"),
    ("deactivate an account", "Y n n n n"),
    ("reset a password", "Y n n n n"),
    ("rotate the database key", "Y n n n n"),
    ("see this site's card", "Y n n n n"),
    ("save this site's card", "Y n n n n"),
    // Those who export or hand off choose among the trusted sites, so they see the list.
    ("list trusted sites", "Y Y n Y n"),
    ("trust a site", "Y n n n n"),
    ("stop trusting a site", "Y n n n n"),
    ("make a backup", "Y n n n n"),
    ("list the backups", "Y n n n n"),
    ("restore a backup", "Y n n n n"),
    ("read the audit trail", "Y n n n Y"),
    ("verify the audit trail", "Y n n n Y"),
    ("take the audit anchor", "Y n n n Y"),
    ("check a written anchor", "Y n n n Y"),
    ("export the audit trail", "Y n n n Y"),
    // A staff record reaches its person and their supervisor too; these peers are neither.
    ("open a staff record", "nn Yo nn nn nn"),
    ("keep a staff record", "nn Yo nn nn nn"),
    ("add a credential", "nn Yo nn nn nn"),
    ("add continuing-education hours", "nn Yo nn nn nn"),
    ("log supervision", "nn Yo nn nn nn"),
    ("evaluate a peer's work", "nn Yo nn nn nn"),
    ("read a record of peer work", "nn Yo nn nn nn"),
    ("print a record of peer work", "nn Yo nn nn nn"),
    // Everyone sees the report of their own facility, with whom they reach in it: a keeper
    // everyone, a supervisor their supervisees, anyone else themselves or nobody.
    ("see the supervision report", "Yo Yo Yo Yo Yo"),
    ("list readiness assessments", "nn Yo nn nn nn"),
    ("open a readiness assessment", "nn Yo nn nn nn"),
    ("start a readiness assessment", "nn Yo nn nn nn"),
    ("answer a readiness item", "nn Yo nn nn nn"),
    ("print a readiness summary", "nn Yo nn nn nn"),
];

/// Every row's outcome for `role`, as the table's cells; mismatches and wrong refusals named.
fn walk(column: usize) -> Vec<String> {
    let role = ROLES[column];
    let mut wrong = Vec::new();
    for (r, (name, cells)) in ROWS.iter().zip(EXPECTED) {
        assert_eq!(r.name, *name, "the table's rows follow the actions");
        let expected: Vec<char> = cells.split(' ').nth(column).unwrap().chars().collect();
        let tries: &[bool] = if r.aimed { &[true, false] } else { &[true] };
        assert_eq!(expected.len(), tries.len(), "{name}: one cell per facility tried");
        for (&own, want) in tries.iter().zip(expected) {
            let mut c = case(role);
            let outcome = (r.act)(&mut c, own);
            let got = match &outcome {
                Ok(()) => 'Y',
                Err(e) if e.code() == ErrorCode::Forbidden && e.refused_permission() == Some(r.needs) => 'n',
                Err(e) if e.code() == ErrorCode::OutOfScope && e.refused_permission() == Some(r.needs) => 'o',
                Err(e) => {
                    wrong.push(format!("{role:?} / {name} ({}): {:?} {e}", if own { "own" } else { "other" }, e.code()));
                    continue;
                }
            };
            if got != want {
                wrong.push(format!("{role:?} / {name} ({}): expected {want}, got {got}", if own { "own" } else { "other" }));
            }
        }
    }
    wrong
}

#[test]
fn the_table_names_every_action_once() {
    assert_eq!(ROWS.len(), EXPECTED.len());
    let mut names: Vec<_> = ROWS.iter().map(|r| r.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ROWS.len());
    let needed: std::collections::HashSet<_> = ROWS.iter().map(|r| r.needs).collect();
    for p in Permission::ALL {
        assert!(needed.contains(&p), "no action in the matrix needs {p:?}");
    }
}

#[test]
fn an_administrator_meets_exactly_the_refusals_the_matrix_names() {
    let wrong = walk(0);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_coordinator_meets_exactly_the_refusals_the_matrix_names() {
    let wrong = walk(1);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_peer_specialist_meets_exactly_the_refusals_the_matrix_names() {
    let wrong = walk(2);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn reentry_staff_meet_exactly_the_refusals_the_matrix_names() {
    let wrong = walk(3);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn an_auditor_meets_exactly_the_refusals_the_matrix_names() {
    let wrong = walk(4);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_scoped_account_sees_only_its_facilities_everywhere() {
    let c = case(Role::Coordinator);
    let page = c.store.roster_page(&Default::default(), 0, 10).unwrap();
    // The person, the newcomer, the person's second record and the record another was merged into.
    assert_eq!(page.total, 4);
    assert!(page.rows.iter().all(|r| !r.legal_name.starts_with('E')), "{:?}", page.rows);
    assert!(c.store.search("esmith", &Default::default(), 10).unwrap().rows.is_empty());
    let other = bridger::model::RosterFilter { facility_id: Some(c.other.facility.id), ..Default::default() };
    assert_eq!(c.store.roster_page(&other, 0, 10).unwrap().total, 0);
    assert_eq!(c.store.facilities().unwrap().len(), 1, "the other facility is not listed");
    assert!(c.store.conflicts().unwrap().iter().all(|x| x.record_id == c.own.person.to_string()));
    assert!(c.store.open_handoffs().unwrap().iter().all(|h| h.participant_id == c.own.person));
    assert!(c.store.release_pipeline(today()).unwrap().iter().all(|r| !r.legal_name.starts_with('E')));
    let day = c.store.my_day(today() - Duration::days(1)).unwrap();
    assert!(!day.meetings.is_empty() && day.meetings.iter().all(|m| m.meeting.facility_id == c.own.facility.id), "{:?}", day.meetings);
    let reentry = day.reentry.expect("a coordinator does reentry work");
    assert!(reentry.releases.iter().chain(c.store.release_pipeline(today()).unwrap().iter()).all(|r| !r.legal_name.starts_with('E')));
}

#[test]
fn a_temporary_password_allows_nothing_but_choosing_a_new_one() {
    let (mut store, ctx, _) = crate::fixture::store();
    let account = NewAccount { username: "newbie".into(), display_name: "New Bie".into(), password: "temporary password".into(), roles: vec![Role::Coordinator], scope: Scope::All };
    store.create_account(&ctx, &account).unwrap();
    let facility = store.facilities().unwrap().remove(0);
    let own = crate::fixture::add_peer(&mut store, &ctx, &facility, "New Bie", "newbie");
    store.act_as("newbie").unwrap();
    assert!(store.session().unwrap().must_change_password());
    let e = store.roster_page(&Default::default(), 0, 10).unwrap_err();
    assert_eq!(e.code(), ErrorCode::PasswordChangeRequired);
    // Not even one's own staff record, nor the list of who is due.
    assert_eq!(store.staff_record(own, today()).unwrap_err().code(), ErrorCode::PasswordChangeRequired);
    assert_eq!(store.staff_due(today()).unwrap_err().code(), ErrorCode::PasswordChangeRequired);
    store.change_password(&ctx, "temporary password", "my own pass phrase").unwrap();
    assert_eq!(store.staff_record(own, today()).unwrap().staff.name, "New Bie");
    assert!(store.roster_page(&Default::default(), 0, 10).is_ok());
}

#[test]
fn the_last_administrator_cannot_be_removed() {
    let (mut store, ctx, _) = crate::fixture::store();
    let change = AccountChange { display_name: "Ada".into(), roles: vec![Role::Coordinator], scope: Scope::All };
    let e = store.update_account(&ctx, "ada", &change).unwrap_err();
    assert_eq!(e.fields()[0].field, "roles");
    let e = store.deactivate_account(&ctx, "ada").unwrap_err();
    assert_eq!(e.fields()[0].field, "username");
}

#[test]
fn a_refused_action_changes_nothing() {
    let mut c = case(Role::PeerSpecialist);
    let admin = site::sign_in(&c.files, &c.ctx, "ada", PASSWORD).unwrap().store;
    let digest = admin.content_digest().unwrap();
    let entries = admin.audit_page(&AuditFilter::default(), 0, 1).unwrap().total;
    drop(admin);
    assert_eq!(c.store.delete_participant(&c.ctx, c.own.person).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(c.store.view_participant(&c.ctx, c.other.person).unwrap_err().code(), ErrorCode::OutOfScope);
    let admin = site::sign_in(&c.files, &c.ctx, "ada", PASSWORD).unwrap().store;
    assert_eq!(admin.content_digest().unwrap(), digest);
    // Signing in as the administrator again is itself audited; nothing else was.
    assert_eq!(admin.audit_page(&AuditFilter::default(), 0, 1).unwrap().total, entries + 1);
}
