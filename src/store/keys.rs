//! Changing the database key when someone leaves (ADR 0012): a new random key is sealed to every
//! remaining account and to the recovery key, the database is re-encrypted with it, and only
//! then does the new key file replace the old one. Until that rename the new key file waits
//! beside the old one (`<db>.key.next`), and opening tries it when the old one no longer fits,
//! so a crash at any point leaves a database some key file opens.

use super::accounts::{deactivate, find};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{DbKey, KeyFile, Need, Permission};
use crate::error::{Error, Result};
use serde::Serialize;

/// What a change of the database key meant for people.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
pub struct KeyChange {
    /// Accounts whose key slot was of the kind made before key changes existed and whose
    /// password has not been typed since: their slot could not be carried over, so they are
    /// deactivated until an administrator resets their password.
    pub needs_password_reset: Vec<String>,
    /// A new recovery key, shown once: the old one was of that older kind too. Print it and
    /// lock it away; the old one opens nothing any more.
    pub new_recovery_key: Option<String>,
}

impl Store {
    /// Changes the database key now: after a deactivation or a role taken away, or when an
    /// administrator asks (`bridger accounts rotate-key`).
    pub fn rotate_database_key(&mut self, ctx: &WriteCtx) -> Result<KeyChange> {
        self.allowed(Need::Role(Permission::ManageAccounts))?;
        self.rotate_key(ctx)
    }

    pub(crate) fn rotate_key(&mut self, ctx: &WriteCtx) -> Result<KeyChange> {
        let Some(files) = self.keys.as_ref().map(|k| k.files.clone()) else { return Ok(KeyChange::default()) };
        let new_key = DbKey::random()?;
        let mut file = KeyFile::load(&files.key)?;
        let rotation = file.rotate(&new_key)?;
        let next = files.next_key();
        file.save(&next)?;
        if let Err(e) = self.reencrypt(&new_key) {
            let _ = std::fs::remove_file(&next);
            return Err(e);
        }
        std::fs::rename(&next, &files.key).map_err(|source| Error::Io { context: said!("cannot put the new key file in place at {}", "no se puede poner el archivo de clave nuevo en {}", files.key.display()), source })?;
        if let Some(keys) = self.keys.as_mut() {
            keys.key = new_key;
        }
        let dropped = rotation.dropped.clone();
        self.change(ctx, Need::SignedIn, |w| {
            w.audit(Action::Update, Some("database_key"), None, &format!("the database key was changed; {} account(s) need a password reset", dropped.len()))?;
            for username in &dropped {
                if let Ok(account) = find(w.tx(), username) {
                    deactivate(w, &account)?;
                }
            }
            Ok(())
        })?;
        Ok(KeyChange { needs_password_reset: rotation.dropped, new_recovery_key: rotation.new_recovery.map(|r| r.display()) })
    }

    /// Re-encrypts every page with `key`. SQLCipher cannot rekey a database in WAL mode, so the
    /// log is folded in and the database leaves WAL for the rekey, then returns to it.
    pub(crate) fn reencrypt(&mut self, key: &DbKey) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        let rekeyed = self.conn.execute_batch(&key.pragma("rekey"));
        self.conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        rekeyed?;
        Ok(())
    }
}
