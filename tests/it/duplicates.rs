//! Likely duplicates across facilities: the same state id number, or the same birth date and a
//! similar name, listed only where the reader sees both records, and audited.

use crate::fixture::{account, after, count, jail_and_prison, person, raw, signed_in, site_on_disk};
use bridger::auth::{Role, Scope};
use bridger::model::{Facility, ParticipantInput};
use bridger::ErrorCode;

fn born(facility: &Facility, name: &str, number: &str, dob: &str) -> ParticipantInput {
    ParticipantInput { dob: dob.into(), ..person(facility, name, number) }
}

#[test]
fn likely_duplicates_are_found_across_the_readers_facilities_only() {
    let dir = tempfile::tempdir().unwrap();
    let (mut site, files) = site_on_disk(&dir, "Office", 1);
    let (jail, prison) = jail_and_prison(&mut site, &after(1));
    let jose = site.enroll(&after(10), &born(&jail, "GARCÍA LÓPEZ, José", "J-1", "1985-02-13")).unwrap().id;
    let jose_again = site.enroll(&after(11), &born(&prison, "GARCIA, Jose Luis", "E-1", "1985-02-13")).unwrap().id;
    // One shared word of two is not a similar name; another birth date is not the same person.
    site.enroll(&after(12), &born(&jail, "SMITH, Ann", "J-2", "1990-07-04")).unwrap();
    site.enroll(&after(13), &born(&prison, "SMYTHE, Ann", "E-2", "1990-07-04")).unwrap();
    site.enroll(&after(14), &born(&prison, "GARCIA, Jose", "E-3", "1985-02-14")).unwrap();
    // The same state id number, written two ways, on two records that look nothing alike.
    let rick = site.enroll(&after(15), &born(&jail, "ROE, Rick", "J-3", "1979-12-01")).unwrap().id;
    let richard = site.enroll(&after(16), &born(&prison, "ROWE, Richard", "E-4", "1980-01-12")).unwrap().id;
    let gone = site.enroll(&after(17), &born(&jail, "GARCIA LOPEZ, José", "J-9", "1985-02-13")).unwrap().id;
    site.delete_participant(&after(18), gone).unwrap();
    let conn = raw(&files);
    conn.execute("UPDATE participants SET state_number = 'SID 4471' WHERE id = ?1", [rick.to_string()]).unwrap();
    conn.execute("UPDATE participants SET state_number = ' sid 4471' WHERE id = ?1", [richard.to_string()]).unwrap();
    drop(conn);

    let found = site.likely_duplicates(&after(20)).unwrap();
    let pairs: Vec<_> = found.pairs.iter().map(|p| (p.first.id, p.second.id, p.same_state_number.clone(), p.same_birth_and_name)).collect();
    assert_eq!(pairs, [(rick, richard, Some("SID 4471".to_string()), false), (jose, jose_again, None, true)]);
    assert!(!found.more);
    assert_eq!(count(&files, "SELECT count(*) FROM audit_log WHERE action = 'view' AND detail = 'likely duplicates: 2 pairs'"), 1);

    // Limited to the jail, a coordinator sees no pair: each has one side at the prison.
    account(&files, &mut site, "jailco", vec![Role::Coordinator], Scope::Facilities(vec![jail.id]));
    assert!(signed_in(&files, "jailco").likely_duplicates(&after(30)).unwrap().pairs.is_empty());
    account(&files, &mut site, "auditor", vec![Role::Auditor], Scope::Facilities(vec![jail.id, prison.id]));
    assert!(found.pairs.iter().all(|p| p.may_merge), "the coordinator of both facilities may merge each pair");
    let audited = signed_in(&files, "auditor").likely_duplicates(&after(31)).unwrap();
    assert_eq!(audited.pairs.len(), 2);
    assert!(audited.pairs.iter().all(|p| !p.may_merge));
    account(&files, &mut site, "admin2", vec![Role::Admin], Scope::All);
    assert_eq!(signed_in(&files, "admin2").likely_duplicates(&after(32)).unwrap_err().code(), ErrorCode::Forbidden);
}

#[test]
fn the_list_stops_at_its_length_with_the_surest_pairs_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut site, files) = site_on_disk(&dir, "Office", 1);
    let (jail, prison) = jail_and_prison(&mut site, &after(1));
    // 33 records of one name and birth date: 528 pairs, more than a list holds.
    for i in 0..33u64 {
        site.enroll(&after(10 + i), &born(&jail, "LEE, Sam", &format!("J-{i}"), "1970-05-05")).unwrap();
    }
    // A later birth date's pair, and a pair sharing a state number: the number comes first.
    site.enroll(&after(50), &born(&prison, "PARK, Jin", "E-1", "1999-01-01")).unwrap();
    site.enroll(&after(51), &born(&prison, "PARK, Jin Ho", "E-2", "1999-01-01")).unwrap();
    let older = site.enroll(&after(52), &born(&prison, "ROE, Rick", "E-3", "1990-02-02")).unwrap().id;
    let newer = site.enroll(&after(53), &born(&jail, "ROWE, Richard", "J-99", "1960-03-03")).unwrap().id;
    let conn = raw(&files);
    conn.execute("UPDATE participants SET state_number = 'SID 1' WHERE id IN (?1, ?2)", [older.to_string(), newer.to_string()]).unwrap();
    drop(conn);
    let found = site.likely_duplicates(&after(60)).unwrap();
    assert!(found.more);
    assert_eq!(found.pairs.len(), bridger::store::MAX_DUPLICATES);
    assert_eq!((found.pairs[0].first.id, found.pairs[0].second.id), (older, newer), "the older record first, though born later");
    assert!(found.pairs[1..].iter().all(|p| p.first.legal_name == "LEE, Sam" && p.first.id < p.second.id));
}
