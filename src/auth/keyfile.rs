//! The key file beside the database (ADR 0003, ADR 0012). The database is encrypted with one
//! random 32-byte key. Each account has its own X25519 identity, wrapped by a key derived from
//! its password (argon2id); the database key is sealed to each account's public key and to the
//! recovery key's. Sealing to public keys is what lets an administrator change the database key
//! when someone leaves without knowing anyone else's password: the new key is sealed to every
//! remaining account, and the person who left holds nothing that opens it.
//!
//! Key files of format 1 wrapped the database key directly with each password and with the
//! recovery key. They are still read; an account's slot is made anew the next time its password
//! opens the file.
//!
//! The file holds nothing readable about anyone but user names, and is only ever replaced whole
//! (written beside, synced, renamed over).

use crate::error::{Error, Result};
use crate::files::write_atomically;
use age::secrecy::ExposeSecret;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use data_encoding::{BASE32_NOPAD, BASE64};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::str::FromStr;
use zeroize::Zeroizing;

const FORMAT: u32 = 2;
const KEY_LEN: usize = 32;
/// How an age identity's text begins; the recovery key shown to people is what follows it.
const AGE_SECRET_PREFIX: &str = "AGE-SECRET-KEY-1";

/// The database key. Never written anywhere but sealed or wrapped; wiped from memory when dropped.
#[derive(Clone)]
pub struct DbKey(Zeroizing<[u8; KEY_LEN]>);

impl DbKey {
    pub(crate) fn random() -> Result<Self> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(key.as_mut())?;
        Ok(Self(key))
    }

    /// The key as SQLCipher's raw-key literal, so opening skips SQLCipher's own key derivation.
    /// Public for tools that open the file with SQLCipher directly (the tampering tests do).
    pub fn sqlcipher_literal(&self) -> Zeroizing<String> {
        let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        Zeroizing::new(format!("\"x'{hex}'\""))
    }

    /// The raw key as SQLCipher takes it in `ATTACH ... KEY`: the same literal text, as a value.
    pub(crate) fn sqlcipher_blob(&self) -> Zeroizing<String> {
        let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        Zeroizing::new(format!("x'{hex}'"))
    }

    pub(crate) fn same_as(&self, other: &DbKey) -> bool {
        self.0.as_ref() == other.0.as_ref()
    }

    /// `PRAGMA key = ...` (or `rekey`) with this key, built so that no copy outlives its use.
    pub(crate) fn pragma(&self, name: &str) -> Zeroizing<String> {
        Zeroizing::new(format!("PRAGMA {name} = {};", self.sqlcipher_literal().as_str()))
    }
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(..)")
    }
}

/// The recovery key: shown once as groups of letters and digits, to print and lock away. It
/// opens the database when no administrator can.
pub enum RecoveryKey {
    /// An X25519 identity the database key is sealed to (format 2).
    Sealed(age::x25519::Identity),
    /// 32 bytes that wrapped the database key directly (format 1).
    Wrapped(Zeroizing<[u8; KEY_LEN]>),
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(..)")
    }
}

impl RecoveryKey {
    fn generate() -> Self {
        RecoveryKey::Sealed(age::x25519::Identity::generate())
    }

    /// Groups of four characters, so it can be read aloud and typed back without losing place.
    pub fn display(&self) -> String {
        let text = match self {
            RecoveryKey::Sealed(identity) => {
                Zeroizing::new(identity.to_string().expose_secret().trim_start_matches(AGE_SECRET_PREFIX).to_string())
            }
            RecoveryKey::Wrapped(bytes) => Zeroizing::new(BASE32_NOPAD.encode(bytes.as_ref())),
        };
        text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }

