//! Transfers between the program's facilities from the command line: ask for one, list those
//! from or to the account's facilities, answer one.

use crate::records::facility_among;
use crate::{print_json, say};
use bridger::model::{parse, ParticipantId, Transfer, TransferInput, TransferReply};
use bridger::{Error, Store, WriteCtx};
use clap::{ArgGroup, Subcommand};

#[derive(Subcommand)]
pub(crate) enum TransferCommand {
    /// Ask for a participant to move to another facility of the program. Nothing about them
    /// changes until the receiving facility accepts.
    Ask {
        /// The participant's id.
        participant: String,
        /// The receiving facility's code or name.
        #[arg(long)]
        to: String,
        /// Why the person moves, for the receiving facility.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// The transfers from or to your facilities: those waiting, then those answered in the
    /// last 30 days.
    List {
        /// One participant's transfers, every one.
        #[arg(long)]
        participant: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Accept (the receiving facility, once the person has arrived), decline (the receiving
    /// facility) or cancel (the sending facility) a transfer that waits.
    #[command(group(ArgGroup::new("answer").required(true).args(["accept", "decline", "cancel"])))]
    Answer {
        /// The transfer's id, as `transfers list` shows it.
        id: String,
        #[arg(long)]
        accept: bool,
        #[arg(long)]
        decline: bool,
        #[arg(long)]
        cancel: bool,
        /// The day the person arrived (accepting; today when left out).
        #[arg(long)]
        date: Option<String>,
        /// Why (declining or cancelling).
        #[arg(long, default_value = "")]
        note: String,
        /// The person's booking or DOC number here (accepting; their number is kept when left out).
        #[arg(long, default_value = "")]
        number: String,
        #[arg(long)]
        json: bool,
    },
}

fn show(t: &Transfer) {
    let answered = match (&t.answered_by, t.answered_on) {
        (Some(by), Some(on)) => format!(" by {by} on {on}"),
        _ => String::new(),
    };
    let delivered = match (&t.delivered_to, t.delivered_on) {
        (Some(to), Some(on)) if t.state.is_open() => format!(" (held at {to} since {on})"),
        _ => String::new(),
    };
    say!("{}  {} ({})  {} -> {}", t.id, t.name, t.facility_number, t.from_facility, t.to_facility);
    say!("  asked {} by {}: {}", t.requested_on, t.requested_by, t.reason);
    say!("  {}{answered}{delivered}", t.state.label());
    if let Some(note) = &t.answer_note {
        say!("  note: {note}");
    }
}

pub(crate) fn transfers(store: &mut Store, ctx: &WriteCtx, cmd: TransferCommand) -> Result<(), Error> {
    match cmd {
        TransferCommand::Ask { participant, to, reason, json } => {
            let to = facility_among(store.transfer_destinations()?, "to", &to)?;
            let asked = store.request_transfer(ctx, participant.parse::<ParticipantId>()?, &TransferInput { to_facility_id: to.id.to_string(), reason })?;
            if json {
                print_json(&asked);
            } else {
                show(&asked);
                say!("it travels in the next bundle to the receiving facility's site");
            }
        }
        TransferCommand::List { participant, json } => {
            let list = match participant {
                Some(p) => store.transfers_of(ctx, p.parse::<ParticipantId>()?)?,
                None => store.transfers(ctx)?,
            };
            if json {
                print_json(&list);
            } else if list.is_empty() {
                say!("no transfers");
            } else {
                list.iter().for_each(show);
            }
        }
        TransferCommand::Answer { id, accept, decline, cancel: _, date, note, number, json } => {
            let answer = if accept { "accepted" } else if decline { "declined" } else { "cancelled" };
            let reply = TransferReply { answer: answer.into(), date: date.unwrap_or_else(|| ctx.today.to_string()), note, number };
            let answered = store.answer_transfer(ctx, parse::record_id("transfer", &id)?, &reply)?;
            if json {
                print_json(&answered);
            } else {
                show(&answered);
            }
        }
    }
    Ok(())
}
