//! Signing in and out within an open database: who the person acting is, taken from their
//! account as it stands; refused sign-ins and account states carried into the audit trail; the
//! sign-out or lock recorded. Opening the file itself is [`crate::site`]'s.

use super::accounts::{find, normalize_username, state_detail, without_recorded_state};
use super::{Store, WriteCtx};
use crate::audit::chain::EntryContent;
use crate::audit::{workstation_name, Action};
use crate::auth::{Need, PendingFailure, Session};
use crate::error::{Error, Result};

impl Store {
    /// Makes `username` the person acting, from their account as it stands now. Called once the
    /// password (or the recovery key) has opened the database.
    pub(crate) fn sign_in_as(&mut self, username: &str) -> Result<&Session> {
        let account = find(&self.conn, username).map_err(|_| Error::WrongPassword)?;
        if !account.active {
            return Err(Error::Refused(said!("this account has been deactivated: ask an administrator to reset its password", "esta cuenta está desactivada: pida a un administrador que restablezca su contraseña")));
        }
        let must_change = account.must_change_password;
        self.sign_in_for_recovery(username)?;
        if let Some(who) = self.who.as_mut() {
            who.must_change_password = must_change;
        }
        self.session()
    }

    /// The recovery key opened the database: the account is acted as even if deactivated, so
    /// that its password can be set and it made active again.
    pub(crate) fn sign_in_for_recovery(&mut self, username: &str) -> Result<()> {
        let account = find(&self.conn, username)?;
        self.who = Some(Session::new(account.id, account.username, account.display_name, account.roles, account.scope, workstation_name(), account.preferences));
        Ok(())
    }

    /// For a database in memory only (tests and benchmarks): act as `username` without a
    /// password. A database on disk is only ever opened through [`crate::site::sign_in`].
    pub fn act_as(&mut self, username: &str) -> Result<()> {
        if self.keys.is_some() {
            return Err(Error::Refused(said!("a database on disk is opened by signing in with a password", "una base de datos en disco se abre iniciando sesión con una contraseña")));
        }
        self.sign_in_as(&normalize_username(username)).map(|_| ())
    }

    /// Records sign-ins refused while the database was closed, under the names that were typed
    /// when they name an account. A name that names none is not kept: it is as likely to be a
    /// password typed in the wrong box as a guess.
    pub(crate) fn record_refusals(&mut self, ctx: &WriteCtx, refusals: &[PendingFailure]) -> Result<()> {
        if refusals.is_empty() {
            return Ok(());
        }
        self.change(ctx, Need::SignedIn, |w| {
            let site = w.origin()?.id.to_string();
            for p in refusals {
                let actor = if find(w.tx(), &p.username).is_ok() { p.username.clone() } else { "(no such account)".to_string() };
                w.audit_entry(&EntryContent {
                    at_ms: i64::try_from(p.at_ms).unwrap_or(i64::MAX),
                    site_id: site.clone(),
                    actor,
                    workstation: p.workstation.clone(),
                    action: Action::SignInRefused.as_str().to_string(),
                    table: None,
                    record_id: None,
                    detail: p.reason.clone(),
                })?;
            }
            Ok(())
        })
    }

    /// Records, once, the state of every account the audit trail has no record of in today's form
    /// (accounts made before it was kept), so that `audit verify` can hold the table to the trail
    /// from then on.
    pub(crate) fn record_missing_account_states(&mut self, ctx: &WriteCtx) -> Result<()> {
        let missing = without_recorded_state(&self.conn)?;
        if missing.is_empty() {
            return Ok(());
        }
        self.change(ctx, Need::SignedIn, |w| {
            for a in &missing {
                w.audit(Action::Update, Some("accounts"), Some(&a.id), &state_detail(&a.roles, &a.scope, a.active))?;
            }
            Ok(())
        })
    }

    /// Records the sign-in (or an unlock after an idle lock) of the session's person.
    pub(crate) fn record_session(&mut self, ctx: &WriteCtx, action: Action, detail: &str) -> Result<()> {
        self.change(ctx, Need::SignedIn, |w| w.audit(action, None, None, detail))
    }

    /// Ends the session: records the sign-out or the lock, then closes the database.
    pub fn sign_out(mut self, ctx: &WriteCtx, lock: bool) -> Result<()> {
        let action = if lock { Action::Lock } else { Action::SignOut };
        self.record_session(ctx, action, "")
    }
}
