//! Peer staff: the roles they hold, their credentials and the continuing education that renews
//! them, the supervision they receive and how often they must; and the warnings these give, by
//! rules that need no database.

use super::participant::{max_len, optional, parse_date, required_date};
use super::mentor::Evaluation;
use super::words::words;
use super::{FacilityId, Staff, StaffId};
use crate::error::{Error, FieldError, Result};
use crate::text::clean_block;
use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

words! {
    /// What a person does in the program. One person may hold several.
    PeerRole {
        PeerSpecialist = "peer_specialist", "Peer specialist";
        PeerSupervisor = "peer_supervisor", "Peer supervisor";
        IncarceratedPeerMentor = "incarcerated_peer_mentor", "Incarcerated peer mentor";
        CommunityPeer = "community_peer", "Community peer";
        Volunteer = "volunteer", "Volunteer";
    }
}

words! {
    /// Who employs a person: the facility itself, or a community organization that sends its
    /// peers in.
    EmployerKind {
        Facility = "facility", "The facility";
        CommunityOrganization = "community_organization", "A community organization";
    }
}

words! {
    /// What a credential is.
    CredentialKind {
        StateCertification = "state_certification", "State peer certification";
        NationalCertification = "national_certification", "National certification";
        TrainingCertificate = "training_certificate", "Training certificate";
    }
}

words! {
    /// What an hour of continuing education was about; ethics is counted on its own, as renewal
    /// rules ask for a share of it.
    CeTopic {
        Ethics = "ethics", "Ethics";
        PeerPractice = "peer_practice", "Peer support practice";
        RecoveryWellness = "recovery_wellness", "Recovery and wellness";
        CulturalResponsiveness = "cultural_responsiveness", "Cultural responsiveness";
        TraumaInformedCare = "trauma_informed_care", "Trauma-informed care";
        CriminalLegalSystem = "criminal_legal_system", "The criminal legal system";
        Other = "other", "Other";
    }
}

words! {
    /// How often a person must be supervised. States that set it in rule commonly ask weekly
    /// while a peer holds an initial certificate and monthly after.
    Cadence {
        Weekly = "weekly", "Weekly";
        Fortnightly = "fortnightly", "Every two weeks";
        Monthly = "monthly", "Monthly";
        NotRequired = "none", "Not required";
    }
}

words! {
    /// The three functions of peer supervision (the BJA toolkit's table E); a session may serve
    /// several.
    SupervisionFunction {
        Administrative = "administrative", "Administrative: quality, workload, records";
        Educative = "educative", "Educative: training, reflection, growth";
        Supportive = "supportive", "Supportive: feedback, morale, self-care";
    }
}

/// How far ahead of an expiry it is announced, in days: the first announcement leaves time to
/// finish hours, the last a week to file the renewal.
pub const EXPIRY_NOTICE_DAYS: [i64; 3] = [90, 30, 7];

/// The share of a renewal cycle after which the hours earned so far set a pace worth judging:
/// before it, nobody is behind for not having started.
const PACE_FROM: f64 = 0.25;

/// The fewest hours one entry of the continuing-education ledger may hold: a quarter hour.
pub const MIN_CE_HOURS: f64 = 0.25;
/// The most hours one entry of the continuing-education ledger may hold: a week's course.
pub const MAX_CE_HOURS: f64 = 40.0;

/// The longest supervision session that may be logged, in minutes.
pub const MAX_SUPERVISION_MINUTES: i64 = 480;

impl Cadence {
    /// The day supervision is next due after a session on `last`. A month after the 31st is the
    /// last day of a shorter month; no day when none is required.
    pub fn due_after(self, last: NaiveDate) -> Option<NaiveDate> {
        match self {
            Cadence::Weekly => last.checked_add_signed(Duration::days(7)),
            Cadence::Fortnightly => last.checked_add_signed(Duration::days(14)),
            Cadence::Monthly => last.checked_add_months(Months::new(1)),
            Cadence::NotRequired => None,
        }
    }
}

/// When a person's supervision is due, and whether it has lapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SupervisionDue {
    pub due_on: NaiveDate,
    /// The last session, if there has been one (else the cadence runs from the start date).
    pub last: Option<NaiveDate>,
    /// Days past the due day; 0 while it is not.
    pub days_late: i64,
}

impl SupervisionDue {
    pub fn lapsed(&self) -> bool {
        self.days_late > 0
    }
}

/// When supervision at `cadence` is due for a person last supervised on `last` (or who started
/// on `started` and has not been supervised yet); none when it is not required or nothing is
/// known to count from.
pub fn supervision_due(cadence: Cadence, last: Option<NaiveDate>, started: Option<NaiveDate>, today: NaiveDate) -> Option<SupervisionDue> {
    let due_on = cadence.due_after(last.or(started)?)?;
    Some(SupervisionDue { due_on, last, days_late: (today - due_on).num_days().max(0) })
}

