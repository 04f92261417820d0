//! The `bridger` tool end to end: real processes on a temporary database.

use std::path::Path;
use std::process::{Command, Output};

/// The password every test account starts with, in a file beside the database.
pub(crate) fn password_file(db: &Path, password: &str) -> std::path::PathBuf {
    let file = db.with_extension(format!("{}.pw", password.len()));
    std::fs::write(&file, format!("{password}\n")).expect("password file");
    file
}

/// Runs `bridger` as ada (the administrator `init` and `demo` create) on `db`.
fn bridger(db: &Path, args: &[&str]) -> Output {
    bridger_as(db, "ada", crate::fixture::PASSWORD, args)
}

pub(crate) fn bridger_as(db: &Path, user: &str, password: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bridger"));
    cmd.arg("--db").arg(db).args(args).arg("--password-file").arg(password_file(db, password)).env_remove("BRIDGER_DB");
    if matches!(args.first(), Some(&"init" | &"demo")) {
        cmd.args(["--admin", user]);
    } else {
        cmd.args(["--user", user]);
    }
    cmd.output().expect("run bridger")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = bridger(db, args);
    assert!(out.status.success(), "bridger {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Runs a command that must fail and returns its one line of stderr.
fn fails(db: &Path, args: &[&str]) -> String {
    let out = bridger(db, args);
    assert!(!out.status.success(), "bridger {args:?} should have failed");
    String::from_utf8(out.stderr).expect("utf-8")
}

const ADD: &[&str] = &[
    "participants", "add", "--legal-name", "GARCÍA LÓPEZ, José", "--dob", "1988-03-14", "--number", "B-20431",
    "--facility", "rcj", "--unit", "a-north", "--admission-date", "2026-05-02", "--release-date", "2027-01-15",
    "--program", "RSAT", "--language", "Spanish",
];

#[test]
fn init_add_search_show_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    assert!(ok(&db, &["init", "--site", "Peer Office"]).contains("Peer Office"));
    ok(&db, &["facilities", "add", "--name", "Riverside County Jail", "--code", "RCJ", "--units", "A-North,B-East", "--rooms", "Chapel"]);
    assert!(ok(&db, ADD).contains("enrolled GARCÍA LÓPEZ, José"));

    let found: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "search", "jose gar", "--json"])).unwrap();
    let id = found["rows"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(found["rows"][0]["unit_name"], "A-North");

    let shown: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "show", &id, "--json"])).unwrap();
    assert_eq!(shown["language"], "Spanish");
    assert_eq!(shown["release_date"], "2027-01-15");

    let listed: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "list", "--status", "active", "--json"])).unwrap();
    assert_eq!(listed["total"], 1);
    assert!(ok(&db, &["check"]).contains("integrity: ok"));
}

#[test]
fn places_are_added_to_a_facility_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    ok(&db, &["init", "--site", "Peer Office"]);
    ok(&db, &["facilities", "add", "--name", "Riverside County Jail", "--code", "RCJ", "--units", "A-North"]);
    assert!(ok(&db, &["facilities", "add-place", "--facility", "RCJ", "--unit", "C-West"]).contains("added unit C-West"));
    assert!(ok(&db, &["facilities", "add-place", "--facility", "rcj", "--room", "Chapel"]).contains("added room Chapel"));
    assert!(fails(&db, &["facilities", "add-place", "--facility", "RCJ", "--unit", "c-west"]).contains("already has a unit named c-west"));
    assert!(fails(&db, &["facilities", "add", "--name", "Other", "--code", "rcj"]).contains("already used by Riverside County Jail"));
    let list: serde_json::Value = serde_json::from_str(&ok(&db, &["facilities", "list", "--json"])).unwrap();
    assert_eq!(list[0]["units"].as_array().unwrap().len(), 2);
    assert_eq!(list[0]["rooms"][0]["name"], "Chapel");
}

#[test]
fn duplicates_are_listed_and_nothing_is_saved_until_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    ok(&db, &["init", "--site", "Peer Office"]);
    ok(&db, &["facilities", "add", "--name", "Riverside County Jail", "--code", "RCJ", "--units", "A-North"]);
    ok(&db, ADD);
    let mut again: Vec<&str> = ADD.to_vec();
    again[3] = "Garcia Lopez, Jose";
    again[7] = "B-99999";
    let err = fails(&db, &again);
    assert!(err.contains("may be the same person") && err.contains("--not-a-duplicate"), "{err}");
    let listed: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "list", "--json"])).unwrap();
    assert_eq!(listed["total"], 1);
    again.push("--not-a-duplicate");
    ok(&db, &again);
}

