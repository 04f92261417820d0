//! Accounts: who may unlock this database, with which roles, over which facilities. An account
//! row lives here; its key slot lives in the key file, and the two are changed together. Every
//! change of an account's roles, facilities or state is written to the audit trail in one form
//! ([`state_detail`]), so `audit verify` can hold the table to the trail.

use super::write::Writer;
use super::{KeyChange, Store, WriteCtx};
use crate::audit::{workstation_name, Action};
use crate::auth::{DateOrder, KeyFile, Need, Password, Permission, Preferences, Role, Scope, ScreenLanguage, Session, TextSize};
use crate::error::{Error, FieldError, Result};
use crate::text::clean_line;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The fewest characters a password may have. Long beats clever: a few words together are easy
/// to remember and hard to guess.
const MIN_PASSWORD: usize = 12;

const ACCOUNT_COLUMNS: &str = "id, username, display_name, roles, facilities, active, must_change_password, created_ms, updated_ms, language, date_order, text_size";

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password: Password,
    pub roles: Vec<Role>,
    pub scope: Scope,
}

/// An administrator's change to an account's name, roles or facilities.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct AccountChange {
    pub display_name: String,
    pub roles: Vec<Role>,
    pub scope: Scope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
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
    /// The person's own; nobody else's screen needs them.
    #[serde(skip)]
    pub preferences: Preferences,
}

/// An account as saved, and what happened to the database key because of it (a deactivation or
/// a role taken away changes the key; ADR 0012).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AccountSaved {
    pub account: Account,
    pub key_change: Option<KeyChange>,
}

/// User names are kept in lower case, so "JDoe" and "jdoe" are one account.
pub fn normalize_username(typed: &str) -> String {
    typed.trim().to_lowercase()
}

/// How the audit trail records an account's roles, facilities and state; `audit verify` reads it
/// back and compares it with the accounts table.
pub(crate) fn state_detail(roles: &[Role], scope: &Scope, active: bool) -> String {
    format!("roles={}; scope={}; active={}", roles_text(roles), scope.to_text(), u8::from(active))
}

fn check_username(username: &str, errors: &mut Vec<FieldError>) {
    let ok_chars = username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    let starts = username.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if !(2..=32).contains(&username.len()) || !ok_chars || !starts {
        errors.push(FieldError::new("username", said!("a user name is 2 to 32 letters, digits, dots, dashes or underscores, starting with a letter", "un nombre de usuario tiene de 2 a 32 letras, números, puntos, guiones o guiones bajos, y empieza por una letra")));
    }
}

pub(crate) fn check_password(username: &str, password: &str) -> Result<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD {
        return Err(Error::field("password", said!("a password needs at least {MIN_PASSWORD} characters; a few words together are easy to remember", "una contraseña necesita al menos {MIN_PASSWORD} caracteres; unas cuantas palabras juntas se recuerdan con facilidad")));
    }
    if chars > 256 {
        return Err(Error::field("password", said!("a password may have at most 256 characters", "una contraseña puede tener como mucho 256 caracteres")));
    }
    let names_the_user = username.len() >= 4 && password.to_lowercase().contains(username);
    if names_the_user || password.chars().all(|c| password.starts_with(c)) {
        return Err(Error::field("password", said!("the password must not contain the user name or repeat one character", "la contraseña no debe contener el nombre de usuario ni repetir un solo carácter")));
    }
    Ok(())
}

