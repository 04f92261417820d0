//! Accounts, the audit trail and settings from the command line.

use crate::{english, print_json, print_recovery_key, read_password, say};
use bridger::auth::{DateOrder, Role, Scope, ScreenLanguage, TextSize};
use bridger::model::parse;
use bridger::model::{FollowUpRule, Schedule};
use bridger::store::{AccountChange, AuditFilter, KeyChange, NewAccount, PeerKind, Settings};
use bridger::{Error, Store, WriteCtx};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum AccountCommand {
    /// List accounts with their roles and facilities.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Create an account; its first password is temporary and must be changed at first sign-in.
    Add {
        username: String,
        /// The name shown for the account.
        #[arg(long)]
        name: String,
        /// Comma-separated: admin, coordinator, peer_specialist, reentry_staff, auditor.
        #[arg(long, value_delimiter = ',', required = true)]
        roles: Vec<String>,
        /// Facility codes or names, comma-separated, or "all".
        #[arg(long, default_value = "all")]
        facilities: String,
        /// A file holding the temporary password; without it, it is asked for.
        #[arg(long, value_name = "FILE")]
        new_password_file: Option<PathBuf>,
    },
    /// Change an account's name, roles or facilities.
    Change {
        username: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_delimiter = ',')]
        roles: Option<Vec<String>>,
        #[arg(long)]
        facilities: Option<String>,
    },
    /// Deactivate an account: its password no longer opens the database.
    Deactivate { username: String },
    /// Set a temporary password (and make the account active again).
    ResetPassword {
        username: String,
        #[arg(long, value_name = "FILE")]
        new_password_file: Option<PathBuf>,
    },
    /// Change your own password.
    Passwd {
        #[arg(long, value_name = "FILE")]
        new_password_file: Option<PathBuf>,
    },
    /// Your own screen language, how you type dates and the size of the text; without options,
    /// shows them.
    Preferences {
        /// en or es.
        #[arg(long)]
        language: Option<String>,
        /// mdy (7/4/1991 is 4 July) or dmy (7/4/1991 is 7 April).
        #[arg(long)]
        date_order: Option<String>,
        /// The screens' text size in percent: 100, 125, 150, 175 or 200.
        #[arg(long)]
        text_size: Option<u16>,
    },
    /// Change the database key now, so that no copy of the key file made before opens it.
    RotateKey,
}