#[test]
fn bad_input_gets_one_clear_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    ok(&db, &["init", "--site", "Peer Office"]);
    ok(&db, &["facilities", "add", "--name", "Riverside County Jail", "--code", "RCJ"]);
    let mut bad: Vec<&str> = ADD.iter().copied().filter(|a| *a != "--unit" && *a != "a-north").collect();
    let release = bad.iter().position(|a| *a == "2027-01-15").unwrap();
    bad[release] = "2026-01-01";
    let err = fails(&db, &bad);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("release_date") && err.contains("before the admission date"), "{err}");

    assert!(fails(&db, &["participants", "list", "--release-from", "soon"]).contains("YYYY-MM-DD"));
    assert!(fails(&db, &["participants", "list", "--facility", "nowhere"]).contains("no facility"));
    assert!(fails(&db, &["participants", "show", "not-an-id"]).contains("no participant"));
    assert!(fails(&db, &["init", "--site", "Again"]).contains("already exists"));
    let missing = dir.path().join("missing.db");
    assert!(fails(&missing, &["participants", "list"]).contains("there is no database"));
    assert!(!missing.exists(), "a mistyped path must not create a database");
    let listed: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "list", "--json"])).unwrap();
    assert_eq!(listed["total"], 0);
}

#[test]
fn demo_is_deterministic_for_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    ok(&a, &["demo", "--participants", "120", "--seed", "5"]);
    ok(&b, &["demo", "--participants", "120", "--seed", "5"]);
    let list = |db: &Path| ok(db, &["participants", "list", "--status", "active", "--limit", "500"]);
    let strip = |s: String| s.lines().map(|l| l.split_once("  ").map_or(l, |(_, rest)| rest).to_string()).collect::<Vec<_>>();
    assert_eq!(strip(list(&a)), strip(list(&b)));
    let all: serde_json::Value = serde_json::from_str(&ok(&a, &["participants", "list", "--json", "--limit", "500"])).unwrap();
    assert_eq!(all["total"], 120);
    let names: Vec<&str> = all["rows"].as_array().unwrap().iter().map(|r| r["legal_name"].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.chars().any(|c| "áéíóúñÁÉÍÓÚÑ".contains(c))), "accented names");
    assert!(names.iter().any(|n| n.contains('\'') || n.contains('-')), "apostrophes or hyphens");
}

#[test]
fn accounts_roles_audit_and_backups_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    let created = ok(&db, &["init", "--site", "Peer Office"]);
    assert!(created.contains("RECOVERY KEY"), "{created}");
    ok(&db, &["facilities", "add", "--name", "Riverside County Jail", "--code", "RCJ", "--units", "A-North"]);
    ok(&db, ADD);
    let temporary = password_file(&db, "temporary password 1");
    let out = bridger(&db, &["accounts", "add", "pat", "--name", "Pat Peer", "--roles", "peer_specialist", "--facilities", "RCJ", "--new-password-file", temporary.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let run_as_pat = |password: &str, args: &[&str]| bridger_as(&db, "pat", password, args);
    let first = run_as_pat("temporary password 1", &["participants", "list"]);
    assert!(String::from_utf8_lossy(&first.stderr).contains("choose your own password"), "{}", String::from_utf8_lossy(&first.stderr));
    let own = password_file(&db, "my own long passphrase");
    assert!(run_as_pat("temporary password 1", &["accounts", "passwd", "--new-password-file", own.to_str().unwrap()]).status.success());
    let listed = run_as_pat("my own long passphrase", &["participants", "list", "--json"]);
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let refused = run_as_pat("my own long passphrase", &["audit", "list"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("may not read the audit trail"));
    let wrong = run_as_pat("temporary password 1", &["participants", "list"]);
    assert_eq!(String::from_utf8_lossy(&wrong.stderr).trim(), "bridger: the user name or password is not right");

    let verified = ok(&db, &["audit", "verify"]);
    assert!(verified.contains("the audit trail is whole"), "{verified}");
    let trail = ok(&db, &["audit", "list", "--person", "pat", "--limit", "100"]);
    assert!(trail.contains("sign_in_refused") && trail.contains("password_change"), "{trail}");
    let csv = dir.path().join("audit.csv");
    ok(&db, &["audit", "export", "--out", csv.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&csv).unwrap().lines().count() > 5);

    let backed = ok(&db, &["backup"]);
    let backup = backed.split_whitespace().nth(3).unwrap().to_string();
    ok(&db, &["participants", "add", "--legal-name", "AFTER, Backup", "--dob", "1990-01-01", "--number", "Z-1", "--facility", "RCJ", "--admission-date", "2026-01-01"]);
    let restored = ok(&db, &["restore", &backup]);
    assert!(restored.contains("kept at"), "{restored}");
    let after: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "list", "--json"])).unwrap();
    assert_eq!(after["total"], 1, "the restore brought back the database as it was at the backup");
    assert!(fails(&db, &["restore", db.to_str().unwrap()]).contains("the database itself"));
}

