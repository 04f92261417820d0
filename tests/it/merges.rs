//! Merging two records of one person: what moves, what is filled and made on the kept record,
//! undoing it, the wrong role and the wrong facility refused with nothing written; and across
//! two sites, a merge carried in a bundle while the other site still edits the old record.

use crate::fixture::{account, add_peer, after, count, jail_and_prison, person, signed_in, site_on_disk, today, two_sites, weekly_group};
use bridger::auth::{Role, Scope};
use bridger::model::{GoalInput, ItemStatus, Mark, MergeInput, NewFacility, ParticipantId, ParticipantInput, PlanItemInput, TransferInput};
use bridger::store::{MarkInput, MeetingKey, RollCallInput};
use bridger::{ErrorCode, Store};

fn merge(kept: ParticipantId, merged: ParticipantId) -> MergeInput {
    MergeInput { kept_id: kept.to_string(), merged_id: merged.to_string(), reason: "same DOC number on the court papers".into() }
}

fn goals(store: &mut Store, at: u64, id: ParticipantId) -> Vec<String> {
    store.recovery_plan(&after(at), id).unwrap().goals.into_iter().map(|g| g.goal).collect()
}

fn goal(text: &str) -> GoalInput {
    GoalInput { goal: text.into(), dimension: "health".into(), ..Default::default() }
}

