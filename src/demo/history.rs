//! A year of a peer program at each demo facility: weekly groups with their roll calls, two
//! peers with caseloads, one supervising the other (with a credential and hours), a year of
//! one-on-one contacts, quarterly check-ins that drift upward, and recovery plans with goals,
//! steps and changes, program episodes with their phases and outcomes, and last year's program
//! readiness assessment, so every screen shows
//! realistic work on first run. Everything goes through the store, as a person's work would.

use crate::error::Result;
use crate::model::instrument::{Instrument, BUILT_IN};
use crate::model::{
    CeHoursInput, CheckInInput, ContactInput, CredentialInput, EpisodeInput, EvaluationInput, Facility, GoalInput, GroupInput, Mark, ParticipantId, PhaseInput, ReadinessAnswerInput,
    ReadinessAssessmentInput, StaffId, StaffInput, StaffRecordInput, Status, StepInput, SupervisionInput,
};
use crate::store::{MarkInput, MeetingKey, RollCallInput, Store, WriteCtx};
use chrono::{Datelike, Duration, NaiveDate};

/// A person enrolled by the demo, with what the history needs of them.
pub(super) struct Enrolled {
    pub id: ParticipantId,
    pub facility: usize,
    pub admitted: NaiveDate,
    pub spanish: bool,
    /// Where the roster puts them.
    pub sort_key: String,
    /// The status they left with and the day, if they have left.
    pub left: Option<(Status, NaiveDate)>,
}

/// A weekly group: name, type of support, weekdays, start, minutes, which peer leads it, and
/// how many people are on its roster.
type WeeklyGroup = (&'static str, &'static str, &'static [u32], &'static str, u32, usize, usize);

/// A facility's program: its peers (name, role, whether the demo account is theirs), how the
/// second is supervised by the first, and its weekly groups.
pub(super) struct Program {
    pub peers: [(&'static str, &'static str, bool); 2],
    pub supervision: Supervised,
    pub groups: &'static [WeeklyGroup],
}

/// How a program's second peer is supervised by its first, and the second's credential.
pub(super) struct Supervised {
    /// The first peer's role (the supervisor's), then the second's.
    pub roles: [&'static str; 2],
    pub cadence: &'static str,
    /// Days between the sessions of the past year, and days since the last one.
    pub every_days: i64,
    pub last_days_ago: i64,
    /// The second peer's credential: kind, name, and the days until it expires (none: it does not).
    pub credential: (&'static str, &'static str, Option<i64>),
    /// Continuing education in the credential's cycle: (days ago, topic, hours).
    pub hours: &'static [(i64, &'static str, f64)],
    /// The second peer is an incarcerated mentor with a signed agreement.
    pub mentor: bool,
}

pub(super) const JAIL: Program = Program {
    peers: [("Rosa Díaz", "forensic peer specialist", true), ("Marcus Lee", "peer recovery coach", false)],
    // Marcus's certification expires in three weeks with his ethics hours short, and his monthly
    // supervision by Rosa lapsed a week ago: the demo account's Today has something to show.
    supervision: Supervised {
        roles: ["peer_supervisor", "peer_specialist"],
        cadence: "monthly",
        every_days: 30,
        last_days_ago: 38,
        credential: ("state_certification", "Certified Peer Recovery Specialist", Some(21)),
        hours: &[(600, "peer_practice", 6.0), (420, "trauma_informed_care", 4.0), (200, "ethics", 2.0), (90, "recovery_wellness", 3.0)],
        mentor: false,
    },
    // The morning circle meets every day, so the demo always has a roll call waiting on Today.
    groups: &[
        ("Morning Recovery Circle", "emotional", &[1, 2, 3, 4, 5, 6, 7], "08:30", 45, 0, 24),
        ("Relapse Prevention", "informational", &[1, 3], "09:30", 90, 0, 12),
        ("Coffee and Conversation", "affiliational", &[2], "14:00", 60, 1, 12),
        ("Men's Recovery Support", "emotional", &[4], "10:00", 90, 1, 12),
    ],
};

