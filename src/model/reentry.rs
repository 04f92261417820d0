//! Reentry: the areas a release plan covers, the windows reentry practice counts down in, the
//! default plan template, and the rules on appointments and consents that need no database.

use super::participant::{max_len, optional, parse_date, required_date};
use crate::error::{Error, FieldError, Label, Result, Said};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a release plan covers, in the order a plan shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Identification,
    HealthCoverage,
    Moud,
    Naloxone,
    Housing,
    Employment,
    Transportation,
    Phone,
    Supervision,
    RecoverySupports,
}

impl Area {
    pub const ALL: [Area; 10] = [
        Area::Identification,
        Area::HealthCoverage,
        Area::Moud,
        Area::Naloxone,
        Area::Housing,
        Area::Employment,
        Area::Transportation,
        Area::Phone,
        Area::Supervision,
        Area::RecoverySupports,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Area::Identification => "identification",
            Area::HealthCoverage => "health_coverage",
            Area::Moud => "moud",
            Area::Naloxone => "naloxone",
            Area::Housing => "housing",
            Area::Employment => "employment",
            Area::Transportation => "transportation",
            Area::Phone => "phone",
            Area::Supervision => "supervision",
            Area::RecoverySupports => "recovery_supports",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Area::Identification => "Identification documents",
            Area::HealthCoverage => "Health coverage and benefits",
            Area::Moud => "Medication for opioid use disorder",
            Area::Naloxone => "Naloxone",
            Area::Housing => "Housing",
            Area::Employment => "Employment or education",
            Area::Transportation => "Transportation",
            Area::Phone => "Phone",
            Area::Supervision => "Supervision",
            Area::RecoverySupports => "Recovery supports and community peer",
        }
    }

    pub fn parse(s: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }
}

/// The area a form names, or the error saying to choose one.
fn chosen_area(value: &str, what: Label, errors: &mut Vec<FieldError>) -> Option<Area> {
    let area = Area::parse(value);
    if area.is_none() {
        let (en, es) = what;
        errors.push(FieldError::new("area", Said { en: format!("choose the area of the plan {en}"), es: format!("elija el área del plan {es}") }));
    }
    area
}

/// Where a plan item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Open,
    InProgress,
    Done,
    NotNeeded,
}

impl ItemStatus {
    /// How far along an item is: when two records of one person are merged, the item keeps
    /// the further of the two (an item done on either is done).
    pub const fn progress(self) -> u8 {
        match self {
            ItemStatus::Open => 0,
            ItemStatus::InProgress => 1,
            ItemStatus::NotNeeded => 2,
            ItemStatus::Done => 3,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Open => "open",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Done => "done",
            ItemStatus::NotNeeded => "not_needed",
        }
    }

    pub const ALL: [ItemStatus; 4] = [ItemStatus::Open, ItemStatus::InProgress, ItemStatus::Done, ItemStatus::NotNeeded];

    pub fn parse(s: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Open => "Open",
            ItemStatus::InProgress => "In progress",
            ItemStatus::Done => "Done",
            ItemStatus::NotNeeded => "Not needed",
        }
    }

    /// Done, or decided not to be needed: nothing is missing.
    pub fn settled(self) -> bool {
        matches!(self, ItemStatus::Done | ItemStatus::NotNeeded)
    }
}

/// The windows reentry work counts down in, from the projected release date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// More than 90 days out.
    Later,
    /// 90 days out: Medicaid reentry coverage can begin.
    Days90,
    Days30,
    Days7,
    ReleaseDay,
    /// The first week after release.
    FirstWeek,
    /// Days 8 to 30 after release.
    FirstMonth,
    /// More than 30 days after release.
    Past,
}

impl Window {
    /// In the order the pipeline lists them: the most urgent first.
    pub const BY_URGENCY: [Window; 8] =
        [Window::FirstWeek, Window::ReleaseDay, Window::Days7, Window::Days30, Window::Days90, Window::FirstMonth, Window::Later, Window::Past];

    /// The window `today` falls in for someone released (or to be released) on `release`.
    pub fn of(release: NaiveDate, today: NaiveDate) -> Window {
        match (release - today).num_days() {
            91.. => Window::Later,
            31..=90 => Window::Days90,
            8..=30 => Window::Days30,
            1..=7 => Window::Days7,
            0 => Window::ReleaseDay,
            -7..=-1 => Window::FirstWeek,
            -30..=-8 => Window::FirstMonth,
            _ => Window::Past,
        }
    }

