//! Realistic demo data: a county jail and a state prison with housing units and program rooms,
//! and participants whose names mix English and Spanish, carry accents, hyphens and
//! apostrophes, sometimes look like each other, and whose release dates spread over the next
//! year; and a year of peer work at both facilities (groups and roll calls, caseloads,
//! contacts, check-ins, recovery plans), by one peer team per facility or, for a large site, a
//! team for so many people held. The same seed and the same day give the same people.

use crate::error::Result;
mod history;

use crate::model::{AppointmentInput, Facility, GoalInput, MergeInput, NewFacility, ParticipantInput, PlanDetailsInput, PlanItemInput, ResourceInput, Status, StatusChange, TransferInput, TransferReply};
use history::Enrolled;
use crate::store::{Store, WriteCtx};
use chrono::{Duration, NaiveDate};

const GIVEN: &str = include_str!("../../assets/demo/given-names.txt");
const FAMILY: &str = include_str!("../../assets/demo/family-names.txt");
const PROGRAMS: [&str; 4] = ["RSAT", "Jail-based peer program", "MOUD continuity", "Reentry peer mentoring"];
const CHUNK: usize = 2_000;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub participants: usize,
    pub seed: u64,
    /// None: one peer team per facility, a demo that is quick to make. Some(n): a team for every
    /// n people held, so a large site (a benchmark's) has a year of history in proportion.
    pub team_serves: Option<usize>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoSummary {
    pub site: String,
    pub facilities: usize,
    pub participants: usize,
}

/// The demo site's name, for the setup that precedes [`generate`].
pub const SITE_NAME: &str = "Demo County – Peer Recovery Office";

/// Fills a new site with demo data: two facilities and `participants` people. The person signed
/// in must be an administrator and a coordinator.
pub fn generate(store: &mut Store, ctx: &WriteCtx, options: &DemoOptions) -> Result<DemoSummary> {
    let site = store.site()?;
    let facilities = vec![
        store.create_facility(
            ctx,
            &NewFacility {
                name: "Riverside County Jail".into(),
                code: "RCJ".into(),
                units: ["A-North", "A-South", "B-East", "B-West", "C-Women", "D-RSAT"].map(String::from).to_vec(),
                rooms: ["Program Room 1", "Program Room 2", "Chapel", "Classroom B"].map(String::from).to_vec(),
            },
        )?,
        store.create_facility(
            ctx,
            &NewFacility {
                name: "Eastfield State Prison".into(),
                code: "ESP".into(),
                units: ["Unit 1", "Unit 2", "Unit 3", "Unit 4 (RSAT)", "Honor Dorm"].map(String::from).to_vec(),
                rooms: ["Education Wing 101", "Education Wing 102", "Gym Classroom"].map(String::from).to_vec(),
            },
        )?,
    ];
    let people = People::new(options.seed, ctx.today, &facilities);
    let mut made: Vec<Enrolled> = Vec::with_capacity(options.participants);
    let mut leavers = Vec::new();
    for chunk_start in (0..options.participants).step_by(CHUNK) {
        let chunk_end = (chunk_start + CHUNK).min(options.participants);
        let mut inputs = Vec::with_capacity(chunk_end - chunk_start);
        let mut leaving = Vec::with_capacity(chunk_end - chunk_start);
        for i in chunk_start..chunk_end {
            let mut input = people.person(i);
            let change = people.leaving(i, &input);
            // Someone already released left on their release date, not on a projected one.
            if let Some(c) = change.as_ref().filter(|c| c.status == "released") {
                input.release_date = c.date.clone();
            }
            inputs.push(input);
            leaving.push(change);
        }
        let ids = store.enroll_many(ctx, &inputs)?;
        for ((id, input), change) in ids.iter().zip(&inputs).zip(&leaving) {
            made.push(Enrolled {
                id: *id,
                facility: usize::from(input.facility_id != facilities[0].id.to_string()),
                admitted: input.admission_date.parse().unwrap_or(ctx.today),
                spanish: input.language == "Spanish",
                sort_key: crate::text::sort_key(&input.legal_name),
                left: change.as_ref().and_then(|c| Some((Status::parse(&c.status)?, c.date.parse().ok()?))),
            });
        }
        leavers.extend(ids.iter().zip(leaving).filter_map(|(id, change)| change.map(|c| (*id, c))));
    }
    for (id, change) in leavers {
        store.set_status(ctx, id, &change)?;
    }
    // Alphabetical, as the roster shows them: the first people a new user opens have a history.
    made.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
    for (n, (facility, program)) in facilities.iter().zip([&history::JAIL, &history::PRISON]).enumerate() {
        let here: Vec<&Enrolled> = made.iter().filter(|p| p.facility == n).collect();
        // Each peer team serves its share of the roster, in order.
        let teams = options.team_serves.map_or(1, |n| here.len() / n.max(1)).max(1);
        let shares: Vec<&[&Enrolled]> = if here.is_empty() { vec![&[]] } else { here.chunks(here.len().div_ceil(teams)).collect() };
        for (team, share) in shares.into_iter().enumerate() {
            let seed = options.seed ^ (team as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93);
            history::program_year(store, ctx, seed, facility, program, team, share)?;
        }
    }
    reentry_work(store, ctx)?;
    transfers(store, ctx, &made, &facilities)?;
    merged_twice_enrolled(store, ctx, &made, &facilities)?;
    Ok(DemoSummary { site: site.name, facilities: facilities.len(), participants: made.len() })
}

