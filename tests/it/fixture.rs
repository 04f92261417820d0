use bridger::site;
use bridger::auth::{self, KdfParams, Role, Scope};
use bridger::model::{Facility, NewFacility, ParticipantInput};
use bridger::paths::SiteFiles;
use bridger::store::{NewAccount, PeerKind, SiteSetup};
use bridger::{Store, WriteCtx};
use chrono::NaiveDate;

pub const PASSWORD: &str = "correct horse battery staple";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("a valid date")
}

/// A fixed context: 2026-11-24 at noon UTC, seed 7.
pub fn ctx() -> WriteCtx {
    WriteCtx::fixed(1_795_521_600_000, today(), 7)
}

pub fn riverside() -> NewFacility {
    NewFacility {
        name: "Riverside County Jail".into(),
        code: "rcj".into(),
        units: vec!["A-North".into(), "B-East".into()],
        rooms: vec!["Program Room 1".into()],
    }
}

/// The first account of every test site: an administrator who is also a coordinator.
pub fn setup() -> SiteSetup {
    SiteSetup {
        site_name: "Test Site".into(),
        admin: NewAccount {
            username: "ada".into(),
            display_name: "Ada Admin".into(),
            password: PASSWORD.into(),
            roles: vec![Role::Admin, Role::Coordinator],
            scope: Scope::All,
        },
        facility: Some(riverside()),
    }
}

/// An in-memory store with a site and one facility (units A-North and B-East, one room), with
/// its administrator signed in.
pub fn store() -> (Store, WriteCtx, Facility) {
    let mut store = Store::open_in_memory().expect("in-memory store");
    let ctx = ctx();
    store.setup(&ctx, &setup()).expect("setup");
    let facility = store.facilities().expect("facilities").remove(0);
    (store, ctx, facility)
}

/// The same, encrypted on disk in `dir` (with cheap key derivation), for tests that look at the
/// files.
pub fn file_store(dir: &tempfile::TempDir) -> (Store, WriteCtx, Facility, SiteFiles) {
    let files = SiteFiles::for_db(dir.path().join("site.db"));
    let ctx = ctx();
    let (store, _) = site::create(&files, &ctx, &setup(), KdfParams::FAST_FOR_TESTS).expect("create");
    let facility = store.facilities().expect("facilities").remove(0);
    (store, ctx, facility, files)
}

pub fn person(facility: &Facility, name: &str, number: &str) -> ParticipantInput {
    ParticipantInput {
        legal_name: name.into(),
        dob: "1988-03-14".into(),
        facility_number: number.into(),
        facility_id: facility.id.to_string(),
        unit_id: facility.units.first().map(|u| u.id.to_string()).unwrap_or_default(),
        admission_date: "2026-05-02".into(),
        release_date: "2027-01-15".into(),
        program: "RSAT".into(),
        ..Default::default()
    }
}

/// A raw SQLCipher connection to the site's database, opened with ada's key: what someone with
/// the password and the `sqlite3` tool could do.
pub fn raw(files: &SiteFiles) -> rusqlite::Connection {
    let key = auth::KeyFile::load(&files.key).expect("key file").unwrap_user("ada", PASSWORD).expect("ada's key");
    let conn = rusqlite::Connection::open(&files.db).expect("open");
    conn.execute_batch(&format!("PRAGMA key = {};", key.sqlcipher_literal().as_str())).expect("key");
    conn
}

/// Counts rows through a second connection to the same file.
pub fn count(files: &SiteFiles, sql: &str) -> i64 {
    raw(files).query_row(sql, [], |r| r.get(0)).expect("count")
}

/// A site on disk named `name`; `seed` gives each its own ids, as separate workstations have.
pub fn site_on_disk(dir: &tempfile::TempDir, name: &str, seed: u64) -> (Store, SiteFiles) {
    let files = SiteFiles::for_db(dir.path().join(format!("{name}.db")));
    let mut s = setup();
    s.site_name = name.into();
    let ctx = WriteCtx::fixed(ctx().now_ms, ctx().today, seed);
    let (store, _) = site::create(&files, &ctx, &s, KdfParams::FAST_FOR_TESTS).expect("create");
    (store, files)
}

/// Adds an account to the site in `files` that has chosen its own password, `PASSWORD`.
pub fn account(files: &SiteFiles, admin: &mut Store, username: &str, roles: Vec<Role>, scope: Scope) {
    let new = NewAccount { username: username.into(), display_name: username.into(), password: "temporary password".into(), roles, scope };
    // A context of its own, so each account gets its own id.
    let seed = username.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    admin.create_account(&WriteCtx::fixed(ctx().now_ms, ctx().today, seed), &new).unwrap();
    let mut s = site::sign_in(files, &after(1), username, "temporary password").unwrap().store;
    s.change_password(&after(1), "temporary password", PASSWORD).unwrap();
}

/// Signs `username` in with `PASSWORD`.
pub fn signed_in(files: &SiteFiles, username: &str) -> Store {
    site::sign_in(files, &after(2), username, PASSWORD).unwrap().store
}

/// The fixed context `ms` milliseconds later, with a seed of its own.
pub fn after(ms: u64) -> WriteCtx {
    WriteCtx::fixed(ctx().now_ms + ms, ctx().today, 500 + ms)
}

