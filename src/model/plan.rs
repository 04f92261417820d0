//! Reentry plans as the screens, the CLI and the printed packet read them: a plan with its items,
//! appointments, referrals, consents and disclosures; the release pipeline; the Today screen.
//! Also the rule that needs no database: how far a plan has come and what is missing now.

use super::{Area, ConsentTerms, Participant, ParticipantId, PlanDetails, ReferralStatus, ResourceKind, SiteId, Status, ValidAppointment, ValidPlanItem, Window, HIGH_RISK_DAYS};
use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct TemplateItem {
    pub id: Uuid,
    pub area: Area,
    pub title: String,
    pub due_days: i64,
    pub sort: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PlanItem {
    pub id: Uuid,
    pub template_id: Option<Uuid>,
    #[serde(flatten)]
    pub item: ValidPlanItem,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Appointment {
    pub id: Uuid,
    pub resource_id: Option<Uuid>,
    #[serde(flatten)]
    pub details: ValidAppointment,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Resource {
    pub id: Uuid,
    pub name: String,
    pub kind: ResourceKind,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub contact: Option<String>,
    pub offers: Option<String>,
    pub notes: Option<String>,
    /// The trusted partner site it receives hand-off bundles as, if it has one.
    pub site_id: Option<SiteId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Referral {
    pub id: Uuid,
    pub resource_id: Uuid,
    pub resource_name: String,
    pub area: Area,
    pub status: ReferralStatus,
    pub sent_on: NaiveDate,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Consent {
    pub id: Uuid,
    pub resource_id: Uuid,
    pub resource_name: String,
    /// The partner site the consent lets a hand-off bundle go to, fixed when it was signed.
    pub site_id: Option<SiteId>,
    #[serde(flatten)]
    pub terms: ConsentTerms,
    pub purpose: String,
    /// In force today: signed, not expired, not revoked.
    pub active: bool,
}

/// One line of the accounting of disclosures.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Disclosure {
    pub id: Uuid,
    pub consent_id: Option<Uuid>,
    pub recipient: String,
    pub areas: Vec<Area>,
    pub how: String,
    pub disclosed_ms: i64,
    pub disclosed_by: String,
    pub confirmed_on: Option<NaiveDate>,
    pub confirmed_how: Option<String>,
}

/// A hand-off written and waiting for the partner's confirmation.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct OpenHandOff {
    pub disclosure_id: Uuid,
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub recipient: String,
    pub disclosed_ms: i64,
}

/// How far a plan has come: items settled (done or not needed) of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub struct Progress {
    pub settled: u32,
    pub total: u32,
}

/// One participant's plan, as the plan screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Plan {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub language: String,
    /// The projected release date, or the day the person was released.
    pub release: Option<NaiveDate>,
    pub released: bool,
    pub window: Option<Window>,
    pub progress: Progress,
    /// Items that should be settled by the end of the current window and are not.
    pub missing: Vec<String>,
    pub high_risk: bool,
    pub details: PlanDetails,
    pub items: Vec<PlanItem>,
    pub appointments: Vec<Appointment>,
    pub referrals: Vec<Referral>,
    pub consents: Vec<Consent>,
    /// The accounting of disclosures: what went to whom, and whether they confirmed it.
    pub disclosures: Vec<Disclosure>,
}

/// One row of the release pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PipelineRow {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub facility_number: String,
    pub release: NaiveDate,
    pub released: bool,
    pub window: Window,
    pub started: bool,
    pub progress: Progress,
    pub missing: Vec<String>,
    pub high_risk: bool,
}

/// A plan item due soon or overdue, for the Today screen.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct TaskDue {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub title: String,
    pub area: Area,
    pub owner: Option<String>,
    pub due: NaiveDate,
    pub overdue: bool,
}

/// An appointment in the coming week, for the Today screen.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct AppointmentDue {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    #[serde(flatten)]
    pub appointment: Appointment,
}

/// What reentry work needs today: releases in the next 30 days and anyone flagged, tasks due
/// within a week or overdue, and appointments in the next seven days.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct TodayView {
    pub releases: Vec<PipelineRow>,
    pub tasks: Vec<TaskDue>,
    pub appointments: Vec<AppointmentDue>,
}

/// The day the countdown runs to: the release itself once it happened, else the projection.
/// Returns whether the person has been released.
pub fn release_of(p: &Participant) -> (Option<NaiveDate>, bool) {
    match p.status {
        Status::Released => (Some(p.status_date), true),
        _ => (p.release_date, false),
    }
}

/// What [`assess`] finds: progress, what is missing now, and the overdose-risk flag.
pub struct Assessment {
    pub progress: Progress,
    pub missing: Vec<String>,
    pub high_risk: bool,
}

/// How far a plan has come, from its items and appointments. A plan not started yet counts the
/// template's items as missing. Someone in their first two weeks out is flagged until a
/// community appointment after release is marked kept.
pub fn assess(items: &[PlanItem], template: &[TemplateItem], appointments: &[Appointment], release: Option<NaiveDate>, released: bool, today: NaiveDate) -> Assessment {
    let due_from = release.map_or(i64::MAX, |r| Window::of(r, today).due_from());
    let (progress, missing) = if items.is_empty() {
        let missing = template.iter().filter(|t| t.due_days >= due_from).map(|t| t.title.clone()).collect();
        (Progress { settled: 0, total: template.len() as u32 }, missing)
    } else {
        let settled = items.iter().filter(|i| i.item.status.settled()).count() as u32;
        let missing = items.iter().filter(|i| !i.item.status.settled() && i.item.due_days >= due_from).map(|i| i.item.title.clone()).collect();
        (Progress { settled, total: items.len() as u32 }, missing)
    };
    let high_risk = match release {
        Some(r) if released => {
            let days_out = (today - r).num_days();
            (0..=HIGH_RISK_DAYS).contains(&days_out) && !appointments.iter().any(|a| a.details.confirmed && a.details.date >= r)
        }
        _ => false,
    };
    Assessment { progress, missing, high_risk }
}
