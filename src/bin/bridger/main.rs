//! `bridger`: the command-line tool over the same core as the desktop app. Every command that
//! opens a database signs in as `--user`, with the password from `--password-file` or typed at
//! the terminal, and obeys that account's roles.

mod admin;
mod records;
mod reentry;

use admin::{AccountCommand, AuditCommand, ConflictCommand, PeerCommand, SettingsCommand, SiteCommand};
use bridger::auth::{self, KdfParams, Role, Scope};
use bridger::demo::{self, DemoOptions};
use bridger::paths::{resolve_db, SiteFiles};
use bridger::store::{NewAccount, SiteSetup};
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
    /// Replace the database with a backup, after checking the backup.
    Restore {
        /// The backup file.
        backup: PathBuf,
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
        #[arg(long, required_unless_present = "passphrase_file", conflicts_with = "passphrase_file")]
        to: Option<String>,
        /// For a one-off transfer: lock the bundle with the passphrase in this file instead.
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
    /// Reentry: the release pipeline, plans and the release packet.
    #[command(subcommand)]
    Reentry(reentry::ReentryCommand),
    /// Check the database's integrity and schema version.
    Check {
        #[arg(long)]
        json: bool,
    },
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
            eprintln!("bridger: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    let files = SiteFiles::for_db(resolve_db(cli.db.clone()));
    let ctx = WriteCtx::now();
    let password = || read_password(cli.password_file.as_deref(), &format!("password for {}: ", cli.user.as_deref().unwrap_or("")));
    let signed_in_with = |password: &str| auth::sign_in(&files, &ctx, cli.user.as_deref().ok_or_else(need_user)?, password, false);
    let signed_in = || signed_in_with(&password()?);
    match cli.command {
        Command::Init { ref site, ref admin } => {
            let (_, recovery) = create(&files, &ctx, site, admin, cli.password_file.as_deref())?;
            println!("created site \"{}\" in {}", site.trim(), files.db.display());
            print_recovery_key(&recovery);
        }
        Command::Demo { participants, seed, ref admin } => {
            let ctx = WriteCtx::fixed(ctx.now_ms, ctx.today, seed);
            let (mut store, recovery) = create(&files, &ctx, demo::SITE_NAME, admin, cli.password_file.as_deref())?;
            let summary = demo::generate(&mut store, &ctx, &DemoOptions { participants, seed })?;
            println!(
                "created demo site \"{}\" with {} facilities and {} participants in {}",
                summary.site,
                summary.facilities,
                summary.participants,
                files.db.display()
            );
            print_recovery_key(&recovery);
        }
        Command::Facilities(cmd) => records::facilities(&mut signed_in()?, &ctx, cmd)?,
        Command::Participants(cmd) => records::participants(&mut signed_in()?, &ctx, cmd)?,
        Command::Reentry(cmd) => reentry::reentry(&mut signed_in()?, &ctx, cmd)?,
        Command::Accounts(cmd) => {
            cli.user.as_deref().ok_or_else(need_user)?;
            let current = password()?;
            admin::accounts(&mut signed_in_with(&current)?, &ctx, cmd, &current)?;
        }
        Command::Audit(cmd) => admin::audit(&mut signed_in()?, &ctx, cmd)?,
        Command::Settings(cmd) => admin::settings(&mut signed_in()?, &ctx, cmd)?,
        Command::Digest => println!("{}", signed_in()?.content_digest()?),
        Command::Export { ref to, ref passphrase_file, ref out, full } => {
            let mut store = signed_in()?;
            if let Some(file) = passphrase_file {
                let done = store.export_bundle_with_passphrase(&ctx, &read_password(Some(file), "")?, out)?;
                println!("wrote {} changes to {}, locked with the passphrase ({} bytes)", done.changes, done.path, done.bytes);
                return Ok(());
            }
            let to = to.as_deref().unwrap_or_default();
            let wanted = to.trim().to_lowercase();
            let fold = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
            let peer = store
                .peers()?
                .into_iter()
                .find(|p| p.name.to_lowercase() == wanted || p.site_id.to_string() == wanted || fold(&p.fingerprint) == fold(&wanted))
                .ok_or_else(|| Error::field("to", format!("no trusted site is named \"{to}\" (see `bridger peers list`)")))?;
            let done = store.export_bundle(&ctx, peer.site_id, full, out)?;
            println!("wrote {} changes for {} to {} ({} bytes)", done.changes, done.to, done.path, done.bytes);
        }
        Command::Import { ref bundle, ref receipt_out, ref passphrase_file, json } => {
            let bytes = std::fs::read(bundle).map_err(|source| Error::Io { context: format!("cannot read {}", bundle.display()), source })?;
            let mut store = signed_in()?;
            let passphrase = passphrase_file.as_deref().map(|f| read_password(Some(f), "")).transpose()?;
            let done = store.import_bundle(&ctx, &bytes, passphrase.as_deref().map(|p| p.as_str()))?;
            if let Some(path) = receipt_out {
                store.write_receipt(&ctx, done.sender, path)?;
            }
            if json {
                print_json(&done);
            } else {
                println!(
                    "from {}: {} changes; {} new records, {} fields updated, {} already here, {} conflicts",
                    done.from, done.changes, done.new_records, done.updated_fields, done.already_present, done.conflicts
                );
                if done.nothing_new {
                    println!("nothing new: every change in this bundle is already here (it was imported before, or is older than what arrived since); nothing was changed");
                }
                for n in &done.not_applied {
                    println!("not applied: {n}");
                }
                if let Some(w) = &done.clock_warning {
                    println!("warning: {w}");
                }
            }
        }
        Command::Receipt { ref receipt } => {
            let bytes = std::fs::read(receipt).map_err(|source| Error::Io { context: format!("cannot read {}", receipt.display()), source })?;
            let from = signed_in()?.import_receipt(&ctx, &bytes)?;
            println!("{from} has what it acknowledged: the next bundle for it starts from there");
        }
        Command::Conflicts(cmd) => admin::conflicts(&mut signed_in()?, &ctx, cmd)?,
        Command::Site(cmd) => admin::site(&mut signed_in()?, &ctx, cmd)?,
        Command::Peers(cmd) => admin::peers(&mut signed_in()?, &ctx, cmd)?,
        Command::Backup => {
            let b = signed_in()?.backup(&ctx)?;
            println!("backed up to {} ({} bytes)", b.path, b.bytes);
        }
        Command::Restore { ref backup } => {
            let user = cli.user.as_deref().ok_or_else(need_user)?;
            let report = auth::restore(&files, &ctx, backup, user, &password()?)?;
            println!("restored {} from {}", files.db.display(), report.restored_from);
            if let Some(kept) = report.previous_kept_at {
                println!("the database as it was is kept at {kept}");
            }
        }
        Command::Recover { ref recovery_key_file, ref account, ref new_password_file } => {
            let typed = std::fs::read_to_string(recovery_key_file)
                .map_err(|source| Error::Io { context: format!("cannot read {}", recovery_key_file.display()), source })?;
            let key = auth::RecoveryKey::parse(&typed)?;
            let password = read_password(new_password_file.as_deref(), "new password: ")?;
            let store = auth::recover(&files, &ctx, &key, account, &password)?;
            println!("set a new password for {}; they are active again", store.session()?.username());
        }
        Command::Check { json } => {
            let report = signed_in()?.check()?;
            if json {
                print_json(&report);
            } else {
                println!("schema version {}", report.schema_version);
                match &report.site {
                    Some(site) => println!("site \"{}\" ({})", site.name, site.site_id),
                    None => println!("no site yet"),
                }
                println!("{} participants, {} journal entries, {} audit entries", report.participants, report.journal_entries, report.audit_entries);
                for p in &report.problems {
                    println!("problem: {p}");
                }
                println!("{}", if report.ok { "integrity: ok" } else { "integrity: FAILED" });
            }
            if !report.ok {
                return Err(Error::Io {
                    context: "the database failed its integrity check".into(),
                    source: std::io::Error::new(std::io::ErrorKind::InvalidData, "restore it from a backup"),
                });
            }
        }
    }
    Ok(())
}

fn need_user() -> Error {
    Error::field("user", "give --user NAME: the account to sign in as")
}

fn create(files: &SiteFiles, ctx: &WriteCtx, site: &str, admin: &FirstAdmin, password_file: Option<&Path>) -> Result<(Store, auth::RecoveryKey), Error> {
    let mut roles = vec![Role::Admin];
    for r in admin.also.iter().filter(|r| !r.trim().is_empty()) {
        roles.push(r.parse()?);
    }
    let password = match password_file {
        Some(_) => read_password(password_file, "")?,
        None => {
            let first = read_password(None, &format!("new password for {}: ", admin.admin))?;
            if *read_password(None, "the same password again: ")? != *first {
                return Err(Error::field("password", "the two passwords differ; nothing was created"));
            }
            first
        }
    };
    let setup = SiteSetup {
        site_name: site.to_string(),
        admin: NewAccount {
            username: admin.admin.clone(),
            display_name: admin.admin_name.clone().unwrap_or_else(|| admin.admin.clone()),
            password: password.to_string(),
            roles,
            scope: Scope::All,
        },
        facility: None,
    };
    auth::create(files, ctx, &setup, KdfParams::DEFAULT)
}

fn print_recovery_key(key: &auth::RecoveryKey) {
    println!("\nRECOVERY KEY (shown once; print it and lock it away):\n\n    {}\n", key.display());
    println!("It opens this database if every administrator password is lost: `bridger recover`.");
}

/// The password from a file (its first line) or asked for on the terminal without echo.
pub(crate) fn read_password(file: Option<&Path>, prompt: &str) -> Result<Zeroizing<String>, Error> {
    match file {
        Some(path) => {
            let text = Zeroizing::new(
                std::fs::read_to_string(path).map_err(|source| Error::Io { context: format!("cannot read the password file {}", path.display()), source })?,
            );
            Ok(Zeroizing::new(text.lines().next().unwrap_or("").to_string()))
        }
        None => rpassword::prompt_password(prompt).map(Zeroizing::new).map_err(|source| Error::Io {
            context: "no password: give --password-file FILE, or run this at a terminal to be asked".into(),
            source,
        }),
    }
}

pub(crate) fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("bridger: could not write JSON: {e}"),
    }
}

