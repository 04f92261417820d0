//! A shared workstation's screen: who is signed in, who locked it, and the idle time. The rules
//! live here, not in the desktop shell: only the person who locked the screen may unlock it
//! (anyone may end a locked session so someone else can sign in), and once the idle time has
//! passed without a call, the next one locks the screen and is refused, even if the window's
//! own timer never fired.

use super::SignedIn;
use crate::audit::Action;
use crate::auth::{KdfParams, RecoveryKey};
use crate::error::{Error, Result, Said};
use crate::paths::SiteFiles;
use crate::store::{SiteSetup, Store, WriteCtx};
use serde::Serialize;

/// Where a workstation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// No database yet: first run.
    Setup,
    /// A database, nobody signed in.
    SignIn,
    /// The screen is locked by the person named.
    Locked,
    SignedIn,
}

pub struct Workstation {
    files: SiteFiles,
    store: Option<Store>,
    locked_by: Option<String>,
    /// When the signed-in person last asked anything of the store.
    last_call_ms: u64,
}

impl Workstation {
    pub fn new(files: SiteFiles) -> Self {
        Self { files, store: None, locked_by: None, last_call_ms: 0 }
    }

    pub fn files(&self) -> &SiteFiles {
        &self.files
    }

    /// Where the workstation stands, after locking it if the idle time has passed.
    pub fn stage(&mut self, ctx: &WriteCtx) -> Stage {
        let _ = self.expire_if_idle(ctx);
        match (&self.store, &self.locked_by) {
            (Some(_), _) => Stage::SignedIn,
            (None, Some(_)) => Stage::Locked,
            (None, None) if self.files.db.exists() || self.files.key.exists() => Stage::SignIn,
            (None, None) => Stage::Setup,
        }
    }

    /// The person who locked the screen, while it is locked.
    pub fn locked_by(&self) -> Option<&str> {
        self.locked_by.as_deref()
    }

    /// First run: creates the site and signs its first administrator in. Returns the recovery
    /// key, to be shown once.
    pub fn setup(&mut self, ctx: &WriteCtx, setup: &SiteSetup) -> Result<RecoveryKey> {
        let (store, recovery) = super::create(&self.files, ctx, setup, KdfParams::DEFAULT)?;
        self.opened(ctx, store);
        Ok(recovery)
    }

    /// Signs someone in; refused while the screen is locked (unlock it, or sign the locked
    /// session out first).
    pub fn sign_in(&mut self, ctx: &WriteCtx, username: &str, password: &str) -> Result<Vec<Said>> {
        if self.locked_by.is_some() {
            return Err(Error::Locked { idle_minutes: None });
        }
        let SignedIn { store, notices } = super::sign_in(&self.files, ctx, username, password)?;
        self.opened(ctx, store);
        Ok(notices)
    }

    /// Unlocks the screen for the person who locked it; nobody else's password unlocks it.
    pub fn unlock(&mut self, ctx: &WriteCtx, password: &str) -> Result<Vec<Said>> {
        let username = self.locked_by.clone().ok_or(Error::NotSignedIn)?;
        let SignedIn { store, notices } = super::unlock(&self.files, ctx, &username, password)?;
        self.opened(ctx, store);
        Ok(notices)
    }

    /// Locks the screen (the person steps away, or the window saw no one for the idle time):
    /// the store is closed until its person unlocks it.
    pub fn lock(&mut self, ctx: &WriteCtx) -> Result<()> {
        let Some(store) = self.store.take() else { return Ok(()) };
        self.locked_by = store.session().ok().map(|s| s.username().to_string());
        store.sign_out(ctx, true)
    }

    /// Signs out, or ends a locked session so someone else can sign in.
    pub fn sign_out(&mut self, ctx: &WriteCtx) -> Result<()> {
        self.locked_by = None;
        match self.store.take() {
            Some(store) => store.sign_out(ctx, false),
            None => Ok(()),
        }
    }

    /// The signed-in store for one call. Once the idle time has passed since the last call, the
    /// screen is locked instead and the call refused.
    pub fn store(&mut self, ctx: &WriteCtx) -> Result<&mut Store> {
        self.expire_if_idle(ctx)?;
        let store = match self.store.as_mut() {
            Some(store) => store,
            None if self.locked_by.is_some() => return Err(Error::Locked { idle_minutes: None }),
            None => return Err(Error::NotSignedIn),
        };
        self.last_call_ms = ctx.now_ms;
        Ok(store)
    }

    /// The signed-in store as it is, for showing who is signed in; no call counts as activity.
    pub fn current(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    fn opened(&mut self, ctx: &WriteCtx, store: Store) {
        self.store = Some(store);
        self.locked_by = None;
        self.last_call_ms = ctx.now_ms;
    }

    fn expire_if_idle(&mut self, ctx: &WriteCtx) -> Result<()> {
        let Some(store) = &self.store else { return Ok(()) };
        let minutes = store.settings()?.idle_lock_minutes;
        if ctx.now_ms.saturating_sub(self.last_call_ms) < u64::from(minutes) * 60_000 {
            return Ok(());
        }
        let Some(store) = self.store.take() else { return Ok(()) };
        self.locked_by = store.session().ok().map(|s| s.username().to_string());
        store.record_idle_lock(ctx, minutes)?;
        Err(Error::Locked { idle_minutes: Some(minutes) })
    }
}

impl Store {
    /// Records that the workstation locked the screen after `minutes` without a call, and closes.
    fn record_idle_lock(mut self, ctx: &WriteCtx, minutes: u32) -> Result<()> {
        self.record_session(ctx, Action::Lock, &format!("after {minutes} idle minutes, enforced by the workstation"))
    }
}