#[derive(Args)]
pub(crate) struct AuditFilterArgs {
    /// Only this user's entries.
    #[arg(long)]
    person: Option<String>,
    /// Only entries about this participant (id).
    #[arg(long)]
    participant: Option<String>,
    /// From this day, YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// To this day, YYYY-MM-DD.
    #[arg(long)]
    to: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Check the hash chain; names every entry changed, removed or out of order, every account
    /// the trail does not account for, and every rewrite another site found.
    Verify {
        /// Also check a head written down earlier with `audit anchor`, such as "1234 ABCD-EFGH-JKLM-NPQR".
        #[arg(long)]
        anchor: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print the trail's head in a few characters, to write in a paper log.
    Anchor,
    /// List entries, newest first.
    List {
        #[command(flatten)]
        filter: AuditFilterArgs,
        #[arg(long, default_value_t = 50)]
        limit: u64,
        #[arg(long)]
        json: bool,
    },
    /// Write entries to a CSV file, oldest first.
    Export {
        #[command(flatten)]
        filter: AuditFilterArgs,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum SiteCommand {
    /// Write this site's card (public keys only) and print its fingerprint to read aloud.
    Card {
        /// Where to write the card; without it, the card is printed.
        #[arg(short = 'o', long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub(crate) enum PeerCommand {
    /// The trusted sites.
    List,
    /// Trust a site from its card, after comparing fingerprints with someone at that site.
    Add {
        /// The site's card file.
        card: PathBuf,
        /// The fingerprint as the other site read it to you.
        #[arg(long)]
        fingerprint: String,
        /// The site is a community partner: it receives hand-offs only.
        #[arg(long)]
        partner: bool,
    },
    /// Stop trusting a site: its bundles and receipts are refused from now on.
    Remove {
        /// The site: its name, id or fingerprint.
        site: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum ConflictCommand {
    /// The conflicts not yet resolved, with both values, where and when each was written.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Keep the value shown (`shown`) or the other one (`other`) for conflict ID.
    Resolve {
        id: i64,
        #[arg(long, value_parser = ["shown", "other"])]
        keep: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum SettingsCommand {
    Show,
    Set {
        #[arg(long)]
        idle_lock_minutes: Option<u32>,
        #[arg(long)]
        backups_kept: Option<u32>,
        #[arg(long)]
        roll_call_window_days: Option<u32>,
        /// The largest bundle an import reads, in MB.
        #[arg(long)]
        bundle_limit_mb: Option<u32>,
        /// The first check-in is due this many days after admission.
        #[arg(long)]
        checkin_baseline_days: Option<u32>,
        /// Then one every this many days.
        #[arg(long)]
        checkin_every_days: Option<u32>,
        /// And one in the last this many days before release.
        #[arg(long)]
        checkin_before_release_days: Option<u32>,
        /// A person on a caseload is due for a contact after this many days without one.
        #[arg(long)]
        contact_days: Option<u32>,
        /// The follow-up interviews the grant asks for: gpra or suprt.
        #[arg(long)]
        follow_up_rule: Option<String>,
    },
}

fn roles(typed: &[String]) -> Result<Vec<Role>, Error> {
    typed.iter().filter(|r| !r.trim().is_empty()).map(|r| r.parse()).collect()
}

fn scope(store: &Store, typed: &str) -> Result<Scope, Error> {
    if typed.trim().eq_ignore_ascii_case("all") {
        return Ok(Scope::All);
    }
    let ids = typed.split(',').filter(|t| !t.trim().is_empty()).map(|t| crate::records::facility_by_name(store, t).map(|f| f.id)).collect::<Result<_, _>>()?;
    Ok(Scope::Facilities(ids))
}

pub(crate) fn accounts(store: &mut Store, ctx: &WriteCtx, cmd: AccountCommand, current: &str) -> Result<(), Error> {
    match cmd {
        AccountCommand::List { json } => {
            let list = store.accounts()?;
            if json {
                print_json(&list);
            } else {
                let facilities = store.facilities()?;
                let code = |id: &bridger::model::FacilityId| facilities.iter().find(|f| f.id == *id).map_or_else(|| id.to_string(), |f| f.code.clone());
                for a in list {
                    let roles = a.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",");
                    let scope = match &a.scope {
                        Scope::All => "all facilities".to_string(),
                        Scope::Facilities(ids) => ids.iter().map(code).collect::<Vec<_>>().join(","),
                    };
                    let state = if a.active { "" } else { "  (deactivated)" };
                    say!("{}  {}  {roles}  {scope}{state}", a.username, a.display_name);
                }
            }
        }
        AccountCommand::Add { username, name, roles: typed_roles, facilities, new_password_file } => {
            let scope = scope(store, &facilities)?;
            let password = read_password(new_password_file.as_deref(), &format!("temporary password for {username}: "))?;
            let new = NewAccount { username, display_name: name, password, roles: roles(&typed_roles)?, scope };
            let a = store.create_account(ctx, &new)?;
            say!("created {} ({}); they choose their own password at first sign-in", a.username, a.display_name);
        }
        AccountCommand::Change { username, name, roles: typed_roles, facilities } => {
            let current = store.accounts()?.into_iter().find(|a| a.username == username.trim().to_lowercase()).ok_or_else(|| Error::NotFound { what: "account", id: username.clone() })?;
            let change = AccountChange {
                display_name: name.unwrap_or(current.display_name),
                roles: match typed_roles {
                    Some(r) => roles(&r)?,
                    None => current.roles,
                },
                scope: match facilities {
                    Some(f) => scope(store, &f)?,
                    None => current.scope,
                },
            };
            let saved = store.update_account(ctx, &username, &change)?;
            say!("changed {}", saved.account.username);
            print_key_change(saved.key_change.as_ref());
        }
        AccountCommand::Deactivate { username } => {
            let saved = store.deactivate_account(ctx, &username)?;
            say!("deactivated {}; a password reset makes the account active again", saved.account.username);
            print_key_change(saved.key_change.as_ref());
        }
        AccountCommand::RotateKey => print_key_change(Some(&store.rotate_database_key(ctx)?)),
        AccountCommand::ResetPassword { username, new_password_file } => {
            let password = read_password(new_password_file.as_deref(), &format!("temporary password for {username}: "))?;
            store.reset_password(ctx, &username, password.as_str())?;
            say!("set a temporary password for {username}; they choose their own at next sign-in");
        }
        AccountCommand::Passwd { new_password_file } => {
            let password = read_password(new_password_file.as_deref(), "new password: ")?;
            store.change_password(ctx, current, password.as_str())?;
            say!("your password is changed");
        }
        AccountCommand::Preferences { language, date_order, text_size } => {
            let mut chosen = store.session()?.preferences();
            if let Some(typed) = language {
                chosen.language = ScreenLanguage::parse(&typed).ok_or_else(|| Error::field("language", english(format!("\"{typed}\" is not a language of the screens: en or es"))))?;
            }
            if let Some(typed) = date_order {
                chosen.date_order = DateOrder::parse(&typed).ok_or_else(|| Error::field("date_order", english(format!("\"{typed}\" is not a date order: mdy or dmy"))))?;
            }
            if let Some(percent) = text_size {
                chosen.text_size = TextSize::parse(percent).ok_or_else(|| Error::field("text_size", english(format!("{percent} is not a text size: 100, 125, 150, 175 or 200"))))?;
            }
            if chosen != store.session()?.preferences() {
                store.set_preferences(ctx, chosen)?;
            }
            say!("{}", chosen.describe());
        }
    }
    Ok(())
}

/// What the database key's change meant, when one was made.
fn print_key_change(change: Option<&KeyChange>) {
    let Some(change) = change else { return };
    say!("the database key was changed: copies of the key file made before no longer open the database");
    if !change.needs_password_reset.is_empty() {
        say!("these accounts need a password reset before they can sign in: {}", change.needs_password_reset.join(", "));
    }
    if let Some(key) = &change.new_recovery_key {
        print_recovery_key(key);
    }
}

fn audit_filter(args: AuditFilterArgs) -> Result<AuditFilter, Error> {
    Ok(AuditFilter {
        actor: args.person,
        participant: args.participant.map(|p| p.parse()).transpose()?,
        from: parse::optional_date("from", args.from.as_deref())?,
        to: parse::optional_date("to", args.to.as_deref())?,
    })
}

pub(crate) fn audit(store: &mut Store, ctx: &WriteCtx, cmd: AuditCommand) -> Result<(), Error> {
    match cmd {
        AuditCommand::Verify { anchor, json } => {
            let report = store.audit_verify()?;
            if json {
                print_json(&report);
            } else if report.ok {
                say!("the audit trail is whole: {} entries, none changed, removed or out of order", report.entries);
            } else {
                for p in &report.problems {
                    say!("problem: {p}");
                }
            }
            if !report.ok {
                return Err(Error::Tampered(english(format!("{} problem(s) found", report.problems.len()))));
            }
            if let Some(written) = anchor {
                let found = store.audit_check_anchor(&written)?;
                say!("the trail still holds entry {} as it was when the anchor was written", found.seq);
            }
        }
        AuditCommand::Anchor => {
            let anchor = store.audit_anchor()?;
            say!("{anchor}");
            say!("write this in the paper log with today's date; `bridger audit verify --anchor \"{anchor}\"` checks it later");
        }
        AuditCommand::List { filter, limit, json } => {
            let page = store.audit_page(&audit_filter(filter)?, 0, limit)?;
            if json {
                print_json(&page);
            } else {
                for e in &page.entries {
                    let when = chrono::DateTime::from_timestamp_millis(e.at_ms).map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default();
                    let about = e.participant_name.clone().or_else(|| e.table.clone()).unwrap_or_default();
                    say!("{:>6}  {when}  {}@{}  {}  {about}  {}", e.seq, e.actor, e.workstation, e.action, e.detail);
                }
                say!("{} of {} shown", page.entries.len(), page.total);
            }
        }
        AuditCommand::Export { filter, out } => {
            let n = store.audit_export(ctx, &audit_filter(filter)?, &out)?;
            say!("wrote {n} entries to {}", out.display());
        }
    }
    Ok(())
}

pub(crate) fn settings(store: &mut Store, ctx: &WriteCtx, cmd: SettingsCommand) -> Result<(), Error> {
    let current = store.settings()?;
    let shown = match cmd {
        SettingsCommand::Show => current,
        SettingsCommand::Set {
            idle_lock_minutes,
            backups_kept,
            roll_call_window_days,
            bundle_limit_mb,
            checkin_baseline_days,
            checkin_every_days,
            checkin_before_release_days,
            contact_days,
            follow_up_rule,
        } => store.set_settings(
            ctx,
            &Settings {
                idle_lock_minutes: idle_lock_minutes.unwrap_or(current.idle_lock_minutes),
                backups_kept: backups_kept.unwrap_or(current.backups_kept),
                roll_call_window_days: roll_call_window_days.unwrap_or(current.roll_call_window_days),
                bundle_limit_mb: bundle_limit_mb.unwrap_or(current.bundle_limit_mb),
                schedule: Schedule {
                    baseline_days: checkin_baseline_days.unwrap_or(current.schedule.baseline_days),
                    every_days: checkin_every_days.unwrap_or(current.schedule.every_days),
                    before_release_days: checkin_before_release_days.unwrap_or(current.schedule.before_release_days),
                    contact_days: contact_days.unwrap_or(current.schedule.contact_days),
                },
                follow_up_rule: match follow_up_rule {
                    None => current.follow_up_rule,
                    Some(typed) => FollowUpRule::parse(&typed).ok_or_else(|| Error::field("follow_up_rule", english("the follow-up rule is gpra or suprt")))?,
                },
            },
        )?,
    };
    say!(
        "idle lock after {} minutes; {} backups kept; roll call more than {} days late needs a reason; bundles up to {} MB",
        shown.idle_lock_minutes, shown.backups_kept, shown.roll_call_window_days, shown.bundle_limit_mb
    );
    let s = shown.schedule;
    say!(
        "check-ins due {} days after admission, then every {} days, and in the last {} days before release; a contact is due after {} days",
        s.baseline_days, s.every_days, s.before_release_days, s.contact_days
    );
    say!("follow-up interviews: {}", shown.follow_up_rule.label());
    Ok(())
}

pub(crate) fn site(store: &mut Store, ctx: &WriteCtx, cmd: SiteCommand) -> Result<(), Error> {
    match cmd {
        SiteCommand::Card { out } => {
            let card = match &out {
                Some(path) => {
                    let card = store.save_site_card(ctx, path)?;
                    say!("wrote the card of \"{}\" to {}", card.name, path.display());
                    card
                }
                None => {
                    let card = store.site_card(ctx)?;
                    say!("{}", card.to_json());
                    card
                }
            };
            say!("fingerprint to read aloud: {}", card.fingerprint);
        }
    }
    Ok(())
}

pub(crate) fn peers(store: &mut Store, ctx: &WriteCtx, cmd: PeerCommand) -> Result<(), Error> {
    match cmd {
        PeerCommand::List => {
            for p in store.peers()? {
                let kind = if p.kind == PeerKind::Partner { "community partner" } else { "program site" };
                say!("{}  {}  {}  {kind}  added by {}", p.fingerprint, p.name, p.site_id, p.added_by);
            }
        }
        PeerCommand::Add { card, fingerprint, partner } => {
            let kind = if partner { PeerKind::Partner } else { PeerKind::ProgramSite };
            let peer = store.trust_peer(ctx, &bridger::sync::SiteCard::read(&card)?, &fingerprint, kind)?;
            say!("now trusting {} ({})", peer.name, peer.fingerprint);
        }
        PeerCommand::Remove { site } => {
            let peer = store.find_peer(&site)?;
            store.remove_peer(ctx, peer.site_id)?;
            say!("{} is no longer trusted: its bundles and receipts are refused from now on", peer.name);
        }
    }
    Ok(())
}

pub(crate) fn conflicts(store: &mut Store, ctx: &WriteCtx, cmd: ConflictCommand) -> Result<(), Error> {
    match cmd {
        ConflictCommand::List { json } => {
            let list = store.conflicts()?;
            if json {
                print_json(&list);
            } else {
                let when = |ms: u64| chrono::DateTime::from_timestamp_millis(i64::try_from(ms).unwrap_or(0)).map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
                for c in &list {
                    say!(
                        "{}  {} {} {}: shown {} ({} {}); other {} ({} {})",
                        c.id,
                        c.table,
                        c.record_name.as_deref().unwrap_or(&c.record_id),
                        c.field,
                        c.winner_value,
                        c.winner_site,
                        when(c.winner_at_ms),
                        c.loser_value,
                        c.loser_site,
                        when(c.loser_at_ms)
                    );
                }
                say!("{} conflicts to review", list.len());
            }
        }
        ConflictCommand::Resolve { id, keep } => {
            let keep = if keep == "other" { bridger::store::Keep::Other } else { bridger::store::Keep::Shown };
            store.resolve_conflict(ctx, id, keep)?;
            say!("conflict {id} resolved");
        }
    }
    Ok(())
}