#[test]
fn each_account_chooses_its_own_language_date_order_and_text_size() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    ok(&db, &["init", "--site", "Peer Office"]);
    assert_eq!(ok(&db, &["accounts", "preferences"]).trim(), "language=en date_order=mdy text_size=100");
    assert_eq!(ok(&db, &["accounts", "preferences", "--language", "es", "--date-order", "dmy"]).trim(), "language=es date_order=dmy text_size=100");
    assert_eq!(ok(&db, &["accounts", "preferences", "--text-size", "150"]).trim(), "language=es date_order=dmy text_size=150");
    let refused = fails(&db, &["accounts", "preferences", "--language", "fr"]);
    assert!(refused.contains("language") && refused.contains("en or es"), "{refused}");
    let refused = fails(&db, &["accounts", "preferences", "--date-order", "ymd"]);
    assert!(refused.contains("mdy or dmy"), "{refused}");
    let refused = fails(&db, &["accounts", "preferences", "--text-size", "130"]);
    assert!(refused.contains("text_size") && refused.contains("100, 125, 150, 175 or 200"), "{refused}");
    assert_eq!(ok(&db, &["accounts", "preferences"]).trim(), "language=es date_order=dmy text_size=150", "a refused choice changed nothing");
    let trail = ok(&db, &["audit", "list", "--json"]);
    assert!(trail.contains("language=es date_order=dmy text_size=150"), "the choice is audited");
}

#[test]
fn staff_due_lists_expiring_credentials_and_lapsed_supervision_for_a_weekly_job() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    ok(&db, &["demo", "--participants", "20", "--seed", "3"]);
    let peers: serde_json::Value = serde_json::from_str(&ok(&db, &["contacts", "peers", "--json"])).unwrap();
    let id = |name: &str| peers.as_array().unwrap().iter().find(|p| p["name"] == name).map(|p| p["id"].as_str().unwrap().to_string()).unwrap();
    let (rosa, marcus, denise) = (id("Rosa Díaz"), id("Marcus Lee"), id("Denise Carter"));
    let today = bridger::WriteCtx::now().today;
    let day = |days: i64| (today + chrono::Duration::days(days)).to_string();
    // The demo's Marcus: a certification expiring in three weeks with ethics hours short, and
    // monthly supervision by Rosa lapsed.
    let due = ok(&db, &["staff", "due"]);
    assert!(due.contains(&format!("Marcus Lee: Certified Peer Recovery Specialist expires on {}, in 21 days", day(21))), "{due}");
    assert!(due.contains("Marcus Lee: Certified Peer Recovery Specialist: 15.00 of 20.00 hours (2.00 of 6.00 in ethics)"), "{due}");
    assert!(due.contains("Marcus Lee: supervision was due on"), "{due}");
    ok(&db, &["staff", "supervision", "--supervisor", &rosa, "--supervisees", &marcus, "--minutes", "45", "--functions", "supportive"]);
    assert!(!ok(&db, &["staff", "due"]).contains("Marcus Lee: supervision was due"));
    // Denise, weekly from a month ago and never supervised, with a credential of her own.
    ok(&db, &["staff", "update", &denise, "--roles", "peer_supervisor,peer_specialist", "--cadence", "weekly", "--start-date", &day(-30)]);
    ok(&db, &[
        "staff", "credential", "--staff", &denise, "--kind", "national_certification", "--name", "National Certified Peer Recovery Support Specialist",
        "--issuer", "National board", "--issued-on", &day(-700), "--expires-on", &day(20),
    ]);
    let due = ok(&db, &["staff", "due"]);
    assert!(due.contains(&format!("Denise Carter: National Certified Peer Recovery Support Specialist expires on {}, in 20 days", day(20))), "{due}");
    assert!(due.contains(&format!("Denise Carter: supervision was due on {} (never supervised), 23 days ago", day(-23))), "{due}");
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["staff", "due", "--json"])).unwrap();
    let hers = json.as_array().unwrap().iter().find(|d| d["staff"]["id"] == denise.as_str()).expect("Denise is due");
    assert_eq!(hers["warnings"][0]["expiry"]["notice"], 30);
    let refused = fails(&db, &["staff", "hours", "--staff", &denise, "--hours=-3", "--topic", "ethics", "--title", "Boundaries"]);
    assert_eq!(refused.lines().count(), 1, "{refused}");
    assert!(refused.contains("hours must be from 0.25 to 40"), "{refused}");
    // A partial update changes only what it names.
    ok(&db, &["staff", "update", &marcus, "--phone", "555-0100"]);
    let shown = ok(&db, &["staff", "show", &marcus]);
    assert!(shown.contains("roles: Peer specialist") && shown.contains("supervised: Monthly by Rosa Díaz"), "{shown}");
}

