use crate::fixture::{person, store};
use bridger::model::{RosterFilter, Status};

fn names(s: &bridger::Store, typed: &str, filter: &RosterFilter) -> Vec<String> {
    s.search(typed, filter, 50).unwrap().rows.into_iter().map(|r| r.legal_name).collect()
}

fn check(typed: &str, expected: &[&str]) {
    let (mut s, ctx, f) = store();
    for (i, name) in ["GARCÍA LÓPEZ, José", "O'BRIEN, Seán", "SMITH-JONES, Mary Ann", "NGUYEN, Tran", "ÁVILA, Zoë"]
        .iter()
        .enumerate()
    {
        let mut p = person(&f, name, &format!("RCJ-2026-{:04}", 4310 + i));
        if *name == "SMITH-JONES, Mary Ann" {
            p.preferred_name = "Annie".into();
        }
        s.enroll(&ctx, &p).unwrap();
    }
    assert_eq!(names(&s, typed, &RosterFilter::default()), expected, "searching {typed:?}");
}

#[test]
fn search_is_prefix_case_and_accent_blind() {
    check("jose", &["GARCÍA LÓPEZ, José"]);
    check("JOS gar", &["GARCÍA LÓPEZ, José"]);
    check("garcía", &["GARCÍA LÓPEZ, José"]);
    check("obrien", &["O'BRIEN, Seán"]);
    check("smithjo", &["SMITH-JONES, Mary Ann"]);
    check("o'brien", &["O'BRIEN, Seán"]);
    check("sean", &["O'BRIEN, Seán"]);
    check("jones", &["SMITH-JONES, Mary Ann"]);
    check("annie", &["SMITH-JONES, Mary Ann"]);
    check("avila zoe", &["ÁVILA, Zoë"]);
    check("4312", &["SMITH-JONES, Mary Ann"]);
    check("rcj-2026-431", &["ÁVILA, Zoë", "GARCÍA LÓPEZ, José", "NGUYEN, Tran", "O'BRIEN, Seán", "SMITH-JONES, Mary Ann"]);
    check("\"OR\" *", &[]);
    check("   ", &[]);
}

#[test]
fn an_exact_number_comes_first() {
    let (mut s, ctx, f) = store();
    s.enroll(&ctx, &person(&f, "ADAMS, Al", "77-100")).unwrap();
    s.enroll(&ctx, &person(&f, "ZED, Zoe", "77")).unwrap();
    assert_eq!(names(&s, "77", &RosterFilter::default()), ["ZED, Zoe", "ADAMS, Al"]);
}

#[test]
fn search_and_roster_obey_filters() {
    let (mut s, ctx, f) = store();
    let mut a = person(&f, "GARCÍA, Ana", "1");
    a.release_date = "2026-12-10".into();
    let mut b = person(&f, "GARCÍA, Berta", "2");
    b.unit_id = f.units[1].id.to_string();
    b.release_date = "2027-06-01".into();
    s.enroll(&ctx, &a).unwrap();
    s.enroll(&ctx, &b).unwrap();
    let by_unit = RosterFilter { unit_id: Some(f.units[1].id), ..Default::default() };
    assert_eq!(names(&s, "garcia", &by_unit), ["GARCÍA, Berta"]);
    let soon = RosterFilter {
        release_from: chrono::NaiveDate::from_ymd_opt(2026, 11, 24),
        release_to: chrono::NaiveDate::from_ymd_opt(2026, 12, 24),
        ..Default::default()
    };
    assert_eq!(names(&s, "garcia", &soon), ["GARCÍA, Ana"]);
    let page = s.roster_page(&soon, 0, 10).unwrap();
    assert_eq!((page.total, page.rows.len()), (1, 1));
    let released = RosterFilter { status: Some(Status::Released), facility_id: Some(f.id), ..Default::default() };
    assert_eq!(s.roster_page(&released, 0, 10).unwrap().total, 0);
}

