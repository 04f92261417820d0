//! `bridger contacts` and `bridger checkins`: peer work from the command line, for scripted
//! entry. The same core checks as the app: the role, the facility, and every field.

use crate::{english, print_json, say};
use bridger::model::{CheckInInput, ContactInput, Note, ParticipantId};
use bridger::{Error, Store, WriteCtx};
use clap::{Args, Subcommand};
use std::collections::BTreeMap;

#[derive(Subcommand)]
pub(crate) enum ContactCommand {
    /// Log a one-on-one contact.
    Add(Box<ContactArgs>),
    /// The staff directory of your facilities, with the ids --peer takes.
    Peers {
        #[arg(long)]
        json: bool,
    },
    /// A participant's contacts, newest first (notes as far as your role reads them).
    List {
        participant: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(crate) struct ContactArgs {
    #[arg(long)]
    participant: String,
    /// The peer who gave it: a staff directory id.
    #[arg(long)]
    peer: String,
    /// YYYY-MM-DD; today without it.
    #[arg(long)]
    date: Option<String>,
    /// HH:MM.
    #[arg(long)]
    start: String,
    #[arg(long)]
    minutes: i64,
    /// housing_unit, program_room, visit_booth, phone_video or community.
    #[arg(long)]
    setting: String,
    /// brief_check_in, planned_session, crisis_support, care_coordination or follow_up_after_release.
    #[arg(long)]
    kind: String,
    /// Types of support, comma-separated: emotional, informational, instrumental, affiliational.
    #[arg(long, value_delimiter = ',')]
    support: Vec<String>,
    /// Recovery dimensions, comma-separated: health, home, purpose, community.
    #[arg(long, value_delimiter = ',')]
    dimensions: Vec<String>,
    /// 0 to 5; without it, derived from custody and the release date.
    #[arg(long)]
    intercept: Option<String>,
    #[arg(long, default_value = "")]
    note: String,
    /// Hide the note from roles that do not need it.
    #[arg(long)]
    sensitive: bool,
    /// YYYY-MM-DD.
    #[arg(long)]
    follow_up: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum CheckInCommand {
    /// Record a check-in: every item's answer as ITEM=VALUE, comma-separated.
    Add {
        #[arg(long)]
        participant: String,
        /// Who asked: a staff directory id.
        #[arg(long)]
        peer: String,
        /// An instrument's id (see `checkins instruments`); the built-in check-in without it.
        #[arg(long)]
        instrument: Option<String>,
        #[arg(long)]
        date: Option<String>,
        /// en or es.
        #[arg(long, default_value = "en")]
        language: String,
        #[arg(long, value_delimiter = ',')]
        answers: Vec<String>,
    },
    /// A participant's check-ins, oldest first, and when the next is due.
    List {
        participant: String,
        #[arg(long)]
        json: bool,
    },
    /// The instruments here: id, key, name, version, items, totals and languages.
    Instruments {
        #[arg(long)]
        json: bool,
    },
    /// Load an instrument from its definition file.
    Load { file: std::path::PathBuf },
}

/// The answers as typed, ITEM=VALUE each; an item answered twice is refused rather than
/// letting one answer silently replace the other.
fn answers(typed: &[String]) -> Result<BTreeMap<String, i64>, Error> {
    let mut answers = BTreeMap::new();
    for a in typed.iter().filter(|a| !a.trim().is_empty()) {
        let (item, value) = a.split_once('=').ok_or_else(|| Error::field("answers", english(format!("\"{}\" is not ITEM=VALUE", bridger::text::clean_line(a)))))?;
        let item = bridger::text::clean_line(item.trim());
        let value = value.trim().parse::<i64>().map_err(|_| Error::field("answers", english(format!("the answer to {item} is not a whole number"))))?;
        if answers.insert(item.clone(), value).is_some() {
            return Err(Error::field("answers", english(format!("{item} is answered twice"))));
        }
    }
    Ok(answers)
}

pub(crate) fn contacts(store: &mut Store, ctx: &WriteCtx, cmd: ContactCommand) -> Result<(), Error> {
    match cmd {
        ContactCommand::Add(a) => {
            let input = ContactInput {
                participant_id: a.participant,
                staff_id: a.peer,
                date: a.date.unwrap_or_else(|| ctx.today.to_string()),
                start_time: a.start,
                minutes: a.minutes,
                setting: a.setting,
                kind: a.kind,
                support_types: a.support,
                dimensions: a.dimensions,
                intercept: a.intercept.unwrap_or_default(),
                note: a.note,
                sensitive: a.sensitive,
                follow_up_on: a.follow_up.unwrap_or_default(),
            };
            let c = store.save_contact(ctx, None, &input)?;
            say!("logged a {} of {} minutes ({} billing units) with {} on {} (intercept {}): {}", c.kind.label().to_lowercase(), c.minutes, c.units, c.participant_name, c.date, c.intercept.as_str(), c.id);
        }
        ContactCommand::Peers { json } => {
            let peers = store.caseload_peers()?;
            if json {
                print_json(&peers);
            }
            for p in peers.iter().filter(|_| !json) {
                say!("{}  {}{}", p.id, p.name, p.username.as_deref().map(|u| format!(" (account {u})")).unwrap_or_default());
            }
        }
        ContactCommand::List { participant, json } => {
            let id: ParticipantId = participant.parse()?;
            let list = store.contacts(ctx, id)?;
            if json {
                print_json(&list);
                return Ok(());
            }
            for c in &list {
                let note = match &c.note {
                    Note::None => String::new(),
                    Note::Text(t) => t.clone(),
                    Note::Sensitive => "(sensitive note: open it in the app)".into(),
                    Note::Withheld => "(a note your role does not read)".into(),
                };
                say!("{} {}  {:<24} {:>3} min {} units  {:<20} {}", c.date, c.start_time, c.kind.label(), c.minutes, c.units, c.staff_name, note);
            }
            say!("{} contacts", list.len());
        }
    }
    Ok(())
}

pub(crate) fn checkins(store: &mut Store, ctx: &WriteCtx, cmd: CheckInCommand) -> Result<(), Error> {
    match cmd {
        CheckInCommand::Add { participant, peer, instrument, date, language, answers: typed } => {
            let input = CheckInInput {
                participant_id: participant,
                instrument_id: instrument.unwrap_or_default(),
                date: date.unwrap_or_else(|| ctx.today.to_string()),
                language,
                staff_id: peer,
                answers: answers(&typed)?,
            };
            let c = store.record_check_in(ctx, &input)?;
            say!("recorded a check-in ({}) on {}: total {}{}", c.instrument_name, c.date, c.total, c.band.map(|b| format!(", {b}")).unwrap_or_default());
        }
        CheckInCommand::List { participant, json } => {
            let history = store.check_ins(ctx, participant.parse()?)?;
            if json {
                print_json(&history.check_ins);
                return Ok(());
            }
            for c in &history.check_ins {
                let subscales: Vec<String> = c.subscales.iter().map(|(s, v)| format!("{s} {v}")).collect();
                say!("{}  {:<36} {:>4}  {:<12} {}", c.date, c.instrument_name, c.total, c.band.as_deref().unwrap_or(""), subscales.join(", "));
            }
            match history.next_due {
                Some(due) => say!("next check-in due {} ({:?})", due.on, due.reason),
                None => say!("no check-in is due (not in custody)"),
            }
        }
        CheckInCommand::Instruments { json } => {
            let all = store.instruments()?;
            if json {
                print_json(&all);
                return Ok(());
            }
            for i in &all {
                let (low, high) = i.definition.total_range();
                let line = i.definition.scoring.cutoff.map(|c| format!(", line at {c}")).unwrap_or_default();
                let d = &i.definition;
                say!("{}  {} ({} v{}): {} items, {low} to {high}{line}; {}", i.id, d.display_name("en"), d.key, d.version, d.items.len(), d.languages.join("/"));
            }
        }
        CheckInCommand::Load { file } => {
            let i = store.load_instrument_file(ctx, &file)?;
            say!("loaded {} version {}: {}", i.definition.display_name("en"), i.definition.version, i.id);
        }
    }
    Ok(())
}