    /// Items due this many days before release or more should be settled by the end of this
    /// window.
    pub fn due_from(self) -> i64 {
        match self {
            Window::Later => 91,
            Window::Days90 => 31,
            Window::Days30 => 8,
            Window::Days7 => 1,
            Window::ReleaseDay => 0,
            Window::FirstWeek => -7,
            Window::FirstMonth => -30,
            Window::Past => i64::MIN,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Window::Later => "later",
            Window::Days90 => "days90",
            Window::Days30 => "days30",
            Window::Days7 => "days7",
            Window::ReleaseDay => "release_day",
            Window::FirstWeek => "first_week",
            Window::FirstMonth => "first_month",
            Window::Past => "past",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Window::Later => "More than 90 days out",
            Window::Days90 => "31 to 90 days out",
            Window::Days30 => "8 to 30 days out",
            Window::Days7 => "1 to 7 days out",
            Window::ReleaseDay => "Day of release",
            Window::FirstWeek => "First week out",
            Window::FirstMonth => "First month out",
            Window::Past => "Over a month out",
        }
    }
}

/// The first two weeks after release carry the highest overdose risk.
pub const HIGH_RISK_DAYS: i64 = 14;

/// An item of the default template: its key gives it the same id on every workstation.
#[derive(Debug, Clone, Copy)]
pub struct DefaultItem {
    pub key: &'static str,
    pub area: Area,
    pub title: &'static str,
    /// The title as the Spanish release packet prints it.
    pub title_es: &'static str,
    pub due_days: i64,
}

impl DefaultItem {
    /// The Spanish title of a default item still called by its English title.
    pub fn spanish_title(english: &str) -> Option<&'static str> {
        DEFAULT_TEMPLATE.iter().find(|d| d.title == english).map(|d| d.title_es)
    }
}

/// The plan a program starts from; it can change it (add, rename, re-time, remove items).
pub const DEFAULT_TEMPLATE: &[DefaultItem] = &[
    DefaultItem { key: "state-id", area: Area::Identification, title: "State ID card", title_es: "Tarjeta de identificación del estado", due_days: 30 },
    DefaultItem { key: "ssn-card", area: Area::Identification, title: "Social Security card", title_es: "Tarjeta de Seguro Social", due_days: 30 },
    DefaultItem { key: "birth-certificate", area: Area::Identification, title: "Birth certificate", title_es: "Acta de nacimiento", due_days: 30 },
    DefaultItem { key: "medicaid", area: Area::HealthCoverage, title: "Medicaid application or reinstatement", title_es: "Solicitud o reactivación de Medicaid", due_days: 90 },
    DefaultItem { key: "benefits", area: Area::HealthCoverage, title: "Other benefits (SNAP, SSI/SSDI) applied for", title_es: "Otros beneficios (SNAP, SSI/SSDI) solicitados", due_days: 30 },
    DefaultItem { key: "moud-bridge", area: Area::Moud, title: "Bridge supply of medication at release", title_es: "Medicamento puente para los primeros días", due_days: 7 },
    DefaultItem { key: "moud-appointment", area: Area::Moud, title: "First community MOUD appointment within 3 days of release", title_es: "Primera cita de tratamiento con medicamento en los 3 días después de salir", due_days: 7 },
    DefaultItem { key: "naloxone", area: Area::Naloxone, title: "Naloxone kit and how to use it", title_es: "Kit de naloxona y cómo usarlo", due_days: 0 },
    DefaultItem { key: "housing-first-night", area: Area::Housing, title: "Housing confirmed for the first night", title_es: "Vivienda confirmada para la primera noche", due_days: 7 },
    DefaultItem { key: "housing-after", area: Area::Housing, title: "Housing for after the first month", title_es: "Vivienda para después del primer mes", due_days: -30 },
    DefaultItem { key: "work-or-school", area: Area::Employment, title: "Employment or education plan", title_es: "Plan de empleo o estudios", due_days: -30 },
    DefaultItem { key: "ride-from-gate", area: Area::Transportation, title: "Ride from the gate arranged", title_es: "Transporte desde la salida", due_days: 7 },
    DefaultItem { key: "phone", area: Area::Phone, title: "Working phone", title_es: "Teléfono que funciona", due_days: 0 },
    DefaultItem { key: "supervision-conditions", area: Area::Supervision, title: "Supervision conditions reviewed", title_es: "Condiciones de supervisión revisadas", due_days: 30 },
    DefaultItem { key: "first-report", area: Area::Supervision, title: "First reporting date and office known", title_es: "Fecha y oficina de la primera presentación", due_days: 7 },
    DefaultItem { key: "community-peer", area: Area::RecoverySupports, title: "Named community peer and warm hand-off", title_es: "Compañero de apoyo en la comunidad y entrega personal", due_days: 7 },
    DefaultItem { key: "meetings", area: Area::RecoverySupports, title: "Recovery meetings near home", title_es: "Reuniones de recuperación cerca de casa", due_days: 0 },
];

