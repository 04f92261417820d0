//! Accounts: who may unlock this database, with which roles, over which facilities. An account
//! row lives here; its key slot lives in the key file, and the two are changed together.

use super::audit_trail;
use super::write::Writer;
use super::{Store, WriteCtx};
use crate::audit::chain::EntryContent;
use crate::audit::{workstation_name, Action};
use crate::auth::{KeyFile, Permission, Role, Scope, Session};
use crate::error::{Error, FieldError, Result};
use crate::model::FacilityId;
use crate::text::clean_line;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The fewest characters a password may have. Long beats clever: a few words together are easy
/// to remember and hard to guess.
const MIN_PASSWORD: usize = 12;

const ACCOUNT_COLUMNS: &str = "id, username, display_name, roles, facilities, active, must_change_password, created_ms, updated_ms";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
    pub scope: Scope,
}

/// An administrator's change to an account's name, roles or facilities.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountChange {
    pub display_name: String,
    pub roles: Vec<Role>,
    pub scope: Scope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub scope: Scope,
    pub active: bool,
    pub must_change_password: bool,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// User names are kept in lower case, so "JDoe" and "jdoe" are one account.
pub fn normalize_username(typed: &str) -> String {
    typed.trim().to_lowercase()
}

fn check_username(username: &str, errors: &mut Vec<FieldError>) {
    let ok_chars = username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    let starts = username.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if !(2..=32).contains(&username.len()) || !ok_chars || !starts {
        errors.push(FieldError::new(
            "username",
            "a user name is 2 to 32 letters, digits, dots, dashes or underscores, starting with a letter",
        ));
    }
}

pub(crate) fn check_password(username: &str, password: &str) -> Result<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD {
        return Err(Error::field(
            "password",
            format!("a password needs at least {MIN_PASSWORD} characters; a few words together are easy to remember"),
        ));
    }
    if chars > 256 {
        return Err(Error::field("password", "a password may have at most 256 characters"));
    }
    let names_the_user = username.len() >= 4 && password.to_lowercase().contains(username);
    if names_the_user || password.chars().all(|c| password.starts_with(c)) {
        return Err(Error::field("password", "the password must not contain the user name or repeat one character"));
    }
    Ok(())
}

fn check_roles_and_scope(conn: &Connection, roles: &[Role], scope: &Scope, errors: &mut Vec<FieldError>) -> Result<()> {
    if roles.is_empty() {
        errors.push(FieldError::new("roles", "choose at least one role"));
    }
    match scope {
        Scope::All if roles.contains(&Role::PeerSpecialist) => errors.push(FieldError::new(
            "scope",
            "a peer specialist works in particular facilities: choose them rather than all facilities",
        )),
        Scope::Facilities(ids) if ids.is_empty() => errors.push(FieldError::new("scope", "choose at least one facility, or all facilities")),
        Scope::Facilities(ids) => {
            for id in ids {
                let exists: bool = conn.query_row("SELECT count(*) > 0 FROM facilities WHERE id = ?1 AND deleted = 0", [id], |r| r.get(0))?;
                if !exists {
                    errors.push(FieldError::new("scope", format!("there is no facility with id {id}")));
                }
            }
        }
        Scope::All => {}
    }
    Ok(())
}

fn roles_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

fn scope_text(scope: &Scope) -> String {
    match scope {
        Scope::All => "*".into(),
        Scope::Facilities(ids) => serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()),
    }
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    let roles: String = r.get(3)?;
    let facilities: String = r.get(4)?;
    let scope = if facilities == "*" {
        Scope::All
    } else {
        Scope::Facilities(serde_json::from_str::<Vec<FacilityId>>(&facilities).unwrap_or_default())
    };
    Ok(Account {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        roles: roles.split(',').filter_map(|s| s.parse().ok()).collect(),
        scope,
        active: r.get(5)?,
        must_change_password: r.get(6)?,
        created_ms: r.get(7)?,
        updated_ms: r.get(8)?,
    })
}