#[test]
fn the_supervision_report_and_a_mentors_record_of_peer_work_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    ok(&db, &["demo", "--participants", "20", "--seed", "3"]);
    let peers: serde_json::Value = serde_json::from_str(&ok(&db, &["contacts", "peers", "--json"])).unwrap();
    let id = |name: &str| peers.as_array().unwrap().iter().find(|p| p["name"] == name).map(|p| p["id"].as_str().unwrap().to_string()).unwrap();
    let (luis, denise) = (id("Luis Ortega"), id("Denise Carter"));
    let today = bridger::WriteCtx::now().today;
    let from = (today - chrono::Duration::days(90)).to_string();
    // The demo's Marcus went without his monthly supervision; Luis is supervised every week.
    let report = ok(&db, &["staff", "report", "--from", &from]);
    assert!(report.contains("Marcus Lee: supervised monthly by Rosa Díaz"), "{report}");
    assert!(report.contains("Luis Ortega: supervised weekly by Denise Carter; 13 sessions, 585 minutes"), "{report}");
    assert!(report.contains("lapse: due"), "{report}");
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["staff", "report", "--from", &from, "--facility", "ESP", "--json"])).unwrap();
    assert!(json["rows"].as_array().unwrap().iter().all(|r| r["facility_name"] != "Riverside County Jail"), "one facility: {json}");
    let refused = fails(&db, &["staff", "report", "--from", &today.to_string(), "--to", &from]);
    assert!(refused.contains("the period ends before it begins"), "{refused}");
    // An evaluation, then his record of peer work in Spanish.
    ok(&db, &["staff", "evaluate", "--staff", &luis, "--evaluator", &denise, "--strengths", "Leads the Wednesday group well"]);
    let pdf = dir.path().join("luis.pdf");
    let said = ok(&db, &["staff", "summary", &luis, "-o", pdf.to_str().unwrap(), "--language", "es"]);
    assert!(said.contains("wrote the record of peer work"), "{said}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let refused = fails(&db, &["staff", "evaluate", "--staff", &luis, "--evaluator", &luis, "--strengths", "Self-assessed"]);
    assert!(refused.contains("a person does not evaluate their own work here"), "{refused}");
}