/// A directory of community resources, and plans under way for the people releasing soonest:
/// some items done, an appointment after release, a community peer named.
fn reentry_work(store: &mut Store, ctx: &WriteCtx) -> Result<()> {
    let directory = [
        ("Eastside Recovery Clinic", "treatment_provider", "40 Elm Street, Riverside", "555-0142", "buprenorphine and methadone; walk-in intake weekdays 8 to 11"),
        ("Hope House", "recovery_residence", "18 Orchard Lane, Riverside", "555-0178", "beds for men and women; MOUD welcome"),
        ("Riverside Recovery Community Center", "recovery_community_organization", "220 Main Street, Riverside", "555-0110", "peer recovery coaches, meetings, a reentry support group"),
        ("County Social Services: Benefits", "benefits_office", "1 Court Plaza, Riverside", "555-0100", "Medicaid, SNAP, cash assistance"),
        ("Riverside County Probation", "supervision_office", "12 Main Street, Riverside", "555-0120", "adult supervision; first reports weekdays 8 to 4"),
    ];
    let mut ids = Vec::new();
    for (name, kind, address, phone, offers) in directory {
        let input = ResourceInput { name: name.into(), kind: kind.into(), address: address.into(), phone: phone.into(), offers: offers.into(), ..Default::default() };
        ids.push(store.save_resource(ctx, None, &input, None)?);
    }
    let (clinic, center) = (&ids[0], &ids[2]);
    // The latest released and the soonest to release: plans at every stage.
    let rows = store.release_pipeline(ctx.today)?;
    let soonest: Vec<_> = rows.iter().filter(|r| r.released).rev().take(4).chain(rows.iter().filter(|r| !r.released && r.release >= ctx.today).take(12)).collect();
    for (i, row) in soonest.iter().enumerate() {
        let plan = store.start_plan(ctx, row.participant_id)?;
        for item in plan.items.iter().take(i * 3 % plan.items.len()) {
            let done = PlanItemInput { area: item.item.area.as_str().into(), title: item.item.title.clone(), due_days: item.item.due_days, status: "done".into(), ..Default::default() };
            store.save_plan_item(ctx, row.participant_id, Some(item.id), &done)?;
        }
        if i % 2 == 0 {
            let visit = AppointmentInput {
                area: "moud".into(),
                resource_id: clinic.id.to_string(),
                provider: clinic.name.clone(),
                address: clinic.address.clone().unwrap_or_default(),
                phone: clinic.phone.clone().unwrap_or_default(),
                date: (row.release + Duration::days(2)).to_string(),
                time: "09:30".into(),
                // The first community appointment of someone out a while was kept.
                confirmed: row.released && i % 4 == 0,
                ..Default::default()
            };
            store.save_appointment(ctx, row.participant_id, None, &visit)?;
        }
        if i % 3 == 0 {
            let peer = PlanDetailsInput {
                community_peer: ["Dana Ruiz", "Terrell Brooks", "Ana Lima", "Joe Whitfield"][i / 3 % 4].into(),
                community_peer_phone: center.phone.clone().unwrap_or_default(),
                community_peer_resource_id: center.id.to_string(),
                ..Default::default()
            };
            store.save_plan_details(ctx, row.participant_id, &peer)?;
        }
    }
    Ok(())
}

/// Three people at the jail asked for at the prison: one taken in today, two waiting for an
/// answer, so both facilities' lists have something to show.
fn transfers(store: &mut Store, ctx: &WriteCtx, made: &[Enrolled], facilities: &[Facility]) -> Result<()> {
    let prison = facilities[1].id.to_string();
    let held: Vec<&Enrolled> = made.iter().rev().filter(|p| p.facility == 0 && p.left.is_none()).take(3).collect();
    let reasons = ["RSAT bed at Eastfield", "Closer to family for visits", "Sentenced to state time"];
    for (n, (person, reason)) in held.into_iter().zip(reasons).enumerate() {
        let asked = store.request_transfer(ctx, person.id, &TransferInput { to_facility_id: prison.clone(), reason: reason.into() })?;
        if n == 0 {
            let arrived = TransferReply { answer: "accepted".into(), date: ctx.today.to_string(), ..Default::default() };
            store.answer_transfer(ctx, asked.id, &arrived)?;
        }
    }
    Ok(())
}

