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

/// The demo's source, so a change to what the demo makes names a new site.
const DEMO_SOURCE: [&str; 2] = [include_str!("../../src/demo/mod.rs"), include_str!("../../src/demo/history.rs")];

/// A short fingerprint of the demo's source (FNV-1a).
fn demo_fingerprint() -> u32 {
    DEMO_SOURCE.iter().flat_map(|s| s.bytes()).fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

fn site_files(size: usize, version: i64) -> SiteFiles {
    SiteFiles::for_db(data_dir().join(format!("site-{size}-v{version}-{:08x}.db", demo_fingerprint())))
}

/// The encrypted demo site of `size` people, built on first use; a changed demo builds it anew.
/// A site an earlier schema built from the same demo is copied and upgraded by signing in, as a
/// workstation's would be (building a million people takes hours; upgrading, minutes).
pub fn database(size: usize) -> SiteFiles {
    let version = bridger::store::SCHEMA_VERSION;
    let files = site_files(size, version);
    if let Some(older) = (1..version).rev().map(|v| site_files(size, v)).find(|f| f.db.exists() && !files.db.exists()) {
        let started = Instant::now();
        // Renamed, not copied: the upgrade keeps its own copy of the old file first.
        std::fs::rename(&older.key, &files.key).expect("move the key file");
        std::fs::rename(&older.db, &files.db).expect("move the database");
        drop(sign_in(&files));
        println!("upgraded the {size}-participant site from {} in {:.1} s", older.db.display(), started.elapsed().as_secs_f64());
    }
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
        // A million people's indexes outgrow the everyday cache many times over.
        store.keep_pages_for_bulk_load(6 * 1024).expect("cache");
        generate(&mut store, &ctx, &DemoOptions { participants: size, seed: 1, team_serves: Some(2_000) }).expect("demo data");
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

/// The site sizes to measure: `BRIDGER_BENCH_SIZES` (such as `100000`), or 100,000 and 1,000,000.
#[allow(dead_code, reason = "each benchmark compiles this module; only those measured at several sizes ask")]
pub fn sizes() -> Vec<usize> {
    std::env::var("BRIDGER_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000])
}