/// Imports a bundle held in memory, as if its bytes had been carried on a stick.
pub fn import_bytes(store: &mut Store, ctx: &WriteCtx, bytes: &[u8], passphrase: Option<&str>) -> bridger::Result<bridger::store::ImportSummary> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carried.bundle");
    std::fs::write(&path, bytes).expect("write bundle");
    store.import_bundle(ctx, &path, passphrase)
}

/// Reads a receipt held in memory.
pub fn import_receipt_bytes(store: &mut Store, ctx: &WriteCtx, bytes: &[u8]) -> bridger::Result<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carried.receipt");
    std::fs::write(&path, bytes).expect("write receipt");
    store.import_receipt(ctx, &path).map(|r| r.from)
}

/// Relapse Prevention, Mondays and Wednesdays at nine in the facility's first room, open, from
/// 2026-11-02, led by `facilitator` (a staff id).
pub fn weekly_group(f: &Facility, facilitator: String) -> bridger::model::GroupInput {
    bridger::model::GroupInput {
        name: "Relapse Prevention".into(),
        topic: "Triggers and coping plans".into(),
        support_type: "informational".into(),
        facility_id: f.id.to_string(),
        location_id: f.rooms[0].id.to_string(),
        weekdays: vec![1, 3],
        start_time: "09:00".into(),
        duration_min: 90,
        facilitators: vec![facilitator],
        capacity: Some(30),
        open_group: true,
        starts_on: "2026-11-02".into(),
        ends_on: String::new(),
    }
}

/// The site's first facility (a jail) and an Eastfield prison added beside it.
pub fn jail_and_prison(admin: &mut Store, ctx: &WriteCtx) -> (Facility, Facility) {
    let jail = admin.facilities().expect("facilities").remove(0);
    let prison = NewFacility { name: "Eastfield State Prison".into(), code: "ESP".into(), units: vec!["E-1".into()], rooms: vec![] };
    (jail, admin.create_facility(ctx, &prison).expect("the prison"))
}

/// Adds a peer specialist called `name` to `facility`'s staff directory, with the account
/// `username` (none when empty).
pub fn add_peer(admin: &mut Store, ctx: &WriteCtx, facility: &Facility, name: &str, username: &str) -> bridger::model::StaffId {
    let input = bridger::model::StaffInput { name: name.into(), peer_roles: vec!["peer specialist".into()], facility_id: facility.id.to_string(), username: username.into() };
    admin.add_staff(ctx, &input).expect("a staff member").id
}

/// Two sites of one program: the jail's and the prison's.
pub struct TwoSites {
    pub dir: tempfile::TempDir,
    pub jail_site: Store,
    pub jail_files: bridger::paths::SiteFiles,
    pub prison_site: Store,
    pub prison_files: bridger::paths::SiteFiles,
    pub jail: Facility,
    pub prison: Facility,
}

/// The jail's site (which also made the prison's directory entry) and the prison's site, each
/// trusting the other, with the directory carried to the prison site.
pub fn two_sites() -> TwoSites {
    let dir = tempfile::tempdir().unwrap();
    let (mut jail_site, jail_files) = site_on_disk(&dir, "Jail", 1);
    let (mut prison_site, prison_files) = site_on_disk(&dir, "Prison", 2);
    let (cj, cp) = (jail_site.site_card(&after(1)).unwrap(), prison_site.site_card(&after(1)).unwrap());
    jail_site.trust_peer(&after(1), &cp, &cp.fingerprint, PeerKind::ProgramSite).unwrap();
    prison_site.trust_peer(&after(1), &cj, &cj.fingerprint, PeerKind::ProgramSite).unwrap();
    let (jail, prison) = jail_and_prison(&mut jail_site, &after(3));
    let mut sites = TwoSites { dir, jail_site, jail_files, prison_site, prison_files, jail, prison };
    sites.carry_to_prison(10);
    sites
}

impl TwoSites {
    pub fn carry_to_prison(&mut self, at: u64) -> bridger::store::ImportSummary {
        let path = self.dir.path().join(format!("jail-{at}.bundle"));
        self.jail_site.export_bundle(&after(at), self.prison_site.site().unwrap().site_id, false, &path).unwrap();
        self.prison_site.import_bundle(&after(at + 1), &path, None).unwrap()
    }

    pub fn carry_to_jail(&mut self, at: u64) -> bridger::store::ImportSummary {
        let path = self.dir.path().join(format!("prison-{at}.bundle"));
        self.prison_site.export_bundle(&after(at), self.jail_site.site().unwrap().site_id, false, &path).unwrap();
        self.jail_site.import_bundle(&after(at + 1), &path, None).unwrap()
    }

    /// The prison site's receipt for the jail site, read there: how many transfers it delivered.
    pub fn receipt_to_jail(&mut self, at: u64) -> u64 {
        let path = self.dir.path().join(format!("prison-{at}.receipt"));
        self.prison_site.write_receipt(&after(at), self.jail_site.site().unwrap().site_id, &path).unwrap();
        self.jail_site.import_receipt(&after(at + 1), &path).unwrap().transfers_delivered
    }

    pub fn jail_account(&mut self, username: &str, roles: Vec<Role>, facility: &Facility) -> Store {
        account(&self.jail_files, &mut self.jail_site, username, roles, Scope::Facilities(vec![facility.id]));
        signed_in(&self.jail_files, username)
    }

    pub fn prison_account(&mut self, username: &str, roles: Vec<Role>, facility: &Facility) -> Store {
        account(&self.prison_files, &mut self.prison_site, username, roles, Scope::Facilities(vec![facility.id]));
        signed_in(&self.prison_files, username)
    }
}