/// How close a credential's expiry is, as the warnings say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expiry {
    /// Within `notice` days (90, 30 or 7: the nearest it is inside of); `days_left` 0 is today.
    Soon { notice: i64, days_left: i64 },
    Expired { days_ago: i64 },
}

/// The warning a credential expiring on `expires` gives on `today`; none more than 90 days out.
pub fn expiry(expires: NaiveDate, today: NaiveDate) -> Option<Expiry> {
    let days_left = (expires - today).num_days();
    if days_left < 0 {
        return Some(Expiry::Expired { days_ago: -days_left });
    }
    EXPIRY_NOTICE_DAYS.iter().rev().find(|n| days_left <= **n).map(|&notice| Expiry::Soon { notice, days_left })
}

/// What a credential asks to be renewed: this many hours of continuing education every `years`,
/// `ethics_hours` of them in ethics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Renewal {
    pub years: u32,
    pub hours: f64,
    pub ethics_hours: f64,
}

/// Continuing education toward a credential's renewal, in its current cycle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CeProgress {
    pub cycle_start: NaiveDate,
    pub cycle_end: NaiveDate,
    pub hours: f64,
    pub ethics_hours: f64,
    pub required: f64,
    pub ethics_required: f64,
    /// Whether the hours (or the ethics hours) will fall short by the expiry at the pace kept
    /// since the cycle began; judged once a quarter of the cycle has passed.
    pub behind: bool,
}

/// The hours of `ledger` (date, topic, hours) that count toward a renewal by `rule` of a
/// credential issued on `issued` and expiring on `expires`: those dated inside the cycle that
/// ends at the expiry and began `rule.years` before it (or at the issue, if later), up to today.
pub fn ce_progress(rule: Renewal, issued: NaiveDate, expires: NaiveDate, ledger: &[(NaiveDate, CeTopic, f64)], today: NaiveDate) -> CeProgress {
    let years_before = expires.checked_sub_months(Months::new(rule.years.saturating_mul(12))).unwrap_or(issued);
    let cycle_start = years_before.max(issued);
    let counted = ledger.iter().filter(|(d, _, _)| *d >= cycle_start && *d <= expires.min(today));
    let (hours, ethics_hours) = counted.fold((0.0, 0.0), |(all, ethics), (_, topic, h)| (all + h, if *topic == CeTopic::Ethics { ethics + h } else { ethics }));
    let span = (expires - cycle_start).num_days().max(1) as f64;
    let elapsed = (today.min(expires) - cycle_start).num_days().max(0) as f64;
    let behind = if today >= expires {
        hours < rule.hours || ethics_hours < rule.ethics_hours
    } else if elapsed / span >= PACE_FROM {
        // The pace so far, kept to the expiry.
        let at_pace = |earned: f64| earned * span / elapsed;
        at_pace(hours) < rule.hours || at_pace(ethics_hours) < rule.ethics_hours
    } else {
        false
    };
    CeProgress { cycle_start, cycle_end: expires, hours, ethics_hours, required: rule.hours, ethics_required: rule.ethics_hours, behind }
}

/// A credential as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct CredentialInput {
    pub staff_id: String,
    pub kind: String,
    /// What it is called: "Certified Peer Recovery Specialist".
    pub name: String,
    pub issuer: String,
    pub number: String,
    pub issued_on: String,
    /// Empty for a credential that does not expire (most training certificates).
    pub expires_on: String,
    /// How many years a renewal cycle lasts; 0 when it is not renewed by hours.
    pub renewal_years: i64,
    pub renewal_hours: f64,
    pub renewal_ethics_hours: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidCredential {
    pub kind: CredentialKind,
    pub name: String,
    pub issuer: String,
    pub number: Option<String>,
    pub issued_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub renewal: Option<Renewal>,
}