#[test]
fn the_roster_pages_in_accent_blind_name_order() {
    let (mut s, ctx, f) = store();
    for (i, n) in ["ZAPATA, Luis", "ÁVILA, Ana", "avila, Bea", "BROWN, Cy"].iter().enumerate() {
        s.enroll(&ctx, &person(&f, n, &i.to_string())).unwrap();
    }
    let first = s.roster_page(&RosterFilter::default(), 0, 2).unwrap();
    let rest = s.roster_page(&RosterFilter::default(), 2, 2).unwrap();
    let order: Vec<_> = first.rows.iter().chain(&rest.rows).map(|r| r.legal_name.as_str()).collect();
    assert_eq!(order, ["ÁVILA, Ana", "avila, Bea", "BROWN, Cy", "ZAPATA, Luis"]);
    assert_eq!(first.total, 4);
}

#[test]
fn search_says_when_there_are_more_matches() {
    let (mut s, ctx, f) = store();
    let people: Vec<_> = (0..30).map(|i| person(&f, &format!("GARCÍA, Person {i}"), &format!("N{i}"))).collect();
    s.enroll_many(&ctx, &people).unwrap();
    let r = s.search("garc", &RosterFilter::default(), 10).unwrap();
    assert_eq!((r.rows.len(), r.more), (10, true));
    let r = s.search("garc", &RosterFilter::default(), 30).unwrap();
    assert_eq!((r.rows.len(), r.more), (30, false));
}

#[test]
fn every_page_of_the_roster_matches_one_pass_in_order() {
    let (mut s, ctx, f) = store();
    let people: Vec<_> = (0..23).map(|i| person(&f, &format!("NAME{:02}, Person", (i * 7) % 23), &format!("N{i}"))).collect();
    s.enroll_many(&ctx, &people).unwrap();
    let all: Vec<String> = s.roster_page(&RosterFilter::default(), 0, 100).unwrap().rows.into_iter().map(|r| r.legal_name).collect();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);
    for size in [1u64, 3, 5, 10] {
        for offset in 0..25u64 {
            let page = s.roster_page(&RosterFilter::default(), offset, size).unwrap();
            let expected: Vec<&String> = all.iter().skip(offset as usize).take(size as usize).collect();
            let got: Vec<&String> = page.rows.iter().map(|r| &r.legal_name).collect();
            assert_eq!(got, expected, "offset {offset}, page size {size}");
            assert_eq!(page.total, 23);
        }
    }
}

#[test]
fn a_limited_account_sees_its_own_possible_duplicate_however_many_are_elsewhere() {
    use bridger::auth::{Role, Scope};
    use bridger::model::NewFacility;
    use bridger::store::NewAccount;
    let (mut s, ctx, own) = store();
    let other = s.create_facility(&ctx, &NewFacility { name: "Eastfield State Prison".into(), code: "ESP".into(), units: vec![], rooms: vec![] }).unwrap();
    // More people born that day elsewhere than the check reads before it looks at names.
    let elsewhere: Vec<_> = (0..210)
        .map(|i| bridger::model::ParticipantInput { unit_id: String::new(), ..person(&other, &format!("OTHER, Person {i}"), &format!("E-{i}")) })
        .collect();
    s.enroll_many(&ctx, &elsewhere).unwrap();
    s.enroll(&ctx, &person(&own, "SMITH, Mary", "B-1")).unwrap();
    let account = NewAccount { username: "coord".into(), display_name: "Coord".into(), password: "temporary password".into(), roles: vec![Role::Coordinator], scope: Scope::Facilities(vec![own.id]) };
    s.create_account(&ctx, &account).unwrap();
    s.act_as("coord").unwrap();
    s.change_password(&ctx, "temporary password", "a password of my own").unwrap();
    let found = s.possible_duplicates(&person(&own, "SMITH, Mary", "B-2"), None).unwrap();
    assert_eq!(found.iter().map(|c| c.row.legal_name.as_str()).collect::<Vec<_>>(), ["SMITH, Mary"]);
}
