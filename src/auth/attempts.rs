//! Failed sign-ins, kept beside the database because a wrong password cannot open it. After a few
//! failures each further try must wait, and then the account is locked for a while. Failures are
//! moved into the audit trail at the next successful sign-in on this workstation.
//!
//! The file slows down guessing at the login screen; a stolen key file is protected by argon2id
//! instead, since whoever holds the disk can edit this file.

use crate::files::write_atomically;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Failures allowed before each try must wait.
const FREE_TRIES: u32 = 3;
/// Failures after which the account is locked for [`LOCK_MS`].
const LOCK_AFTER: u32 = 6;
const LOCK_MS: u64 = 15 * 60 * 1000;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Failures {
    count: u32,
    last_ms: u64,
}

/// A refused sign-in waiting to be written to the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingFailure {
    pub username: String,
    pub at_ms: u64,
    pub workstation: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Attempts {
    users: BTreeMap<String, Failures>,
    pending: Vec<PendingFailure>,
}

impl Attempts {
    /// The record beside the database; a missing or unreadable one starts empty rather than
    /// locking everyone out.
    pub fn load(path: &Path) -> Attempts {
        std::fs::read_to_string(path).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string(self).map_err(|e| Error::KeyFile(said!("the record of failed sign-ins could not be written ({e})", "no se pudo escribir el registro de inicios de sesión fallidos ({e})")))?;
        write_atomically(path, text.as_bytes())
    }

    /// Refuses a try made too soon after earlier failures, saying how long to wait.
    pub fn check(&self, username: &str, now_ms: u64) -> Result<()> {
        let Some(f) = self.users.get(username) else { return Ok(()) };
        let wait = wait_ms(f.count);
        let until = f.last_ms.saturating_add(wait);
        if now_ms < until {
            let seconds = (until - now_ms).div_ceil(1000);
            return Err(Error::LockedOut { seconds, locked: f.count >= LOCK_AFTER });
        }
        Ok(())
    }

    /// A wrong password: counted toward the lockout and noted for the audit trail.
    pub fn failed(&mut self, username: &str, now_ms: u64, workstation: &str, reason: &str) {
        let f = self.users.entry(username.to_string()).or_default();
        f.count += 1;
        f.last_ms = now_ms;
        self.noted(username, now_ms, workstation, reason);
    }

    /// A try refused before its password was looked at (too soon, or locked): noted for the
    /// audit trail without extending the wait.
    pub fn noted(&mut self, username: &str, now_ms: u64, workstation: &str, reason: &str) {
        self.pending.push(PendingFailure {
            username: username.to_string(),
            at_ms: now_ms,
            workstation: workstation.to_string(),
            reason: reason.to_string(),
        });
    }

    /// A successful sign-in or a new password: the count starts again.
    pub fn clear(&mut self, username: &str) {
        self.users.remove(username);
    }

    /// The refused sign-ins not yet in the audit trail, leaving none behind.
    pub fn take_pending(&mut self) -> Vec<PendingFailure> {
        std::mem::take(&mut self.pending)
    }
}

/// How long after the last failure the next try must wait.
fn wait_ms(failures: u32) -> u64 {
    match failures {
        n if n < FREE_TRIES => 0,
        n if n >= LOCK_AFTER => LOCK_MS,
        n => 5_000 << (2 * (n - FREE_TRIES)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_down_then_lock_and_success_clears_them() {
        let mut a = Attempts::default();
        let mut now = 1_000_000;
        for _ in 0..FREE_TRIES {
            a.check("ada", now).unwrap();
            a.failed("ada", now, "ws1", "wrong password");
        }
        assert!(matches!(a.check("ada", now + 4_000), Err(Error::LockedOut { seconds: 1, locked: false })));
        a.check("ada", now + 5_000).unwrap();
        now += 5_000;
        for _ in FREE_TRIES..LOCK_AFTER {
            now += wait_ms(a.users["ada"].count);
            a.check("ada", now).unwrap();
            a.failed("ada", now, "ws1", "wrong password");
        }
        assert!(matches!(a.check("ada", now + 60_000), Err(Error::LockedOut { seconds: 840, locked: true })));
        assert!(a.check("ben", now).is_ok(), "another account is not affected");
        a.check("ada", now + LOCK_MS).unwrap();
        a.clear("ada");
        a.check("ada", now + LOCK_MS).unwrap();
        assert_eq!(a.take_pending().len(), LOCK_AFTER as usize);
        assert!(a.take_pending().is_empty());
    }

    #[test]
    fn a_damaged_file_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.logins");
        std::fs::write(&path, b"not json").unwrap();
        assert!(Attempts::load(&path).check("ada", 0).is_ok());
    }
}