#[test]
fn a_merge_moves_fills_and_makes_on_the_kept_record_and_undo_puts_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut site, files) = site_on_disk(&dir, "Office", 1);
    let (jail, prison) = jail_and_prison(&mut site, &after(1));
    let kept = site.enroll(&after(10), &person(&prison, "GARCIA, Jose Luis", "E-1")).unwrap().id;
    let merged_input = ParticipantInput { preferred_name: "Pepe".into(), ..person(&jail, "GARCÍA LÓPEZ, José", "J-1") };
    let merged = site.enroll(&after(11), &merged_input).unwrap().id;
    site.save_goal(&after(12), merged, None, &goal("Stay clean for my daughter")).unwrap();
    site.save_goal(&after(13), kept, None, &goal("Finish my GED")).unwrap();
    // Both plans started; an item done on the merged record only.
    site.start_plan(&after(14), kept).unwrap();
    let plan = site.start_plan(&after(15), merged).unwrap();
    let item = plan.items[0].clone();
    let done = PlanItemInput { area: item.item.area.as_str().into(), title: item.item.title.clone(), due_days: item.item.due_days, status: "done".into(), ..Default::default() };
    site.save_plan_item(&after(16), merged, Some(item.id), &done).unwrap();
    // The merged record at a jail group's roll call, marked present.
    let peer = add_peer(&mut site, &after(17), &jail, "Rosa Díaz", "");
    let group = site.save_group(&after(18), None, &weekly_group(&jail, peer.to_string())).unwrap().id;
    site.add_member(&after(19), group, merged).unwrap();
    let meeting = site.week(jail.id, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), None).unwrap().meetings[0].clone();
    let key = MeetingKey { id: meeting.id, group_id: meeting.group_id, occurrence: meeting.occurrence };
    let marks = RollCallInput { marks: vec![MarkInput { participant_id: merged, mark: Mark::Present, walk_in: false }], topic_covered: "Triggers".into(), notes: String::new(), facilitator_hours: Some(1.5), late_reason: String::new() };
    site.save_roll_call(&after(20), &key, &marks).unwrap();

    // The wrong role, and a coordinator who covers only one of the two facilities: refused,
    // nothing written.
    account(&files, &mut site, "peer", vec![Role::PeerSpecialist], Scope::Facilities(vec![jail.id, prison.id]));
    account(&files, &mut site, "jailco", vec![Role::Coordinator], Scope::Facilities(vec![jail.id]));
    assert_eq!(signed_in(&files, "peer").merge_participants(&after(30), &merge(kept, merged)).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(signed_in(&files, "jailco").merge_participants(&after(31), &merge(kept, merged)).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(signed_in(&files, "jailco").merge_participants(&after(31), &merge(merged, kept)).unwrap_err().code(), ErrorCode::OutOfScope);
    let refused = site.merge_participants(&after(32), &MergeInput { reason: " ".into(), ..merge(kept, merged) }).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Validation);
    assert_eq!(count(&files, "SELECT count(*) FROM participant_merges"), 0);
    assert_eq!(count(&files, "SELECT count(*) FROM participants WHERE deleted = 1"), 0);

    let done = site.merge_participants(&after(40), &merge(kept, merged)).unwrap();
    assert_eq!((done.kept.id, done.merged.id, done.merged_on, done.moved), (kept, merged, today(), 2), "the goal and its plan change moved");
    assert!(done.may_undo && done.undone_on.is_none());
    // The merged record leaves every list; the kept one has everything.
    assert!(site.roster_page(&Default::default(), 0, 50).unwrap().rows.iter().all(|r| r.id != merged));
    assert_eq!(site.view_participant(&after(41), merged).unwrap_err().code(), ErrorCode::NotFound);
    let k = site.view_participant(&after(42), kept).unwrap();
    assert_eq!((k.preferred_name.as_deref(), k.facility_number.as_str(), k.facility_id), (Some("Pepe"), "E-1", prison.id), "blanks filled; the number and facility are the kept record's");
    let mut have = goals(&mut site, 43, kept);
    have.sort();
    assert_eq!(have, ["Finish my GED", "Stay clean for my daughter"]);
    let plan = site.plan(&after(44), kept).unwrap();
    assert_eq!(plan.items.iter().find(|i| i.template_id == item.template_id).unwrap().item.status, ItemStatus::Done, "an item done on either record is done");
    let call = site.roll_call(&key, today()).unwrap();
    assert!(call.rows.iter().any(|r| r.participant_id == kept && r.mark == Some(Mark::Present)), "the mark moved to the kept record");
    assert!(call.rows.iter().all(|r| r.participant_id != merged));
    assert_eq!(count(&files, &format!("SELECT count(*) FROM group_members WHERE participant_id = '{kept}' AND deleted = 0")), 0, "a jail group's place is not the prison's");
    assert_eq!(site.likely_duplicates(&after(45)).unwrap().pairs.len(), 0);
    assert_eq!(count(&files, "SELECT count(*) FROM audit_log WHERE action = 'create' AND tbl = 'participant_merges'"), 1);

    // Listed for those who see either record; undone only by who may merge both.
    assert_eq!(site.participant_merges(&after(50)).unwrap(), std::slice::from_ref(&done));
    let listed = signed_in(&files, "jailco").participant_merges(&after(51)).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!listed[0].may_undo);
    // The jail's coordinator sees the jail's record, and of the prison's only where it is held.
    assert!(listed[0].merged.visible && listed[0].merged.legal_name == "GARCÍA LÓPEZ, José");
    let kept_side = &listed[0].kept;
    assert_eq!((kept_side.visible, kept_side.legal_name.as_str(), kept_side.facility_number.as_str(), kept_side.dob, kept_side.facility_code.as_str()), (false, "", "", None, "ESP"));
    assert_eq!(signed_in(&files, "jailco").undo_merge(&after(52), done.id, "wrong person").unwrap_err().code(), ErrorCode::OutOfScope);
    let third = site.create_facility(&after(53), &NewFacility { name: "Northside Jail".into(), code: "NSJ".into(), units: vec!["N-1".into()], rooms: vec![] }).unwrap();
    account(&files, &mut site, "elsewhere", vec![Role::Coordinator], Scope::Facilities(vec![third.id]));
    assert!(signed_in(&files, "elsewhere").participant_merges(&after(53)).unwrap().is_empty());
    assert_eq!(signed_in(&files, "elsewhere").undo_merge(&after(54), done.id, "wrong person").unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(site.undo_merge(&after(54), uuid::Uuid::from_u128(7), "wrong person").unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(site.undo_merge(&after(55), done.id, "").unwrap_err().code(), ErrorCode::Validation);

    let undone = site.undo_merge(&after(60), done.id, "two brothers, not one man").unwrap();
    assert_eq!((undone.undone_on, undone.undone_by.as_deref(), undone.undo_reason.as_deref()), (Some(today()), Some("Ada Admin"), Some("two brothers, not one man")));
    assert!(!undone.may_undo);
    assert_eq!(site.view_participant(&after(61), merged).unwrap().preferred_name.as_deref(), Some("Pepe"));
    assert_eq!(site.view_participant(&after(62), kept).unwrap().preferred_name, None, "the filled blank is blank again");
    assert_eq!(goals(&mut site, 63, merged), ["Stay clean for my daughter"]);
    assert_eq!(goals(&mut site, 64, kept), ["Finish my GED"]);
    assert_eq!(site.plan(&after(65), kept).unwrap().items.iter().find(|i| i.template_id == item.template_id).unwrap().item.status, ItemStatus::Open);
    let call = site.roll_call(&key, today()).unwrap();
    assert!(call.rows.iter().any(|r| r.participant_id == merged && r.mark == Some(Mark::Present)));
    assert!(call.rows.iter().all(|r| r.participant_id != kept));
    assert_eq!(site.undo_merge(&after(66), done.id, "again").unwrap_err().code(), ErrorCode::Forbidden);
}

#[test]
fn a_merge_waits_for_a_transfer_and_the_kept_record_merged_on_is_undone_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut site, _) = site_on_disk(&dir, "Office", 1);
    let (jail, prison) = jail_and_prison(&mut site, &after(1));
    let a = site.enroll(&after(10), &person(&jail, "ROE, Rick", "J-1")).unwrap().id;
    let b = site.enroll(&after(11), &person(&jail, "ROE, Richard", "J-2")).unwrap().id;
    let c = site.enroll(&after(12), &person(&prison, "ROE, Rick R", "E-1")).unwrap().id;
    let moving = site.request_transfer(&after(13), b, &TransferInput { to_facility_id: prison.id.to_string(), reason: "closer to family".into() }).unwrap();
    let refused = site.merge_participants(&after(14), &merge(a, b)).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
    assert!(refused.to_string().contains("the record to merge has a transfer to Eastfield State Prison waiting"), "{refused}");
    assert_eq!(site.merge_participants(&after(15), &merge(a, a)).unwrap_err().code(), ErrorCode::Validation);
    site.answer_transfer(&after(16), moving.id, &bridger::model::TransferReply { answer: "cancelled".into(), date: today().to_string(), note: "the bed went to another".into(), number: String::new() }).unwrap();
    let first = site.merge_participants(&after(17), &merge(a, b)).unwrap();
    assert_eq!(site.merge_participants(&after(18), &merge(a, b)).unwrap_err().code(), ErrorCode::NotFound, "the merged record is gone");
    site.merge_participants(&after(19), &merge(c, a)).unwrap();
    let refused = site.undo_merge(&after(20), first.id, "not the same").unwrap_err();
    assert!(refused.to_string().contains("since merged into another (merge "), "{refused}");
}