#[test]
fn the_program_report_leaves_as_pdf_csv_and_json_with_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    ok(&db, &["demo", "--participants", "60", "--seed", "5"]);
    let quarter = ["report", "--from", "2026-07-01", "--to", "2026-09-30"];
    let run = |format: &str, out: &Path, more: &[&str]| ok(&db, &[&quarter[..], &["--format", format, "-o", out.to_str().unwrap()], more].concat());
    let folder = dir.path().join("q3");
    let said = run("csv", &folder, &[]);
    assert_eq!(said.lines().count(), 8, "seven sections and the dictionary: {said}");
    let enrolment = std::fs::read_to_string(folder.join("enrolment.csv")).unwrap();
    let served: Vec<&str> = enrolment.lines().find(|l| l.contains(",enrolment.served,")).unwrap().split(',').collect();
    assert_eq!(&served[..2], ["2026-07-01", "2026-09-30"], "ISO dates");
    let dictionary = std::fs::read_to_string(folder.join("data-dictionary.csv")).unwrap();
    assert!(dictionary.lines().any(|l| l.starts_with("figure,enrolment.served,")), "every figure is in the dictionary");

    let json = dir.path().join("q3.json");
    run("json", &json, &[]);
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let figure = report["sections"][0]["figures"].as_array().unwrap().iter().find(|f| f["key"] == "enrolment.served").unwrap().clone();
    assert_eq!(figure["value"].as_f64().unwrap().to_string(), served[7], "the CSV and the JSON agree");

    let pdf = dir.path().join("q3.pdf");
    run("pdf", &pdf, &["--language", "spanish"]);
    let text = String::from_utf8(crate::reentry::poppler("pdftotext", &[pdf.as_os_str(), "-".as_ref()]).stdout).unwrap();
    for phrase in ["Informe del programa", "Personas atendidas (sin duplicar)", "1 de julio de 2026", "Solo cifras"] {
        assert!(text.contains(phrase), "{phrase:?} not in\n{text}");
    }
    assert!(fails(&db, &[&quarter[..], &["--format", "xlsx", "-o", "x"]].concat()).contains("format: the format is pdf, csv or json"));
    assert!(ok(&db, &["settings", "set", "--follow-up-rule", "suprt"]).contains("follow-up interviews: Baseline, reassessment at 180 days, annual, closeout"));
    assert!(fails(&db, &["settings", "set", "--follow-up-rule", "monthly"]).contains("follow_up_rule: the follow-up rule is gpra or suprt"));
    assert!(fails(&db, &["report", "--from", "2026-09-30", "--to", "2026-07-01", "--format", "json", "-o", "y.json"]).contains("to: the period ends before it begins"));
    let trail = ok(&db, &["audit", "export", "--out", dir.path().join("audit.csv").to_str().unwrap()]);
    drop(trail);
    let audit = std::fs::read_to_string(dir.path().join("audit.csv")).unwrap();
    assert_eq!(audit.lines().filter(|l| l.contains("program report 2026-07-01 to 2026-09-30")).count(), 3, "each file written is audited");
}