    /// Reads a recovery key as typed: case, spaces and dashes do not matter. Its own checksum
    /// catches a mistyped character.
    pub fn parse(typed: &str) -> Result<Self> {
        let cleaned = Zeroizing::new(typed.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase());
        let refused = || Error::field("recovery_key", said!("that is not this site's recovery key: check each group of four as it was printed", "esa no es la clave de recuperación de este sitio: revise cada grupo de cuatro tal como se imprimió"));
        if cleaned.len() == 52 {
            let bytes = Zeroizing::new(BASE32_NOPAD.decode(cleaned.as_bytes()).ok().filter(|b| b.len() == KEY_LEN).ok_or_else(refused)?);
            let mut key = Zeroizing::new([0u8; KEY_LEN]);
            key.copy_from_slice(&bytes);
            return Ok(RecoveryKey::Wrapped(key));
        }
        let text = Zeroizing::new(format!("{AGE_SECRET_PREFIX}{}", cleaned.as_str()));
        age::x25519::Identity::from_str(&text).map(RecoveryKey::Sealed).map_err(|_| refused())
    }
}

/// argon2id costs, stored with each slot so they can be raised later without locking anyone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
}

impl KdfParams {
    /// About half a second on the program's workstations (ADR 0003): slow enough that guessing a
    /// stolen key file's passwords costs hours per thousand tries, quick enough that nobody waits
    /// at the login screen.
    pub const DEFAULT: KdfParams = KdfParams { memory_kib: 256 * 1024, iterations: 3, lanes: 1 };

