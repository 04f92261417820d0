//! Transfers between two sites of the program: asked for at the jail's site, carried in a
//! bundle, marked delivered by the prison site's receipt, accepted there (the person and what
//! hangs from their record move), and the answer carried back; declining and cancelling; the
//! wrong role and the wrong facility refused with nothing written.

use crate::fixture::{add_peer, after, count, jail_and_prison, person, site_on_disk, today, two_sites, weekly_group};
use bridger::auth::Role;
use bridger::model::{EpisodeInput, Facility, Outcome, ParticipantId, TransferInput, TransferReply, TransferState};
use bridger::roster::Decisions;
use bridger::store::{PeerKind, RosterRequest};
use bridger::{ErrorCode, Store};
use chrono::Duration;

fn to(facility: &Facility, reason: &str) -> TransferInput {
    TransferInput { to_facility_id: facility.id.to_string(), reason: reason.into() }
}

fn reply(answer: &str, note: &str) -> TransferReply {
    TransferReply { answer: answer.into(), date: today().to_string(), note: note.into(), number: String::new() }
}

fn facility_of(store: &mut Store, at: u64, id: ParticipantId) -> String {
    store.view_participant(&after(at), id).unwrap().facility_name
}

#[test]
fn a_transfer_travels_is_delivered_by_receipt_accepted_at_the_receiving_site_and_both_sites_show_it() {
    let mut s = two_sites();
    let (jail, prison) = (s.jail.clone(), s.prison.clone());
    // A person at the jail in an RSAT program and a group, with a peer assigned.
    let ana = s.jail_site.enroll(&after(20), &person(&jail, "GARCIA, Ana", "J-100")).unwrap().id;
    let rsat = EpisodeInput { kind: "rsat".into(), start_date: (today() - Duration::days(40)).to_string(), ..Default::default() };
    s.jail_site.save_episode(&after(21), ana, None, &rsat).unwrap();
    // A program with a phase recorded on the day she arrives ends that day, not before it.
    let moud = EpisodeInput { kind: "moud".into(), start_date: (today() - Duration::days(30)).to_string(), ..Default::default() };
    let moud = s.jail_site.save_episode(&after(26), ana, None, &moud).unwrap().into_iter().find(|e| e.kind == bridger::model::ProgramKind::Moud).unwrap().id;
    s.jail_site.add_phase(&after(27), ana, moud, &bridger::model::PhaseInput { date: today().to_string(), phase: "Induction".into() }).unwrap();
    let peer = add_peer(&mut s.jail_site, &after(22), &jail, "Rosa Díaz", "");
    let group = s.jail_site.save_group(&after(23), None, &weekly_group(&jail, peer.to_string())).unwrap().id;
    s.jail_site.add_member(&after(24), group, ana).unwrap();
    s.jail_site.assign_peer(&after(25), ana, Some(peer)).unwrap();

    let mut jail_co = s.jail_account("jailco", vec![Role::Coordinator], &jail);
    let asked = jail_co.request_transfer(&after(30), ana, &to(&prison, "RSAT bed at Eastfield")).unwrap();
    assert_eq!((asked.state, asked.may_cancel, asked.may_answer), (TransferState::Waiting, true, false));
    assert_eq!((asked.from_facility.as_str(), asked.to_facility.as_str(), asked.requested_by.as_str()), (jail.name.as_str(), "Eastfield State Prison", "jailco"));
    assert_eq!(facility_of(&mut jail_co, 31, ana), jail.name, "nothing moves until the prison accepts");
    let again = jail_co.request_transfer(&after(32), ana, &to(&prison, "again")).unwrap_err();
    assert!(again.to_string().contains("already waits"), "{again}");

    // The request travels; the prison's coordinator sees it coming, audited as a view.
    s.carry_to_prison(40);
    let mut prison_co = s.prison_account("prisonco", vec![Role::Coordinator], &prison);
    let incoming = prison_co.transfers(&after(42)).unwrap();
    assert_eq!(incoming.len(), 1);
    assert_eq!((incoming[0].name.as_str(), incoming[0].may_answer, incoming[0].may_cancel), ("GARCIA, Ana", true, false));
    assert!(incoming[0].open && incoming[0].incoming);
    let audited = format!("SELECT count(*) FROM audit_log WHERE record_id = '{ana}' AND detail = 'incoming transfer'");
    assert_eq!(count(&s.prison_files, &audited), 1);
    // A peer there, who may not answer, sees her coming in all the same; the jail sees her going.
    let seen_by_peer = s.prison_account("prisonpeer", vec![Role::PeerSpecialist], &prison).transfers(&after(42)).unwrap();
    assert_eq!((seen_by_peer[0].incoming, seen_by_peer[0].may_answer), (true, false));
    assert!(!jail_co.transfers(&after(42)).unwrap()[0].incoming);
    assert_eq!(prison_co.view_participant(&after(43), ana).unwrap_err().code(), ErrorCode::OutOfScope, "the record opens once the person is accepted");

    // A community partner's receipt delivers nothing: only a site of the program takes people in.
    let (mut clinic, _) = site_on_disk(&s.dir, "Clinic", 3);
    let (cc, cj) = (clinic.site_card(&after(45)).unwrap(), s.jail_site.site_card(&after(45)).unwrap());
    s.jail_site.trust_peer(&after(45), &cc, &cc.fingerprint, PeerKind::Partner).unwrap();
    clinic.trust_peer(&after(45), &cj, &cj.fingerprint, PeerKind::ProgramSite).unwrap();
    let from_clinic = s.dir.path().join("clinic.receipt");
    clinic.write_receipt(&after(46), s.jail_site.site().unwrap().site_id, &from_clinic).unwrap();
    assert_eq!(s.jail_site.import_receipt(&after(47), &from_clinic).unwrap().transfers_delivered, 0);

    // The prison site's receipt shows the jail site that the request arrived.
    assert_eq!(s.receipt_to_jail(50), 1);
    assert_eq!(jail_co.transfers(&after(52)).unwrap()[0].state, TransferState::Delivered);
    assert_eq!(jail_co.transfers(&after(52)).unwrap()[0].delivered_to.as_deref(), Some("Prison"));
    assert_eq!(s.receipt_to_jail(53), 0, "delivered once");

    // Accepting under the prison's own number moves the person and what hangs from the record.
    let accept = TransferReply { number: "ESP-77".into(), ..reply("accepted", "") };
    let accepted = prison_co.answer_transfer(&after(60), asked.id, &accept).unwrap();
    assert_eq!((accepted.state, accepted.answered_by.as_deref(), accepted.may_answer), (TransferState::Accepted, Some("prisonco"), false));
    let moved = prison_co.view_participant(&after(61), ana).unwrap();
    assert_eq!((moved.facility_name.as_str(), moved.facility_number.as_str(), moved.unit_id, moved.peer_id), ("Eastfield State Prison", "ESP-77", None, None));
    assert_eq!(moved.status_note.as_deref(), Some(format!("Transferred from {} to Eastfield State Prison", jail.name).as_str()));
    let episodes = prison_co.episodes(&after(62), ana).unwrap();
    let ended = |kind| episodes.iter().find(|e| e.kind == kind).map(|e| (e.end_date, e.outcome)).unwrap();
    assert_eq!(ended(bridger::model::ProgramKind::Rsat), (Some(today() - Duration::days(1)), Some(Outcome::Transferred)));
    assert_eq!(ended(bridger::model::ProgramKind::Moud), (Some(today()), Some(Outcome::Transferred)));
    assert!(s.prison_site.group(group).unwrap().members.iter().all(|m| m.participant_id != ana), "out of the jail's group");
    let answered_twice = prison_co.answer_transfer(&after(63), asked.id, &reply("declined", "no bed")).unwrap_err();
    assert!(answered_twice.to_string().contains("already answered"), "{answered_twice}");

    // The answer travels back: the jail's site shows it accepted and no longer shows the person.
    s.carry_to_jail(70);
    let at_jail = jail_co.transfers(&after(72)).unwrap();
    assert_eq!((at_jail[0].state, at_jail[0].answered_by.as_deref()), (TransferState::Accepted, Some("prisonco")));
    // Out of the jail's reach now, she is listed by name only (not her prison number), and the
    // listing is audited as a view of her record.
    assert_eq!((at_jail[0].facility_number.as_str(), at_jail[0].dob), ("", None));
    let listed = format!("SELECT count(*) FROM audit_log WHERE record_id = '{ana}' AND detail = 'answered transfer'");
    assert_eq!(count(&s.jail_files, &listed), 1);
    assert_eq!(jail_co.view_participant(&after(73), ana).unwrap_err().code(), ErrorCode::OutOfScope);
    s.carry_to_prison(80);
    assert_eq!(s.jail_site.content_digest().unwrap(), s.prison_site.content_digest().unwrap());
}

