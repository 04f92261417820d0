//! `make bench`: exporting and importing about a million field changes (the 100,000-participant
//! demo site's whole journal) between two sites, against a plain rusqlite insert of the same
//! rows in one transaction. Three rounds of each (`BRIDGER_BENCH_ROUNDS`); the median is printed,
//! with the ratios, the bundle's size, and the import's peak memory: each import runs in a
//! process of its own (this program, started again), which reports its own peak.

mod common;

use bridger::site;
use bridger::auth::{KdfParams, Role, Scope};
use bridger::store::PeerKind;
use bridger::paths::SiteFiles;
use bridger::store::{NewAccount, SiteSetup};
use common::{data_dir, database, fixed_ctx, sign_in};
use std::time::{Duration, Instant};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Set in the process started for one import: the receiving site's database and the bundle.
const IMPORT_INTO: &str = "BRIDGER_BENCH_IMPORT_INTO";
const IMPORT_BUNDLE: &str = "BRIDGER_BENCH_IMPORT_BUNDLE";

/// Writes out what earlier rounds left in the kernel's cache (bundles, copies of databases), so
/// that a timed round does not pay for the round before it.
fn settle_disk() {
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

/// The peak resident memory of this process so far, in bytes.
fn peak_memory() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss as u64 * 1024
}

/// One import, in this process: prints its time, its changes and the process's peak memory.
fn import_once(db: &str, bundle: &str) {
    let ctx = fixed_ctx(9);
    let mut to = site::sign_in(&SiteFiles::for_db(db), &ctx, "bench", common::PASSWORD).map(|s| s.store).expect("sign in");
    let t = Instant::now();
    let summary = to.import_bundle(&ctx, std::path::Path::new(bundle), None).expect("import");
    println!("{} {} {}", t.elapsed().as_nanos(), summary.changes, peak_memory());
}

fn main() {
    if let (Ok(db), Ok(bundle)) = (std::env::var(IMPORT_INTO), std::env::var(IMPORT_BUNDLE)) {
        return import_once(&db, &bundle);
    }
    // One round is enough under a profiler.
    let rounds: usize = std::env::var("BRIDGER_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let source = database(100_000);
    let mut from = sign_in(&source);
    let ctx = fixed_ctx(9);
    let dir = tempfile::tempdir_in(data_dir()).expect("temp dir");
    let bundle = dir.path().join("all.bundle");
    let target_card = {
        // A new site each run, with a name of its own: the cached source site keeps trusting the
        // receivers of earlier runs, and two trusted sites may not share a name.
        let run = fastrand::u64(..);
        let setup = SiteSetup {
            site_name: format!("Receiving site {run:016x}"),
            admin: NewAccount { username: "bench".into(), display_name: "Bench".into(), password: common::PASSWORD.into(), roles: vec![Role::Admin, Role::Coordinator], scope: Scope::All },
            facility: None,
        };
        let files = SiteFiles::for_db(dir.path().join("template.db"));
        let (mut to, _) = site::create(&files, &fixed_ctx(run), &setup, KdfParams::FAST_FOR_TESTS).expect("create");
        let card = to.site_card(&ctx).expect("card");
        let own = from.site_card(&ctx).expect("card");
        to.trust_peer(&ctx, &own, &own.fingerprint, PeerKind::ProgramSite).expect("trust");
        from.trust_peer(&ctx, &card, &card.fingerprint, PeerKind::ProgramSite).expect("trust the receiving site");
        drop(to);
        (files, card)
    };
    let (template, card) = target_card;

    let mut exports = Vec::new();
    let mut changes = 0;
    for _ in 0..rounds {
        settle_disk();
        let t = Instant::now();
        changes = from.export_bundle(&ctx, card.site_id, true, &bundle).expect("export").changes;
        exports.push(t.elapsed());
    }
    let bytes = std::fs::metadata(&bundle).expect("bundle").len();

    let mut imports = Vec::new();
    let mut peaks = Vec::new();
    for round in 0..rounds {
        let copy = SiteFiles::for_db(dir.path().join(format!("to-{round}.db")));
        std::fs::copy(&template.db, &copy.db).expect("copy");
        std::fs::copy(&template.key, &copy.key).expect("copy key");
        settle_disk();
        let out = std::process::Command::new(std::env::current_exe().expect("this program"))
            .env(IMPORT_INTO, &copy.db)
            .env(IMPORT_BUNDLE, &bundle)
            .output()
            .expect("the import process");
        assert!(out.status.success(), "the import failed: {}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8_lossy(&out.stdout);
        let figures: Vec<u64> = line.split_whitespace().filter_map(|f| f.parse().ok()).collect();
        let [nanos, imported, peak] = figures[..] else { panic!("the import process said {line:?}") };
        assert_eq!(imported, changes);
        imports.push(Duration::from_nanos(nanos));
        peaks.push(peak);
    }

    // The same number of rows, inserted plainly into an unencrypted table in one transaction.
    let mut plain = Vec::new();
    for round in 0..rounds {
        let path = dir.path().join(format!("plain-{round}.db"));
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE t (hlc INTEGER, site INTEGER, tbl TEXT, record BLOB, field TEXT, value TEXT)").expect("table");
        settle_disk();
        let t = Instant::now();
        conn.execute_batch("BEGIN").expect("begin");
        {
            let mut stmt = conn.prepare("INSERT INTO t VALUES (?1, 1, 'participants', ?2, 'legal_name', '\"PERSON, Someone\"')").expect("prepare");
            for i in 0..changes as i64 {
                stmt.execute(rusqlite::params![i, i.to_le_bytes().as_slice()]).expect("insert");
            }
        }
        conn.execute_batch("COMMIT").expect("commit");
        plain.push(t.elapsed());
    }

    let (e, i, p) = (median(exports), median(imports), median(plain));
    let per_s = |d: Duration| changes as f64 / d.as_secs_f64();
    peaks.sort_unstable();
    println!("{changes} field changes, bundle {:.1} MB ({:.0} bytes a change)", bytes as f64 / 1e6, bytes as f64 / changes as f64);
    println!("export: median {:.2} s ({:.0} changes/s)", e.as_secs_f64(), per_s(e));
    println!("import: median {:.2} s ({:.0} changes/s)", i.as_secs_f64(), per_s(i));
    println!("plain rusqlite insert of as many rows in one transaction: median {:.2} s ({:.0} rows/s)", p.as_secs_f64(), per_s(p));
    println!("import takes {:.1}x the plain insert; export {:.1}x", i.as_secs_f64() / p.as_secs_f64(), e.as_secs_f64() / p.as_secs_f64());
    println!("import peak memory (the whole process, signing in included): median {:.0} MiB", peaks[peaks.len() / 2] as f64 / f64::from(1 << 20));
}