    /// The least a key file may ask for (OWASP's minimum for argon2id): a key file edited to make
    /// new slots cheap to guess is refused rather than obeyed.
    pub const FLOOR: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, lanes: 1 };

    /// The floor itself, for tests and benchmarks that create many accounts; never chosen by
    /// the app.
    pub const FAST_FOR_TESTS: KdfParams = KdfParams::FLOOR;

    fn at_least_floor(&self) -> bool {
        self.memory_kib >= Self::FLOOR.memory_kib && self.iterations >= Self::FLOOR.iterations && self.lanes >= 1
    }

    fn derive(&self, password: &str, salt: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>> {
        let params = argon2::Params::new(self.memory_kib, self.iterations, self.lanes, Some(KEY_LEN))
            .map_err(|e| Error::KeyFile(said!("the key file has unusable password settings ({e})", "el archivo de clave tiene unos ajustes de contraseña inservibles ({e})")))?;
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(password.as_bytes(), salt, out.as_mut())
            .map_err(|e| Error::KeyFile(said!("the password could not be checked ({e})", "no se pudo comprobar la contraseña ({e})")))?;
        Ok(out)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Wrapped {
    nonce: String,
    ciphertext: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kdf {
    algorithm: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct UserSlot {
    username: String,
    kdf: Kdf,
    /// Format 1: the database key wrapped by the password's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<Wrapped>,
    /// Format 2: the account's identity wrapped by the password's key, its public key, and the
    /// database key sealed to that public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    identity: Option<Wrapped>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recipient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum RecoverySlot {
    Sealed { recipient: String, sealed: String },
    Wrapped(Wrapped),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyFile {
    format: u32,
    /// The costs new and changed slots are made with.
    kdf: KdfParams,
    users: Vec<UserSlot>,
    recovery: RecoverySlot,
}

/// What a change of the database key did to the key file.
#[derive(Debug, Default)]
pub struct Rotation {
    /// Accounts whose format-1 slot could not be carried over: their passwords were never typed
    /// since the upgrade. They need a password reset.
    pub dropped: Vec<String>,
    /// A new recovery key, when the old one was of format 1 and could not be carried over: it
    /// must be shown once and printed.
    pub new_recovery: Option<RecoveryKey>,
}

impl KeyFile {
    /// A key file for a new database: a fresh database key, the first account's slot and the
    /// recovery slot. Returns the recovery key, which exists nowhere else.
    pub fn new(username: &str, password: &str, params: KdfParams) -> Result<(KeyFile, DbKey, RecoveryKey)> {
        if !params.at_least_floor() {
            return Err(Error::KeyFile(said!("the password settings asked for are below the safe minimum", "los ajustes de contraseña pedidos están por debajo del mínimo seguro")));
        }
        let key = DbKey::random()?;
        let recovery = RecoveryKey::generate();
        let RecoveryKey::Sealed(identity) = &recovery else { unreachable!("generated keys are sealed ones") };
        let mut file = KeyFile { format: FORMAT, kdf: params, users: Vec::new(), recovery: seal_recovery(&identity.to_public(), &key)? };
        file.set_user(&key, username, password)?;
        Ok((file, key, recovery))
    }

    pub fn load(path: &Path) -> Result<KeyFile> {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|source| Error::Io {
            context: said!("the key file {} could not be read; without it the database cannot be opened (restore it from the backups folder)", "no se pudo leer el archivo de clave {}; sin él la base de datos no se puede abrir (restáurelo desde la carpeta de copias de seguridad)", path.display()),
            source,
        })?);
        let file: KeyFile = serde_json::from_str(&text)
            .map_err(|e| Error::KeyFile(said!("the key file {} is damaged ({e}); restore it from the backups folder", "el archivo de clave {} está dañado ({e}); restáurelo desde la carpeta de copias de seguridad", path.display())))?;
        if !(1..=FORMAT).contains(&file.format) {
            return Err(Error::KeyFile(said!("the key file {} was written by another version of Bridger", "el archivo de clave {} lo escribió otra versión de Bridger", path.display())));
        }
        if !file.kdf.at_least_floor() || file.users.iter().any(|s| !s.kdf.params.at_least_floor()) {
            return Err(Error::KeyFile(said!("the key file {} asks for password settings below the safe minimum: it was changed by hand; restore it from the backups folder", "el archivo de clave {} pide unos ajustes de contraseña por debajo del mínimo seguro: se cambió a mano; restáurelo desde la carpeta de copias de seguridad", path.display())));
        }
        Ok(file)
    }

    /// Replaces the file whole: written beside it, flushed to disk, then renamed over it.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = Zeroizing::new(serde_json::to_string_pretty(self).map_err(|e| Error::KeyFile(said!("the key file could not be written ({e})", "no se pudo escribir el archivo de clave ({e})")))?);
        write_atomically(path, text.as_bytes())
    }

    /// The database key, if `password` is this account's. A missing account and a wrong password
    /// take the same time and give the same answer, so the file does not confirm who has one.
    pub fn unwrap_user(&self, username: &str, password: &str) -> Result<DbKey> {
        let Some(slot) = self.users.iter().find(|s| s.username == username) else {
            let _ = KdfParams::DEFAULT.derive(password, &[0u8; 16]);
            return Err(Error::WrongPassword);
        };
        let salt = decode(&slot.kdf.salt)?;
        let kek = slot.kdf.params.derive(password, &salt)?;
        let aad = aad_user(username);
        match (&slot.identity, &slot.sealed, &slot.key) {
            (Some(identity), Some(sealed), _) => {
                let secret = unwrap(&kek, identity, &aad).ok_or(Error::WrongPassword)?;
                let text = Zeroizing::new(String::from_utf8(secret.to_vec()).map_err(|_| Error::WrongPassword)?);
                let identity = age::x25519::Identity::from_str(&text).map_err(|_| Error::WrongPassword)?;
                unseal(&identity, sealed).ok_or(Error::WrongPassword)
            }
            (_, _, Some(wrapped)) => unwrap(&kek, wrapped, &aad).and_then(|k| db_key(&k)).ok_or(Error::WrongPassword),
            _ => Err(Error::WrongPassword),
        }
    }

    pub fn unwrap_recovery(&self, recovery: &RecoveryKey) -> Result<DbKey> {
        let opened = match (&self.recovery, recovery) {
            (RecoverySlot::Sealed { sealed, .. }, RecoveryKey::Sealed(identity)) => unseal(identity, sealed),
            (RecoverySlot::Wrapped(wrapped), RecoveryKey::Wrapped(bytes)) => unwrap(bytes, wrapped, &aad_recovery()).and_then(|k| db_key(&k)),
            _ => None,
        };
        opened.ok_or_else(|| Error::field("recovery_key", said!("this recovery key does not belong to this database", "esta clave de recuperación no pertenece a esta base de datos")))
    }

    /// Adds or makes anew one account's slot; every other slot is left exactly as it was.
    pub fn set_user(&mut self, key: &DbKey, username: &str, password: &str) -> Result<()> {
        let params = self.kdf;
        let mut salt = [0u8; 16];
        fill_random(&mut salt)?;
        let kek = params.derive(password, &salt)?;
        let identity = age::x25519::Identity::generate();
        let secret = identity.to_string();
        let slot = UserSlot {
            username: username.to_string(),
            kdf: Kdf { algorithm: "argon2id".into(), params, salt: BASE64.encode(&salt) },
            key: None,
            identity: Some(wrap(&kek, secret.expose_secret().as_bytes(), &aad_user(username))?),
            recipient: Some(identity.to_public().to_string()),
            sealed: Some(seal(&identity.to_public(), key)?),
        };
        match self.users.iter_mut().find(|s| s.username == username) {
            Some(existing) => *existing = slot,
            None => self.users.push(slot),
        }
        self.format = FORMAT;
        Ok(())
    }

    /// Whether `username`'s slot is of format 1 and should be made anew while the password that
    /// opened it is at hand.
    pub fn needs_upgrade(&self, username: &str) -> bool {
        self.users.iter().any(|s| s.username == username && s.identity.is_none())
    }

    pub fn remove_user(&mut self, username: &str) {
        self.users.retain(|s| s.username != username);
    }

    pub fn has_user(&self, username: &str) -> bool {
        self.users.iter().any(|s| s.username == username)
    }

    /// Seals a new database key to every account and to the recovery key, so that nothing
    /// written before (an old key file, a backup's copy of it) opens the database any more.
    pub fn rotate(&mut self, new_key: &DbKey) -> Result<Rotation> {
        let mut rotation = Rotation::default();
        let mut kept = Vec::with_capacity(self.users.len());
        for mut slot in std::mem::take(&mut self.users) {
            match slot.recipient.as_deref().map(age::x25519::Recipient::from_str) {
                Some(Ok(recipient)) => {
                    slot.sealed = Some(seal(&recipient, new_key)?);
                    kept.push(slot);
                }
                _ => rotation.dropped.push(slot.username),
            }
        }
        self.users = kept;
        let recipient = match &self.recovery {
            RecoverySlot::Sealed { recipient, .. } => age::x25519::Recipient::from_str(recipient).ok(),
            RecoverySlot::Wrapped(_) => None,
        };
        let recipient = match recipient {
            Some(r) => r,
            None => {
                let fresh = age::x25519::Identity::generate();
                let public = fresh.to_public();
                rotation.new_recovery = Some(RecoveryKey::Sealed(fresh));
                public
            }
        };
        self.recovery = seal_recovery(&recipient, new_key)?;
        self.format = FORMAT;
        Ok(rotation)
    }
}

fn seal_recovery(recipient: &age::x25519::Recipient, key: &DbKey) -> Result<RecoverySlot> {
    Ok(RecoverySlot::Sealed { recipient: recipient.to_string(), sealed: seal(recipient, key)? })
}

fn seal(recipient: &age::x25519::Recipient, key: &DbKey) -> Result<String> {
    age::encrypt(recipient, key.0.as_ref()).map(|c| BASE64.encode(&c)).map_err(|e| Error::KeyFile(said!("the database key could not be sealed ({e})", "no se pudo sellar la clave de la base de datos ({e})")))
}

fn unseal(identity: &age::x25519::Identity, sealed: &str) -> Option<DbKey> {
    let bytes = BASE64.decode(sealed.as_bytes()).ok()?;
    let plain = Zeroizing::new(age::decrypt(identity, &bytes).ok()?);
    db_key(&plain)
}

fn db_key(bytes: &[u8]) -> Option<DbKey> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    (bytes.len() == KEY_LEN).then(|| {
        key.copy_from_slice(bytes);
        DbKey(key)
    })
}

// The associated data binds a wrapped secret to its slot, so a slot copied under another name
// opens nothing.
fn aad_user(username: &str) -> Vec<u8> {
    format!("bridger key slot v1\0user\0{username}").into_bytes()
}

fn aad_recovery() -> Vec<u8> {
    b"bridger key slot v1\0recovery".to_vec()
}

fn wrap(kek: &[u8; KEY_LEN], secret: &[u8], aad: &[u8]) -> Result<Wrapped> {
    let mut nonce = [0u8; 24];
    fill_random(&mut nonce)?;
    let cipher = XChaCha20Poly1305::new_from_slice(kek).map_err(|e| Error::KeyFile(said!("the key could not be sealed ({e})", "no se pudo sellar la clave ({e})")))?;
    let ciphertext = cipher.encrypt(&XNonce::from(nonce), Payload { msg: secret, aad }).map_err(|e| Error::KeyFile(said!("the key could not be sealed ({e})", "no se pudo sellar la clave ({e})")))?;
    Ok(Wrapped { nonce: BASE64.encode(&nonce), ciphertext: BASE64.encode(&ciphertext) })
}

fn unwrap(kek: &[u8; KEY_LEN], wrapped: &Wrapped, aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let nonce: [u8; 24] = decode(&wrapped.nonce).ok()?.try_into().ok()?;
    let ciphertext = decode(&wrapped.ciphertext).ok()?;
    let cipher = XChaCha20Poly1305::new_from_slice(kek).ok()?;
    cipher.decrypt(&XNonce::from(nonce), Payload { msg: &ciphertext, aad }).ok().map(Zeroizing::new)
}

fn decode(text: &str) -> Result<Vec<u8>> {
    BASE64.decode(text.as_bytes()).map_err(|_| Error::KeyFile(said!("the key file is damaged; restore it from the backups folder", "el archivo de clave está dañado; restáurelo desde la carpeta de copias de seguridad")))
}

fn fill_random(out: &mut [u8]) -> Result<()> {
    getrandom::fill(out).map_err(|e| Error::KeyFile(said!("the system's random source failed ({e})", "falló la fuente de azar del sistema ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams::FAST_FOR_TESTS;

    fn same(a: &DbKey, b: &DbKey) -> bool {
        a.0.as_ref() == b.0.as_ref()
    }

    #[test]
    fn every_slot_opens_the_same_key_and_nothing_else_does() {
        let (mut file, key, recovery) = KeyFile::new("ada", "correct horse battery", FAST).unwrap();
        file.set_user(&key, "ben", "another long phrase").unwrap();
        let from_ada = file.unwrap_user("ada", "correct horse battery").unwrap();
        let from_ben = file.unwrap_user("ben", "another long phrase").unwrap();
        let from_recovery = file.unwrap_recovery(&RecoveryKey::parse(&recovery.display()).unwrap()).unwrap();
        for k in [&from_ada, &from_ben, &from_recovery] {
            assert!(same(k, &key));
        }
        assert!(matches!(file.unwrap_user("ada", "another long phrase"), Err(Error::WrongPassword)));
        assert!(matches!(file.unwrap_user("nobody", "correct horse battery"), Err(Error::WrongPassword)));
        assert!(file.unwrap_recovery(&RecoveryKey::generate()).is_err());
    }

    #[test]
    fn a_password_change_makes_one_slot_anew_only() {
        let (mut file, key, _) = KeyFile::new("ada", "correct horse battery", FAST).unwrap();
        file.set_user(&key, "ben", "another long phrase").unwrap();
        let ben_before = serde_json::to_string(&file.users[1]).unwrap();
        file.set_user(&key, "ada", "a brand new phrase").unwrap();
        assert!(matches!(file.unwrap_user("ada", "correct horse battery"), Err(Error::WrongPassword)));
        assert!(file.unwrap_user("ada", "a brand new phrase").is_ok());
        assert_eq!(serde_json::to_string(&file.users[1]).unwrap(), ben_before);
    }

    #[test]
    fn a_slot_renamed_to_another_user_opens_nothing() {
        let (mut file, _, _) = KeyFile::new("ada", "correct horse battery", FAST).unwrap();
        file.users[0].username = "mallory".into();
        assert!(matches!(file.unwrap_user("mallory", "correct horse battery"), Err(Error::WrongPassword)));
    }

    #[test]
    fn a_rotation_reaches_every_remaining_slot_and_no_copy_made_before() {
        let (mut file, key, recovery) = KeyFile::new("ada", "correct horse battery", FAST).unwrap();
        file.set_user(&key, "ben", "another long phrase").unwrap();
        let copy_ben_kept = file.clone();
        file.remove_user("ben");
        let new_key = DbKey::random().unwrap();
        let rotation = file.rotate(&new_key).unwrap();
        assert!(rotation.dropped.is_empty() && rotation.new_recovery.is_none());
        assert!(same(&file.unwrap_user("ada", "correct horse battery").unwrap(), &new_key), "ada needs no new password");
        assert!(same(&file.unwrap_recovery(&recovery).unwrap(), &new_key), "the printed recovery key still works");
        let old = copy_ben_kept.unwrap_user("ben", "another long phrase").unwrap();
        assert!(!same(&old, &new_key), "ben's old copy opens only the old key");
    }

    #[test]
    fn a_format_1_file_opens_and_its_rotation_says_what_it_could_not_carry_over() {
        let legacy = r#"{"format":1,"kdf":{"memory_kib":19456,"iterations":2,"lanes":1},"users":[],"recovery":{"nonce":"","ciphertext":""}}"#;
        let mut file: KeyFile = serde_json::from_str(legacy).unwrap();
        let key = DbKey::random().unwrap();
        let mut salt = [0u8; 16];
        fill_random(&mut salt).unwrap();
        let kek = FAST.derive("old phrase here", &salt).unwrap();
        file.users.push(UserSlot {
            username: "old".into(),
            kdf: Kdf { algorithm: "argon2id".into(), params: FAST, salt: BASE64.encode(&salt) },
            key: Some(wrap(&kek, key.0.as_ref(), &aad_user("old")).unwrap()),
            identity: None,
            recipient: None,
            sealed: None,
        });
        let mut recovery_bytes = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(recovery_bytes.as_mut()).unwrap();
        file.recovery = RecoverySlot::Wrapped(wrap(&recovery_bytes, key.0.as_ref(), &aad_recovery()).unwrap());
        let typed = RecoveryKey::Wrapped(recovery_bytes).display();
        assert!(same(&file.unwrap_user("old", "old phrase here").unwrap(), &key));
        assert!(same(&file.unwrap_recovery(&RecoveryKey::parse(&typed).unwrap()).unwrap(), &key));
        assert!(file.needs_upgrade("old"));
        file.set_user(&key, "new", "a new account phrase").unwrap();
        let rotation = file.rotate(&DbKey::random().unwrap()).unwrap();
        assert_eq!(rotation.dropped, ["old"]);
        assert!(rotation.new_recovery.is_some());
    }

    #[test]
    fn recovery_keys_read_back_however_they_are_typed() {
        let key = RecoveryKey::generate();
        let shown = key.display();
        assert_eq!(shown.split('-').count(), 15);
        let typed = shown.to_lowercase().replace('-', " ");
        let RecoveryKey::Sealed(back) = RecoveryKey::parse(&typed).unwrap() else { panic!("a sealed key") };
        let RecoveryKey::Sealed(original) = &key else { panic!("a sealed key") };
        assert_eq!(back.to_public().to_string(), original.to_public().to_string());
        assert!(RecoveryKey::parse("ABCD-EFGH").is_err());
        let mut typo = shown.clone();
        typo.replace_range(0..1, if typo.starts_with('Q') { "P" } else { "Q" });
        assert!(RecoveryKey::parse(&typo).is_err(), "the checksum catches a mistyped character");
    }

    #[test]
    fn settings_below_the_floor_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site.db.key");
        let (file, _, _) = KeyFile::new("ada", "correct horse battery", FAST).unwrap();
        file.save(&path).unwrap();
        let cheap = std::fs::read_to_string(&path).unwrap().replace("\"memory_kib\": 19456", "\"memory_kib\": 8");
        std::fs::write(&path, cheap).unwrap();
        assert!(KeyFile::load(&path).unwrap_err().to_string().contains("below the safe minimum"));
        assert!(KeyFile::new("ada", "correct horse battery", KdfParams { memory_kib: 64, iterations: 1, lanes: 1 }).is_err());
    }

    #[test]
    fn a_leftover_temporary_file_never_replaces_the_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site.db.key");
        let (file, _, _) = KeyFile::new("ada", "correct horse battery", FAST).unwrap();
        file.save(&path).unwrap();
        std::fs::write(dir.path().join("site.db.key.tmp-1"), b"{\"format\": 1, \"us").unwrap();
        assert!(KeyFile::load(&path).unwrap().unwrap_user("ada", "correct horse battery").is_ok());
    }
}
