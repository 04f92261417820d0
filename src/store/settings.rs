//! This workstation's settings: how soon an idle screen locks, how many backups are kept, when
//! roll call is late, how large a bundle may be, when check-ins and contacts are due, and which
//! follow-up interviews the program works to.

use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, FieldError, Result};
use crate::model::{FollowUpRule, Schedule};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Settings {
    /// Minutes without a key press or pointer movement before the app locks.
    pub idle_lock_minutes: u32,
    /// How many backups to keep; older ones are removed after each new one.
    pub backups_kept: u32,
    /// Roll call entered more than this many days after a session needs a reason.
    pub roll_call_window_days: u32,
    /// The largest bundle file an import reads, in megabytes; a larger file is refused from its
    /// size before any of it is read.
    pub bundle_limit_mb: u32,
    /// When check-ins and contacts are due.
    pub schedule: Schedule,
    /// Which follow-up interviews the program's grant asks for.
    pub follow_up_rule: FollowUpRule,
}

impl Default for Settings {
    fn default() -> Self {
        // A 100,000-person site's whole history is about 350 MB (`make bench`).
        Settings { idle_lock_minutes: 10, backups_kept: 14, roll_call_window_days: 7, bundle_limit_mb: 1024, schedule: Schedule::default(), follow_up_rule: FollowUpRule::Gpra }
    }
}

/// The settings as stored, each falling back to its default.
pub(crate) fn read(conn: &Connection) -> Result<Settings> {
    let read = |key: &str| -> Result<Option<u32>> {
        let value: Option<String> = conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
        Ok(value.and_then(|v| v.parse().ok()))
    };
    let d = Settings::default();
    Ok(Settings {
        idle_lock_minutes: read("idle_lock_minutes")?.unwrap_or(d.idle_lock_minutes),
        backups_kept: read("backups_kept")?.unwrap_or(d.backups_kept),
        roll_call_window_days: read("roll_call_window_days")?.unwrap_or(d.roll_call_window_days),
        bundle_limit_mb: read("bundle_limit_mb")?.unwrap_or(d.bundle_limit_mb),
        schedule: Schedule {
            baseline_days: read("checkin_baseline_days")?.unwrap_or(d.schedule.baseline_days),
            every_days: read("checkin_every_days")?.unwrap_or(d.schedule.every_days),
            before_release_days: read("checkin_before_release_days")?.unwrap_or(d.schedule.before_release_days),
            contact_days: read("contact_days")?.unwrap_or(d.schedule.contact_days),
        },
        follow_up_rule: conn
            .query_row("SELECT value FROM settings WHERE key = 'follow_up_rule'", [], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|v| FollowUpRule::parse(&v))
            .unwrap_or(d.follow_up_rule),
    })
}

impl Settings {
    fn validate(&self) -> Result<()> {
        let mut errors = Vec::new();
        if !(1..=240).contains(&self.idle_lock_minutes) {
            errors.push(FieldError::new("idle_lock_minutes", said!("the screen locks after 1 to 240 idle minutes", "la pantalla se bloquea tras 1 a 240 minutos sin uso")));
        }
        if !(1..=365).contains(&self.backups_kept) {
            errors.push(FieldError::new("backups_kept", said!("keep between 1 and 365 backups", "conserve entre 1 y 365 copias de seguridad")));
        }
        if self.roll_call_window_days > 90 {
            errors.push(FieldError::new("roll_call_window_days", said!("late roll call needs a reason after 0 to 90 days", "una lista tardía necesita un motivo pasados de 0 a 90 días")));
        }
        if !(1..=65_536).contains(&self.bundle_limit_mb) {
            errors.push(FieldError::new("bundle_limit_mb", said!("a bundle may be 1 MB to 64 GB", "un paquete puede ocupar de 1 MB a 64 GB")));
        }
        errors.extend(self.schedule.validate());
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(errors))
        }
    }
}

impl Store {
    pub fn settings(&self) -> Result<Settings> {
        self.allowed(Need::SignedIn)?;
        read(&self.conn)
    }

    pub fn set_settings(&mut self, ctx: &WriteCtx, settings: &Settings) -> Result<Settings> {
        settings.validate()?;
        self.change(ctx, Need::Role(Permission::ManageSite), |w| {
            for (key, value) in [
                ("idle_lock_minutes", settings.idle_lock_minutes),
                ("backups_kept", settings.backups_kept),
                ("roll_call_window_days", settings.roll_call_window_days),
                ("bundle_limit_mb", settings.bundle_limit_mb),
                ("checkin_baseline_days", settings.schedule.baseline_days),
                ("checkin_every_days", settings.schedule.every_days),
                ("checkin_before_release_days", settings.schedule.before_release_days),
                ("contact_days", settings.schedule.contact_days),
            ] {
                w.tx().execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, value.to_string()],
                )?;
            }
            w.tx().execute(
                "INSERT INTO settings (key, value) VALUES ('follow_up_rule', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [settings.follow_up_rule.as_str()],
            )?;
            w.audit(
                Action::Update,
                Some("settings"),
                None,
                &format!(
                    "idle lock {} min, {} backups kept, roll call window {} days, bundles up to {} MB, check-ins at {} then every {} days and {} before release, contacts every {} days, follow-ups by the {} rule",
                    settings.idle_lock_minutes,
                    settings.backups_kept,
                    settings.roll_call_window_days,
                    settings.bundle_limit_mb,
                    settings.schedule.baseline_days,
                    settings.schedule.every_days,
                    settings.schedule.before_release_days,
                    settings.schedule.contact_days,
                    settings.follow_up_rule.as_str()
                ),
            )
        })?;
        self.settings()
    }
}