#[test]
fn the_receiving_facility_declines_the_sending_one_cancels_and_each_side_keeps_to_its_own() {
    let mut s = two_sites();
    let (jail, prison) = (s.jail.clone(), s.prison.clone());
    let ben = s.jail_site.enroll(&after(20), &person(&jail, "OKAFOR, Ben", "J-200")).unwrap().id;
    let cal = s.jail_site.enroll(&after(21), &person(&jail, "LEE, Cal", "J-201")).unwrap().id;
    let mut jail_co = s.jail_account("jailco", vec![Role::Coordinator], &jail);
    let mut jail_peer = s.jail_account("jailpeer", vec![Role::PeerSpecialist], &jail);
    let mut prison_co_here = s.jail_account("prisonco", vec![Role::Coordinator], &prison);

    // Wrong role, wrong facility, bad input: refused, nothing written.
    let before = count(&s.jail_files, "SELECT count(*) FROM transfers");
    assert_eq!(jail_peer.request_transfer(&after(30), ben, &to(&prison, "bed")).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(prison_co_here.request_transfer(&after(31), ben, &to(&prison, "bed")).unwrap_err().code(), ErrorCode::OutOfScope);
    for (input, field) in [(to(&jail, "bed"), "to_facility_id"), (to(&prison, " "), "reason"), (TransferInput { to_facility_id: uuid::Uuid::from_u128(9).to_string(), reason: "bed".into() }, "to_facility_id")] {
        match jail_co.request_transfer(&after(32), ben, &input).unwrap_err() {
            bridger::Error::Validation(errors) => assert_eq!(errors[0].field, field),
            other => panic!("{input:?}: {other}"),
        }
    }
    assert_eq!(count(&s.jail_files, "SELECT count(*) FROM transfers"), before);

    let to_decline = jail_co.request_transfer(&after(33), ben, &to(&prison, "closer to family")).unwrap();
    let to_cancel = jail_co.request_transfer(&after(34), cal, &to(&prison, "RSAT bed")).unwrap();
    // The sending facility cannot accept for the receiving one; the receiving one cannot cancel.
    assert_eq!(jail_co.answer_transfer(&after(35), to_decline.id, &reply("accepted", "")).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(prison_co_here.answer_transfer(&after(36), to_cancel.id, &reply("cancelled", "not needed")).unwrap_err().code(), ErrorCode::OutOfScope);
    assert_eq!(jail_peer.answer_transfer(&after(37), to_cancel.id, &reply("cancelled", "not needed")).unwrap_err().code(), ErrorCode::Forbidden);
    match prison_co_here.answer_transfer(&after(38), to_decline.id, &reply("declined", "")).unwrap_err() {
        bridger::Error::Validation(errors) => assert_eq!(errors[0].field, "note"),
        other => panic!("{other}"),
    }

    s.carry_to_prison(40);
    let mut prison_co = s.prison_account("prisonco", vec![Role::Coordinator], &prison);
    let own = s.prison_site.facilities().unwrap().into_iter().find(|f| f.id != jail.id && f.id != prison.id).unwrap();
    let mut elsewhere = s.prison_account("other", vec![Role::Coordinator], &own);
    assert!(elsewhere.transfers(&after(42)).unwrap().is_empty(), "another facility's moves are not listed");
    assert_eq!(elsewhere.answer_transfer(&after(43), to_decline.id, &reply("declined", "no")).unwrap_err().code(), ErrorCode::NotFound);
    let declined = prison_co.answer_transfer(&after(44), to_decline.id, &reply("declined", "no RSAT bed until March")).unwrap();
    assert_eq!((declined.state, declined.answer_note.as_deref()), (TransferState::Declined, Some("no RSAT bed until March")));

    let cancelled = jail_co.answer_transfer(&after(50), to_cancel.id, &reply("cancelled", "court date moved")).unwrap();
    assert_eq!(cancelled.state, TransferState::Cancelled);
    s.carry_to_prison(60);
    s.carry_to_jail(70);
    let at_jail = jail_co.transfers(&after(72)).unwrap();
    let state_of = |id| at_jail.iter().find(|t| t.id == id).unwrap().state;
    assert_eq!((state_of(to_decline.id), state_of(to_cancel.id)), (TransferState::Declined, TransferState::Cancelled));
    assert_eq!(facility_of(&mut jail_co, 73, ben), jail.name, "a declined transfer leaves the person where they are");
    assert!(prison_co.answer_transfer(&after(74), to_cancel.id, &reply("accepted", "")).unwrap_err().to_string().contains("already answered"));

    // A transfer that no longer fits the record (the person was released meanwhile) is refused.
    let late = jail_co.request_transfer(&after(80), ben, &to(&prison, "second try")).unwrap();
    let released = bridger::model::StatusChange { status: "released".into(), date: today().to_string(), note: String::new() };
    jail_co.set_status(&after(81), ben, &released).unwrap();
    s.carry_to_prison(90);
    let refused = prison_co.answer_transfer(&after(92), late.id, &reply("accepted", "")).unwrap_err();
    assert!(refused.to_string().contains("released"), "{refused}");
    assert_eq!(prison_co.transfers(&after(93)).unwrap().iter().find(|t| t.id == late.id).unwrap().state, TransferState::Waiting);
}

#[test]
fn rosters_meet_transfers_without_a_release_a_second_record_or_a_lost_history() {
    let dir = tempfile::tempdir().unwrap();
    let (mut site, _files) = site_on_disk(&dir, "Office", 1);
    let (jail, prison) = jail_and_prison(&mut site, &after(1));
    let write = |name: &str, rows: &[&str]| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("Booking,Name,DOB\n{}\n", rows.join("\n"))).unwrap();
        path
    };
    let (ana, ben) = ("J-1,\"GARCIA, Ana\",1990-01-22", "J-2,\"OKAFOR, Ben\",1985-03-04");
    let import = |site: &mut Store, facility: &Facility, source: &str, path: &std::path::Path, at: u64| {
        let request = RosterRequest { facility: facility.id, source, path, mapping: None };
        let preview = site.preview_roster(&after(at), &request).unwrap();
        (preview.comparison.clone(), preview.plan)
    };
    let first = write("jail-1.csv", &[ana, ben]);
    let (_, plan) = import(&mut site, &jail, "Jail system", &first, 10);
    site.apply_roster(&after(11), &RosterRequest { facility: jail.id, source: "Jail system", path: &first, mapping: None }, &plan, &Decisions::default()).unwrap();
    let ana_id = site.search("garcia ana", &Default::default(), 5).unwrap().rows[0].id;
    let asked = site.request_transfer(&after(12), ana_id, &to(&prison, "RSAT bed")).unwrap();

    // The jail's next roster no longer lists her: she leaves by the transfer, not by a release.
    let (day2, _) = import(&mut site, &jail, "Jail system", &write("jail-2.csv", &[ben]), 20);
    assert!(day2.releases.is_empty(), "{:?}", day2.releases);
    // The prison's roster lists her before anyone accepted: refused, with what to do instead.
    let (prison_day, _) = import(&mut site, &prison, "Prison system", &write("prison-1.csv", &["ESP-9,\"GARCIA, Ana\",1990-01-22"]), 21);
    assert!(prison_day.new.is_empty());
    assert!(prison_day.refused[0].reason.contains("is coming from Riverside County Jail by a transfer that waits"), "{:?}", prison_day.refused);

    site.answer_transfer(&after(30), asked.id, &TransferReply { number: "ESP-9".into(), ..reply("accepted", "") }).unwrap();
    let (prison_day, _) = import(&mut site, &prison, "Prison system", &write("prison-2.csv", &["ESP-9,\"GARCIA, Ana\",1990-01-22"]), 31);
    assert_eq!((prison_day.new.len(), prison_day.refused.len(), prison_day.changed.len()), (0, 0, 1), "her own record, now kept by the prison's source");
    // A jail roster that still lists her does not enrol her there again.
    let (late, _) = import(&mut site, &jail, "Jail system", &write("jail-3.csv", &[ana, ben]), 32);
    assert!(late.new.is_empty());
    assert!(late.refused[0].reason.contains("moved to Eastfield State Prison by a transfer"), "{:?}", late.refused);
    // Released from the prison, she may be booked into the jail again.
    let released = bridger::model::StatusChange { status: "released".into(), date: today().to_string(), note: String::new() };
    site.set_status(&after(40), ana_id, &released).unwrap();
    let (back, _) = import(&mut site, &jail, "Jail system", &write("jail-4.csv", &[ana, ben]), 41);
    assert!(back.refused.is_empty(), "{:?}", back.refused);
}
