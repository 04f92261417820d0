//! The key file beside the database. The database is encrypted with one random 32-byte key;
//! the key file holds that key wrapped once per account (by a key derived from the password with
//! argon2id) and once by the recovery key. It holds nothing readable about anyone but user names.
//!
//! The file is only ever replaced whole (written beside, synced, renamed over), so a crash while
//! it is rewritten leaves either the old file or the new one, never half of each.

use crate::error::{Error, Result};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use data_encoding::{BASE32_NOPAD, BASE64};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use zeroize::Zeroizing;

const FORMAT: u32 = 1;
const KEY_LEN: usize = 32;

/// The database key. Never written anywhere but wrapped; wiped from memory when dropped.
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
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(..)")
    }
}

/// The recovery key: 32 random bytes shown once, as groups of letters and digits, to print and
/// lock away. It opens the database when no administrator can.
pub struct RecoveryKey(Zeroizing<[u8; KEY_LEN]>);

impl RecoveryKey {
    fn random() -> Result<Self> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(key.as_mut())?;
        Ok(Self(key))
    }

    /// Groups of four characters, so it can be read aloud and typed back without losing place.
    pub fn display(&self) -> String {
        let text = BASE32_NOPAD.encode(self.0.as_ref());
        text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }

    /// Reads a recovery key as typed: case, spaces and dashes do not matter.
    pub fn parse(typed: &str) -> Result<Self> {
        let cleaned: String = typed.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
        let bytes = BASE32_NOPAD.decode(cleaned.as_bytes()).ok().filter(|b| b.len() == KEY_LEN).ok_or_else(|| {
            Error::field("recovery_key", "that is not a recovery key: it has 52 letters and digits in groups of four")
        })?;
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        key.copy_from_slice(&bytes);
        Ok(Self(key))
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
    /// About half a second on the program's workstations (see docs/adr/0003-encryption-at-rest.md):
    /// slow enough that guessing a stolen key file's passwords costs hours per thousand tries,
    /// quick enough that nobody waits at the login screen.
    pub const DEFAULT: KdfParams = KdfParams { memory_kib: 256 * 1024, iterations: 3, lanes: 1 };

    /// Cheap costs for tests and benchmarks that create many accounts; never chosen by the app.
    pub const FAST_FOR_TESTS: KdfParams = KdfParams { memory_kib: 64, iterations: 1, lanes: 1 };

    fn derive(&self, password: &str, salt: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>> {
        let params = argon2::Params::new(self.memory_kib, self.iterations, self.lanes, Some(KEY_LEN))
            .map_err(|e| Error::KeyFile(format!("the key file has unusable password settings ({e})")))?;
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(password.as_bytes(), salt, out.as_mut())
            .map_err(|e| Error::KeyFile(format!("the password could not be checked ({e})")))?;
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
    key: Wrapped,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyFile {
    format: u32,
    /// The costs new and changed slots are made with.
    kdf: KdfParams,
    users: Vec<UserSlot>,
    recovery: Wrapped,
}

impl KeyFile {
    /// A key file for a new database: a fresh database key, the first account's slot and the
    /// recovery slot. Returns the recovery key, which exists nowhere else.
    pub fn new(username: &str, password: &str, params: KdfParams) -> Result<(KeyFile, DbKey, RecoveryKey)> {
        let key = DbKey::random()?;
        let recovery = RecoveryKey::random()?;
        let mut file = KeyFile { format: FORMAT, kdf: params, users: Vec::new(), recovery: wrap(&recovery.0, &key.0, &aad_recovery())? };
        file.set_user(&key, username, password)?;
        Ok((file, key, recovery))
    }

    pub fn load(path: &Path) -> Result<KeyFile> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            context: format!("the key file {} could not be read; without it the database cannot be opened (restore it from the backups folder)", path.display()),
            source,
        })?;
        let file: KeyFile = serde_json::from_str(&text)
            .map_err(|e| Error::KeyFile(format!("the key file {} is damaged ({e}); restore it from the backups folder", path.display())))?;
        if file.format != FORMAT {
            return Err(Error::KeyFile(format!("the key file {} was written by another version of Bridger", path.display())));
        }
        Ok(file)
    }

    /// Replaces the file whole: written beside it, flushed to disk, then renamed over it.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::KeyFile(e.to_string()))?;
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
        unwrap(&kek, &slot.key, &aad_user(username)).ok_or(Error::WrongPassword)
    }

    pub fn unwrap_recovery(&self, recovery: &RecoveryKey) -> Result<DbKey> {
        unwrap(&recovery.0, &self.recovery, &aad_recovery()).ok_or_else(|| {
            Error::field("recovery_key", "this recovery key does not belong to this database")
        })
    }

    /// Adds or re-wraps one account's slot; every other slot is left exactly as it was.
    pub fn set_user(&mut self, key: &DbKey, username: &str, password: &str) -> Result<()> {
        let params = self.kdf;
        let mut salt = [0u8; 16];
        fill_random(&mut salt)?;
        let kek = params.derive(password, &salt)?;
        let slot = UserSlot {
            username: username.to_string(),
            kdf: Kdf { algorithm: "argon2id".into(), params, salt: BASE64.encode(&salt) },
            key: wrap(&kek, &key.0, &aad_user(username))?,
        };
        match self.users.iter_mut().find(|s| s.username == username) {
            Some(existing) => *existing = slot,
            None => self.users.push(slot),
        }
        Ok(())
    }

    pub fn remove_user(&mut self, username: &str) {
        self.users.retain(|s| s.username != username);
    }
}

