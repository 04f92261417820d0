//! The demo databases the benchmarks share: built once through the real write path, encrypted
//! like a workstation's (with cheap key derivation, so building is not timed on argon2), and
//! kept under target/.

use bridger::site;
use bridger::auth::{KdfParams, Role, Scope};
use bridger::demo::{generate, DemoOptions, SITE_NAME};
use bridger::paths::SiteFiles;
use bridger::store::{NewAccount, SiteSetup};
use bridger::{Store, WriteCtx};
use std::path::PathBuf;
use std::time::Instant;

pub const USER: &str = "bench";
pub const PASSWORD: &str = "a long password for timing";

pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data")
}

pub fn fixed_ctx(seed: u64) -> WriteCtx {
    WriteCtx::fixed(1_795_521_600_000, chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"), seed)
}

/// The encrypted demo site of `size` people, built on first use; a new schema builds it anew,
/// since the demo grows with what the schema can hold.
pub fn database(size: usize) -> SiteFiles {
    let version = bridger::store::SCHEMA_VERSION;
    let files = SiteFiles::for_db(data_dir().join(format!("site-{size}-v{version}.db")));
    if !files.db.exists() {
        std::fs::create_dir_all(data_dir()).expect("bench folder");
        let partial = SiteFiles::for_db(data_dir().join(format!("site-{size}.partial.db")));
        for f in [&partial.db, &partial.key] {
            let _ = std::fs::remove_file(f);
        }
        let started = Instant::now();
        let setup = SiteSetup {
            site_name: SITE_NAME.into(),
            admin: NewAccount {
                username: USER.into(),
                display_name: "Benchmark".into(),
                password: PASSWORD.into(),
                roles: vec![Role::Admin, Role::Coordinator],
                scope: Scope::All,
            },
            facility: None,
        };
        let ctx = fixed_ctx(1);
        let (mut store, _) = site::create(&partial, &ctx, &setup, KdfParams::FAST_FOR_TESTS).expect("create");
        generate(&mut store, &ctx, &DemoOptions { participants: size, seed: 1 }).expect("demo data");
        drop(store);
        std::fs::rename(&partial.key, &files.key).expect("rename key file");
        std::fs::rename(&partial.db, &files.db).expect("rename database");
        println!("built {size} participants in {:.1} s", started.elapsed().as_secs_f64());
    }
    files
}

pub fn sign_in(files: &SiteFiles) -> Store {
    site::sign_in(files, &fixed_ctx(3), USER, PASSWORD).map(|s| s.store).expect("sign in")
}