fn find(conn: &Connection, username: &str) -> Result<Account> {
    conn.query_row(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = ?1"), [username], account_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "account", id: username.to_string() })
}

fn active_admins(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT username, roles FROM accounts WHERE active = 1")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut admins = Vec::new();
    for row in rows {
        let (name, roles) = row?;
        if roles.split(',').any(|r| r == Role::Admin.as_str()) {
            admins.push(name);
        }
    }
    Ok(admins)
}

/// A new account that passed every rule, ready to write.
pub(crate) struct ValidAccount {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub scope: Scope,
}

impl ValidAccount {
    pub(crate) fn session(&self) -> Session {
        Session::new(self.id.clone(), self.username.clone(), self.display_name.clone(), self.roles.clone(), self.scope.clone(), workstation_name(), false)
    }
}

pub(crate) fn validated(conn: &Connection, new: &NewAccount) -> Result<ValidAccount> {
    let username = normalize_username(&new.username);
    let display_name = clean_line(&new.display_name);
    let mut errors = Vec::new();
    check_username(&username, &mut errors);
    if display_name.is_empty() || display_name.chars().count() > 80 {
        errors.push(FieldError::new("display_name", "the name shown for this account is 1 to 80 characters"));
    }
    if let Err(Error::Validation(mut e)) = check_password(&username, &new.password) {
        errors.append(&mut e);
    }
    check_roles_and_scope(conn, &new.roles, &new.scope, &mut errors)?;
    if errors.is_empty() && find(conn, &username).is_ok() {
        errors.push(FieldError::new("username", format!("the user name {username} is already taken")));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let mut roles = new.roles.clone();
    roles.sort();
    roles.dedup();
    Ok(ValidAccount { id: String::new(), username, display_name, roles, scope: new.scope.clone() })
}

/// Inserts the row and its audit entry in the writer's transaction; gives the account its id.
/// `temporary` marks a password someone else chose, to be replaced at the first sign-in.
pub(crate) fn write_account(w: &Writer<'_>, ctx: &WriteCtx, valid: &ValidAccount, temporary: bool) -> Result<String> {
    let id = if valid.id.is_empty() { ctx.new_uuid().to_string() } else { valid.id.clone() };
    let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
    w.tx().execute(
        &format!("INSERT INTO accounts ({ACCOUNT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?7, ?6, ?6)"),
        params![id, valid.username, valid.display_name, roles_text(&valid.roles), scope_text(&valid.scope), now, temporary],
    )?;
    w.audit(Action::Create, Some("accounts"), Some(&id), &format!("{}: {}", valid.username, roles_text(&valid.roles)))?;
    Ok(id)
}

impl Store {
    /// Every account, in user-name order.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        self.allowed(Permission::ManageAccounts, None)?;
        let mut stmt = self.conn.prepare(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY username"))?;
        let rows = stmt.query_map([], account_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Creates an account and its key slot together.
    pub fn create_account(&mut self, ctx: &WriteCtx, new: &NewAccount) -> Result<Account> {
        self.allowed(Permission::ManageAccounts, None)?;
        self.insert_account(ctx, new)
    }

    /// The account row, written with its audit entry; on a database on disk the key slot is
    /// written before the row is committed, so a failure leaves neither.
    fn insert_account(&mut self, ctx: &WriteCtx, new: &NewAccount) -> Result<Account> {
        let valid = validated(&self.conn, new)?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        write_account(&w, ctx, &valid, true)?;
        if let Some(keys) = &self.keys {
            let mut file = KeyFile::load(&keys.files.key)?;
            file.set_user(&keys.key, &valid.username, &new.password)?;
            file.save(&keys.files.key)?;
        }
        w.commit()?;
        find(&self.conn, &valid.username)
    }

    /// Changes an account's name, roles or facilities. The last administrator cannot give up
    /// the role, or nobody could manage accounts again.
    pub fn update_account(&mut self, ctx: &WriteCtx, username: &str, change: &AccountChange) -> Result<Account> {
        self.allowed(Permission::ManageAccounts, None)?;
        let account = find(&self.conn, &normalize_username(username))?;
        let display_name = clean_line(&change.display_name);
        let mut errors = Vec::new();
        if display_name.is_empty() || display_name.chars().count() > 80 {
            errors.push(FieldError::new("display_name", "the name shown for this account is 1 to 80 characters"));
        }
        check_roles_and_scope(&self.conn, &change.roles, &change.scope, &mut errors)?;
        if account.active && !change.roles.contains(&Role::Admin) && active_admins(&self.conn)? == [account.username.clone()] {
            errors.push(FieldError::new("roles", "this is the only active administrator: make another one first"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let mut roles = change.roles.clone();
        roles.sort();
        roles.dedup();
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        w.tx().execute(
            "UPDATE accounts SET display_name = ?2, roles = ?3, facilities = ?4, updated_ms = ?5 WHERE id = ?1",
            params![account.id, display_name, roles_text(&roles), scope_text(&change.scope), i64::try_from(ctx.now_ms).unwrap_or(i64::MAX)],
        )?;
        w.audit(Action::Update, Some("accounts"), Some(&account.id), &format!("{}: {}", account.username, roles_text(&roles)))?;
        w.commit()?;
        find(&self.conn, &account.username)
    }

    /// Deactivates an account and removes its key slot, so its password opens nothing any more.
    /// A reset of its password makes it active again.
    pub fn deactivate_account(&mut self, ctx: &WriteCtx, username: &str) -> Result<()> {
        let me = self.allowed(Permission::ManageAccounts, None)?.username.clone();
        let account = find(&self.conn, &normalize_username(username))?;
        if account.username == me {
            return Err(Error::field("username", "you cannot deactivate your own account while signed in with it"));
        }
        if active_admins(&self.conn)? == [account.username.clone()] {
            return Err(Error::field("username", "this is the only active administrator: make another one first"));
        }
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        w.tx().execute(
            "UPDATE accounts SET active = 0, updated_ms = ?2 WHERE id = ?1",
            params![account.id, i64::try_from(ctx.now_ms).unwrap_or(i64::MAX)],
        )?;
        w.audit(Action::Update, Some("accounts"), Some(&account.id), &format!("{}: deactivated", account.username))?;
        if let Some(keys) = &self.keys {
            let mut file = KeyFile::load(&keys.files.key)?;
            file.remove_user(&account.username);
            file.save(&keys.files.key)?;
        }
        w.commit()
    }

    /// An administrator sets a temporary password: the account is active again, must choose its
    /// own password at the next sign-in, and any lockout is lifted.
    pub fn reset_password(&mut self, ctx: &WriteCtx, username: &str, temporary: &str) -> Result<()> {
        self.allowed(Permission::ManageAccounts, None)?;
        self.set_password(ctx, &normalize_username(username), temporary, Action::PasswordReset)
    }

    /// The signed-in person changes their own password after proving the current one.
    pub fn change_password(&mut self, ctx: &WriteCtx, current: &str, new: &str) -> Result<()> {
        let me = self.session()?.username.clone();
        if let Some(keys) = &self.keys {
            KeyFile::load(&keys.files.key)?.unwrap_user(&me, current).map_err(|_| Error::field("current_password", "that is not your current password"))?;
        }
        if current == new {
            return Err(Error::field("password", "choose a password different from the current one"));
        }
        self.set_password(ctx, &me, new, Action::PasswordChange)?;
        if let Some(who) = self.who.as_mut() {
            who.must_change_password = false;
        }
        Ok(())
    }

    /// Writes a new slot for `username` and records it; a reset (by someone else) obliges the
    /// person to choose their own password next time.
    pub(crate) fn set_password(&mut self, ctx: &WriteCtx, username: &str, password: &str, action: Action) -> Result<()> {
        check_password(username, password)?;
        let account = find(&self.conn, username)?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let must_change = action == Action::PasswordReset && who.username != username;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        w.tx().execute(
            "UPDATE accounts SET active = 1, must_change_password = ?2, updated_ms = ?3 WHERE id = ?1",
            params![account.id, must_change, i64::try_from(ctx.now_ms).unwrap_or(i64::MAX)],
        )?;
        w.audit(action, Some("accounts"), Some(&account.id), &account.username)?;
        if let Some(keys) = &self.keys {
            let mut file = KeyFile::load(&keys.files.key)?;
            file.set_user(&keys.key, username, password)?;
            file.save(&keys.files.key)?;
            let mut attempts = crate::auth::Attempts::load(&keys.files.logins);
            attempts.clear(username);
            attempts.save(&keys.files.logins)?;
        }
        w.commit()
    }

    /// Makes `username` the person acting, from their account as it stands now. Called once the
    /// password (or the recovery key) has opened the database.
    pub(crate) fn sign_in_as(&mut self, username: &str) -> Result<&Session> {
        let account = find(&self.conn, username).map_err(|_| Error::WrongPassword)?;
        if !account.active {
            return Err(Error::Forbidden("this account has been deactivated: ask an administrator to reset its password".into()));
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
        self.who = Some(Session::new(account.id, account.username, account.display_name, account.roles, account.scope, workstation_name(), false));
        Ok(())
    }

    /// For a database in memory only (tests and benchmarks): act as `username` without a
    /// password. A database on disk is only ever opened through [`crate::auth::sign_in`].
    pub fn act_as(&mut self, username: &str) -> Result<()> {
        if self.keys.is_some() {
            return Err(Error::Forbidden("a database on disk is opened by signing in with a password".into()));
        }
        self.sign_in_as(&normalize_username(username)).map(|_| ())
    }

    /// Records sign-ins refused while the database was closed, under the names that were typed.
    pub(crate) fn record_refusals(&mut self, refusals: &[crate::auth::PendingFailure]) -> Result<()> {
        if refusals.is_empty() {
            return Ok(());
        }
        let site = self.site()?.site_id.to_string();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for p in refusals {
            audit_trail::append(
                &tx,
                &EntryContent {
                    at_ms: i64::try_from(p.at_ms).unwrap_or(i64::MAX),
                    site_id: site.clone(),
                    actor: p.username.clone(),
                    workstation: p.workstation.clone(),
                    action: Action::SignInRefused.as_str().to_string(),
                    table: None,
                    record_id: None,
                    detail: p.reason.clone(),
                },
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Records the sign-in (or an unlock after an idle lock) of the session's person.
    pub(crate) fn record_session(&mut self, ctx: &WriteCtx, action: Action, detail: &str) -> Result<()> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        w.audit(action, None, None, detail)?;
        w.commit()
    }

    /// Ends the session: records the sign-out or the idle lock, then closes the database.
    pub fn sign_out(mut self, ctx: &WriteCtx, idle: bool) -> Result<()> {
        let action = if idle { Action::Lock } else { Action::SignOut };
        self.record_session(ctx, action, "")
    }
}
