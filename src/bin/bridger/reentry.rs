//! `bridger reentry`: the release pipeline, a plan, and the release packet as a PDF.

use crate::{print_json, say};
use bridger::model::ParticipantId;
use bridger::reports::Language;
use bridger::{Error, Store, WriteCtx};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum ReentryCommand {
    /// Everyone with a release date, by window, with plan progress and what is missing now.
    Pipeline {
        #[arg(long)]
        json: bool,
    },
    /// One participant's plan.
    Plan {
        participant: String,
        /// Start the plan from the template first (harmless if already started).
        #[arg(long)]
        start: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write the release packet as a PDF.
    Packet {
        participant: String,
        #[arg(short, long)]
        out: PathBuf,
        /// english or spanish; without it, the language on the participant's record.
        #[arg(long)]
        language: Option<String>,
    },
}

pub(crate) fn reentry(store: &mut Store, ctx: &WriteCtx, cmd: ReentryCommand) -> Result<(), Error> {
    match cmd {
        ReentryCommand::Pipeline { json } => {
            let rows = store.release_pipeline(ctx.today)?;
            if json {
                print_json(&rows);
            }
            for r in rows.iter().filter(|_| !json) {
                let flag = if r.high_risk { "  HIGH RISK: no community appointment confirmed" } else { "" };
                let progress = if r.started { format!("{}/{}", r.progress.settled, r.progress.total) } else { "not started".into() };
                say!("{}  {:<32} {:<10} {:<22} {progress}{flag}", r.release, r.legal_name, r.facility_number, r.window.label());
                if !r.missing.is_empty() {
                    say!("            missing now: {}", r.missing.join("; "));
                }
            }
        }
        ReentryCommand::Plan { participant, start, json } => {
            let id: ParticipantId = participant.parse()?;
            let plan = if start { store.start_plan(ctx, id)? } else { store.plan(ctx, id)? };
            if json {
                print_json(&plan);
            } else {
                say!("{}: {} of {} items settled", plan.legal_name, plan.progress.settled, plan.progress.total);
                for i in &plan.items {
                    say!("  [{}] {} — {}", i.item.status.as_str(), i.item.area.label(), i.item.title);
                }
                for a in &plan.appointments {
                    say!("  appointment {} {} {}", a.details.date, a.details.time.as_deref().unwrap_or(""), a.details.provider);
                }
            }
        }
        ReentryCommand::Packet { participant, out, language } => {
            let id: ParticipantId = participant.parse()?;
            let language = Language::choose(language.as_deref())?;
            store.save_release_packet(ctx, id, language, &out)?;
            say!("wrote the release packet to {}", out.display());
        }
    }
    Ok(())
}