pub(super) const PRISON: Program = Program {
    peers: [("Denise Carter", "certified peer specialist", false), ("Luis Ortega", "incarcerated peer mentor", false)],
    // Luis, trained inside, is supervised weekly by Denise.
    supervision: Supervised {
        roles: ["peer_supervisor", "incarcerated_peer_mentor"],
        cadence: "weekly",
        every_days: 7,
        last_days_ago: 3,
        credential: ("training_certificate", "Peer Mentor Training (40 hours)", None),
        hours: &[(330, "peer_practice", 24.0), (320, "ethics", 8.0), (310, "recovery_wellness", 8.0)],
        mentor: true,
    },
    groups: &[
        ("Recovery Discussion", "emotional", &[1], "13:00", 60, 0, 12),
        ("Latinos in Recovery", "affiliational", &[3], "15:00", 90, 1, 12),
        ("Art for Recovery", "instrumental", &[5], "10:00", 60, 0, 12),
    ],
};

const NOTES: [&str; 10] = [
    "Said the mornings are the hardest; we made a plan for the first hour of the day.",
    "Talked about calling his sister before release. He wants to try this week.",
    "Worried about where she will stay. We went over the Hope House intake.",
    "Proud of 60 days without a write-up. Wants to lead a share in group.",
    "Asked about getting his ID back; we started the birth certificate request.",
    "Quiet today. Agreed to come to Coffee and Conversation on Tuesday.",
    "Went over medication after release: first clinic visit is set.",
    "Talked about work: interested in the kitchen certificate class.",
    "Frustrated with the unit; we practised what to say at the next review.",
    "Said group is the one place she feels heard.",
];
const SENSITIVE: &str = "Spoke about a recent use and shame around it. No plan to harm self; agreed to talk again tomorrow.";
const GOALS: [(&str, &str, &[&str]); 6] = [
    ("I want a safe place to live when I get out", "home", &["Apply to Hope House", "Ask my aunt about staying two weeks"]),
    ("Stay on my medication after release", "health", &["Book the first clinic visit", "Get the pharmacy card"]),
    ("Get my GED", "purpose", &["Sign up for the Tuesday class", "Take the practice test"]),
    ("Rebuild things with my kids", "community", &["Write a letter each week", "Ask about a family visit"]),
    ("Find work I can keep", "purpose", &["Finish the kitchen certificate", "Make a resume with the reentry office"]),
    ("Have people to call when it gets hard", "community", &["Go to the Thursday meeting", "Save my peer's number"]),
];

fn rng_for(seed: u64, n: usize, purpose: u64) -> fastrand::Rng {
    fastrand::Rng::with_seed(seed ^ (n as u64).wrapping_mul(0xA076_1D64_78BD_642F) ^ purpose)
}

/// Given and family names for the peers of a large site's further teams.
const PEER_GIVEN: [&str; 12] = ["Alicia", "Brandon", "Carmen", "Darnell", "Elena", "Frank", "Gloria", "Hector", "Imani", "Jorge", "Kayla", "Lamar"];
const PEER_FAMILY: [&str; 12] = ["Alvarez", "Brooks", "Castillo", "Dawson", "Espinoza", "Fletcher", "Guzman", "Hayes", "Ibarra", "Jenkins", "Kowalski", "Lopez"];

