//! This workstation's settings: how soon an idle screen locks and how many backups are kept.

use super::write::Writer;
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::Permission;
use crate::error::{Error, FieldError, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Minutes without a key press or pointer movement before the app locks.
    pub idle_lock_minutes: u32,
    /// How many backups to keep; older ones are removed after each new one.
    pub backups_kept: u32,
    /// Roll call entered more than this many days after a session needs a reason.
    #[serde(default = "default_window")]
    pub roll_call_window_days: u32,
}

fn default_window() -> u32 {
    Settings::default().roll_call_window_days
}

impl Default for Settings {
    fn default() -> Self {
        Settings { idle_lock_minutes: 10, backups_kept: 14, roll_call_window_days: 7 }
    }
}

impl Settings {
    fn validate(&self) -> Result<()> {
        let mut errors = Vec::new();
        if !(1..=240).contains(&self.idle_lock_minutes) {
            errors.push(FieldError::new("idle_lock_minutes", "the screen locks after 1 to 240 idle minutes"));
        }
        if !(1..=365).contains(&self.backups_kept) {
            errors.push(FieldError::new("backups_kept", "keep between 1 and 365 backups"));
        }
        if self.roll_call_window_days > 90 {
            errors.push(FieldError::new("roll_call_window_days", "late roll call needs a reason after 0 to 90 days"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(errors))
        }
    }
}

impl Store {
    pub fn settings(&self) -> Result<Settings> {
        self.session()?;
        let read = |key: &str| -> Result<Option<u32>> {
            let value: Option<String> = self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
            Ok(value.and_then(|v| v.parse().ok()))
        };
        let d = Settings::default();
        Ok(Settings {
            idle_lock_minutes: read("idle_lock_minutes")?.unwrap_or(d.idle_lock_minutes),
            backups_kept: read("backups_kept")?.unwrap_or(d.backups_kept),
            roll_call_window_days: read("roll_call_window_days")?.unwrap_or(d.roll_call_window_days),
        })
    }

    pub fn set_settings(&mut self, ctx: &WriteCtx, settings: &Settings) -> Result<Settings> {
        settings.validate()?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::ManageSite, None)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        for (key, value) in [
            ("idle_lock_minutes", settings.idle_lock_minutes),
            ("backups_kept", settings.backups_kept),
            ("roll_call_window_days", settings.roll_call_window_days),
        ] {
            w.tx().execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value.to_string()],
            )?;
        }
        w.audit(
            Action::Update,
            Some("settings"),
            None,
            &format!(
                "idle lock {} min, {} backups kept, roll call window {} days",
                settings.idle_lock_minutes, settings.backups_kept, settings.roll_call_window_days
            ),
        )?;
        w.commit()?;
        self.settings()
    }
}
