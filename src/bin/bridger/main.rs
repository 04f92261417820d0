//! `bridger`: the command-line tool over the same core as the desktop app. Every command that
//! opens a database signs in as `--user`, with the password from `--password-file` or typed at
//! the terminal, and obeys that account's roles.

mod admin;
mod peer;
mod records;
mod reentry;
mod roster;
mod staff;
mod transfers;

use admin::{AccountCommand, AuditCommand, ConflictCommand, PeerCommand, SettingsCommand, SiteCommand};
use bridger::auth::{KdfParams, Password, RecoveryKey, Role, Scope};
use bridger::demo::{self, DemoOptions};
use bridger::paths::{resolve_db, SiteFiles};
use bridger::site;
use bridger::store::{NewAccount, SiteSetup};
use bridger::model::{parse, ReportFormat};
use bridger::reports::Language;
use bridger::{Error, Store, WriteCtx};
use clap::{Parser, Subcommand};
use records::{FacilityCommand, ParticipantCommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zeroize::Zeroizing;

#[derive(Parser)]
#[command(name = "bridger", version, about = "Peer recovery support records, offline")]
struct Cli {
    /// The site database (default: $BRIDGER_DB, else the app's data folder).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// The account to sign in as.
    #[arg(long, global = true, value_name = "NAME")]
    user: Option<String>,
    /// A file holding the password (for scheduled jobs); without it the password is asked for
    /// on the terminal. With `init` and `demo`, the first administrator's new password.
    #[arg(long, global = true, value_name = "FILE")]
    password_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site database.
    Init {
        /// A name for this workstation's site, such as "Riverside Jail – Peer Office".
        #[arg(long)]
        site: String,
        #[command(flatten)]
        admin: FirstAdmin,
    },
    /// Create a demo site with two facilities and realistic participants.
    Demo {
        #[arg(long, default_value_t = 300)]
        participants: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        admin: FirstAdmin,
    },
    /// Accounts: list, add, change, deactivate, reset a password, change your own.
    #[command(subcommand)]
    Accounts(AccountCommand),
    /// The audit trail: verify its chain, list and export entries.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Make a backup now (encrypted, beside the database in its backups folder).
    Backup,
    /// Replace the database with a backup, after checking the backup. Today's accounts and
    /// audit trail are kept.
    Restore {
        /// The backup file.
        backup: PathBuf,
        /// When the database no longer opens: a file holding the recovery key, which then opens
        /// the backup instead of a password.
        #[arg(long, value_name = "FILE", requires = "account")]
        recovery_key_file: Option<PathBuf>,
        /// With --recovery-key-file: the account of the restored database to sign in as.
        #[arg(long)]
        account: Option<String>,
    },
    /// Set a new password for an account with the recovery key, when no administrator can.
    Recover {
        /// A file holding the recovery key.
        #[arg(long, value_name = "FILE")]
        recovery_key_file: PathBuf,
        /// The account to set a new password for.
        #[arg(long)]
        account: String,
        /// A file holding the new password; without it, it is asked for on the terminal.
        #[arg(long, value_name = "FILE")]
        new_password_file: Option<PathBuf>,
    },
    /// Show or change the idle lock and how many backups are kept.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Print a digest of all synced data: two sites with the same digest hold the same data.
    Digest,
    /// Write a bundle of changes for a trusted site (everything it has not shown it holds).
    Export {
        /// The site: its name, id or fingerprint.
        #[arg(long)]
        to: String,
        /// For a one-off transfer: lock the bundle with the passphrase in this file instead of
        /// the site's key (still only that site can import it).
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        #[arg(short = 'o', long, value_name = "FILE")]
        out: PathBuf,
        /// Everything, not only what the site has not shown it holds.
        #[arg(long)]
        full: bool,
    },
    /// Edits made at two sites at once: list them, or keep one value.
    #[command(subcommand)]
    Conflicts(ConflictCommand),
    /// Import a bundle from a trusted site.
    Import {
        bundle: PathBuf,
        /// Also write a receipt to carry back to the sender.
        #[arg(long, value_name = "FILE")]
        receipt_out: Option<PathBuf>,
        /// The passphrase of a one-off bundle, from this file.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Read a receipt a site wrote after importing this site's bundle.
    Receipt { receipt: PathBuf },
    /// This site's card, for other sites to trust it.
    #[command(subcommand)]
    Site(SiteCommand),
    /// The sites this one trusts for bundles.
    #[command(subcommand)]
    Peers(PeerCommand),
    /// Facilities, housing units and program rooms.
    #[command(subcommand)]
    Facilities(FacilityCommand),
    /// Enrol, list, search and show participants.
    #[command(subcommand)]
    Participants(ParticipantCommand),
    /// Rosters from the jail's system: preview and apply a file, see its columns, export the
    /// facility's people as a roster.
    #[command(subcommand)]
    Roster(roster::RosterCommand),
    /// Transfers between the program's facilities: ask for one, list them, accept, decline or
    /// cancel one.
    #[command(subcommand)]
    Transfers(transfers::TransferCommand),
    /// Reentry: the release pipeline, plans and the release packet.
    #[command(subcommand)]
    Reentry(reentry::ReentryCommand),
    /// One-on-one peer contacts: log one, list a participant's.
    #[command(subcommand)]
    Contacts(peer::ContactCommand),
    /// Recovery-capital check-ins: record one, list a participant's, the instruments.
    #[command(subcommand)]
    Checkins(peer::CheckInCommand),
    /// Peer staff records: credentials, continuing education, supervision, and what is due.
    #[command(subcommand)]
    Staff(staff::StaffCommand),
    /// The program report for a period, as a PDF, CSV files (in the folder -o names) or JSON:
    /// counts only, for a scheduled job on the last day of the quarter.
    Report {
        /// YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// YYYY-MM-DD, included.
        #[arg(long)]
        to: String,
        /// Facility code or name; every facility of the account without it.
        #[arg(long)]
        facility: Option<String>,
        /// pdf, csv or json.
        #[arg(long)]
        format: String,
        /// The PDF's language: english or spanish.
        #[arg(long, default_value = "english")]
        language: String,
        /// The file (a folder for csv).
        #[arg(short = 'o', long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Check the database's integrity and schema version.
    Check {
        #[arg(long)]
        json: bool,
    },
}

fn read_recovery_key(file: &Path) -> Result<RecoveryKey, Error> {
    let typed = Zeroizing::new(std::fs::read_to_string(file).map_err(|source| Error::Io { context: english(format!("cannot read {}", file.display())), source })?);
    RecoveryKey::parse(&typed)
}

/// The first administrator of a new site.
#[derive(clap::Args)]
struct FirstAdmin {
    /// The first administrator's user name.
    #[arg(long)]
    admin: String,
    /// The name shown for the first administrator (default: the user name).
    #[arg(long)]
    admin_name: Option<String>,
    /// Roles besides admin for the first account: coordinator by default, so a small program's
    /// first person can also see its records.
    #[arg(long, value_delimiter = ',', default_value = "coordinator")]
    also: Vec<String>,
}

/// Prints a line on standard output with every hidden character taken out, so no stored text
/// (a site's name, a file name) can steer the terminal.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { println!("{}", bridger::text::printable(&format!($($arg)*))) };
}

fn main() -> ExitCode {
    // Output piped into `head` or `less` that stops reading ends the tool quietly, as other
    // command-line tools do, instead of a panic on the broken pipe (Rust ignores SIGPIPE).
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bridger: {}", bridger::text::printable(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// A message of the command line's own. The command line speaks English, and its refusals never
/// reach the screens, so both languages of the message are its English.
pub(crate) fn english(text: impl Into<String>) -> bridger::error::Said {
    let en = text.into();
    bridger::error::Said { es: en.clone(), en }
}

fn run(cli: Cli) -> Result<(), Error> {
    let files = SiteFiles::for_db(resolve_db(cli.db.clone()));
    let ctx = WriteCtx::now();
    let password = || read_password(cli.password_file.as_deref(), &format!("password for {}: ", cli.user.as_deref().unwrap_or("")));
    let signed_in_with = |password: &str| -> Result<Store, Error> {
        let opened = site::sign_in(&files, &ctx, cli.user.as_deref().ok_or_else(need_user)?, password)?;
        for notice in &opened.notices {
            eprintln!("bridger: {}", bridger::text::printable(&notice.en));
        }
        Ok(opened.store)
    };
    let signed_in = || signed_in_with(password()?.as_str());
    match cli.command {
        Command::Init { ref site, ref admin } => {
            let (_, recovery) = create(&files, &ctx, site, admin, cli.password_file.as_deref())?;
            say!("created site \"{}\" in {}", site.trim(), files.db.display());
            print_recovery_key(&recovery.display());
        }
        Command::Demo { participants, seed, ref admin } => {
            let ctx = WriteCtx::fixed(ctx.now_ms, ctx.today, seed);
            let (mut store, recovery) = create(&files, &ctx, demo::SITE_NAME, admin, cli.password_file.as_deref())?;
            // About 3 KiB of pages a person: a large demo keeps its indexes in memory as it grows.
            store.keep_pages_for_bulk_load(i64::try_from(participants / 300).unwrap_or(i64::MAX))?;
            let summary = demo::generate(&mut store, &ctx, &DemoOptions { participants, seed, team_serves: None })?;
            say!(
                "created demo site \"{}\" with {} facilities and {} participants in {}",
                summary.site,
                summary.facilities,
                summary.participants,
                files.db.display()
            );
            print_recovery_key(&recovery.display());
        }
        Command::Facilities(cmd) => records::facilities(&mut signed_in()?, &ctx, cmd)?,
        Command::Participants(cmd) => records::participants(&mut signed_in()?, &ctx, cmd)?,
        Command::Transfers(cmd) => transfers::transfers(&mut signed_in()?, &ctx, cmd)?,
        Command::Reentry(cmd) => reentry::reentry(&mut signed_in()?, &ctx, cmd)?,
        Command::Roster(cmd) => roster::roster(&mut signed_in()?, &ctx, cmd)?,
        Command::Contacts(cmd) => peer::contacts(&mut signed_in()?, &ctx, cmd)?,
        Command::Checkins(cmd) => peer::checkins(&mut signed_in()?, &ctx, cmd)?,
        Command::Staff(cmd) => staff::staff(&mut signed_in()?, &ctx, cmd)?,
        Command::Report { ref from, ref to, ref facility, ref format, ref language, ref out } => {
            let format = ReportFormat::parse(format).ok_or_else(|| Error::field("format", english("the format is pdf, csv or json")))?;
            let language = Language::choose(Some(language))?.unwrap_or(Language::English);
            let mut store = signed_in()?;
            let facility = facility.as_deref().map(|f| records::facility_by_name(&store, f)).transpose()?.map(|f| f.id);
            let period = (parse::date("from", from)?, parse::date("to", to)?);
            let files = store.save_program_report(&ctx, period, facility, format, language, out)?;
            for file in files {
                say!("wrote {}", file.display());
            }
        }
        Command::Accounts(cmd) => {
            cli.user.as_deref().ok_or_else(need_user)?;
            let current = password()?;
            admin::accounts(&mut signed_in_with(current.as_str())?, &ctx, cmd, current.as_str())?;
        }
        Command::Audit(cmd) => admin::audit(&mut signed_in()?, &ctx, cmd)?,
        Command::Settings(cmd) => admin::settings(&mut signed_in()?, &ctx, cmd)?,
        Command::Digest => say!("{}", signed_in()?.content_digest()?),
        Command::Export { ref to, ref passphrase_file, ref out, full } => {
            let mut store = signed_in()?;
            let peer = store.export_destination(to)?;
            if let Some(file) = passphrase_file {
                let done = store.export_bundle_with_passphrase(&ctx, peer.site_id, read_password(Some(file), "")?.as_str(), out)?;
                say!("wrote {} changes for {} to {}, locked with the passphrase ({} bytes)", done.changes, done.to, done.path, done.bytes);
                return Ok(());
            }
            let done = store.export_bundle(&ctx, peer.site_id, full, out)?;
            say!("wrote {} changes for {} to {} ({} bytes)", done.changes, done.to, done.path, done.bytes);
        }
        Command::Import { ref bundle, ref receipt_out, ref passphrase_file, json } => {
            // A receipt that could never be written is refused before anything is imported.
            if let Some(path) = receipt_out {
                files.refuse_as_output(path)?;
            }
            let mut store = signed_in()?;
            let passphrase = passphrase_file.as_deref().map(|f| read_password(Some(f), "")).transpose()?;
            let done = store.import_bundle(&ctx, bundle, passphrase.as_ref().map(Password::as_str))?;
            if json {
                print_json(&done);
            } else {
                say!(
                    "from {}: {} changes; {} new records, {} fields updated, {} already here, {} conflicts, {} kept out",
                    done.from,
                    done.changes,
                    done.new_records,
                    done.updated_fields,
                    done.already_present,
                    done.conflicts,
                    done.kept_out.len()
                );
                if done.nothing_new {
                    say!("nothing new: every change in this bundle is already here (it was imported before, or is older than what arrived since); nothing was changed");
                }
                for n in &done.not_applied {
                    say!("not applied: {n}");
                }
                for k in &done.kept_out {
                    say!("kept out: {} {} {}: {}", k.table, k.record, k.field, k.reason);
                }
                for w in done.chain_warnings.iter().chain(&done.clock_warning) {
                    say!("warning: {w}");
                }
            }
            if let Some(path) = receipt_out {
                store.write_receipt(&ctx, done.sender, path).map_err(|e| Error::Refused(english(format!("the bundle was imported, but the receipt was not written: {e}"))))?;
            }
        }
        Command::Receipt { ref receipt } => {
            let read = signed_in()?.import_receipt(&ctx, receipt)?;
            say!("{} has what it acknowledged: the next bundle for it starts from there", read.from);
            if read.transfers_delivered > 0 {
                say!("{} transfers asked for here are now held there, waiting for an answer", read.transfers_delivered);
            }
            for w in &read.chain_warnings {
                say!("warning: {w}");
            }
        }
        Command::Conflicts(cmd) => admin::conflicts(&mut signed_in()?, &ctx, cmd)?,
        Command::Site(cmd) => admin::site(&mut signed_in()?, &ctx, cmd)?,
        Command::Peers(cmd) => admin::peers(&mut signed_in()?, &ctx, cmd)?,
        Command::Backup => {
            let b = signed_in()?.backup(&ctx)?;
            say!("backed up to {} ({} bytes)", b.path, b.bytes);
        }
        Command::Restore { ref backup, ref recovery_key_file, ref account } => {
            let report = match (recovery_key_file, account) {
                (Some(file), Some(account)) => site::restore_with_recovery(&files, &ctx, backup, &read_recovery_key(file)?, account)?,
                _ => site::restore(&files, &ctx, backup, cli.user.as_deref().ok_or_else(need_user)?, password()?.as_str())?,
            };
            say!("restored {} from {}", files.db.display(), report.restored_from);
            if let Some(kept) = report.previous_kept_at {
                say!("the database as it was is kept at {kept}");
            }
            if !report.accounts_kept.is_empty() {
                say!("accounts kept as they are now (changed since the backup): {}", report.accounts_kept.join(", "));
            }
        }
        Command::Recover { ref recovery_key_file, ref account, ref new_password_file } => {
            let key = read_recovery_key(recovery_key_file)?;
            let password = read_password(new_password_file.as_deref(), "new password: ")?;
            let store = site::recover(&files, &ctx, &key, account, password.as_str())?;
            say!("set a new password for {}; they are active again", store.session()?.username());
        }
        Command::Check { json } => {
            let report = signed_in()?.check()?;
            if json {
                print_json(&report);
            } else {
                say!("schema version {}", report.schema_version);
                match &report.site {
                    Some(site) => say!("site \"{}\" ({})", site.name, site.site_id),
                    None => say!("no site yet"),
                }
                say!("{} participants, {} journal entries, {} audit entries", report.participants, report.journal_entries, report.audit_entries);
                for p in &report.problems {
                    say!("problem: {p}");
                }
                say!("{}", if report.ok { "integrity: ok" } else { "integrity: FAILED" });
            }
            if !report.ok {
                return Err(Error::Io {
                    context: english("the database failed its integrity check"),
                    source: std::io::Error::new(std::io::ErrorKind::InvalidData, "restore it from a backup"),
                });
            }
        }
    }
    Ok(())
}

fn need_user() -> Error {
    Error::field("user", english("give --user NAME: the account to sign in as"))
}

fn create(files: &SiteFiles, ctx: &WriteCtx, site_name: &str, admin: &FirstAdmin, password_file: Option<&Path>) -> Result<(Store, RecoveryKey), Error> {
    let mut roles = vec![Role::Admin];
    for r in admin.also.iter().filter(|r| !r.trim().is_empty()) {
        roles.push(r.parse()?);
    }
    let password = match password_file {
        Some(_) => read_password(password_file, "")?,
        None => {
            let first = read_password(None, &format!("new password for {}: ", admin.admin))?;
            if read_password(None, "the same password again: ")? != first {
                return Err(Error::field("password", english("the two passwords differ; nothing was created")));
            }
            first
        }
    };
    let setup = SiteSetup {
        site_name: site_name.to_string(),
        admin: NewAccount { username: admin.admin.clone(), display_name: admin.admin_name.clone().unwrap_or_else(|| admin.admin.clone()), password, roles, scope: Scope::All },
        facility: None,
    };
    site::create(files, ctx, &setup, KdfParams::DEFAULT)
}

pub(crate) fn print_recovery_key(key: &str) {
    say!("\nRECOVERY KEY (shown once; print it and lock it away):\n\n    {key}\n");
    say!("It opens this database if every administrator password is lost: `bridger recover`.");
}

/// The password from a file (its first line) or asked for on the terminal without echo.
pub(crate) fn read_password(file: Option<&Path>, prompt: &str) -> Result<Password, Error> {
    match file {
        Some(path) => {
            let text = Zeroizing::new(
                std::fs::read_to_string(path).map_err(|source| Error::Io { context: english(format!("cannot read the password file {}", path.display())), source })?,
            );
            Ok(Password::new(text.lines().next().unwrap_or("")))
        }
        None => rpassword::prompt_password(prompt).map(Password::new).map_err(|source| Error::Io {
            context: english("no password: give --password-file FILE, or run this at a terminal to be asked"),
            source,
        }),
    }
}

/// Prints JSON for scripts; JSON escapes every control character, so nothing reaches the
/// terminal raw.
pub(crate) fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("bridger: could not write JSON: {e}"),
    }
}