#[test]
fn a_merge_travels_and_the_other_sites_late_edits_land_on_the_kept_record() {
    let mut s = two_sites();
    let (jail, prison) = (s.jail.clone(), s.prison.clone());
    let kept = s.jail_site.enroll(&after(20), &person(&jail, "GARCIA, Ana", "J-1")).unwrap().id;
    let merged = s.jail_site.enroll(&after(21), &person(&prison, "GARCIA, Ana Maria", "E-1")).unwrap().id;
    s.carry_to_prison(30);
    // The jail's site merges; the prison's, not knowing, edits the old record and logs a goal.
    let done = s.jail_site.merge_participants(&after(40), &merge(kept, merged)).unwrap();
    let old = s.prison_site.view_participant(&after(41), merged).unwrap();
    let edited = ParticipantInput { notes: "Moved to E-1 after court".into(), ..old.to_input() };
    s.prison_site.update_participant(&after(42), merged, &old.to_input(), &edited).unwrap();
    s.prison_site.save_goal(&after(43), merged, None, &goal("Call my sponsor every day")).unwrap();

    // The merge reaches the prison: its own late edits land on the kept record there.
    s.carry_to_prison(50);
    assert_eq!(s.prison_site.view_participant(&after(52), merged).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(s.prison_site.view_participant(&after(53), kept).unwrap().notes.as_deref(), Some("Moved to E-1 after court"));
    assert_eq!(goals(&mut s.prison_site, 54, kept), ["Call my sponsor every day"]);
    // The prison's edits reach the jail: they land there the same way, and both sites agree.
    s.carry_to_jail(60);
    assert_eq!(s.jail_site.view_participant(&after(62), kept).unwrap().notes.as_deref(), Some("Moved to E-1 after court"));
    assert_eq!(goals(&mut s.jail_site, 63, kept), ["Call my sponsor every day"]);
    s.carry_to_prison(70);
    s.carry_to_jail(80);
    assert_eq!(s.jail_site.content_digest().unwrap(), s.prison_site.content_digest().unwrap());

    // Undone at the prison: the goal logged there goes back to the merged record at both.
    s.prison_site.undo_merge(&after(90), done.id, "two women of one name").unwrap();
    assert_eq!(goals(&mut s.prison_site, 91, merged), ["Call my sponsor every day"]);
    s.carry_to_jail(100);
    assert_eq!(goals(&mut s.jail_site, 102, merged), ["Call my sponsor every day"]);
    assert!(goals(&mut s.jail_site, 103, kept).is_empty());
    s.carry_to_prison(110);
    assert_eq!(s.jail_site.content_digest().unwrap(), s.prison_site.content_digest().unwrap());
}

#[test]
fn two_sites_merging_one_pair_each_way_end_with_one_record_and_nothing_lost() {
    let mut s = two_sites();
    let jail = s.jail.clone();
    let a = s.jail_site.enroll(&after(20), &person(&jail, "LEE, Ana", "J-1")).unwrap().id;
    let b = s.jail_site.enroll(&after(21), &ParticipantInput { preferred_name: "Annie".into(), ..person(&jail, "LEE, Ana M", "J-2") }).unwrap().id;
    s.jail_site.save_goal(&after(22), a, None, &goal("Keep my job")).unwrap();
    s.jail_site.save_goal(&after(23), b, None, &goal("Call my mother")).unwrap();
    s.carry_to_prison(30);
    // Each site merges the pair, each the other way, before hearing of the other's.
    s.jail_site.merge_participants(&after(40), &merge(a, b)).unwrap();
    s.prison_site.merge_participants(&after(41), &merge(b, a)).unwrap();
    for at in [50, 60, 70, 80] {
        s.carry_to_prison(at);
        s.carry_to_jail(at + 5);
    }
    assert_eq!(s.jail_site.content_digest().unwrap(), s.prison_site.content_digest().unwrap());
    // Where a moved record belongs was the merges' to say: no conflict left for a person.
    for site in [&s.jail_site, &s.prison_site] {
        assert!(site.conflicts().unwrap().iter().all(|c| c.field != "participant_id"), "{:?}", site.conflicts().unwrap());
    }
    // The first merge stands: one record, with both goals and the filled preferred name.
    for (site, at) in [(&mut s.jail_site, 90), (&mut s.prison_site, 95)] {
        assert_eq!(site.view_participant(&after(at), b).unwrap_err().code(), ErrorCode::NotFound);
        assert_eq!(site.view_participant(&after(at), a).unwrap().preferred_name.as_deref(), Some("Annie"));
        let mut both = goals(site, at + 1, a);
        both.sort();
        assert_eq!(both, ["Call my mother", "Keep my job"]);
    }
    // The list says which stands; only that one is undone, and undoing it parts them again.
    let listed = s.prison_site.participant_merges(&after(100)).unwrap();
    let standing = listed.iter().find(|m| !m.void).unwrap().id;
    assert!(listed.iter().all(|m| m.may_undo != m.void), "{listed:?}");
    let void = listed.iter().find(|m| m.void).unwrap().id;
    s.prison_site.undo_merge(&after(101), void, "it did nothing").unwrap();
    assert_eq!(s.prison_site.view_participant(&after(102), b).unwrap_err().code(), ErrorCode::NotFound, "undoing a void merge brings nothing back");
    s.prison_site.undo_merge(&after(103), standing, "two women after all").unwrap();
    assert_eq!(goals(&mut s.prison_site, 104, a), ["Keep my job"]);
    assert_eq!(goals(&mut s.prison_site, 105, b), ["Call my mother"]);
    s.carry_to_jail(110);
    assert_eq!(goals(&mut s.jail_site, 112, b), ["Call my mother"]);
    s.carry_to_prison(120);
    assert_eq!(s.jail_site.content_digest().unwrap(), s.prison_site.content_digest().unwrap());
}

#[test]
fn one_record_merged_into_two_at_two_sites_goes_to_the_first_and_the_other_is_left_as_it_was() {
    let mut s = two_sites();
    let (jail, prison) = (s.jail.clone(), s.prison.clone());
    let a = s.jail_site.enroll(&after(20), &person(&jail, "LEE, Ana", "J-1")).unwrap().id;
    let b = s.jail_site.enroll(&after(21), &ParticipantInput { preferred_name: "Annie".into(), ..person(&jail, "LEE, Ana M", "J-2") }).unwrap().id;
    let c = s.jail_site.enroll(&after(22), &person(&prison, "LEE, Ana Maria", "E-1")).unwrap().id;
    s.jail_site.save_goal(&after(23), b, None, &goal("Call my mother")).unwrap();
    s.carry_to_prison(30);
    s.jail_site.merge_participants(&after(40), &merge(a, b)).unwrap();
    s.prison_site.merge_participants(&after(41), &merge(c, b)).unwrap();
    assert_eq!(goals(&mut s.prison_site, 42, c), ["Call my mother"]);
    for at in [50, 60, 70] {
        s.carry_to_prison(at);
        s.carry_to_jail(at + 5);
    }
    assert_eq!(s.jail_site.content_digest().unwrap(), s.prison_site.content_digest().unwrap());
    for (site, at) in [(&mut s.jail_site, 90), (&mut s.prison_site, 95)] {
        assert_eq!(goals(site, at, a), ["Call my mother"], "the goal follows the merge that stands");
        assert!(goals(site, at + 1, c).is_empty());
        assert_eq!(site.view_participant(&after(at + 2), c).unwrap().preferred_name, None, "what the void merge filled is taken back");
        assert_eq!(site.view_participant(&after(at + 3), a).unwrap().preferred_name.as_deref(), Some("Annie"));
    }
}