#[test]
fn a_roster_is_previewed_applied_with_its_movements_and_exported_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    ok(&db, &["init", "--site", "Peer Office"]);
    ok(&db, &["facilities", "add", "--name", "Riverside County Jail", "--code", "RCJ", "--units", "A-North"]);
    let day1 = dir.path().join("day1.csv");
    std::fs::write(&day1, "IN CUSTODY\r\nBkg No,Last Name,First Name,DOB,Unit,Cell,Charge\r\nB1,SMITH,Ann,7/4/1990,A-North,3,DUI\r\nB2,ROE,Rick,12/13/1985,A-North,4,THEFT\r\nB3,DOE,Jane,2/30/1985,A-North,5,X\r\n").unwrap();
    let import = |file: &Path, more: &[&str]| -> Vec<String> {
        let mut args = vec!["roster", "import", file.to_str().unwrap(), "--source", "Jail system", "--facility", "rcj"];
        args.extend(more);
        args.into_iter().map(String::from).collect()
    };
    let run = |args: &[String]| ok(&db, &args.iter().map(String::as_str).collect::<Vec<_>>());

    let preview: serde_json::Value = serde_json::from_str(&run(&import(&day1, &["--json"]))).unwrap();
    assert_eq!((preview["new"].as_u64(), preview["refused"].as_u64(), preview["applied"].is_null()), (Some(2), Some(1), true));
    assert_eq!(preview["refusals"][0]["row"], 5);
    assert_eq!(preview["refusals"][0]["column"], "DOB");
    assert_eq!(preview["refusals"][0]["reason"], "\"2/30/1985\" is not a date (month/day/year (2/3/1985))");
    assert!(ok(&db, &["participants", "list", "--json"]).contains("\"total\": 0"), "a preview writes nothing");
    let applied = run(&import(&day1, &["--apply"]));
    assert!(applied.contains("applied: 2 enrolled, 0 changed, 0 released"), "{applied}");
    assert!(run(&import(&day1, &["--apply"])).contains("nothing new"));

    let day2 = dir.path().join("day2.csv");
    std::fs::write(&day2, "Bkg No,Last Name,First Name,DOB,Unit,Cell,Charge\r\nB2,ROE,Rick,12/13/1985,A-North,9,THEFT\r\n").unwrap();
    let preview = run(&import(&day2, &[]));
    assert!(preview.contains("moved: B2 ROE, Rick: cell 4 → 9"), "{preview}");
    assert!(preview.contains("release? B1 SMITH, Ann: not on this roster (--release B1)"), "{preview}");
    let plan = preview.lines().find_map(|l| l.strip_prefix("plan ")).expect("the preview prints its plan").to_string();
    let fails_with = |more: &[&str]| fails(&db, &import(&day2, more).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(fails_with(&["--apply", "--release", "B1"]).contains("releases and returns are confirmed against a preview you have read: add --plan"));
    assert!(fails_with(&["--apply", "--plan", &plan, "--release", "B9"]).contains("booking B9 is not among the releases this roster proposes"));
    assert!(fails_with(&["--apply", "--plan", "0000", "--release", "B1"]).contains("the file or the records changed since the preview"));
    let applied = run(&import(&day2, &["--apply", "--plan", &plan, "--release", "B1"]));
    assert!(applied.contains("applied: 0 enrolled, 1 changed, 1 released"), "{applied}");

    let out = dir.path().join("export.csv");
    assert!(ok(&db, &["roster", "export", "--facility", "rcj", "-o", out.to_str().unwrap()]).contains("wrote 1 people"));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("B2,,\"ROE, Rick\",1985-12-13,A-North,9,"), "{text}");
    let twice = dir.path().join("twice.json");
    std::fs::write(&twice, r#"{"columns":[{"header":"Bkg No","field":"booking"},{"header":"Bkg No","field":"state_number"}],"century_pivot":26}"#).unwrap();
    let refused = fails(&db, &import(&day2, &["--mapping", twice.to_str().unwrap()]).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(refused.contains("the column \"Bkg No\" is mapped twice"), "{refused}");
}

#[test]
fn a_transfer_is_asked_for_refused_from_the_wrong_facility_and_answered_then_the_duplicate_merged_and_unmerged_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    ok(&db, &["init", "--site", "Peer Office"]);
    ok(&db, &["facilities", "add", "--name", "Riverside County Jail", "--code", "RCJ", "--units", "A-North,B-East"]);
    ok(&db, &["facilities", "add", "--name", "Eastfield State Prison", "--code", "ESP", "--units", "E-1"]);
    ok(&db, ADD);
    let found: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "search", "jose gar", "--json"])).unwrap();
    let person = found["rows"][0]["id"].as_str().unwrap().to_string();

    // A coordinator of the jail alone asks for it (the prison is not one of hers), may cancel it,
    // and may not accept it.
    let temporary = password_file(&db, "temporary password 2");
    ok(&db, &["accounts", "add", "jo", "--name", "Jo Jail", "--roles", "coordinator", "--facilities", "RCJ", "--new-password-file", temporary.to_str().unwrap()]);
    let own = password_file(&db, "jo chooses a passphrase");
    assert!(bridger_as(&db, "jo", "temporary password 2", &["accounts", "passwd", "--new-password-file", own.to_str().unwrap()]).status.success());
    let as_jo = |args: &[&str]| bridger_as(&db, "jo", "jo chooses a passphrase", args);
    assert!(String::from_utf8_lossy(&as_jo(&["transfers", "ask", &person, "--to", "rcj", "--reason", "x"]).stderr).contains("already held at this facility"));
    assert!(String::from_utf8_lossy(&as_jo(&["transfers", "ask", &person, "--to", "ESP", "--reason", " "]).stderr).contains("say why the person moves"));
    assert!(String::from_utf8_lossy(&as_jo(&["transfers", "ask", &person, "--to", "XYZ", "--reason", "bed"]).stderr).contains("no facility has the code or name \"XYZ\""));
    let asked = as_jo(&["transfers", "ask", &person, "--to", "esp", "--reason", "RSAT bed", "--json"]);
    assert!(asked.status.success(), "{}", String::from_utf8_lossy(&asked.stderr));
    let asked: serde_json::Value = serde_json::from_slice(&asked.stdout).unwrap();
    assert_eq!((asked["state"].as_str(), asked["to_facility"].as_str()), (Some("waiting"), Some("Eastfield State Prison")));
    let id = asked["id"].as_str().unwrap().to_string();
    let refused = bridger_as(&db, "jo", "jo chooses a passphrase", &["transfers", "answer", &id, "--accept"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not one of your account's facilities"), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(fails(&db, &["transfers", "answer", &id, "--decline"]).contains("say why"));
    assert!(fails(&db, &["transfers", "answer", "not-an-id", "--accept"]).contains("transfer"));

    let accepted = ok(&db, &["transfers", "answer", &id, "--accept", "--number", "ESP-77"]);
    assert!(accepted.contains("Accepted by"), "{accepted}");
    let shown: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "show", &person, "--json"])).unwrap();
    assert_eq!((shown["facility_name"].as_str(), shown["facility_number"].as_str()), (Some("Eastfield State Prison"), Some("ESP-77")));
    let listed = ok(&db, &["transfers", "list", "--participant", &person]);
    assert!(listed.contains("Riverside County Jail -> Eastfield State Prison"), "{listed}");
    assert!(fails(&db, &["transfers", "answer", &id, "--cancel", "--note", "late"]).contains("already answered"));

    // Enrolled again at the jail under another booking, he is listed as a likely duplicate.
    assert!(ok(&db, &["participants", "duplicates"]).contains("no likely duplicates"));
    let again = ["participants", "add", "--legal-name", "GARCIA, Jose", "--dob", "1988-03-14", "--number", "B-30001", "--facility", "rcj", "--admission-date", "2026-11-02", "--not-a-duplicate"];
    ok(&db, &again);
    let listed: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "duplicates", "--json"])).unwrap();
    assert_eq!(listed["pairs"].as_array().map(Vec::len), Some(1));
    assert_eq!((listed["pairs"][0]["first"]["id"].as_str(), listed["pairs"][0]["same_birth_and_name"].as_bool()), (Some(person.as_str()), Some(true)));

    // Merged: refused without a reason, into itself, or by the jail's coordinator (the kept
    // record is at the prison); then merged, listed, and undone once.
    let twin = listed["pairs"][0]["second"]["id"].as_str().unwrap().to_string();
    assert!(fails(&db, &["participants", "merge", "--keep", &person, "--merge", &twin, "--reason", " "]).contains("say why"));
    assert!(fails(&db, &["participants", "merge", "--keep", &person, "--merge", &person, "--reason", "x"]).contains("cannot be merged into itself"));
    let by_jo = as_jo(&["participants", "merge", "--keep", &person, "--merge", &twin, "--reason", "same DOC number"]);
    assert!(String::from_utf8_lossy(&by_jo.stderr).contains("not one of your account's facilities"), "{}", String::from_utf8_lossy(&by_jo.stderr));
    let merged = ok(&db, &["participants", "merge", "--keep", &person, "--merge", &twin, "--reason", "same DOC number"]);
    assert!(merged.contains("merged GARCIA, Jose into GARCÍA LÓPEZ, José"), "{merged}");
    assert!(ok(&db, &["participants", "duplicates"]).contains("no likely duplicates"));
    let merges: serde_json::Value = serde_json::from_str(&ok(&db, &["participants", "merges", "--json"])).unwrap();
    let merge = merges[0]["id"].as_str().unwrap().to_string();
    assert_eq!((merges[0]["kept"]["id"].as_str(), merges[0]["merged"]["id"].as_str(), merges[0]["reason"].as_str()), (Some(person.as_str()), Some(twin.as_str()), Some("same DOC number")));
    assert!(fails(&db, &["participants", "unmerge", "not-an-id", "--reason", "x"]).contains("merge"));
    assert!(ok(&db, &["participants", "unmerge", &merge, "--reason", "two men of one name"]).contains("is a record of its own again"));
    assert!(fails(&db, &["participants", "unmerge", &merge, "--reason", "again"]).contains("already undone"));
    assert!(ok(&db, &["participants", "merges"]).contains("(undone on"));
}
