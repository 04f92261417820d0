//! Facilities and participants from the command line.

use crate::{english, print_json, say};
use bridger::model::{parse, DuplicateCheck, Enrolment, LocationId, MergeInput, LocationKind, NewFacility, ParticipantId, ParticipantInput, RosterFilter, Status};
use bridger::{Error, Store, WriteCtx};
use clap::{Args, Subcommand};

#[derive(Subcommand)]
pub(crate) enum FacilityCommand {
    /// Add a facility with its housing units and program rooms.
    Add {
        #[arg(long)]
        name: String,
        /// A short code, such as RCJ.
        #[arg(long)]
        code: String,
        /// Housing units, comma-separated.
        #[arg(long, value_delimiter = ',')]
        units: Vec<String>,
        /// Program rooms, comma-separated.
        #[arg(long, value_delimiter = ',')]
        rooms: Vec<String>,
    },
    /// Add a housing unit or a program room to a facility.
    AddPlace {
        /// Facility code or name.
        #[arg(long)]
        facility: String,
        /// The new housing unit's name.
        #[arg(long, conflicts_with = "room", required_unless_present = "room")]
        unit: Option<String>,
        /// The new program room's name.
        #[arg(long)]
        room: Option<String>,
    },
    /// List facilities with their units and rooms.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum ParticipantCommand {
    /// Enrol a participant. Possible duplicates are listed and nothing is saved unless
    /// --not-a-duplicate is given.
    Add(AddArgs),
    /// List participants in name order.
    List {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, default_value_t = 100)]
        limit: u64,
        #[arg(long, default_value_t = 0)]
        offset: u64,
        #[arg(long)]
        json: bool,
    },
    /// Find participants by the beginning of any name or number, ignoring case and accents.
    Search {
        text: String,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, default_value_t = 50)]
        limit: u64,
        #[arg(long)]
        json: bool,
    },
    /// Records across your facilities that may be one person: the same state id number, or the
    /// same date of birth and a similar name.
    Duplicates {
        #[arg(long)]
        json: bool,
    },
    /// Make two records of one person one: everything of the merged record moves to the kept
    /// one, whose blank fields it fills; the merged record leaves every list.
    Merge {
        /// The id of the record to keep.
        #[arg(long)]
        keep: String,
        /// The id of the record merged into it.
        #[arg(long)]
        merge: String,
        /// Why they are one person.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// The merges of records held at your facilities, the latest first.
    Merges {
        #[arg(long)]
        json: bool,
    },
    /// Undo a merge: the merged record comes back with what the merge moved, made and filled.
    Unmerge {
        /// The merge's id, as `participants merges` lists it.
        id: String,
        /// Why it is undone.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Show one participant.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(crate) struct AddArgs {
    #[arg(long)]
    legal_name: String,
    #[arg(long, default_value = "")]
    preferred_name: String,
    /// Date of birth, YYYY-MM-DD.
    #[arg(long, default_value = "")]
    dob: String,
    /// Booking or DOC number.
    #[arg(long, default_value = "")]
    number: String,
    /// Facility code or name.
    #[arg(long, default_value = "")]
    facility: String,
    /// Housing unit name.
    #[arg(long, default_value = "")]
    unit: String,
    #[arg(long, default_value = "")]
    admission_date: String,
    /// Projected release date, YYYY-MM-DD.
    #[arg(long, default_value = "")]
    release_date: String,
    #[arg(long, default_value = "")]
    program: String,
    #[arg(long, default_value = "")]
    language: String,
    #[arg(long, default_value = "")]
    notes: String,
    /// Enrol even though records that look like this person exist.
    #[arg(long)]
    not_a_duplicate: bool,
}

#[derive(Args)]
pub(crate) struct FilterArgs {
    /// Facility code or name.
    #[arg(long)]
    facility: Option<String>,
    /// Housing unit name (with --facility).
    #[arg(long)]
    unit: Option<String>,
    /// active, released, transferred or discharged.
    #[arg(long)]
    status: Option<String>,
    /// Projected release on or after this date.
    #[arg(long)]
    release_from: Option<String>,
    /// Projected release on or before this date.
    #[arg(long)]
    release_to: Option<String>,
}

pub(crate) fn facilities(store: &mut Store, ctx: &WriteCtx, cmd: FacilityCommand) -> Result<(), Error> {
    match cmd {
        FacilityCommand::Add { name, code, units, rooms } => {
            let f = store.create_facility(ctx, &NewFacility { name, code, units, rooms })?;
            say!("added {} ({}) with {} units and {} rooms", f.name, f.code, f.units.len(), f.rooms.len());
        }
        FacilityCommand::AddPlace { facility, unit, room } => {
            let facility = facility_by_name(store, &facility)?;
            let (kind, name) = match (unit, room) {
                (Some(unit), _) => (LocationKind::Unit, unit),
                (None, room) => (LocationKind::Room, room.unwrap_or_default()),
            };
            let place = store.add_location(ctx, facility.id, kind, &name)?;
            say!("added {} {} to {}", kind.as_str(), place.name, facility.name);
        }
        FacilityCommand::List { json } => {
            let list = store.facilities()?;
            if json {
                print_json(&list);
            } else {
                for f in list {
                    let names = |l: &[bridger::model::Location]| l.iter().map(|x| x.name.as_str()).collect::<Vec<_>>().join(", ");
                    say!("{}  {}\n  units: {}\n  rooms: {}", f.code, f.name, names(&f.units), names(&f.rooms));
                }
            }
        }
    }
    Ok(())
}

/// Finds a facility by code or name, as a person would type it.
pub(crate) fn facility_by_name(store: &Store, typed: &str) -> Result<bridger::model::Facility, Error> {
    facility_among(store.facilities()?, "facility", typed)
}

/// The facility of `among` whose code or name was typed (in any case); refused on `field`.
pub(crate) fn facility_among(among: Vec<bridger::model::Facility>, field: &'static str, typed: &str) -> Result<bridger::model::Facility, Error> {
    let typed = typed.trim();
    among
        .into_iter()
        .find(|f| f.code.eq_ignore_ascii_case(typed) || f.name.eq_ignore_ascii_case(typed))
        .ok_or_else(|| Error::field(field, english(format!("no facility has the code or name \"{typed}\" (see `bridger facilities list`)"))))
}

fn unit_by_name(facility: &bridger::model::Facility, typed: &str) -> Result<LocationId, Error> {
    facility
        .units
        .iter()
        .find(|u| u.name.eq_ignore_ascii_case(typed.trim()))
        .map(|u| u.id)
        .ok_or_else(|| Error::field("unit", english(format!("{} has no housing unit named \"{}\"", facility.name, typed.trim()))))
}

fn filter_from(store: &Store, args: &FilterArgs) -> Result<RosterFilter, Error> {
    let mut filter = RosterFilter::default();
    if let Some(typed) = &args.facility {
        let facility = facility_by_name(store, typed)?;
        if let Some(unit) = &args.unit {
            filter.unit_id = Some(unit_by_name(&facility, unit)?);
        }
        filter.facility_id = Some(facility.id);
    } else if args.unit.is_some() {
        return Err(Error::field("unit", english("--unit needs --facility")));
    }
    if let Some(s) = &args.status {
        filter.status = Some(Status::parse(s).ok_or_else(|| Error::field("status", english("status must be active, released, transferred or discharged")))?);
    }
    filter.release_from = parse::optional_date("release-from", args.release_from.as_deref())?;
    filter.release_to = parse::optional_date("release-to", args.release_to.as_deref())?;
    Ok(filter)
}

fn print_rows(rows: &[bridger::model::RosterRow]) {
    for r in rows {
        let preferred = r.preferred_name.as_deref().map(|p| format!(" (\"{p}\")")).unwrap_or_default();
        let release = r.release_date.map(|d| format!("release {d}")).unwrap_or_else(|| "no release date".into());
        say!(
            "{}  {}{preferred}  {}  {}  {}  {}  {}",
            r.id,
            r.legal_name,
            r.facility_number,
            r.facility_code,
            r.unit_name.as_deref().unwrap_or("-"),
            r.status.as_str(),
            release
        );
    }
}

pub(crate) fn participants(store: &mut Store, ctx: &WriteCtx, cmd: ParticipantCommand) -> Result<(), Error> {
    match cmd {
        ParticipantCommand::Add(a) => {
            let mut input = ParticipantInput {
                legal_name: a.legal_name,
                preferred_name: a.preferred_name,
                dob: a.dob,
                facility_number: a.number,
                unit_id: String::new(),
                admission_date: a.admission_date,
                release_date: a.release_date,
                program: a.program,
                language: a.language,
                notes: a.notes,
                facility_id: String::new(),
            };
            if !a.facility.trim().is_empty() {
                let facility = facility_by_name(store, &a.facility)?;
                if !a.unit.trim().is_empty() {
                    input.unit_id = unit_by_name(&facility, &a.unit)?.to_string();
                }
                input.facility_id = facility.id.to_string();
            }
            let check = if a.not_a_duplicate { DuplicateCheck::ConfirmedNewPerson } else { DuplicateCheck::Check };
            let p = match store.enroll_checked(ctx, &input, check)? {
                Enrolment::Enrolled { participant } => participant,
                Enrolment::PossibleDuplicates { candidates } => {
                    eprintln!("bridger: nothing was saved: these records may be the same person:");
                    for c in &candidates {
                        eprintln!("{}", bridger::text::printable(&format!("  {}  {}  {}  born {}  ({})", c.row.id, c.row.legal_name, c.row.facility_number, c.row.dob, c.reason)));
                    }
                    return Err(Error::field("legal_name", english("if this is a different person, run again with --not-a-duplicate")));
                }
            };
            say!("enrolled {} ({}) as {}", p.legal_name, p.facility_number, p.id);
        }
        ParticipantCommand::List { filter, limit, offset, json } => {
            let filter = filter_from(store, &filter)?;
            let page = store.roster_page(&filter, offset, limit)?;
            if json {
                print_json(&page);
            } else {
                print_rows(&page.rows);
                say!("{} of {} shown", page.rows.len(), page.total);
            }
        }
        ParticipantCommand::Search { text, filter, limit, json } => {
            let filter = filter_from(store, &filter)?;
            let found = store.search(&text, &filter, limit)?;
            if json {
                print_json(&found);
            } else {
                print_rows(&found.rows);
                if found.more {
                    say!("more than {} match: type more of the name or number", found.rows.len());
                }
            }
        }
        ParticipantCommand::Duplicates { json } => {
            let found = store.likely_duplicates(ctx)?;
            if json {
                print_json(&found);
            } else if found.pairs.is_empty() {
                say!("no likely duplicates");
            } else {
                for pair in &found.pairs {
                    let why = [pair.same_state_number.as_ref().map(|n| format!("same state number {n}")), pair.same_birth_and_name.then(|| "same date of birth and a similar name".to_string())];
                    say!("{}:", why.into_iter().flatten().collect::<Vec<_>>().join("; "));
                    print_rows(&[pair.first.clone(), pair.second.clone()]);
                }
                if found.more {
                    say!("the list stops at {} pairs", found.pairs.len());
                }
            }
        }
        ParticipantCommand::Merge { keep, merge, reason, json } => {
            let done = store.merge_participants(ctx, &MergeInput { kept_id: keep, merged_id: merge, reason })?;
            if json {
                print_json(&done);
            } else {
                say!("merged {} into {}: {} records moved; undo with: bridger participants unmerge {} --reason ...", done.merged.legal_name, done.kept.legal_name, done.moved, done.id);
            }
        }
        ParticipantCommand::Merges { json } => {
            let merges = store.participant_merges(ctx)?;
            if json {
                print_json(&merges);
            } else if merges.is_empty() {
                say!("no merges");
            } else {
                let side = |r: &bridger::model::MergedRecord| {
                    if r.visible {
                        format!("{} ({}, {})", r.legal_name, r.facility_number, r.facility_code)
                    } else {
                        format!("a record held at {}", r.facility_code)
                    }
                };
                for m in &merges {
                    let state = match (&m.undone_on, m.void) {
                        (Some(on), _) => format!(" (undone on {on} by {}: {})", m.undone_by.as_deref().unwrap_or_default(), m.undo_reason.as_deref().unwrap_or_default()),
                        (None, true) => " (no effect: the same records were merged another way first)".to_string(),
                        (None, false) => String::new(),
                    };
                    say!("{}  {} {}: {} into {}; {} records moved; {}{state}", m.id, m.merged_on, m.merged_by, side(&m.merged), side(&m.kept), m.moved, m.reason);
                }
            }
        }
        ParticipantCommand::Unmerge { id, reason, json } => {
            let undone = store.undo_merge(ctx, parse::record_id("merge", &id)?, &reason)?;
            if json {
                print_json(&undone);
            } else {
                say!("undone: {} is a record of its own again, beside {}", undone.merged.legal_name, undone.kept.legal_name);
            }
        }
        ParticipantCommand::Show { id, json } => {
            let p = store.view_participant(ctx, id.parse::<ParticipantId>()?)?;
            if json {
                print_json(&p);
            } else {
                let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                say!("{}\n  preferred name: {}\n  born: {}\n  number: {} at {}\n  unit: {}\n  admitted: {}\n  projected release: {}\n  program: {}\n  status: {} since {}\n  language: {}\n  notes: {}\n  id: {}",
                    p.legal_name, opt(&p.preferred_name), p.dob, p.facility_number, p.facility_name, opt(&p.unit_name),
                    p.admission_date, p.release_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()), opt(&p.program),
                    // Each line of the notes indented, so none of them reads as a field of its own.
                    p.status.as_str(), p.status_date, p.language, opt(&p.notes).replace('\n', "\n         "), p.id);
            }
        }
    }
    Ok(())
}