impl CredentialInput {
    pub fn validate(&self) -> Result<ValidCredential> {
        let mut errors = Vec::new();
        let kind = CredentialKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", said!("choose what kind of credential it is", "elija qué tipo de credencial es")));
        }
        let name = optional(&self.name).unwrap_or_default();
        if name.is_empty() {
            errors.push(FieldError::new("name", said!("write the credential's name as it appears on it", "escriba el nombre de la credencial tal como aparece en ella")));
        }
        max_len("name", ("The name", "El nombre"), &name, 120, &mut errors);
        let issuer = optional(&self.issuer).unwrap_or_default();
        if issuer.is_empty() {
            errors.push(FieldError::new("issuer", said!("write who issued it", "escriba quién la emitió")));
        }
        max_len("issuer", ("The issuer", "El emisor"), &issuer, 120, &mut errors);
        let number = optional(&self.number);
        max_len("number", ("The number", "El número"), number.as_deref().unwrap_or_default(), 40, &mut errors);
        let issued_on = required_date("issued_on", ("The issue date", "La fecha de emisión"), &self.issued_on, said!("enter the date it was issued", "indique la fecha de emisión"), &mut errors);
        let expires_on = parse_date("expires_on", ("The expiry date", "La fecha de vencimiento"), &self.expires_on, &mut errors);
        if let (Some(issued), Some(expires)) = (issued_on, expires_on) {
            if expires <= issued {
                errors.push(FieldError::new("expires_on", said!("the expiry date must come after the issue date ({issued})", "la fecha de vencimiento debe ser posterior a la de emisión ({issued})")));
            }
        }
        let hours = [("renewal_hours", self.renewal_hours), ("renewal_ethics_hours", self.renewal_ethics_hours)];
        for (field, h) in hours {
            if !h.is_finite() || !(0.0..=500.0).contains(&h) {
                errors.push(FieldError::new(field, said!("hours for renewal must be between 0 and 500", "las horas para la renovación deben estar entre 0 y 500")));
            }
        }
        if self.renewal_ethics_hours > self.renewal_hours {
            errors.push(FieldError::new("renewal_ethics_hours", said!("the ethics hours are part of the hours, so they cannot be more", "las horas de ética forman parte de las horas, así que no pueden ser más")));
        }
        let years = u32::try_from(self.renewal_years).ok().filter(|y| *y <= 10);
        if years.is_none() {
            errors.push(FieldError::new("renewal_years", said!("a renewal cycle is from 0 to 10 years", "un ciclo de renovación dura de 0 a 10 años")));
        }
        let renews_by_hours = self.renewal_years > 0 && self.renewal_hours > 0.0;
        if renews_by_hours && self.expires_on.trim().is_empty() {
            errors.push(FieldError::new("expires_on", said!("a credential renewed by hours has an expiry date: enter it", "una credencial que se renueva con horas tiene fecha de vencimiento: indíquela")));
        }
        if self.renewal_years == 0 && self.renewal_hours > 0.0 {
            errors.push(FieldError::new("renewal_years", said!("say how many years the hours are due in", "indique en cuántos años se deben cumplir las horas")));
        }
        match (kind, issued_on) {
            (Some(kind), Some(issued_on)) if errors.is_empty() => Ok(ValidCredential {
                kind,
                name,
                issuer,
                number,
                issued_on,
                expires_on,
                renewal: renews_by_hours.then_some(Renewal { years: years.unwrap_or_default(), hours: self.renewal_hours, ethics_hours: self.renewal_ethics_hours }),
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// An entry of a person's continuing-education ledger as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct CeHoursInput {
    pub staff_id: String,
    pub date: String,
    pub hours: f64,
    pub topic: String,
    /// The course or event.
    pub title: String,
    pub provider: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidCeHours {
    pub date: NaiveDate,
    pub hours: f64,
    pub topic: CeTopic,
    pub title: String,
    pub provider: Option<String>,
}

impl CeHoursInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidCeHours> {
        let mut errors = Vec::new();
        let date = required_date("date", ("The date", "La fecha"), &self.date, said!("enter the date of the training", "indique la fecha de la formación"), &mut errors);
        if date.is_some_and(|d| d > today) {
            errors.push(FieldError::new("date", said!("hours are logged once they are earned: the date is after today", "las horas se registran una vez obtenidas: la fecha es posterior a hoy")));
        }
        if !(MIN_CE_HOURS..=MAX_CE_HOURS).contains(&self.hours) {
            // Spanish writes the decimal with a comma.
            let min_es = MIN_CE_HOURS.to_string().replace('.', ",");
            errors.push(FieldError::new("hours", said!("hours must be from {MIN_CE_HOURS} to {MAX_CE_HOURS}", "las horas deben estar entre {min_es} y {MAX_CE_HOURS}")));
        }
        let topic = CeTopic::parse(&self.topic);
        if topic.is_none() {
            errors.push(FieldError::new("topic", said!("choose the topic the hours count under", "elija el tema en el que cuentan las horas")));
        }
        let title = optional(&self.title).unwrap_or_default();
        if title.is_empty() {
            errors.push(FieldError::new("title", said!("write the course or event", "escriba el curso o el evento")));
        }
        max_len("title", ("The title", "El título"), &title, 200, &mut errors);
        let provider = optional(&self.provider);
        max_len("provider", ("The provider", "El proveedor"), provider.as_deref().unwrap_or_default(), 120, &mut errors);
        match (date, topic) {
            (Some(date), Some(topic)) if errors.is_empty() => Ok(ValidCeHours { date, hours: self.hours, topic, title, provider }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

words! {
    /// How a supervision session was held.
    SupervisionSetting {
        InPerson = "in_person", "In person";
        Remote = "remote", "Phone or video";
    }
}

/// A supervision session as typed: one supervisor, one person supervised or a group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct SupervisionInput {
    pub supervisor_id: String,
    pub supervisees: Vec<String>,
    pub date: String,
    pub minutes: i64,
    pub functions: Vec<String>,
    pub setting: String,
    pub topics: String,
    pub follow_ups: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidSupervision {
    pub supervisor_id: StaffId,
    pub supervisees: Vec<StaffId>,
    pub date: NaiveDate,
    pub minutes: i64,
    pub functions: Vec<SupervisionFunction>,
    pub setting: SupervisionSetting,
    pub topics: Option<String>,
    pub follow_ups: Option<String>,
}

impl SupervisionInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidSupervision> {
        let mut errors = Vec::new();
        let supervisor_id = self.supervisor_id.trim().parse::<StaffId>().ok();
        if supervisor_id.is_none() {
            errors.push(FieldError::new("supervisor_id", said!("choose who gave the supervision", "elija quién dio la supervisión")));
        }
        let mut supervisees = Vec::new();
        for s in &self.supervisees {
            match s.trim().parse::<StaffId>() {
                Ok(id) if !supervisees.contains(&id) => supervisees.push(id),
                Ok(_) => {}
                Err(_) => errors.push(FieldError::new("supervisees", said!("\"{s}\" is not someone in the staff directory", "«{s}» no es nadie del directorio del personal"))),
            }
        }
        if self.supervisees.is_empty() {
            errors.push(FieldError::new("supervisees", said!("choose who was supervised: one person, or several for group supervision", "elija a quién se supervisó: una persona, o varias en supervisión de grupo")));
        }
        if supervisor_id.is_some_and(|s| supervisees.contains(&s)) {
            errors.push(FieldError::new("supervisees", said!("a supervisor does not supervise themselves", "un supervisor no se supervisa a sí mismo")));
        }
        let date = required_date("date", ("The date", "La fecha"), &self.date, said!("enter the date of the session", "indique la fecha de la sesión"), &mut errors);
        if date.is_some_and(|d| d > today) {
            errors.push(FieldError::new("date", said!("supervision is logged once it has happened: the date is after today", "la supervisión se registra una vez realizada: la fecha es posterior a hoy")));
        }
        if !(1..=MAX_SUPERVISION_MINUTES).contains(&self.minutes) {
            errors.push(FieldError::new("minutes", said!("minutes must be from 1 to {MAX_SUPERVISION_MINUTES}", "los minutos deben estar entre 1 y {MAX_SUPERVISION_MINUTES}")));
        }
        let mut functions = Vec::new();
        for f in &self.functions {
            match SupervisionFunction::parse(f) {
                Some(f) if !functions.contains(&f) => functions.push(f),
                Some(_) => {}
                None => errors.push(FieldError::new("functions", said!("\"{f}\" is not a function of supervision", "«{f}» no es una función de la supervisión"))),
            }
        }
        if self.functions.is_empty() {
            errors.push(FieldError::new("functions", said!("tick what the session was for: administrative, educative or supportive", "marque para qué fue la sesión: administrativa, educativa o de apoyo")));
        }
        functions.sort();
        let setting = SupervisionSetting::parse(&self.setting);
        if setting.is_none() {
            errors.push(FieldError::new("setting", said!("choose in person or by phone or video", "elija en persona o por teléfono o video")));
        }
        let block = |text: &str| Some(clean_block(text)).filter(|t| !t.trim().is_empty());
        let (topics, follow_ups) = (block(&self.topics), block(&self.follow_ups));
        max_len("topics", ("The topics", "Los temas"), topics.as_deref().unwrap_or_default(), 4000, &mut errors);
        max_len("follow_ups", ("The follow-ups", "Los seguimientos"), follow_ups.as_deref().unwrap_or_default(), 4000, &mut errors);
        match (supervisor_id, date, setting) {
            (Some(supervisor_id), Some(date), Some(setting)) if errors.is_empty() => {
                Ok(ValidSupervision { supervisor_id, supervisees, date, minutes: self.minutes, functions, setting, topics, follow_ups })
            }
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A staff member named in another's record: a supervisor, a supervisee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StaffRef {
    pub id: StaffId,
    pub name: String,
}

/// A credential as the staff page shows it, with its warnings worked out for the day asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Credential {
    pub id: String,
    pub staff_id: StaffId,
    pub kind: CredentialKind,
    pub name: String,
    pub issuer: String,
    pub number: Option<String>,
    pub issued_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub renewal: Option<Renewal>,
    pub expiry: Option<Expiry>,
    /// Hours toward the renewal, for a credential renewed by hours.
    pub progress: Option<CeProgress>,
}

/// One entry of a person's continuing-education ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CeEntry {
    pub id: String,
    pub date: NaiveDate,
    pub hours: f64,
    pub topic: CeTopic,
    pub title: String,
    pub provider: Option<String>,
}

/// A supervision session as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SupervisionSession {
    pub id: String,
    pub date: NaiveDate,
    pub supervisor: StaffRef,
    pub supervisees: Vec<StaffRef>,
    pub minutes: i64,
    pub functions: Vec<SupervisionFunction>,
    pub setting: SupervisionSetting,
    pub topics: Option<String>,
    pub follow_ups: Option<String>,
}

/// How far the person signed in reaches into one staff record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum StaffReach {
    /// They keep staff records in the person's facility: everything.
    Keeper,
    /// It is their own record: they read it, and keep their own credentials and hours.
    Own,
    /// They are the person's supervisor: they read it, log their supervision and evaluate them.
    Supervisor,
}

/// A person's staff record: the directory entry and everything kept about their peer work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct StaffRecord {
    #[serde(flatten)]
    pub staff: Staff,
    pub facility_name: String,
    pub roles: Vec<PeerRole>,
    pub employer_kind: EmployerKind,
    pub employer: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub cadence: Cadence,
    pub supervisor: Option<StaffRef>,
    /// The facilities they work in besides their own.
    pub other_facilities: Vec<FacilityId>,
    pub agreement_signed_on: Option<NaiveDate>,
    pub agreement_covers: Option<String>,
    pub credentials: Vec<Credential>,
    /// Newest first.
    pub ce_hours: Vec<CeEntry>,
    /// The sessions they received, newest first.
    pub supervision: Vec<SupervisionSession>,
    pub supervision_due: Option<SupervisionDue>,
    pub supervisees: Vec<StaffRef>,
    /// Newest first.
    pub evaluations: Vec<Evaluation>,
    /// What needs doing, as Today lists it.
    pub warnings: Vec<StaffWarning>,
    /// How far the person reading it reaches, for the screen to offer what they may do.
    pub reach: StaffReach,
}

/// What may be changed of a staff record beyond its directory entry, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct StaffRecordInput {
    pub roles: Vec<String>,
    pub employer_kind: String,
    pub employer: String,
    pub start_date: String,
    pub phone: String,
    pub email: String,
    pub cadence: String,
    /// A staff id, or empty for none.
    pub supervisor_id: String,
    pub other_facilities: Vec<String>,
    pub agreement_signed_on: String,
    pub agreement_covers: String,
}

/// A record as it stands, ready to be changed in part and saved again.
impl From<&StaffRecord> for StaffRecordInput {
    fn from(r: &StaffRecord) -> Self {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        StaffRecordInput {
            roles: r.roles.iter().map(|role| role.as_str().to_string()).collect(),
            employer_kind: r.employer_kind.as_str().to_string(),
            employer: r.employer.clone().unwrap_or_default(),
            start_date: date(r.start_date),
            phone: r.phone.clone().unwrap_or_default(),
            email: r.email.clone().unwrap_or_default(),
            cadence: r.cadence.as_str().to_string(),
            supervisor_id: r.supervisor.as_ref().map(|s| s.id.to_string()).unwrap_or_default(),
            other_facilities: r.other_facilities.iter().map(ToString::to_string).collect(),
            agreement_signed_on: date(r.agreement_signed_on),
            agreement_covers: r.agreement_covers.clone().unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidStaffRecord {
    pub roles: Vec<PeerRole>,
    pub employer_kind: EmployerKind,
    pub employer: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub cadence: Cadence,
    pub supervisor_id: Option<StaffId>,
    pub other_facilities: Vec<FacilityId>,
    pub agreement_signed_on: Option<NaiveDate>,
    pub agreement_covers: Option<String>,
}

impl StaffRecordInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidStaffRecord> {
        let mut errors = Vec::new();
        let mut roles = Vec::new();
        for r in &self.roles {
            match PeerRole::parse(r) {
                Some(role) if !roles.contains(&role) => roles.push(role),
                Some(_) => {}
                None => errors.push(FieldError::new("roles", said!("\"{r}\" is not a peer role", "«{r}» no es un rol del personal de pares"))),
            }
        }
        roles.sort();
        let employer_kind = EmployerKind::parse(&self.employer_kind);
        if employer_kind.is_none() {
            errors.push(FieldError::new("employer_kind", said!("choose who employs them: the facility or a community organization", "elija quién le emplea: el centro o una organización comunitaria")));
        }
        let employer = optional(&self.employer);
        if employer_kind == Some(EmployerKind::CommunityOrganization) && employer.is_none() {
            errors.push(FieldError::new("employer", said!("write the community organization's name", "escriba el nombre de la organización comunitaria")));
        }
        max_len("employer", ("The employer", "El empleador"), employer.as_deref().unwrap_or_default(), 120, &mut errors);
        let start_date = parse_date("start_date", ("The start date", "La fecha de inicio"), &self.start_date, &mut errors);
        if start_date.is_some_and(|d| d > today + Duration::days(365)) {
            errors.push(FieldError::new("start_date", said!("the start date is more than a year away", "la fecha de inicio está a más de un año")));
        }
        let phone = optional(&self.phone);
        max_len("phone", ("The phone", "El teléfono"), phone.as_deref().unwrap_or_default(), 40, &mut errors);
        let email = optional(&self.email);
        if email.as_deref().is_some_and(|e| !e.contains('@') || e.contains(' ')) {
            errors.push(FieldError::new("email", said!("that is not an email address", "eso no es una dirección de correo electrónico")));
        }
        max_len("email", ("The email", "El correo"), email.as_deref().unwrap_or_default(), 120, &mut errors);
        let cadence = Cadence::parse(&self.cadence);
        if cadence.is_none() {
            errors.push(FieldError::new("cadence", said!("choose how often they are supervised", "elija cada cuánto se le supervisa")));
        }
        if cadence.is_some_and(|c| c != Cadence::NotRequired) && self.start_date.trim().is_empty() {
            errors.push(FieldError::new("start_date", said!("supervision is counted from the start date until the first session: enter it", "la supervisión se cuenta desde la fecha de inicio hasta la primera sesión: indíquela")));
        }
        let supervisor_id = match self.supervisor_id.trim() {
            "" => None,
            text => {
                let id = text.parse::<StaffId>().ok();
                if id.is_none() {
                    errors.push(FieldError::new("supervisor_id", said!("choose the supervisor from the staff directory", "elija al supervisor del directorio del personal")));
                }
                id
            }
        };
        let mut other_facilities = Vec::new();
        for f in &self.other_facilities {
            match f.trim().parse::<FacilityId>() {
                Ok(id) if !other_facilities.contains(&id) => other_facilities.push(id),
                Ok(_) => {}
                Err(_) => errors.push(FieldError::new("other_facilities", said!("\"{f}\" is not a facility here", "«{f}» no es un centro de aquí"))),
            }
        }
        let agreement_signed_on = parse_date("agreement_signed_on", ("The agreement's date", "La fecha del acuerdo"), &self.agreement_signed_on, &mut errors);
        if agreement_signed_on.is_some_and(|d| d > today) {
            errors.push(FieldError::new("agreement_signed_on", said!("an agreement is recorded once it is signed: the date is after today", "un acuerdo se registra una vez firmado: la fecha es posterior a hoy")));
        }
        let agreement_covers = Some(clean_block(&self.agreement_covers)).filter(|t| !t.trim().is_empty());
        max_len("agreement_covers", ("What the agreement covers", "Lo que cubre el acuerdo"), agreement_covers.as_deref().unwrap_or_default(), 4000, &mut errors);
        match (employer_kind, cadence) {
            (Some(employer_kind), Some(cadence)) if errors.is_empty() => Ok(ValidStaffRecord {
                roles,
                employer_kind,
                employer,
                start_date,
                phone,
                email,
                cadence,
                supervisor_id,
                other_facilities,
                agreement_signed_on,
                agreement_covers,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// Something about a person's peer work that needs doing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StaffWarning {
    /// A credential expires soon or has expired.
    Expiry { credential: String, expires_on: NaiveDate, expiry: Expiry },
    /// The hours a credential's renewal needs will not be met at the pace kept.
    HoursBehind { credential: String, progress: CeProgress },
    SupervisionLapsed { due: SupervisionDue },
}

/// A person with something due, for Today, the staff page and `bridger staff due`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct StaffDue {
    pub staff: StaffRef,
    pub facility_name: String,
    pub warnings: Vec<StaffWarning>,
}

/// The warnings of one person's credentials and supervision. A credential renewed (another of
/// the same kind and name that expires later, or never) warns no more.
pub fn staff_warnings(credentials: &[Credential], supervision: Option<SupervisionDue>) -> Vec<StaffWarning> {
    let renewed = |c: &Credential| {
        credentials.iter().any(|o| o.id != c.id && o.kind == c.kind && o.name == c.name && c.expires_on.is_some_and(|e| o.expires_on.is_none_or(|n| n > e)))
    };
    let mut warnings = Vec::new();
    for c in credentials.iter().filter(|c| !renewed(c)) {
        if let (Some(expires_on), Some(expiry)) = (c.expires_on, c.expiry) {
            warnings.push(StaffWarning::Expiry { credential: c.name.clone(), expires_on, expiry });
        }
        if let Some(progress) = c.progress.filter(|p| p.behind) {
            warnings.push(StaffWarning::HoursBehind { credential: c.name.clone(), progress });
        }
    }
    if let Some(due) = supervision.filter(SupervisionDue::lapsed) {
        warnings.push(StaffWarning::SupervisionLapsed { due });
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    #[test]
    fn an_expiry_is_announced_at_90_30_and_7_days_then_as_expired() {
        let expires = day("2027-03-31");
        let on = |d: &str| expiry(expires, day(d));
        assert_eq!(on("2026-12-30"), None, "91 days out");
        assert_eq!(on("2026-12-31"), Some(Expiry::Soon { notice: 90, days_left: 90 }));
        assert_eq!(on("2027-02-28"), Some(Expiry::Soon { notice: 90, days_left: 31 }));
        assert_eq!(on("2027-03-01"), Some(Expiry::Soon { notice: 30, days_left: 30 }));
        assert_eq!(on("2027-03-23"), Some(Expiry::Soon { notice: 30, days_left: 8 }));
        assert_eq!(on("2027-03-24"), Some(Expiry::Soon { notice: 7, days_left: 7 }));
        assert_eq!(on("2027-03-31"), Some(Expiry::Soon { notice: 7, days_left: 0 }));
        assert_eq!(on("2027-04-01"), Some(Expiry::Expired { days_ago: 1 }));
    }

    #[test]
    fn monthly_supervision_after_the_31st_is_due_at_the_end_of_a_shorter_month() {
        assert_eq!(Cadence::Monthly.due_after(day("2027-01-31")), Some(day("2027-02-28")));
        assert_eq!(Cadence::Monthly.due_after(day("2028-01-31")), Some(day("2028-02-29")));
        assert_eq!(Cadence::Monthly.due_after(day("2026-12-15")), Some(day("2027-01-15")));
        assert_eq!(Cadence::Weekly.due_after(day("2026-12-29")), Some(day("2027-01-05")));
        assert_eq!(Cadence::Fortnightly.due_after(day("2026-02-20")), Some(day("2026-03-06")));
        assert_eq!(Cadence::NotRequired.due_after(day("2026-02-20")), None);
    }

    #[test]
    fn supervision_lapses_the_day_after_it_is_due_and_counts_from_the_start_until_the_first() {
        let due = |last: Option<&str>, today: &str| supervision_due(Cadence::Monthly, last.map(day), Some(day("2026-10-31")), day(today));
        assert_eq!(due(None, "2026-11-30"), Some(SupervisionDue { due_on: day("2026-11-30"), last: None, days_late: 0 }));
        let late = due(None, "2026-12-02").expect("due");
        assert!(late.lapsed());
        assert_eq!(late.days_late, 2);
        let after_one = due(Some("2027-01-31"), "2027-02-28").expect("due");
        assert_eq!((after_one.due_on, after_one.lapsed()), (day("2027-02-28"), false));
        assert!(due(Some("2027-01-31"), "2027-03-01").expect("due").lapsed(), "lapsed across the end of February");
        assert_eq!(supervision_due(Cadence::NotRequired, None, Some(day("2026-01-01")), day("2027-01-01")), None);
        assert_eq!(supervision_due(Cadence::Weekly, None, None, day("2027-01-01")), None, "nothing to count from");
    }

    const RULE: Renewal = Renewal { years: 2, hours: 20.0, ethics_hours: 6.0 };

    #[test]
    fn hours_count_inside_the_cycle_that_ends_at_the_expiry() {
        let ledger = [
            (day("2024-12-31"), CeTopic::PeerPractice, 10.0),
            (day("2025-01-01"), CeTopic::Ethics, 3.0),
            (day("2026-06-01"), CeTopic::PeerPractice, 4.5),
            (day("2027-02-01"), CeTopic::Ethics, 2.0),
        ];
        let p = ce_progress(RULE, day("2021-01-01"), day("2027-01-01"), &ledger, day("2026-12-01"));
        assert_eq!((p.cycle_start, p.hours, p.ethics_hours), (day("2025-01-01"), 7.5, 3.0), "before the cycle and after today are not counted");
        // A first certificate's cycle starts at its issue.
        let first = ce_progress(RULE, day("2025-06-01"), day("2027-01-01"), &ledger, day("2026-12-01"));
        assert_eq!((first.cycle_start, first.hours), (day("2025-06-01"), 4.5));
    }

    #[test]
    fn falling_behind_is_judged_from_a_quarter_of_the_cycle_at_the_pace_kept() {
        let (issued, expires) = (day("2025-01-01"), day("2027-01-01"));
        let none: [(NaiveDate, CeTopic, f64); 0] = [];
        assert!(!ce_progress(RULE, issued, expires, &none, day("2025-06-01")).behind, "a fifth of the way: too early to judge");
        assert!(ce_progress(RULE, issued, expires, &none, day("2025-07-15")).behind, "past a quarter with nothing");
        // Half way with half the hours and half the ethics: on pace.
        let half = [(day("2025-03-01"), CeTopic::PeerPractice, 7.0), (day("2025-04-01"), CeTopic::Ethics, 3.0)];
        assert!(!ce_progress(RULE, issued, expires, &half, day("2026-01-01")).behind);
        // Enough hours at pace, but no ethics: behind.
        let no_ethics = [(day("2025-03-01"), CeTopic::PeerPractice, 15.0)];
        assert!(ce_progress(RULE, issued, expires, &no_ethics, day("2026-01-01")).behind);
        // At the expiry only what was earned counts.
        let all = [(day("2025-03-01"), CeTopic::PeerPractice, 14.0), (day("2026-12-01"), CeTopic::Ethics, 6.0)];
        assert!(!ce_progress(RULE, issued, expires, &all, day("2027-02-01")).behind);
        assert!(ce_progress(RULE, issued, expires, &all[..1], day("2027-02-01")).behind);
    }

    fn credential() -> CredentialInput {
        CredentialInput {
            staff_id: String::new(),
            kind: "state_certification".into(),
            name: "Certified Peer Recovery Specialist".into(),
            issuer: "State certification board".into(),
            number: "PRS-1041".into(),
            issued_on: "2025-01-01".into(),
            expires_on: "2027-01-01".into(),
            renewal_years: 2,
            renewal_hours: 20.0,
            renewal_ethics_hours: 6.0,
        }
    }

    fn refused_fields(e: Error) -> Vec<&'static str> {
        match e {
            Error::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn a_credential_is_refused_with_the_field_named() {
        let valid = credential().validate().expect("valid");
        assert_eq!(valid.renewal, Some(RULE));
        let before = CredentialInput { expires_on: "2024-12-31".into(), ..credential() };
        assert_eq!(refused_fields(before.validate().unwrap_err()), vec!["expires_on"]);
        let negative = CredentialInput { renewal_hours: -1.0, ..credential() };
        assert!(refused_fields(negative.validate().unwrap_err()).contains(&"renewal_hours"));
        let ethics = CredentialInput { renewal_ethics_hours: 30.0, ..credential() };
        assert!(refused_fields(ethics.validate().unwrap_err()).contains(&"renewal_ethics_hours"));
        let no_expiry = CredentialInput { expires_on: String::new(), ..credential() };
        assert_eq!(refused_fields(no_expiry.validate().unwrap_err()), vec!["expires_on"]);
        let training = CredentialInput { kind: "training_certificate".into(), expires_on: String::new(), renewal_years: 0, renewal_hours: 0.0, renewal_ethics_hours: 0.0, ..credential() };
        assert_eq!(training.validate().expect("a certificate that does not expire").renewal, None);
    }

    #[test]
    fn a_renewed_credential_warns_no_more_and_a_cadence_needs_a_start_date() {
        let today = day("2027-01-10");
        let held = |id: &str, expires: &str| {
            let c = CredentialInput { expires_on: expires.into(), ..credential() }.validate().expect("valid");
            let progress = c.renewal.map(|r| ce_progress(r, c.issued_on, day(expires), &[], today));
            Credential {
                id: id.into(),
                staff_id: StaffId::from_uuid(uuid::Uuid::from_u128(1)),
                kind: c.kind,
                name: c.name,
                issuer: c.issuer,
                number: c.number,
                issued_on: c.issued_on,
                expires_on: c.expires_on,
                renewal: c.renewal,
                expiry: c.expires_on.and_then(|e| expiry(e, today)),
                progress,
            }
        };
        let lapsed = held("old", "2027-01-01");
        assert_eq!(staff_warnings(std::slice::from_ref(&lapsed), None).len(), 2, "expired and short of hours");
        assert_eq!(staff_warnings(&[lapsed, held("new", "2029-01-01")], None), vec![], "renewed, and the new cycle has only begun");
        let input = StaffRecordInput { employer_kind: "facility".into(), cadence: "weekly".into(), ..Default::default() };
        assert_eq!(refused_fields(input.validate(today).unwrap_err()), vec!["start_date"]);
        assert!(StaffRecordInput { cadence: "none".into(), ..input }.validate(today).is_ok());
    }

    #[test]
    fn hours_and_supervision_are_refused_when_negative_or_in_the_future() {
        let today = day("2026-12-02");
        let hours = CeHoursInput { staff_id: String::new(), date: "2026-11-20".into(), hours: 3.0, topic: "ethics".into(), title: "Boundaries".into(), provider: String::new() };
        assert_eq!(hours.validate(today).expect("valid").hours, 3.0);
        assert_eq!(refused_fields(CeHoursInput { hours: -2.0, ..hours.clone() }.validate(today).unwrap_err()), vec!["hours"]);
        assert_eq!(refused_fields(CeHoursInput { hours: f64::NAN, ..hours.clone() }.validate(today).unwrap_err()), vec!["hours"]);
        assert_eq!(refused_fields(CeHoursInput { date: "2026-12-03".into(), ..hours.clone() }.validate(today).unwrap_err()), vec!["date"]);
        let supervisor = StaffId::from_uuid(uuid::Uuid::from_u128(1)).to_string();
        let peer = StaffId::from_uuid(uuid::Uuid::from_u128(2)).to_string();
        let session = SupervisionInput {
            supervisor_id: supervisor.clone(),
            supervisees: vec![peer.clone()],
            date: "2026-12-01".into(),
            minutes: 60,
            functions: vec!["supportive".into(), "administrative".into()],
            setting: "in_person".into(),
            topics: "Caseload; self-care".into(),
            follow_ups: String::new(),
        };
        let valid = session.validate(today).expect("valid");
        assert_eq!(valid.functions, vec![SupervisionFunction::Administrative, SupervisionFunction::Supportive]);
        assert_eq!(refused_fields(SupervisionInput { date: "2026-12-03".into(), ..session.clone() }.validate(today).unwrap_err()), vec!["date"]);
        assert_eq!(refused_fields(SupervisionInput { supervisees: vec![supervisor], ..session.clone() }.validate(today).unwrap_err()), vec!["supervisees"]);
        assert_eq!(refused_fields(SupervisionInput { functions: vec![], ..session.clone() }.validate(today).unwrap_err()), vec!["functions"]);
        assert_eq!(refused_fields(SupervisionInput { minutes: 0, ..session }.validate(today).unwrap_err()), vec!["minutes"]);
    }
}