// The associated data binds a wrapped key to its slot, so a slot copied under another name opens
// nothing.
fn aad_user(username: &str) -> Vec<u8> {
    format!("bridger key slot v1\0user\0{username}").into_bytes()
}

fn aad_recovery() -> Vec<u8> {
    b"bridger key slot v1\0recovery".to_vec()
}

fn wrap(kek: &[u8; KEY_LEN], secret: &[u8; KEY_LEN], aad: &[u8]) -> Result<Wrapped> {
    let mut nonce = [0u8; 24];
    fill_random(&mut nonce)?;
    let cipher = XChaCha20Poly1305::new_from_slice(kek).map_err(|e| Error::KeyFile(e.to_string()))?;
    let ciphertext = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: secret, aad })
        .map_err(|e| Error::KeyFile(e.to_string()))?;
    Ok(Wrapped { nonce: BASE64.encode(&nonce), ciphertext: BASE64.encode(&ciphertext) })
}

fn unwrap(kek: &[u8; KEY_LEN], wrapped: &Wrapped, aad: &[u8]) -> Option<DbKey> {
    let nonce: [u8; 24] = decode(&wrapped.nonce).ok()?.try_into().ok()?;
    let ciphertext = decode(&wrapped.ciphertext).ok()?;
    let cipher = XChaCha20Poly1305::new_from_slice(kek).ok()?;
    let plain = Zeroizing::new(cipher.decrypt(&XNonce::from(nonce), Payload { msg: &ciphertext, aad }).ok()?);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    (plain.len() == KEY_LEN).then(|| {
        key.copy_from_slice(&plain);
        DbKey(key)
    })
}

fn decode(text: &str) -> Result<Vec<u8>> {
    BASE64.decode(text.as_bytes()).map_err(|_| Error::KeyFile("the key file is damaged; restore it from the backups folder".into()))
}

fn fill_random(out: &mut [u8]) -> Result<()> {
    getrandom::fill(out).map_err(|e| Error::KeyFile(format!("the system's random source failed ({e})")))
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, renames it over `path` and syncs
/// the folder, so the old file stays whole until the new one is complete.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |context: &str| {
        let context = format!("{context} {}", path.display());
        move |source| Error::Io { context, source }
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    let temp = dir.join(name);
    let mut file = std::fs::File::create(&temp).map_err(io("cannot write"))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(io("cannot write"))?;
    drop(file);
    std::fs::rename(&temp, path).map_err(io("cannot replace"))?;
    if let Ok(d) = std::fs::File::open(dir) {
        // Some file systems cannot sync a folder; the rename itself is still atomic there.
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams::FAST_FOR_TESTS;

    #[test]
    fn every_slot_opens_the_same_key_and_nothing_else_does() {
        let (mut file, key, recovery) = KeyFile::new("ada", "correct horse battery", FAST).unwrap();
        file.set_user(&key, "ben", "another long phrase").unwrap();
        let from_ada = file.unwrap_user("ada", "correct horse battery").unwrap();
        let from_ben = file.unwrap_user("ben", "another long phrase").unwrap();
        let from_recovery = file.unwrap_recovery(&RecoveryKey::parse(&recovery.display()).unwrap()).unwrap();
        for k in [&from_ada, &from_ben, &from_recovery] {
            assert_eq!(k.0.as_ref(), key.0.as_ref());
        }
        assert!(matches!(file.unwrap_user("ada", "another long phrase"), Err(Error::WrongPassword)));
        assert!(matches!(file.unwrap_user("nobody", "correct horse battery"), Err(Error::WrongPassword)));
        assert!(file.unwrap_recovery(&RecoveryKey::random().unwrap()).is_err());
    }

    #[test]
    fn a_password_change_rewraps_one_slot_only() {
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
    fn recovery_keys_read_back_however_they_are_typed() {
        let key = RecoveryKey::random().unwrap();
        let shown = key.display();
        assert_eq!(shown.split('-').count(), 13);
        let typed = shown.to_lowercase().replace('-', " ");
        assert_eq!(RecoveryKey::parse(&typed).unwrap().0.as_ref(), key.0.as_ref());
        assert!(RecoveryKey::parse("ABCD-EFGH").is_err());
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