/// Someone held at the prison who was booked again at the jail under a new number, with a goal
/// logged there, and the two records merged: the list of merges has one to read and undo.
fn merged_twice_enrolled(store: &mut Store, ctx: &WriteCtx, made: &[Enrolled], facilities: &[Facility]) -> Result<()> {
    let Some(person) = made.iter().find(|p| p.facility == 1 && p.left.is_none()) else { return Ok(()) };
    let first = store.view_participant(ctx, person.id)?;
    let again = ParticipantInput {
        facility_id: facilities[0].id.to_string(),
        facility_number: format!("{}-9{}", facilities[0].code, &first.facility_number.chars().rev().take(4).collect::<String>()),
        unit_id: String::new(),
        ..first.to_input()
    };
    let again = store.enroll(ctx, &again)?;
    let goal = GoalInput { goal: "Get my GED while I am here".into(), dimension: "purpose".into(), ..Default::default() };
    store.save_goal(ctx, again.id, None, &goal)?;
    let merge = MergeInput { kept_id: first.id.to_string(), merged_id: again.id.to_string(), reason: "Booked at the jail under a new number: the same DOC number on the court papers".into() };
    store.merge_participants(ctx, &merge)?;
    Ok(())
}

struct People<'a> {
    seed: u64,
    today: NaiveDate,
    given: Vec<&'static str>,
    family: Vec<&'static str>,
    facilities: &'a [Facility],
}

fn pick(rng: &mut fastrand::Rng, items: &[&'static str]) -> &'static str {
    items[rng.usize(..items.len())]
}

fn day(rng: &mut fastrand::Rng, from: NaiveDate, days: i64) -> NaiveDate {
    from + Duration::days(rng.i64(0..days.max(1)))
}

impl<'a> People<'a> {
    fn new(seed: u64, today: NaiveDate, facilities: &'a [Facility]) -> Self {
        let list = |s: &'static str| s.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>();
        Self { seed, today, given: list(GIVEN), family: list(FAMILY), facilities }
    }

    /// Each person draws from their own generator, so person `i` is the same whoever asks.
    fn rng(&self, i: usize, purpose: u64) -> fastrand::Rng {
        fastrand::Rng::with_seed(self.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ purpose)
    }

    /// The legal name and birth date of person `i`, written as bookings are: "FAMILY, Given".
    fn identity(&self, i: usize) -> (String, NaiveDate) {
        let mut rng = self.rng(i, 1);
        let family = if rng.u8(..) < 70 {
            format!("{} {}", pick(&mut rng, &self.family), pick(&mut rng, &self.family))
        } else {
            pick(&mut rng, &self.family).to_string()
        };
        let given = if rng.bool() {
            format!("{} {}", pick(&mut rng, &self.given), pick(&mut rng, &self.given))
        } else {
            pick(&mut rng, &self.given).to_string()
        };
        let dob = day(&mut rng, self.today - Duration::days(365 * 70), 365 * 52);
        (format!("{}, {given}", family.to_uppercase()), dob)
    }

    /// Person number `i`. Every 40th shares the name of the one before, and every 80th the
    /// birth date too, as cousins and re-bookings do, so duplicate checks have something to find.
    fn person(&self, i: usize) -> ParticipantInput {
        let mut rng = self.rng(i, 2);
        let (legal_name, dob) = match i % 80 {
            39 => (self.identity(i - 1).0, self.identity(i).1),
            79 => self.identity(i - 1),
            _ => self.identity(i),
        };
        let facility = &self.facilities[if rng.u8(..) < 180 { 0 } else { 1 }];
        let admitted = day(&mut rng, self.today - Duration::days(700), 700).max(dob + Duration::days(365 * 18));
        let release = (rng.u8(..) < 230).then(|| day(&mut rng, self.today.max(admitted) + Duration::days(1), 365));
        let unit = &facility.units[rng.usize(..facility.units.len())];
        let language = match rng.u8(..) {
            0..64 => "Spanish",
            64..72 => "Vietnamese",
            _ => "English",
        };
        ParticipantInput {
            legal_name,
            preferred_name: if rng.u8(..) < 40 { pick(&mut rng, &self.given).to_string() } else { String::new() },
            dob: dob.to_string(),
            // 7919 is prime and coprime to 9,000,000, so numbers stay unique for 9 million people.
            facility_number: format!("{}-{}", facility.code, 1_000_000 + (i as u64 * 7919) % 9_000_000),
            facility_id: facility.id.to_string(),
            unit_id: unit.id.to_string(),
            admission_date: admitted.to_string(),
            release_date: release.map(|d| d.to_string()).unwrap_or_default(),
            program: pick(&mut rng, &PROGRAMS).to_string(),
            language: language.to_string(),
            notes: if rng.u8(..) < 25 { "Prefers afternoon groups; works in the kitchen mornings.".into() } else { String::new() },
        }
    }

    /// About one in fifteen has already left: released, transferred or discharged.
    fn leaving(&self, i: usize, p: &ParticipantInput) -> Option<StatusChange> {
        let mut rng = self.rng(i, 3);
        if rng.u8(..) >= 17 {
            return None;
        }
        let admitted = NaiveDate::parse_from_str(&p.admission_date, "%Y-%m-%d").ok()?;
        let span = (self.today - admitted).num_days();
        let status = ["released", "released", "released", "transferred", "discharged"][rng.usize(..5)];
        Some(StatusChange { status: status.into(), date: day(&mut rng, admitted, span + 1).to_string(), note: String::new() })
    }
}