fn check_roles_and_scope(conn: &Connection, roles: &[Role], scope: &Scope, errors: &mut Vec<FieldError>) -> Result<()> {
    if roles.is_empty() {
        errors.push(FieldError::new("roles", said!("choose at least one role", "elija al menos un rol")));
    }
    match scope {
        Scope::All if roles.contains(&Role::PeerSpecialist) => {
            errors.push(FieldError::new("scope", said!("a peer specialist works in particular facilities: choose them rather than all facilities", "un especialista de pares trabaja en centros concretos: elíjalos en lugar de todos los centros")))
        }
        Scope::Facilities(ids) if ids.is_empty() => errors.push(FieldError::new("scope", said!("choose at least one facility, or all facilities", "elija al menos un centro, o todos los centros"))),
        Scope::Facilities(ids) => {
            for id in ids {
                let exists: bool = conn.query_row("SELECT count(*) > 0 FROM facilities WHERE id = ?1 AND deleted = 0", [id], |r| r.get(0))?;
                if !exists {
                    errors.push(FieldError::new("scope", said!("there is no facility with id {id}", "no hay ningún centro con el identificador {id}")));
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

/// The roles as the accounts table holds them, comma-separated.
pub(crate) fn roles_from_text(text: &str) -> Vec<Role> {
    text.split(',').filter_map(|s| s.parse().ok()).collect()
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    let roles: String = r.get(3)?;
    Ok(Account {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        roles: roles_from_text(&roles),
        scope: Scope::from_text(&r.get::<_, String>(4)?),
        active: r.get(5)?,
        must_change_password: r.get(6)?,
        created_ms: r.get(7)?,
        updated_ms: r.get(8)?,
        // The schema admits only these words; the default stands in for anything else.
        preferences: Preferences {
            language: ScreenLanguage::parse(&r.get::<_, String>(9)?).unwrap_or_default(),
            date_order: DateOrder::parse(&r.get::<_, String>(10)?).unwrap_or_default(),
            text_size: TextSize::parse(r.get(11)?).unwrap_or_default(),
        },
    })
}

pub(crate) fn find(conn: &Connection, username: &str) -> Result<Account> {
    conn.query_row(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = ?1"), [username], account_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "account", id: username.to_string() })
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY username"))?;
    let rows = stmt.query_map([], account_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Accounts the audit trail holds no record of in today's form ("roles=..."), made before it
/// was kept.
pub(super) fn without_recorded_state(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE NOT EXISTS \
         (SELECT 1 FROM audit_log l WHERE l.record_id = a.id AND l.tbl = 'accounts' AND l.detail LIKE 'roles=%') ORDER BY username"
    ))?;
    let rows = stmt.query_map([], account_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn active_admins(conn: &Connection) -> Result<Vec<String>> {
    Ok(all(conn)?.into_iter().filter(|a| a.active && a.roles.contains(&Role::Admin)).map(|a| a.username).collect())
}

fn sorted(roles: &[Role]) -> Vec<Role> {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    roles
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
        Session::new(self.id.clone(), self.username.clone(), self.display_name.clone(), self.roles.clone(), self.scope.clone(), workstation_name(), Preferences::default())
    }
}

pub(crate) fn validated(conn: &Connection, new: &NewAccount) -> Result<ValidAccount> {
    let username = normalize_username(&new.username);
    let display_name = clean_line(&new.display_name);
    let mut errors = Vec::new();
    check_username(&username, &mut errors);
    check_display_name(&display_name, &mut errors);
    if let Err(Error::Validation(mut e)) = check_password(&username, new.password.as_str()) {
        errors.append(&mut e);
    }
    check_roles_and_scope(conn, &new.roles, &new.scope, &mut errors)?;
    if errors.is_empty() && find(conn, &username).is_ok() {
        errors.push(FieldError::new("username", said!("that user name is already taken", "ese nombre de usuario ya está en uso")));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(ValidAccount { id: String::new(), username, display_name, roles: sorted(&new.roles), scope: new.scope.clone() })
}

fn check_display_name(name: &str, errors: &mut Vec<FieldError>) {
    if name.is_empty() || name.chars().count() > 80 {
        errors.push(FieldError::new("display_name", said!("the name shown for this account is 1 to 80 characters", "el nombre que se muestra para esta cuenta tiene de 1 a 80 caracteres")));
    }
}

/// Marks the account inactive, with the state the audit trail holds the table to.
pub(crate) fn deactivate(w: &mut Writer<'_>, account: &Account) -> Result<()> {
    w.tx().execute("UPDATE accounts SET active = 0, updated_ms = ?2 WHERE id = ?1", params![account.id, w.now_ms()])?;
    w.audit(Action::Update, Some("accounts"), Some(&account.id), &state_detail(&account.roles, &account.scope, false))
}

/// Inserts the row and its audit entry in the writer's transaction; gives the account its id.
/// `temporary` marks a password someone else chose, to be replaced at the first sign-in.
pub(crate) fn write_account(w: &Writer<'_>, valid: &ValidAccount, temporary: bool) -> Result<String> {
    let id = if valid.id.is_empty() { w.ctx().new_uuid().to_string() } else { valid.id.clone() };
    w.tx().execute(
        // A new account starts with the schema's default preferences (English, month first).
        "INSERT INTO accounts (id, username, display_name, roles, facilities, active, must_change_password, created_ms, updated_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?7, ?6, ?6)",
        params![id, valid.username, valid.display_name, roles_text(&valid.roles), valid.scope.to_text(), w.now_ms(), temporary],
    )?;
    w.audit(Action::Create, Some("accounts"), Some(&id), &state_detail(&valid.roles, &valid.scope, true))?;
    Ok(id)
}

/// Loads the key file, lets `edit` change it, and saves it, last in the writer's change: a
/// failure before the save leaves both as they were. Should the commit fail after it, the key
/// file is ahead of the table only in ways that open nothing: a slot for an account the table
/// lacks, a slot gone for an account still listed, a password changed for the person who chose
/// it.
fn edit_key_file(w: &Writer<'_>, edit: impl FnOnce(&mut KeyFile, &crate::auth::DbKey) -> Result<()>) -> Result<()> {
    if let Some(keys) = w.keys() {
        let mut file = KeyFile::load(&keys.files.key)?;
        edit(&mut file, &keys.key)?;
        file.save(&keys.files.key)?;
    }
    Ok(())
}

impl Store {
    /// Every account, in user-name order.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        self.allowed(Need::Role(Permission::ManageAccounts))?;
        all(&self.conn)
    }

    /// Creates an account and its key slot together.
    pub fn create_account(&mut self, ctx: &WriteCtx, new: &NewAccount) -> Result<Account> {
        self.allowed(Need::Role(Permission::ManageAccounts))?;
        let username = self.change(ctx, Need::Role(Permission::ManageAccounts), |w| {
            let valid = validated(w.tx(), new)?;
            write_account(w, &valid, true)?;
            edit_key_file(w, |file, key| file.set_user(key, &valid.username, new.password.as_str()))?;
            Ok(valid.username)
        })?;
        find(&self.conn, &username)
    }

    /// Changes an account's name, roles or facilities. The last administrator cannot give up
    /// the role, or nobody could manage accounts again. Taking a role away changes the database
    /// key, so no copy of the key file made while the account held it opens the database.
    pub fn update_account(&mut self, ctx: &WriteCtx, username: &str, change: &AccountChange) -> Result<AccountSaved> {
        self.allowed(Need::Role(Permission::ManageAccounts))?;
        let username = normalize_username(username);
        let roles = sorted(&change.roles);
        // Checked in the change's transaction, so two windows cannot each take the role from
        // one of the last two administrators.
        let account = self.change(ctx, Need::Role(Permission::ManageAccounts), |w| {
            let account = find(w.tx(), &username)?;
            let display_name = clean_line(&change.display_name);
            let mut errors = Vec::new();
            check_display_name(&display_name, &mut errors);
            check_roles_and_scope(w.tx(), &change.roles, &change.scope, &mut errors)?;
            if account.active && !change.roles.contains(&Role::Admin) && active_admins(w.tx())? == [account.username.clone()] {
                errors.push(FieldError::new("roles", said!("this is the only active administrator: make another one first", "este es el único administrador activo: cree antes otro")));
            }
            if !errors.is_empty() {
                return Err(Error::Validation(errors));
            }
            w.tx().execute(
                "UPDATE accounts SET display_name = ?2, roles = ?3, facilities = ?4, updated_ms = ?5 WHERE id = ?1",
                params![account.id, display_name, roles_text(&roles), change.scope.to_text(), w.now_ms()],
            )?;
            w.audit(Action::Update, Some("accounts"), Some(&account.id), &state_detail(&roles, &change.scope, account.active))?;
            Ok(account)
        })?;
        let lost_a_role = account.roles.iter().any(|r| !roles.contains(r));
        let key_change = if lost_a_role { Some(self.rotate_key(ctx)?) } else { None };
        Ok(AccountSaved { account: find(&self.conn, &account.username)?, key_change })
    }

    /// Deactivates an account: its key slot is removed and the database key is changed, so
    /// neither its password nor any copy of the key file it could have kept opens the database.
    /// A reset of its password makes it active again.
    pub fn deactivate_account(&mut self, ctx: &WriteCtx, username: &str) -> Result<AccountSaved> {
        let me = self.allowed(Need::Role(Permission::ManageAccounts))?.username.clone();
        let username = normalize_username(username);
        let account = self.change(ctx, Need::Role(Permission::ManageAccounts), |w| {
            let account = find(w.tx(), &username)?;
            if account.username == me {
                return Err(Error::field("username", said!("you cannot deactivate your own account while signed in with it", "no puede desactivar su propia cuenta mientras ha iniciado sesión con ella")));
            }
            if active_admins(w.tx())? == [account.username.clone()] {
                return Err(Error::field("username", said!("this is the only active administrator: make another one first", "este es el único administrador activo: cree antes otro")));
            }
            deactivate(w, &account)?;
            edit_key_file(w, |file, _| {
                file.remove_user(&account.username);
                Ok(())
            })?;
            Ok(account)
        })?;
        let key_change = Some(self.rotate_key(ctx)?);
        Ok(AccountSaved { account: find(&self.conn, &account.username)?, key_change })
    }

    /// An administrator sets a temporary password: the account is active again, must choose its
    /// own password at the next sign-in, and any lockout is lifted.
    pub fn reset_password(&mut self, ctx: &WriteCtx, username: &str, temporary: &str) -> Result<()> {
        self.allowed(Need::Role(Permission::ManageAccounts))?;
        self.set_password(ctx, Need::Role(Permission::ManageAccounts), &normalize_username(username), temporary, Action::PasswordReset)
    }

    /// The signed-in person changes their own password after proving the current one.
    pub fn change_password(&mut self, ctx: &WriteCtx, current: &str, new: &str) -> Result<()> {
        let me = self.allowed(Need::SignedIn)?.username.clone();
        if let Some(keys) = &self.keys {
            KeyFile::load(&keys.files.key)?.unwrap_user(&me, current).map_err(|_| Error::field("current_password", said!("that is not your current password", "esa no es su contraseña actual")))?;
        }
        if current == new {
            return Err(Error::field("password", said!("choose a password different from the current one", "elija una contraseña distinta de la actual")));
        }
        self.set_password(ctx, Need::SignedIn, &me, new, Action::PasswordChange)?;
        if let Some(who) = self.who.as_mut() {
            who.must_change_password = false;
        }
        Ok(())
    }

    /// The signed-in person's own choice of language, date order and text size; it takes effect
    /// at once.
    pub fn set_preferences(&mut self, ctx: &WriteCtx, preferences: Preferences) -> Result<&Session> {
        self.change(ctx, Need::SignedIn, |w| {
            let account = find(w.tx(), &w.who().username)?;
            w.tx().execute(
                "UPDATE accounts SET language = ?2, date_order = ?3, text_size = ?4, updated_ms = ?5 WHERE id = ?1",
                params![account.id, preferences.language.as_str(), preferences.date_order.as_str(), preferences.text_size.percent(), w.now_ms()],
            )?;
            w.audit(Action::Update, Some("accounts"), Some(&account.id), &preferences.describe())
        })?;
        if let Some(who) = self.who.as_mut() {
            who.preferences = preferences;
        }
        self.session()
    }

    /// Writes a new slot for `username` and records it; a reset (by someone else) obliges the
    /// person to choose their own password next time.
    pub(crate) fn set_password(&mut self, ctx: &WriteCtx, need: Need, username: &str, password: &str, action: Action) -> Result<()> {
        check_password(username, password)?;
        let account = find(&self.conn, username)?;
        let by_someone_else = self.session()?.username != username;
        let must_change = action == Action::PasswordReset && by_someone_else;
        self.change(ctx, need, |w| {
            w.tx().execute(
                "UPDATE accounts SET active = 1, must_change_password = ?2, updated_ms = ?3 WHERE id = ?1",
                params![account.id, must_change, w.now_ms()],
            )?;
            w.audit(action, Some("accounts"), Some(&account.id), &state_detail(&account.roles, &account.scope, true))?;
            edit_key_file(w, |file, key| file.set_user(key, username, password))?;
            if let Some(keys) = w.keys() {
                let mut attempts = crate::auth::Attempts::load(&keys.files.logins);
                attempts.clear(username);
                attempts.save(&keys.files.logins)?;
            }
            Ok(())
        })
    }
}