/// A year of the program at `facility` for one peer team and the people it serves (those the
/// demo enrolled there, or the team's share of them on a large site). The first team is the
/// program as `program` names it, with the facility's groups and its readiness review; further
/// teams are peers with made-up names, their supervision, caseloads and episodes.
pub(super) fn program_year(store: &mut Store, ctx: &WriteCtx, seed: u64, facility: &Facility, program: &Program, team: usize, people: &[&Enrolled]) -> Result<()> {
    let me = store.session()?.username().to_string();
    let mut peers = Vec::new();
    for (n, (name, role, mine)) in program.peers.into_iter().enumerate() {
        let name = if team == 0 { name.to_string() } else { format!("{} {}", PEER_GIVEN[(team + 5 * n) % 12], PEER_FAMILY[(7 * team + n) % 12]) };
        let mine = mine && team == 0;
        let input = StaffInput { name, peer_roles: vec![role.into()], facility_id: facility.id.to_string(), username: if mine { me.clone() } else { String::new() } };
        peers.push(store.add_staff(ctx, &input)?.id);
    }
    staff_year(store, ctx, &program.supervision, peers[0], peers[1])?;
    let active: Vec<&Enrolled> = people.iter().copied().filter(|p| p.left.is_none()).collect();
    let year_ago = ctx.today - Duration::days(364);
    if team == 0 {
        readiness_last_year(store, ctx, facility)?;
        groups_year(store, ctx, seed, facility, program, &peers, &active, year_ago)?;
    }
    episodes(store, ctx, seed, people)?;
    // Thirty people on each peer's caseload, and a few already released whom they follow.
    let released = people.iter().copied().filter(|p| matches!(p.left, Some((Status::Released, on)) if on > year_ago));
    let caseload: Vec<&Enrolled> = active.iter().copied().take(60).chain(released.take(6)).collect();
    let instrument = Instrument::parse(BUILT_IN)?;
    for (n, person) in caseload.iter().enumerate() {
        let peer = peers[n % 2];
        store.assign_peer(ctx, person.id, Some(peer))?;
        let mut rng = rng_for(seed, n, facility.code.len() as u64);
        contacts_year(store, ctx, &mut rng, person, peer, year_ago)?;
        check_ins_year(store, ctx, &mut rng, person, peer, &instrument, year_ago)?;
        if n % 3 == 0 {
            recovery_plan(store, ctx, &mut rng, person)?;
        }
    }
    Ok(())
}

/// The people in a program, the first 300 of the facility as the roster lists them: an
/// episode each, from soon after admission, through phases two months apart; those who left
/// ended it with how they left, and some who stayed six months completed it.
fn episodes(store: &mut Store, ctx: &WriteCtx, seed: u64, people: &[&Enrolled]) -> Result<()> {
    const KINDS: [&str; 4] = ["rsat", "therapeutic_community", "moud", "peer_mentoring"];
    for (n, person) in people.iter().take(300).enumerate() {
        let mut rng = rng_for(seed, n, 7);
        let start = (person.admitted + Duration::days(rng.i64(0..30))).min(ctx.today);
        let completed = start + Duration::days(180);
        let end = match person.left {
            Some((status, on)) if on >= start => Some((on, match status {
                Status::Transferred => "transferred",
                Status::Discharged => "discharged",
                _ if rng.bool() => "completed",
                _ => "released",
            })),
            Some(_) => continue,
            None if completed < ctx.today && rng.u8(..) < 100 => Some((completed, "completed")),
            None => None,
        };
        let input = EpisodeInput {
            kind: KINDS[rng.usize(..KINDS.len())].into(),
            start_date: start.to_string(),
            end_date: end.map(|(on, _)| on.to_string()).unwrap_or_default(),
            outcome: end.map(|(_, how)| how.to_string()).unwrap_or_default(),
            ..Default::default()
        };
        let id = store.save_episode(ctx, person.id, None, &input)?[0].id;
        let last = end.map_or(ctx.today, |(on, _)| on);
        for (k, phase) in ["Phase 1", "Phase 2", "Phase 3"].into_iter().enumerate() {
            let date = start + Duration::days(60 * k as i64);
            if date <= last {
                store.add_phase(ctx, person.id, id, &PhaseInput { date: date.to_string(), phase: phase.into() })?;
            }
        }
    }
    Ok(())
}

