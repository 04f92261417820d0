//! Rosters from the jail's system on the command line: a preview that writes nothing, then
//! `--apply`; the facility's people written back out as a roster file.

use crate::records::facility_by_name;
use crate::{english, print_json, say};
use bridger::roster::compare::{booking_key, Change, Comparison};
use bridger::roster::{Decisions, Mapping, Refusal, ReturnDecision};
use bridger::store::{RosterApplied, RosterPreview, RosterRequest};
use bridger::{Error, Store, WriteCtx};
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum RosterCommand {
    /// Compare a roster file (CSV or XLSX) with the facility's records and print what would
    /// change; nothing is written without --apply.
    Import {
        file: PathBuf,
        /// The system the file comes from, such as "Jail system": its mapping is saved under
        /// this name and used for its next files.
        #[arg(long)]
        source: String,
        /// Facility code or name.
        #[arg(long)]
        facility: String,
        /// A mapping (JSON, as `bridger roster columns --json` prints it) for a source's first
        /// file, or one whose columns changed.
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// Apply the preview: all of it in one transaction, or nothing.
        #[arg(long)]
        apply: bool,
        /// With --apply: the plan a preview printed. The file is applied only if it and the
        /// records still give that preview, so what was read is what is written.
        #[arg(long, value_name = "PLAN", requires = "apply")]
        plan: Option<String>,
        /// With --apply: confirm the release of the person with this booking, missing from the
        /// roster (repeat for each, or --release-all).
        #[arg(long, value_name = "BOOKING", requires = "apply")]
        release: Vec<String>,
        /// With --apply: confirm every proposed release.
        #[arg(long, requires = "apply")]
        release_all: bool,
        /// With --apply: this new booking is the person kept under an earlier one (when the
        /// roster matched exactly one).
        #[arg(long = "return", value_name = "BOOKING", requires = "apply")]
        returning: Vec<String>,
        /// With --apply: this new booking is someone new, though a kept person shares the name
        /// and birth date.
        #[arg(long, value_name = "BOOKING", requires = "apply")]
        new_person: Vec<String>,
        /// Counts and refusals as JSON, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// A roster file's columns and the mapping its source would read it through.
    Columns {
        file: PathBuf,
        #[arg(long)]
        source: String,
        #[arg(long)]
        facility: String,
        /// The mapping alone, as JSON to edit and give back with --mapping.
        #[arg(long)]
        json: bool,
    },
    /// Write the facility's people in custody as a roster file that the import reads back.
    Export {
        #[arg(long)]
        facility: String,
        #[arg(short = 'o', long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// What `--json` prints: counts, and each refusal with its row, column and reason.
#[derive(Serialize)]
struct Summary<'a> {
    file: &'a str,
    digest: &'a str,
    plan: &'a str,
    people: usize,
    new: usize,
    changed: usize,
    unchanged: usize,
    /// Rows refused; `refusals` may name several reasons for one row.
    refused: usize,
    releases_proposed: usize,
    returns_proposed: usize,
    refusals: &'a [Refusal],
    applied: Option<&'a RosterApplied>,
}

/// A mapping file: a file (not a pipe or a device), small, and JSON of a mapping. The message
/// never repeats the file's contents.
fn read_mapping(path: &std::path::Path) -> Result<Mapping, Error> {
    const MAX: u64 = 256 * 1024;
    let cannot = |source| Error::Io { context: english(format!("cannot read the mapping {}", path.display())), source };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() || meta.len() > MAX {
        return Err(Error::field("mapping", english(format!("{} is not a mapping file: give the JSON `bridger roster columns --json` prints", path.display()))));
    }
    let text = std::fs::read_to_string(path).map_err(cannot)?;
    serde_json::from_str(&text).map_err(|e| Error::field("mapping", english(format!("{} is not a mapping (line {}, column {})", path.display(), e.line(), e.column()))))
}

fn shown(value: Option<&String>) -> &str {
    value.map_or("(none)", String::as_str)
}

fn change_words(c: &Change) -> String {
    match (&c.from, &c.to) {
        (None, None) => c.field.label().to_lowercase(),
        _ => format!("{} {} → {}", c.field.label().to_lowercase(), shown(c.from.as_ref()), shown(c.to.as_ref())),
    }
}

fn print_preview(p: &RosterPreview, mapping_given: bool) {
    let c: &Comparison = &p.comparison;
    say!(
        "{} ({}, sha256 {}): {} people; {} new, {} changed, {} unchanged, {} rows refused",
        p.file_name,
        p.kind,
        p.digest,
        p.people,
        c.new.len(),
        c.changed.len(),
        c.unchanged,
        p.refused_rows
    );
    if mapping_given {
        say!("mapping: as --mapping gives it (saved for {} once applied)", p.source);
    } else if !p.saved {
        say!("mapping: proposed from the file's headers (saved for {} once applied)", p.source);
    }
    for n in &c.new {
        say!("new: {} {} ({} {})", n.entry.booking, n.entry.legal_name, shown(n.entry.unit.as_ref()), shown(n.entry.cell.as_ref()));
    }
    for ch in &c.changed {
        say!("{}: {} {}: {}", if ch.moved { "moved" } else { "changed" }, ch.entry.booking, ch.entry.legal_name, ch.changes.iter().map(change_words).collect::<Vec<_>>().join("; "));
    }
    for r in &c.releases {
        say!("release? {} {}: not on this roster (--release {})", r.booking, r.legal_name, r.booking);
    }
    for r in &c.returns {
        for k in &r.candidates {
            say!(
                "return? {} {}: the same name and birth date as {} under {} at {} ({} {}) (--return {} or --new-person {})",
                r.entry.booking,
                r.entry.legal_name,
                k.legal_name,
                k.booking,
                k.facility_name,
                k.status.label().to_lowercase(),
                k.status_date,
                r.entry.booking,
                r.entry.booking
            );
        }
    }
    for r in &c.refused {
        let column = if r.column.is_empty() { String::new() } else { format!(", {}", r.column) };
        say!("refused: row {}{column}: {}", r.row, r.reason);
    }
    if !c.new_units.is_empty() {
        say!("new housing units: {}", c.new_units.join(", "));
    }
    say!("plan {}", p.plan);
}

fn decisions(p: &RosterPreview, release: &[String], release_all: bool, returning: &[String], new_person: &[String]) -> Result<Decisions, Error> {
    let c = &p.comparison;
    let same = |a: &str, b: &str| booking_key(a) == booking_key(b);
    if let Some(b) = returning.iter().find(|b| new_person.iter().any(|n| same(b, n))) {
        return Err(Error::field("return", english(format!("booking {b} is given to both --return and --new-person: choose one"))));
    }
    let mut d = Decisions::default();
    if let Some(b) = release.iter().find(|b| !c.releases.iter().any(|r| same(b, &r.booking))) {
        return Err(Error::field("release", english(format!("booking {b} is not among the releases this roster proposes"))));
    }
    for b in returning {
        let r = c.returns.iter().find(|r| same(b, &r.entry.booking)).ok_or_else(|| Error::field("return", english(format!("booking {b} is not among this roster's possible returns"))))?;
        let [only] = r.candidates.as_slice() else {
            return Err(Error::field("return", english(format!("booking {b} matches {} people: decide in the app, where each is shown", r.candidates.len()))));
        };
        d.returns.push(ReturnDecision { booking: r.entry.booking.clone(), same_as: Some(only.participant) });
    }
    for b in new_person {
        let r = c.returns.iter().find(|r| same(b, &r.entry.booking)).ok_or_else(|| Error::field("new_person", english(format!("booking {b} is not among this roster's possible returns"))))?;
        d.returns.push(ReturnDecision { booking: r.entry.booking.clone(), same_as: None });
    }
    // Someone back under a new booking is missing under the old one, and is not released.
    let returned: Vec<_> = d.returns.iter().filter_map(|r| r.same_as).collect();
    for r in &c.releases {
        let named = release.iter().any(|b| same(b, &r.booking));
        if named && returned.contains(&r.participant) {
            return Err(Error::field("release", english(format!("{} is given to --release and is back under a new booking with --return: choose one", r.booking))));
        }
        if named || (release_all && !returned.contains(&r.participant)) {
            d.releases.push(r.participant);
        }
    }
    Ok(d)
}

pub(crate) fn roster(store: &mut Store, ctx: &WriteCtx, cmd: RosterCommand) -> Result<(), Error> {
    match cmd {
        RosterCommand::Import { file, source, facility, mapping, apply, plan, release, release_all, returning, new_person, json } => {
            let facility = facility_by_name(store, &facility)?.id;
            let given = mapping.is_some();
            let mapping = mapping.as_deref().map(read_mapping).transpose()?;
            let request = RosterRequest { facility, source: &source, path: &file, mapping: mapping.as_ref() };
            let preview = store.preview_roster(ctx, &request)?;
            let applied = if apply {
                let deciding = release_all || !release.is_empty() || !returning.is_empty() || !new_person.is_empty();
                if deciding && plan.is_none() {
                    return Err(Error::field("plan", english(format!("releases and returns are confirmed against a preview you have read: add --plan {} (the plan the preview printed)", preview.plan))));
                }
                let decided = decisions(&preview, &release, release_all, &returning, &new_person)?;
                Some(store.apply_roster(ctx, &request, plan.as_deref().unwrap_or(&preview.plan), &decided)?)
            } else {
                None
            };
            let c = &preview.comparison;
            if json {
                print_json(&Summary {
                    file: &preview.file_name,
                    digest: &preview.digest,
                    plan: &preview.plan,
                    people: preview.people,
                    new: c.new.len(),
                    changed: c.changed.len(),
                    unchanged: c.unchanged,
                    refused: preview.refused_rows,
                    releases_proposed: c.releases.len(),
                    returns_proposed: c.returns.len(),
                    refusals: &c.refused,
                    applied: applied.as_ref(),
                });
                return Ok(());
            }
            print_preview(&preview, given);
            match applied {
                None => say!("nothing written: add --apply --plan {} to apply this preview", preview.plan),
                Some(done) if done.nothing_new && c.releases.is_empty() && c.returns.is_empty() => {
                    say!("nothing new: every person matches the records; nothing was changed")
                }
                Some(done) if done.nothing_new => say!(
                    "nothing changed: every person on the roster matches the records; {} proposed releases and {} possible returns are not confirmed",
                    c.releases.len(),
                    c.returns.len()
                ),
                Some(done) => say!(
                    "applied: {} enrolled, {} changed, {} released, {} returned, {} housing units added; {} refused rows and {} undecided returns left as they are",
                    done.enrolled,
                    done.changed,
                    done.released,
                    done.returned,
                    done.units_added,
                    done.refused,
                    done.waiting
                ),
            }
        }
        RosterCommand::Columns { file, source, facility, json } => {
            let facility = facility_by_name(store, &facility)?.id;
            let sheet = store.read_roster(&RosterRequest { facility, source: &source, path: &file, mapping: None }, ctx.today)?;
            if json {
                print_json(&sheet.mapping);
                return Ok(());
            }
            say!("{} ({}): header on line {}, {} rows, {} title or total lines set aside", sheet.file_name, sheet.kind, sheet.header_row, sheet.rows, sheet.set_aside);
            say!("mapping {}:", if sheet.saved { "saved for this source" } else { "proposed from the headers" });
            for column in &sheet.columns {
                match sheet.mapping.columns.iter().find(|u| &u.header == column) {
                    Some(u) => say!("  {column} → {}{}", u.field.label(), u.date_format.map(|f| format!(" ({})", f.label())).unwrap_or_default()),
                    None => say!("  {column} → (not used)"),
                }
            }
            say!("{}", sheet.mapping.century().describe());
        }
        RosterCommand::Export { facility, out } => {
            let facility = facility_by_name(store, &facility)?.id;
            let n = store.export_roster(ctx, facility, &out)?;
            say!("wrote {n} people to {}", out.display());
        }
    }
    Ok(())
}
