//! The role matrix, walked whole: every role against every action, inside and outside the
//! account's facilities. The expected table is written out here, from the issue, rather than
//! derived from the code it checks.

use crate::fixture::{person, store};
use bridger::auth::{Role, Scope};
use bridger::model::{Facility, NewFacility, ParticipantId, PlanItemInput, ResourceInput, StatusChange};
use bridger::store::{AuditFilter, NewAccount, Settings};
use bridger::{ErrorCode, Result, Store, WriteCtx};

struct World {
    store: Store,
    ctx: WriteCtx,
    own: Facility,
    other: Facility,
    own_person: ParticipantId,
    other_person: ParticipantId,
}

/// A site with two facilities and one person in each, signed in as a new account holding only
/// `role`; program roles are limited to the first facility, admin and auditor see all.
fn world(role: Role) -> World {
    let (mut store, ctx, own) = store();
    let other = store.create_facility(&ctx, &NewFacility { name: "Eastfield State Prison".into(), code: "ESP".into(), units: vec![], rooms: vec![] }).unwrap();
    let own_person = store.enroll(&ctx, &person(&own, "SMITH, Mary", "B-1")).unwrap().id;
    let mut elsewhere = person(&other, "JONES, Ann", "E-1");
    elsewhere.unit_id.clear();
    let other_person = store.enroll(&ctx, &elsewhere).unwrap().id;
    let scope = match role {
        Role::Admin | Role::Auditor => Scope::All,
        _ => Scope::Facilities(vec![own.id]),
    };
    let account = NewAccount { username: "someone".into(), display_name: "Some One".into(), password: "temporary password".into(), roles: vec![role], scope };
    store.create_account(&ctx, &account).unwrap();
    store.act_as("someone").unwrap();
    store.change_password(&ctx, "temporary password", "a password of my own").unwrap();
    World { store, ctx, own, other, own_person, other_person }
}

type Act = fn(&mut World) -> Result<()>;

const ACTIONS: &[(&str, Act)] = &[
    ("see the roster", |w| w.store.roster_page(&Default::default(), 0, 10).map(drop)),
    ("open a record in their facility", |w| w.store.view_participant(&w.ctx, w.own_person).map(drop)),
    ("open a record in another facility", |w| w.store.view_participant(&w.ctx, w.other_person).map(drop)),
    ("enrol in their facility", |w| w.store.enroll(&w.ctx, &person(&w.own, "NEW, Person", "B-9")).map(drop)),
    ("enrol in another facility", |w| {
        let mut p = person(&w.other, "NEW, Person", "E-9");
        p.unit_id.clear();
        w.store.enroll(&w.ctx, &p).map(drop)
    }),
    ("edit a record", |w| {
        let p = w.store.view_participant(&w.ctx, w.own_person)?;
        let edited = bridger::model::ParticipantInput { notes: "changed".into(), ..p.to_input() };
        w.store.update_participant(&w.ctx, w.own_person, &p.to_input(), &edited).map(drop)
    }),
    ("record a release", |w| {
        let change = StatusChange { status: "released".into(), date: "2026-11-20".into(), note: String::new() };
        w.store.set_status(&w.ctx, w.own_person, &change).map(drop)
    }),
    ("delete a record", |w| w.store.delete_participant(&w.ctx, w.own_person)),
    ("add a facility", |w| w.store.create_facility(&w.ctx, &NewFacility { name: "Third".into(), code: "TRD".into(), units: vec![], rooms: vec![] }).map(drop)),
    ("manage accounts", |w| w.store.accounts().map(drop)),
    ("read the audit trail", |w| w.store.audit_page(&AuditFilter::default(), 0, 10).map(drop)),
    ("verify the audit trail", |w| w.store.audit_verify().map(drop)),
    ("export the audit trail", |w| {
        let dir = tempfile::tempdir().unwrap();
        w.store.audit_export(&w.ctx, &AuditFilter::default(), &dir.path().join("audit.csv")).map(drop)
    }),
    ("make a backup", |w| w.store.backup(&w.ctx).map(drop)),
    ("see this site's card for trust", |w| w.store.site_card(&w.ctx).map(drop)),
    ("change settings", |w| w.store.set_settings(&w.ctx, &Settings { idle_lock_minutes: 5, backups_kept: 3, roll_call_window_days: 7, bundle_limit_mb: 100 }).map(drop)),
    ("see the release pipeline", |w| w.store.release_pipeline(w.ctx.today).map(drop)),
    ("open a reentry plan in their facility", |w| w.store.plan(&w.ctx, w.own_person).map(drop)),
    ("open a reentry plan in another facility", |w| w.store.plan(&w.ctx, w.other_person).map(drop)),
    ("change the plan template", |w| {
        let item = PlanItemInput { area: "phone".into(), title: "Charger".into(), ..Default::default() };
        w.store.save_template_item(&w.ctx, None, &item).map(drop)
    }),
    ("add a community resource", |w| {
        let input = ResourceInput { name: "Hope House".into(), kind: "recovery_residence".into(), ..Default::default() };
        w.store.save_resource(&w.ctx, None, &input, None).map(drop)
    }),
];

