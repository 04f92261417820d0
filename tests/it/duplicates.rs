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
    assert_eq!(signed_in(&files, "auditor").likely_duplicates(&after(31)).unwrap().pairs.len(), 2);
    account(&files, &mut site, "admin2", vec![Role::Admin], Scope::All);
    assert_eq!(signed_in(&files, "admin2").likely_duplicates(&after(32)).unwrap_err().code(), ErrorCode::Forbidden);
}