/// A plan item (or template item) as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PlanItemInput {
    pub area: String,
    pub title: String,
    /// Days before release it should be done; negative for after.
    pub due_days: i64,
    pub status: String,
    pub owner: String,
    pub due_date: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ValidPlanItem {
    pub area: Area,
    pub title: String,
    pub due_days: i64,
    pub status: ItemStatus,
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub notes: Option<String>,
}

impl PlanItemInput {
    pub fn validate(&self) -> Result<ValidPlanItem> {
        let mut errors = Vec::new();
        let area = chosen_area(&self.area, ("this item belongs to", "a la que pertenece este punto"), &mut errors);
        let title = optional(&self.title).unwrap_or_default();
        if title.is_empty() {
            errors.push(FieldError::new("title", said!("say what needs doing", "indique qué hay que hacer")));
        }
        max_len("title", ("The item", "El punto"), &title, 200, &mut errors);
        if !(-365..=365).contains(&self.due_days) {
            errors.push(FieldError::new("due_days", said!("the number of days before release is between -365 and 365", "el número de días antes de la salida va de -365 a 365")));
        }
        let status = if self.status.trim().is_empty() { Some(ItemStatus::Open) } else { ItemStatus::parse(self.status.trim()) };
        if status.is_none() {
            errors.push(FieldError::new("status", said!("choose open, in progress, done or not needed", "elija pendiente, en curso, hecho o no hace falta")));
        }
        let due_date = parse_date("due_date", ("The due date", "La fecha límite"), &self.due_date, &mut errors);
        let notes = optional(&self.notes);
        max_len("notes", ("Notes", "Las notas"), notes.as_deref().unwrap_or(""), 2000, &mut errors);
        match (area, status) {
            (Some(area), Some(status)) if errors.is_empty() => {
                Ok(ValidPlanItem { area, title, due_days: self.due_days, status, owner: optional(&self.owner), due_date, notes })
            }
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// An appointment as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct AppointmentInput {
    pub area: String,
    pub resource_id: String,
    pub provider: String,
    pub address: String,
    pub phone: String,
    pub date: String,
    pub time: String,
    /// Why it is before the release date (a court date, a video visit); required then.
    pub before_release_reason: String,
    pub confirmed: bool,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ValidAppointment {
    pub area: Area,
    pub provider: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub date: NaiveDate,
    pub time: Option<String>,
    pub before_release_reason: Option<String>,
    pub confirmed: bool,
    pub notes: Option<String>,
}

impl AppointmentInput {
    /// Checks the appointment against the person's projected release date: community
    /// appointments come after release, and one before it needs its reason written down.
    pub fn validate(&self, release: Option<NaiveDate>) -> Result<ValidAppointment> {
        let mut errors = Vec::new();
        let area = chosen_area(&self.area, ("this appointment serves", "al que sirve esta cita"), &mut errors);
        let provider = optional(&self.provider).unwrap_or_default();
        if provider.is_empty() {
            errors.push(FieldError::new("provider", said!("name the provider or office", "indique el proveedor o la oficina")));
        }
        max_len("provider", ("The provider", "El proveedor"), &provider, 200, &mut errors);
        let date = required_date("date", ("The date", "La fecha"), &self.date, said!("give the appointment's date", "indique la fecha de la cita"), &mut errors);
        let time = optional(&self.time);
        if let Some(t) = &time {
            super::parse_time("time", t, &mut errors);
        }
        let reason = optional(&self.before_release_reason);
        if let (Some(date), Some(release)) = (date, release) {
            if date < release && reason.is_none() {
                errors.push(FieldError::new(
                    "before_release_reason",
                    said!("this appointment is before the release date ({release}): say why, or move it to after release", "esta cita es anterior a la fecha de salida ({release}): indique por qué o pásela a después de la salida"),
                ));
            }
        }
        match (area, date) {
            (Some(area), Some(date)) if errors.is_empty() => Ok(ValidAppointment {
                area,
                provider,
                address: optional(&self.address),
                phone: optional(&self.phone),
                date,
                time,
                before_release_reason: reason.filter(|_| release.is_some_and(|r| date < r)),
                confirmed: self.confirmed,
                notes: optional(&self.notes),
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// What a plan holds once: the community peer the person is handed to, and supervision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PlanDetails {
    pub community_peer: Option<String>,
    pub community_peer_phone: Option<String>,
    pub community_peer_resource_id: Option<String>,
    pub supervision_conditions: Option<String>,
    pub first_report_date: Option<NaiveDate>,
    pub first_report_place: Option<String>,
}

/// The plan's details as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PlanDetailsInput {
    pub community_peer: String,
    pub community_peer_phone: String,
    pub community_peer_resource_id: String,
    pub supervision_conditions: String,
    pub first_report_date: String,
    pub first_report_place: String,
}

impl PlanDetailsInput {
    /// Checks the details; the first report is due on or after release.
    pub fn validate(&self, release: Option<NaiveDate>) -> Result<PlanDetails> {
        let mut errors = Vec::new();
        let first_report_date = parse_date("first_report_date", ("The first reporting date", "La fecha de la primera presentación"), &self.first_report_date, &mut errors);
        if let (Some(report), Some(release)) = (first_report_date, release) {
            if report < release {
                errors.push(FieldError::new("first_report_date", said!("the first report is on or after the release date ({release})", "la primera presentación es el día de la salida o después ({release})")));
            }
        }
        let conditions = optional(&self.supervision_conditions);
        max_len("supervision_conditions", ("The conditions", "Las condiciones"), conditions.as_deref().unwrap_or(""), 2000, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        Ok(PlanDetails {
            community_peer: optional(&self.community_peer),
            community_peer_phone: optional(&self.community_peer_phone),
            community_peer_resource_id: optional(&self.community_peer_resource_id),
            supervision_conditions: conditions,
            first_report_date,
            first_report_place: optional(&self.first_report_place),
        })
    }
}

/// Where a referral to a community resource stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Sent,
    Accepted,
    Attended,
    Declined,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 4] = [ReferralStatus::Sent, ReferralStatus::Accepted, ReferralStatus::Attended, ReferralStatus::Declined];

    pub const fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Sent => "sent",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Attended => "attended",
            ReferralStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<ReferralStatus> {
        ReferralStatus::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            ReferralStatus::Sent => "Sent",
            ReferralStatus::Accepted => "Accepted",
            ReferralStatus::Attended => "Attended",
            ReferralStatus::Declined => "Declined",
        }
    }
}

/// A referral as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ReferralInput {
    pub resource_id: String,
    pub area: String,
    pub status: String,
    pub sent_on: String,
    pub notes: String,
}

impl ReferralInput {
    pub fn validate(&self, today: NaiveDate) -> Result<(Area, ReferralStatus, NaiveDate, Option<String>)> {
        let mut errors = Vec::new();
        let area = chosen_area(&self.area, ("this referral serves", "al que sirve esta derivación"), &mut errors);
        let status = ReferralStatus::parse(&self.status);
        if status.is_none() {
            errors.push(FieldError::new("status", said!("choose sent, accepted, attended or declined", "elija enviada, aceptada, asistió o rechazada")));
        }
        let sent_on = required_date("sent_on", ("The date sent", "La fecha de envío"), &self.sent_on, said!("give the date the referral was sent", "indique la fecha en que se envió la derivación"), &mut errors);
        if sent_on.is_some_and(|d| d > today) {
            errors.push(FieldError::new("sent_on", said!("a referral cannot be sent in the future", "una derivación no puede enviarse en el futuro")));
        }
        match (area, status, sent_on) {
            (Some(a), Some(s), Some(d)) if errors.is_empty() => Ok((a, s, d, optional(&self.notes))),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// What a community resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    TreatmentProvider,
    RecoveryResidence,
    RecoveryCommunityOrganization,
    BenefitsOffice,
    SupervisionOffice,
    Other,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 6] = [
        ResourceKind::TreatmentProvider,
        ResourceKind::RecoveryResidence,
        ResourceKind::RecoveryCommunityOrganization,
        ResourceKind::BenefitsOffice,
        ResourceKind::SupervisionOffice,
        ResourceKind::Other,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ResourceKind::TreatmentProvider => "treatment_provider",
            ResourceKind::RecoveryResidence => "recovery_residence",
            ResourceKind::RecoveryCommunityOrganization => "recovery_community_organization",
            ResourceKind::BenefitsOffice => "benefits_office",
            ResourceKind::SupervisionOffice => "supervision_office",
            ResourceKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ResourceKind> {
        ResourceKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::TreatmentProvider => "Treatment provider",
            ResourceKind::RecoveryResidence => "Recovery residence",
            ResourceKind::RecoveryCommunityOrganization => "Recovery community organization",
            ResourceKind::BenefitsOffice => "Benefits office",
            ResourceKind::SupervisionOffice => "Supervision office",
            ResourceKind::Other => "Other",
        }
    }
}

/// A community resource as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ResourceInput {
    pub name: String,
    pub kind: String,
    pub address: String,
    pub phone: String,
    pub contact: String,
    pub offers: String,
    pub notes: String,
}

impl ResourceInput {
    pub fn validate(&self) -> Result<(String, ResourceKind)> {
        let mut errors = Vec::new();
        let name = optional(&self.name).unwrap_or_default();
        if name.is_empty() {
            errors.push(FieldError::new("name", said!("give the organization's name", "indique el nombre de la organización")));
        }
        max_len("name", ("The name", "El nombre"), &name, 200, &mut errors);
        let kind = ResourceKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", said!("choose what kind of resource this is", "elija qué tipo de recurso es")));
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok((name, kind)),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A 42 CFR Part 2 consent as typed: to whom, what, why, until when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ConsentInput {
    pub resource_id: String,
    pub information: Vec<String>,
    pub purpose: String,
    pub signed_on: String,
    pub expires_on: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidConsent {
    pub information: Vec<Area>,
    pub purpose: String,
    pub signed_on: NaiveDate,
    pub expires_on: NaiveDate,
}

impl ConsentInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidConsent> {
        let mut errors = Vec::new();
        let mut information: Vec<Area> = Vec::new();
        for a in &self.information {
            match Area::parse(a) {
                Some(area) if !information.contains(&area) => information.push(area),
                Some(_) => {}
                None => errors.push(FieldError::new("information", said!("\"{a}\" is not an area of the plan", "«{a}» no es un área del plan"))),
            }
        }
        information.sort();
        if self.information.is_empty() {
            errors.push(FieldError::new("information", said!("tick what information the person agreed to share", "marque qué información aceptó compartir la persona")));
        }
        let purpose = optional(&self.purpose).unwrap_or_default();
        if purpose.is_empty() {
            errors.push(FieldError::new("purpose", said!("write the purpose the person agreed to, e.g. continuity of care after release", "escriba la finalidad que aceptó la persona, p. ej., continuidad de la atención tras la salida")));
        }
        let signed_on = required_date("signed_on", ("The date signed", "La fecha de firma"), &self.signed_on, said!("give the date the person signed", "indique la fecha en que firmó la persona"), &mut errors);
        let expires_on = required_date("expires_on", ("The expiry date", "La fecha de vencimiento"), &self.expires_on, said!("a consent must say until when it holds", "un consentimiento debe decir hasta cuándo es válido"), &mut errors);
        if signed_on.is_some_and(|s| s > today) {
            errors.push(FieldError::new("signed_on", said!("the date signed cannot be in the future", "la fecha de firma no puede estar en el futuro")));
        }
        if let (Some(s), Some(e)) = (signed_on, expires_on) {
            if e <= s {
                errors.push(FieldError::new("expires_on", said!("the consent must expire after the day it was signed", "el consentimiento debe vencer después del día en que se firmó")));
            }
        }
        match (signed_on, expires_on) {
            (Some(signed_on), Some(expires_on)) if errors.is_empty() => Ok(ValidConsent { information, purpose, signed_on, expires_on }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A consent's dates and scope, enough to say whether it covers a disclosure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ConsentTerms {
    pub information: Vec<Area>,
    pub signed_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub revoked_on: Option<NaiveDate>,
}

impl ConsentTerms {
    /// Whether sharing `areas` on `today` is covered; the refusal says exactly why not.
    pub fn covers(&self, areas: &[Area], today: NaiveDate) -> std::result::Result<(), Said> {
        if let Some(revoked) = self.revoked_on.filter(|r| *r <= today) {
            return Err(said!("the consent was revoked on {revoked}", "el consentimiento se revocó el {revoked}"));
        }
        if today > self.expires_on {
            return Err(said!("the consent expired on {}", "el consentimiento venció el {}", self.expires_on));
        }
        if today < self.signed_on {
            return Err(said!("the consent is dated {}, after today", "el consentimiento tiene fecha {}, posterior a hoy", self.signed_on));
        }
        // Areas are named by their stored ids in Spanish: the core keeps English labels only.
        let missing: Vec<&Area> = areas.iter().filter(|a| !self.information.contains(a)).collect();
        if !missing.is_empty() {
            let en = missing.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ");
            let es = missing.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", ");
            return Err(Said { en: format!("the consent does not cover {en}"), es: format!("el consentimiento no cubre {es}") });
        }
        Ok(())
    }

    pub fn active(&self, today: NaiveDate) -> bool {
        self.covers(&[], today).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn windows_count_down_to_release_and_on_after_it() {
        let release = d("2027-03-01");
        let cases = [
            ("2026-11-01", Window::Later),
            ("2026-12-01", Window::Days90),
            ("2027-01-30", Window::Days30),
            ("2027-02-21", Window::Days30),
            ("2027-02-22", Window::Days7),
            ("2027-03-01", Window::ReleaseDay),
            ("2027-03-08", Window::FirstWeek),
            ("2027-03-09", Window::FirstMonth),
            ("2027-03-31", Window::FirstMonth),
            ("2027-04-01", Window::Past),
        ];
        for (today, window) in cases {
            assert_eq!(Window::of(release, d(today)), window, "{today}");
        }
    }

    #[test]
    fn an_appointment_before_release_needs_its_reason() {
        let input = AppointmentInput { area: "moud".into(), provider: "Eastside Clinic".into(), date: "2027-02-20".into(), ..Default::default() };
        let e = input.validate(Some(d("2027-03-01"))).unwrap_err();
        assert_eq!(e.fields()[0].field, "before_release_reason");
        assert!(e.fields()[0].message.contains("2027-03-01"), "{e}");
        let with_reason = AppointmentInput { before_release_reason: "video intake from the jail".into(), ..input.clone() };
        assert!(with_reason.validate(Some(d("2027-03-01"))).is_ok());
        let after = AppointmentInput { date: "2027-03-02".into(), ..input };
        assert_eq!(after.validate(Some(d("2027-03-01"))).unwrap().before_release_reason, None);
    }

    #[test]
    fn a_consent_covers_only_its_areas_and_dates() {
        let terms = ConsentTerms { information: vec![Area::Moud, Area::Housing], signed_on: d("2026-11-01"), expires_on: d("2027-05-01"), revoked_on: None };
        assert_eq!(terms.covers(&[Area::Moud], d("2026-12-01")), Ok(()));
        assert!(terms.covers(&[Area::Moud, Area::Supervision], d("2026-12-01")).unwrap_err().en.contains("Supervision"));
        assert!(terms.covers(&[Area::Moud], d("2027-05-02")).unwrap_err().en.contains("expired on 2027-05-01"));
        let revoked = ConsentTerms { revoked_on: Some(d("2026-12-15")), ..terms };
        assert_eq!(revoked.covers(&[Area::Moud], d("2026-12-14")), Ok(()));
        assert!(revoked.covers(&[Area::Moud], d("2026-12-15")).unwrap_err().en.contains("revoked"));
    }

    #[test]
    fn a_consent_must_say_what_why_and_until_when() {
        let e = ConsentInput::default().validate(d("2026-11-24")).unwrap_err();
        let fields: Vec<&str> = e.fields().iter().map(|f| f.field).collect();
        assert_eq!(fields, ["information", "purpose", "signed_on", "expires_on"]);
        let backwards = ConsentInput {
            information: vec!["moud".into()],
            purpose: "continuity of care".into(),
            signed_on: "2026-11-20".into(),
            expires_on: "2026-11-01".into(),
            ..Default::default()
        };
        assert_eq!(backwards.validate(d("2026-11-24")).unwrap_err().fields()[0].field, "expires_on");
    }

    #[test]
    fn the_default_template_has_unique_keys_and_covers_every_area() {
        let mut keys: Vec<&str> = DEFAULT_TEMPLATE.iter().map(|i| i.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), DEFAULT_TEMPLATE.len());
        for area in Area::ALL {
            assert!(DEFAULT_TEMPLATE.iter().any(|i| i.area == area), "{area:?}");
        }
    }
}