/// A year of one peer's supervision by another, with their records, credential and hours.
fn staff_year(store: &mut Store, ctx: &WriteCtx, plan: &Supervised, supervisor: StaffId, peer: StaffId) -> Result<()> {
    let started = ctx.today - Duration::days(400);
    // Only the supervised peer can be the mentor with a signed agreement.
    let record = |roles: &[&str], cadence: &str, supervisor: Option<StaffId>, mentor: bool| StaffRecordInput {
        roles: roles.iter().map(|r| (*r).to_string()).collect(),
        employer_kind: "facility".into(),
        cadence: cadence.into(),
        supervisor_id: supervisor.map(|s| s.to_string()).unwrap_or_default(),
        start_date: started.to_string(),
        agreement_signed_on: if mentor { started.to_string() } else { String::new() },
        agreement_covers: if mentor { "Conduct, boundaries with other residents, confidentiality, and reporting duties.".into() } else { String::new() },
        ..Default::default()
    };
    let [first, second] = plan.roles;
    store.update_staff_record(ctx, supervisor, &record(&[first], "none", None, false))?;
    store.update_staff_record(ctx, peer, &record(&[second], plan.cadence, Some(supervisor), plan.mentor))?;
    let (kind, name, expires_in) = plan.credential;
    let expires = expires_in.map(|d| ctx.today + Duration::days(d));
    store.add_credential(ctx, &CredentialInput {
        staff_id: peer.to_string(),
        kind: kind.into(),
        name: name.into(),
        issuer: if expires.is_some() { "State peer certification board".into() } else { "Department of Corrections".into() },
        number: if expires.is_some() { "PRS-2291".into() } else { String::new() },
        issued_on: expires.map_or(started, |e| e - Duration::days(730)).to_string(),
        expires_on: expires.map(|e| e.to_string()).unwrap_or_default(),
        renewal_years: if expires.is_some() { 2 } else { 0 },
        renewal_hours: if expires.is_some() { 20.0 } else { 0.0 },
        renewal_ethics_hours: if expires.is_some() { 6.0 } else { 0.0 },
    })?;
    for &(days_ago, topic, hours) in plan.hours {
        let title = if topic == "ethics" { "Ethics and boundaries in peer work" } else { "Peer support training" };
        let input = CeHoursInput { staff_id: peer.to_string(), date: (ctx.today - Duration::days(days_ago)).to_string(), hours, topic: topic.into(), title: title.into(), provider: String::new() };
        store.add_ce_hours(ctx, &input)?;
    }
    let mut days_ago = 365 - (365 - plan.last_days_ago) % plan.every_days;
    while days_ago >= plan.last_days_ago {
        let input = SupervisionInput {
            supervisor_id: supervisor.to_string(),
            supervisees: vec![peer.to_string()],
            date: (ctx.today - Duration::days(days_ago)).to_string(),
            minutes: 45,
            functions: vec!["administrative".into(), "supportive".into()],
            setting: "in_person".into(),
            topics: "Caseload, notes, self-care".into(),
            follow_ups: String::new(),
        };
        store.log_supervision(ctx, &input)?;
        days_ago -= plan.every_days;
    }
    if plan.mentor {
        let evaluations = [
            (180, "Prepares for each group and keeps it to its topic.", "Speak up sooner when a member's plan needs the reentry team."),
            (30, "New members say he made the first group easy to join.", "Keep the sign-in sheet complete."),
        ];
        for (days_ago, strengths, growth) in evaluations {
            let date = (ctx.today - Duration::days(days_ago)).to_string();
            let input = EvaluationInput { staff_id: peer.to_string(), date, evaluator_id: supervisor.to_string(), strengths: strengths.into(), growth: growth.into() };
            store.add_evaluation(ctx, &input)?;
        }
    }
    Ok(())
}

/// Last year's readiness assessment of the program, partly answered, for this year's to be
/// compared with.
fn readiness_last_year(store: &mut Store, ctx: &WriteCtx, facility: &Facility) -> Result<()> {
    let input = ReadinessAssessmentInput { facility_id: facility.id.to_string(), date: (ctx.today - Duration::days(365)).to_string(), title: "Annual review".into() };
    let assessment = store.start_readiness_assessment(ctx, &input)?;
    let answers = [
        ("promote.vision", "in_place", "", ""),
        ("promote.training", "in_progress", "Officers' training is booked for the spring.", ""),
        ("prepare.role", "in_place", "", ""),
        ("prepare.staff_training", "not_yet", "", "Ask the training unit for a session on recovery and peer roles"),
        ("plan.four_types", "in_progress", "No affiliational group yet.", ""),
        ("policies.conduct", "not_yet", "", "Draft a code of conduct for peer mentors"),
        ("supervision.structure", "in_place", "", ""),
        ("supervision.frequency", "in_progress", "Monthly for everyone so far.", ""),
    ];
    for (item, answer, note, action) in answers {
        let due = if action.is_empty() { String::new() } else { (ctx.today - Duration::days(200)).to_string() };
        let owner = if action.is_empty() { "" } else { "Program coordinator" };
        let input = ReadinessAnswerInput { answer: answer.into(), note: note.into(), action: action.into(), owner: owner.into(), due_date: due };
        store.save_readiness_answer(ctx, &assessment.listing.id, item, &input)?;
    }
    Ok(())
}

