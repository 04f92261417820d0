//! `bridger staff`: peer staff records from the command line, and the weekly list of what is
//! due (`bridger staff due`, for a scheduled job). The same core checks as the app: whose
//! record the account reaches, and every field.

use crate::records::facility_by_name;
use crate::{print_json, say};
use bridger::model::{parse, CeHoursInput, CredentialInput, EvaluationInput, Expiry, StaffId, StaffRecordInput, StaffWarning, SupervisionInput, SupervisionReport};
use bridger::reports::Language;
use bridger::{Error, Store, WriteCtx};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum StaffCommand {
    /// Everyone whose credential expires within 90 days or is behind on hours, or whose
    /// supervision has lapsed: the staff of the facilities you keep, else you and your
    /// supervisees. Nothing due prints one line saying so.
    Due {
        #[arg(long)]
        json: bool,
    },
    /// A staff record: roles, credentials, hours, supervision.
    Show {
        staff: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a staff record beyond its directory entry (coordinators).
    Update(Box<RecordArgs>),
    /// Add a credential.
    Credential(Box<CredentialArgs>),
    /// Add hours of continuing education.
    Hours {
        #[arg(long)]
        staff: String,
        /// YYYY-MM-DD; today without it.
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        hours: f64,
        /// ethics, peer_practice, recovery_wellness, cultural_responsiveness,
        /// trauma_informed_care, criminal_legal_system or other.
        #[arg(long)]
        topic: String,
        /// The course or event.
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        provider: String,
    },
    /// Log a supervision session.
    Supervision(Box<SupervisionArgs>),
    /// Who was supervised how often in a period, and each lapse: the staff of the facilities you
    /// keep, else you and your supervisees.
    Report {
        /// YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// YYYY-MM-DD; today without it.
        #[arg(long)]
        to: Option<String>,
        /// Facility code or name; every facility of the account without it.
        #[arg(long)]
        facility: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record an evaluation of a peer's work.
    Evaluate {
        #[arg(long)]
        staff: String,
        /// The evaluator's staff id.
        #[arg(long)]
        evaluator: String,
        /// YYYY-MM-DD; today without it.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        strengths: String,
        /// What to work on.
        #[arg(long, default_value = "")]
        growth: String,
    },
    /// Write a peer's record of peer work as a PDF, for them to take at release.
    Summary {
        staff: String,
        #[arg(short, long)]
        out: PathBuf,
        /// english or spanish.
        #[arg(long, default_value = "english")]
        language: String,
    },
}

#[derive(Args)]
pub(crate) struct RecordArgs {
    staff: String,
    /// peer_specialist, peer_supervisor, incarcerated_peer_mentor, community_peer, volunteer;
    /// comma-separated.
    #[arg(long, value_delimiter = ',')]
    roles: Option<Vec<String>>,
    /// facility or community_organization.
    #[arg(long)]
    employer_kind: Option<String>,
    /// The community organization.
    #[arg(long)]
    employer: Option<String>,
    #[arg(long)]
    start_date: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    /// weekly, fortnightly, monthly or none.
    #[arg(long)]
    cadence: Option<String>,
    /// The supervisor's staff id; an empty one for none.
    #[arg(long)]
    supervisor: Option<String>,
    /// Further facilities they work in, by id, comma-separated.
    #[arg(long, value_delimiter = ',')]
    other_facilities: Option<Vec<String>>,
    #[arg(long)]
    agreement_signed_on: Option<String>,
    #[arg(long)]
    agreement_covers: Option<String>,
}

#[derive(Args)]
pub(crate) struct CredentialArgs {
    #[arg(long)]
    staff: String,
    /// state_certification, national_certification or training_certificate.
    #[arg(long)]
    kind: String,
    #[arg(long)]
    name: String,
    #[arg(long)]
    issuer: String,
    #[arg(long, default_value = "")]
    number: String,
    #[arg(long)]
    issued_on: String,
    #[arg(long, default_value = "")]
    expires_on: String,
    /// Renewed every this many years by hours (0: not renewed by hours).
    #[arg(long, default_value_t = 0)]
    renewal_years: i64,
    #[arg(long, default_value_t = 0.0)]
    renewal_hours: f64,
    #[arg(long, default_value_t = 0.0)]
    renewal_ethics_hours: f64,
}

#[derive(Args)]
pub(crate) struct SupervisionArgs {
    /// The supervisor's staff id.
    #[arg(long)]
    supervisor: String,
    /// Who was supervised: staff ids, comma-separated (several for group supervision).
    #[arg(long, value_delimiter = ',')]
    supervisees: Vec<String>,
    /// YYYY-MM-DD; today without it.
    #[arg(long)]
    date: Option<String>,
    #[arg(long)]
    minutes: i64,
    /// administrative, educative, supportive; comma-separated.
    #[arg(long, value_delimiter = ',')]
    functions: Vec<String>,
    /// in_person or remote.
    #[arg(long, default_value = "in_person")]
    setting: String,
    #[arg(long, default_value = "")]
    topics: String,
    #[arg(long, default_value = "")]
    follow_ups: String,
}

/// A warning as one line of `staff due`.
fn warning_line(w: &StaffWarning) -> String {
    match w {
        StaffWarning::Expiry { credential, expires_on, expiry: Expiry::Expired { days_ago } } => format!("{credential} expired on {expires_on}, {days_ago} days ago"),
        StaffWarning::Expiry { credential, expires_on, expiry: Expiry::Soon { days_left, .. } } => format!("{credential} expires on {expires_on}, in {days_left} days"),
        StaffWarning::HoursBehind { credential, progress: p } => format!(
            "{credential}: {:.2} of {:.2} hours ({:.2} of {:.2} in ethics) since {}, behind the pace to renew by {}",
            p.hours, p.required, p.ethics_hours, p.ethics_required, p.cycle_start, p.cycle_end
        ),
        StaffWarning::SupervisionLapsed { due } => {
            let last = due.last.map(|l| format!(" (last {l})")).unwrap_or_else(|| " (never supervised)".into());
            format!("supervision was due on {}{last}, {} days ago", due.due_on, due.days_late)
        }
    }
}

fn print_report(r: &SupervisionReport) {
    say!("supervision from {} to {}: {} people, {} with a lapse", r.from, r.to, r.rows.len(), r.people_lapsed());
    for row in &r.rows {
        let by = row.supervisor.as_ref().map(|s| format!(" by {}", s.name)).unwrap_or_default();
        let last = row.last.map(|l| format!(", last {l}")).unwrap_or_default();
        let cadence = row.cadence.label().to_lowercase();
        say!("{}  {}  {}: supervised {cadence}{by}; {} sessions, {} minutes{last}", row.staff.id, row.facility_name, row.staff.name, row.sessions, row.minutes);
        for l in &row.lapses {
            match l.met_on {
                Some(met) => say!("    lapse: due {}, held {}, {} days late", l.due_on, met, l.days_late),
                None => say!("    lapse: due {}, none held by {}, {} days late", l.due_on, l.due_on + chrono::Duration::days(l.days_late), l.days_late),
            }
        }
    }
}

pub(crate) fn staff(store: &mut Store, ctx: &WriteCtx, cmd: StaffCommand) -> Result<(), Error> {
    match cmd {
        StaffCommand::Due { json } => {
            let due = store.staff_due(ctx.today)?;
            if json {
                print_json(&due);
                return Ok(());
            }
            for d in &due {
                for w in &d.warnings {
                    say!("{}  {}  {}: {}", d.staff.id, d.facility_name, d.staff.name, warning_line(w));
                }
            }
            if due.is_empty() {
                say!("nothing due on {}", ctx.today);
            }
        }
        StaffCommand::Show { staff, json } => {
            let id: StaffId = staff.trim().parse()?;
            let r = store.staff_record(id, ctx.today)?;
            if json {
                print_json(&r);
                return Ok(());
            }
            let roles: Vec<&str> = r.roles.iter().map(|role| role.label()).collect();
            say!("{}  {}", r.staff.id, r.staff.name);
            say!("  roles: {}", if roles.is_empty() { "—".to_string() } else { roles.join(", ") });
            say!("  employer: {}{}", r.employer_kind.label(), r.employer.as_deref().map(|e| format!(" ({e})")).unwrap_or_default());
            say!("  supervised: {}{}", r.cadence.label(), r.supervisor.as_ref().map(|s| format!(" by {}", s.name)).unwrap_or_default());
            if let Some(due) = r.supervision_due {
                say!("  next supervision due {}{}", due.due_on, if due.lapsed() { format!(", {} days late", due.days_late) } else { String::new() });
            }
            for c in &r.credentials {
                let expires = c.expires_on.map(|e| format!(", expires {e}")).unwrap_or_default();
                let hours = c.progress.map(|p| format!("; {:.2} of {:.2} hours ({:.2} of {:.2} ethics){}", p.hours, p.required, p.ethics_hours, p.ethics_required, if p.behind { ", behind" } else { "" })).unwrap_or_default();
                let number = c.number.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
                say!("  credential: {} ({}), {}{number}{expires}{hours}", c.name, c.kind.label(), c.issuer);
            }
            for e in &r.ce_hours {
                say!("  hours: {} {:>5.2} {:<28} {}", e.date, e.hours, e.topic.label(), e.title);
            }
            for s in &r.supervision {
                let functions: Vec<&str> = s.functions.iter().map(|f| f.as_str()).collect();
                say!("  supervision: {} {} min by {} ({})", s.date, s.minutes, s.supervisor.name, functions.join(", "));
            }
        }
        StaffCommand::Update(a) => {
            // What is not given stays as it is.
            let id: StaffId = a.staff.trim().parse()?;
            let mut input = StaffRecordInput::from(&store.staff_record(id, ctx.today)?);
            let given = [
                (&mut input.employer_kind, a.employer_kind),
                (&mut input.employer, a.employer),
                (&mut input.start_date, a.start_date),
                (&mut input.phone, a.phone),
                (&mut input.email, a.email),
                (&mut input.cadence, a.cadence),
                (&mut input.supervisor_id, a.supervisor),
                (&mut input.agreement_signed_on, a.agreement_signed_on),
                (&mut input.agreement_covers, a.agreement_covers),
            ];
            for (field, value) in given {
                if let Some(value) = value {
                    *field = value;
                }
            }
            input.roles = a.roles.unwrap_or(input.roles);
            input.other_facilities = a.other_facilities.unwrap_or(input.other_facilities);
            let r = store.update_staff_record(ctx, id, &input)?;
            say!("updated the staff record of {}", r.staff.name);
        }
        StaffCommand::Credential(a) => {
            let input = CredentialInput {
                staff_id: a.staff,
                kind: a.kind,
                name: a.name,
                issuer: a.issuer,
                number: a.number,
                issued_on: a.issued_on,
                expires_on: a.expires_on,
                renewal_years: a.renewal_years,
                renewal_hours: a.renewal_hours,
                renewal_ethics_hours: a.renewal_ethics_hours,
            };
            let c = store.add_credential(ctx, &input)?;
            say!("added {} ({}): {}", c.name, c.kind.label(), c.id);
        }
        StaffCommand::Hours { staff, date, hours, topic, title, provider } => {
            let input = CeHoursInput { staff_id: staff, date: date.unwrap_or_else(|| ctx.today.to_string()), hours, topic, title, provider };
            let e = store.add_ce_hours(ctx, &input)?;
            say!("logged {:.2} hours of {} on {}: {}", e.hours, e.topic.label().to_lowercase(), e.date, e.id);
        }
        StaffCommand::Supervision(a) => {
            let input = SupervisionInput {
                supervisor_id: a.supervisor,
                supervisees: a.supervisees,
                date: a.date.unwrap_or_else(|| ctx.today.to_string()),
                minutes: a.minutes,
                functions: a.functions,
                setting: a.setting,
                topics: a.topics,
                follow_ups: a.follow_ups,
            };
            let s = store.log_supervision(ctx, &input)?;
            let names: Vec<&str> = s.supervisees.iter().map(|p| p.name.as_str()).collect();
            say!("logged {} minutes of supervision by {} of {} on {}: {}", s.minutes, s.supervisor.name, names.join(", "), s.date, s.id);
        }
        StaffCommand::Report { from, to, facility, json } => {
            let facility = facility.map(|f| facility_by_name(store, &f)).transpose()?.map(|f| f.id);
            let to = to.map(|t| parse::date("to", &t)).transpose()?.unwrap_or(ctx.today);
            let report = store.supervision_report(parse::date("from", &from)?, to, facility, ctx.today)?;
            if json {
                print_json(&report);
            } else {
                print_report(&report);
            }
        }
        StaffCommand::Evaluate { staff, evaluator, date, strengths, growth } => {
            let input = EvaluationInput { staff_id: staff, evaluator_id: evaluator, date: date.unwrap_or_else(|| ctx.today.to_string()), strengths, growth };
            let e = store.add_evaluation(ctx, &input)?;
            say!("recorded the evaluation of {} by {}: {}", e.date, e.evaluator.name, e.id);
        }
        StaffCommand::Summary { staff, out, language } => {
            let id: StaffId = staff.trim().parse()?;
            let language = Language::choose(Some(&language))?.unwrap_or(Language::English);
            store.save_mentor_summary(ctx, id, language, &out)?;
            say!("wrote the record of peer work to {}", out.display());
        }
    }
    Ok(())
}