/// Y: allowed; n: refused. Columns: admin, coordinator, peer specialist, reentry staff, auditor.
const EXPECTED: &[(&str, [char; 5])] = &[
    ("see the roster", ['n', 'Y', 'Y', 'Y', 'Y']),
    ("open a record in their facility", ['n', 'Y', 'Y', 'Y', 'Y']),
    ("open a record in another facility", ['n', 'n', 'n', 'n', 'Y']),
    ("enrol in their facility", ['n', 'Y', 'Y', 'Y', 'n']),
    ("enrol in another facility", ['n', 'n', 'n', 'n', 'n']),
    ("edit a record", ['n', 'Y', 'Y', 'Y', 'n']),
    ("record a release", ['n', 'Y', 'Y', 'Y', 'n']),
    ("delete a record", ['n', 'Y', 'n', 'n', 'n']),
    ("add a facility", ['Y', 'n', 'n', 'n', 'n']),
    ("manage accounts", ['Y', 'n', 'n', 'n', 'n']),
    ("read the audit trail", ['Y', 'n', 'n', 'n', 'Y']),
    ("verify the audit trail", ['Y', 'n', 'n', 'n', 'Y']),
    ("export the audit trail", ['Y', 'n', 'n', 'n', 'Y']),
    ("make a backup", ['Y', 'n', 'n', 'n', 'n']),
    ("see this site's card for trust", ['Y', 'n', 'n', 'n', 'n']),
    ("change settings", ['Y', 'n', 'n', 'n', 'n']),
    ("see the release pipeline", ['n', 'Y', 'n', 'Y', 'n']),
    ("open a reentry plan in their facility", ['n', 'Y', 'n', 'Y', 'n']),
    ("open a reentry plan in another facility", ['n', 'n', 'n', 'n', 'n']),
    ("change the plan template", ['n', 'Y', 'n', 'Y', 'n']),
    ("add a community resource", ['n', 'Y', 'n', 'Y', 'n']),
];

const ROLES: [Role; 5] = [Role::Admin, Role::Coordinator, Role::PeerSpecialist, Role::ReentryStaff, Role::Auditor];

#[test]
fn every_role_meets_exactly_the_refusals_the_matrix_names() {
    assert_eq!(ACTIONS.len(), EXPECTED.len());
    let mut wrong = Vec::new();
    for (column, role) in ROLES.into_iter().enumerate() {
        for ((name, act), (expected_name, row)) in ACTIONS.iter().zip(EXPECTED) {
            assert_eq!(name, expected_name);
            let mut w = world(role);
            let outcome = act(&mut w);
            // A backup of a database in memory fails after the permission check; only a
            // refusal counts as refused.
            let refused = matches!(&outcome, Err(e) if e.code() == ErrorCode::Forbidden);
            if let Err(e) = &outcome {
                assert!(refused || *name == "make a backup", "{role:?} / {name}: unexpected error {e}");
                if refused {
                    assert!(e.to_string().contains("may not") || e.to_string().contains("outside"), "{role:?} / {name}: {e}");
                }
            }
            if refused != (row[column] == 'n') {
                wrong.push(format!("{role:?} {} {name}", if refused { "was refused" } else { "was allowed to" }));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_scoped_account_sees_only_its_facilities_everywhere() {
    let w = world(Role::Coordinator);
    let page = w.store.roster_page(&Default::default(), 0, 10).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].legal_name, "SMITH, Mary");
    assert!(w.store.search("jones", &Default::default(), 10).unwrap().rows.is_empty());
    let lookalike = person(&w.own, "JONES, Ann", "E-1");
    assert!(w.store.possible_duplicates(&lookalike, None).unwrap().is_empty(), "nobody from another facility is shown");
    let other = w.other.id;
    let e = w.store.roster_page(&bridger::model::RosterFilter { facility_id: Some(other), ..Default::default() }, 0, 10).unwrap();
    assert_eq!(e.total, 0);
}

#[test]
fn a_temporary_password_allows_nothing_but_choosing_a_new_one() {
    let (mut store, ctx, _) = store();
    let account = NewAccount { username: "newbie".into(), display_name: "New Bie".into(), password: "temporary password".into(), roles: vec![Role::Coordinator], scope: Scope::All };
    store.create_account(&ctx, &account).unwrap();
    store.act_as("newbie").unwrap();
    assert!(store.session().unwrap().must_change_password());
    let e = store.roster_page(&Default::default(), 0, 10).unwrap_err();
    assert!(e.to_string().contains("choose your own password first"), "{e}");
    store.change_password(&ctx, "temporary password", "my own pass phrase").unwrap();
    assert!(store.roster_page(&Default::default(), 0, 10).is_ok());
}

#[test]
fn the_last_administrator_cannot_be_removed() {
    let (mut store, ctx, _) = store();
    let e = store.update_account(&ctx, "ada", &bridger::store::AccountChange { display_name: "Ada".into(), roles: vec![Role::Coordinator], scope: Scope::All }).unwrap_err();
    assert!(e.to_string().contains("only active administrator"), "{e}");
    let e = store.deactivate_account(&ctx, "ada").unwrap_err();
    assert!(e.to_string().contains("your own account"), "{e}");
}