/// The facility's weekly groups since a year ago, with a roll call for every meeting before
/// today: the demo opens in the morning, with today's roll calls still to take.
#[allow(clippy::too_many_arguments, reason = "one call per facility from one place; a struct would only rename the list")]
fn groups_year(store: &mut Store, ctx: &WriteCtx, seed: u64, facility: &Facility, program: &Program, peers: &[StaffId], active: &[&Enrolled], from: NaiveDate) -> Result<()> {
    let mut rng = rng_for(seed, 0, 77);
    for (i, &(name, support, weekdays, start, minutes, lead, roster)) in program.groups.iter().enumerate() {
        let input = GroupInput {
            name: name.into(),
            support_type: support.into(),
            facility_id: facility.id.to_string(),
            location_id: facility.rooms[i % facility.rooms.len()].id.to_string(),
            weekdays: weekdays.to_vec(),
            start_time: start.into(),
            duration_min: minutes,
            facilitators: vec![peers[lead].to_string()],
            capacity: Some(25),
            open_group: true,
            starts_on: from.to_string(),
            ..Default::default()
        };
        let group = store.save_group(ctx, None, &input)?;
        let members: Vec<&Enrolled> = active.iter().copied().skip(i * 7).take(roster).collect();
        for m in &members {
            store.add_member(ctx, group.id, m.id)?;
        }
        let mut monday = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
        while monday <= ctx.today {
            for meeting in store.week(facility.id, monday, None)?.meetings.into_iter().filter(|m| m.group_id == group.id && m.date < ctx.today) {
                let marks = members
                    .iter()
                    .filter(|m| m.admitted <= meeting.date)
                    .map(|m| {
                        let roll = rng.u8(..);
                        let mark = if roll < 200 { Mark::Present } else if roll < 235 { Mark::Absent } else { Mark::Excused };
                        MarkInput { participant_id: m.id, mark, walk_in: false }
                    })
                    .collect();
                let late = (ctx.today - meeting.date).num_days() > 7;
                let input = RollCallInput {
                    marks,
                    topic_covered: ["Triggers and cravings", "Building a support network", "Planning for release", "Coping with stress", "Sharing recovery stories"][rng.usize(..5)].into(),
                    notes: String::new(),
                    facilitator_hours: Some(f64::from(minutes) / 60.0 + 0.5),
                    late_reason: if late { "entered from the paper sign-in sheet".into() } else { String::new() },
                };
                store.save_roll_call(ctx, &MeetingKey { id: meeting.id, group_id: meeting.group_id, occurrence: meeting.occurrence }, &input)?;
            }
            monday += Duration::days(7);
        }
    }
    Ok(())
}

/// One-on-one contacts every one to three weeks from when the person came (or a year ago),
/// follow-ups after release for those who left, and a follow-up date on some.
fn contacts_year(store: &mut Store, ctx: &WriteCtx, rng: &mut fastrand::Rng, person: &Enrolled, peer: StaffId, from: NaiveDate) -> Result<()> {
    let released_on = person.left.map(|(_, on)| on);
    let mut day = person.admitted.max(from) + Duration::days(rng.i64(1..10));
    while day < ctx.today {
        let after_release = released_on.is_some_and(|r| day > r);
        let (kind, setting) = if after_release {
            ("follow_up_after_release", if rng.bool() { "phone_video" } else { "community" })
        } else {
            let kind = ["planned_session", "planned_session", "brief_check_in", "brief_check_in", "care_coordination", "crisis_support"][rng.usize(..6)];
            (kind, ["housing_unit", "program_room", "visit_booth"][rng.usize(..3)])
        };
        let sensitive = rng.u8(..) < 18;
        let input = ContactInput {
            participant_id: person.id.to_string(),
            staff_id: peer.to_string(),
            date: day.to_string(),
            start_time: format!("{:02}:{:02}", rng.u32(8..16), [0, 15, 30, 45][rng.usize(..4)]),
            minutes: [10, 15, 20, 30, 30, 45, 60][rng.usize(..7)],
            setting: setting.into(),
            kind: kind.into(),
            support_types: ["emotional", "informational", "instrumental", "affiliational"].iter().filter(|_| rng.u8(..) < 110).map(|s| s.to_string()).collect(),
            dimensions: ["health", "home", "purpose", "community"].iter().filter(|_| rng.u8(..) < 90).map(|s| s.to_string()).collect(),
            note: if sensitive { SENSITIVE.into() } else { NOTES[rng.usize(..NOTES.len())].into() },
            sensitive,
            follow_up_on: if rng.u8(..) < 60 { (day + Duration::days(rng.i64(3..15))).to_string() } else { String::new() },
            ..Default::default()
        };
        store.save_contact(ctx, None, &input)?;
        day += Duration::days(rng.i64(7..22));
        if released_on.is_some_and(|r| day > r + Duration::days(120)) {
            break;
        }
    }
    Ok(())
}

/// A baseline check-in soon after the person came, then one about every 90 days while they
/// are held, answers drifting upward as recovery capital grows.
fn check_ins_year(store: &mut Store, ctx: &WriteCtx, rng: &mut fastrand::Rng, person: &Enrolled, peer: StaffId, instrument: &Instrument, from: NaiveDate) -> Result<()> {
    let until = person.left.map_or(ctx.today, |(_, on)| on.min(ctx.today));
    let mut day = person.admitted.max(from) + Duration::days(rng.i64(3..25));
    let mut level = rng.i64(2..4);
    while day <= until {
        let answers = instrument
            .items
            .iter()
            .map(|item| {
                let v = (level + rng.i64(-1..=1)).clamp(instrument.scale.min, instrument.scale.max);
                let v = if item.reverse { instrument.scale.min + instrument.scale.max - v } else { v };
                (item.key.clone(), v)
            })
            .collect();
        let input = CheckInInput {
            participant_id: person.id.to_string(),
            date: day.to_string(),
            language: if person.spanish { "es".into() } else { "en".into() },
            staff_id: peer.to_string(),
            answers,
            ..Default::default()
        };
        store.record_check_in(ctx, &input)?;
        level = (level + i64::from(rng.u8(..) < 100)).min(instrument.scale.max);
        day += Duration::days(rng.i64(80..100));
    }
    Ok(())
}

/// Two goals in the person's words with their steps, one step done and one goal reviewed.
fn recovery_plan(store: &mut Store, ctx: &WriteCtx, rng: &mut fastrand::Rng, person: &Enrolled) -> Result<()> {
    let first = rng.usize(..GOALS.len());
    for (k, (goal, dimension, steps)) in [GOALS[first], GOALS[(first + 2) % GOALS.len()]].into_iter().enumerate() {
        let input = GoalInput { goal: goal.into(), dimension: dimension.into(), review_on: (ctx.today + Duration::days(30 + 15 * k as i64)).to_string(), ..Default::default() };
        let plan = store.save_goal(ctx, person.id, None, &input)?;
        let Some(goal_id) = plan.goals.iter().find(|g| g.goal == goal).and_then(|g| g.id.parse().ok()) else { continue };
        for (s, step) in steps.iter().enumerate() {
            let due = (ctx.today + Duration::days(7 + 14 * s as i64)).to_string();
            let typed = StepInput { step: (*step).into(), owner: if s == 0 { "participant".into() } else { "peer".into() }, due_on: due, ..Default::default() };
            let plan = store.save_step(ctx, person.id, goal_id, None, &typed)?;
            if s == 0 && k == 0 {
                let step_id = plan.goals.iter().flat_map(|g| &g.steps).find(|x| x.step == *step).and_then(|x| x.id.parse().ok());
                store.save_step(ctx, person.id, goal_id, step_id, &StepInput { status: "done".into(), ..typed })?;
            }
        }
    }
    Ok(())
}
