//! The bundle file (docs/bundle-format.md): a signed header in clear, then the changes as an
//! age stream encrypted to the recipient. Every check that needs no key of this site's is made
//! on the header and the raw bytes before anything is decrypted or parsed.

use crate::error::{Error, Result};
use crate::model::SiteId;
use data_encoding::BASE64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};

const MAGIC: &[u8] = b"BRIDGER BUNDLE\n";
pub const FORMAT: u32 = 1;
/// Features a reader must understand to import a bundle; this version understands none beyond
/// format 1, so any name listed here is refused.
const KNOWN_CRITICAL: &[&str] = &[];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub first: i64,
    pub last: i64,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    #[serde(default)]
    pub critical: Vec<String>,
    pub exporter: SiteId,
    pub exporter_name: String,
    pub recipients: Vec<SiteId>,
    pub created_ms: u64,
    /// For each site whose changes the exporter holds, the newest clock it holds.
    pub seen: BTreeMap<SiteId, i64>,
    /// For each site whose changes the bundle carries, the clocks it spans.
    pub ranges: BTreeMap<SiteId, Range>,
    /// The signing keys of the sites whose changes are carried, vouched for by the exporter.
    pub origin_keys: BTreeMap<SiteId, String>,
    pub audit_head_seq: i64,
    pub audit_head_hash: String,
    pub payload_sha256: String,
    pub payload_len: u64,
    /// Encrypted with a passphrase for a one-off transfer rather than to a recipient's key.
    #[serde(default)]
    pub passphrase: bool,
    /// For a hand-off to a community partner: the notice that forbids passing the contents on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// One field change, signed by the site that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub origin: SiteId,
    pub hlc: i64,
    pub tbl: String,
    pub record: String,
    pub field: String,
    pub value: serde_json::Value,
    /// The clock of the value this change replaced where it was made, if any.
    pub prev: Option<(SiteId, i64)>,
    pub sig: String,
}

/// What one field change says, as its signature covers it.
pub(crate) struct Signed<'a> {
    pub origin: SiteId,
    pub hlc: i64,
    pub tbl: &'a str,
    pub record: &'a str,
    pub field: &'a str,
    pub value: &'a str,
    pub prev: Option<(SiteId, i64)>,
}

/// The bytes an entry's signature covers.
pub(crate) fn entry_bytes(e: &Signed<'_>) -> Vec<u8> {
    let mut out = b"bridger entry v1".to_vec();
    let prev = e.prev.map(|(site, hlc)| format!("{site}@{hlc}")).unwrap_or_default();
    for part in [e.origin.to_string().as_str(), &e.hlc.to_string(), e.tbl, e.record, e.field, e.value, &prev] {
        out.extend((part.len() as u64).to_le_bytes());
        out.extend(part.as_bytes());
    }
    out
}

pub(crate) fn sign_entry(key: &SigningKey, bytes: &[u8]) -> Vec<u8> {
    key.sign(bytes).to_bytes().to_vec()
}

pub(crate) fn verify_entry(key: &VerifyingKey, bytes: &[u8], sig: &[u8]) -> bool {
    Signature::from_slice(sig).is_ok_and(|s| key.verify(bytes, &s).is_ok())
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest: [u8; 32] = Sha256::digest(bytes).into();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who can open a bundle: a trusted site with its key, or whoever has the passphrase.
pub(crate) enum Lock<'a> {
    Recipient(&'a age::x25519::Recipient),
    Passphrase(&'a str),
}

/// Encrypts `payload`, completes the header with the ciphertext's digest, signs the header and
/// lays the file out: magic, header line, signature line, age stream.
pub(crate) fn seal(mut header: Header, payload: &[u8], lock: Lock<'_>, signer: &SigningKey) -> Result<Vec<u8>> {
    let failed = |e: String| Error::Bundle(format!("the bundle could not be encrypted ({e})"));
    let encryptor = match lock {
        Lock::Recipient(r) => age::Encryptor::with_recipients(std::iter::once(r as &dyn age::Recipient)).map_err(|e| failed(e.to_string()))?,
        Lock::Passphrase(p) => {
            header.passphrase = true;
            age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(p.to_string()))
        }
    };
    let mut ciphertext = Vec::with_capacity(payload.len() + 512);
    let mut writer = encryptor.wrap_output(&mut ciphertext).map_err(|e| failed(e.to_string()))?;
    writer.write_all(payload).map_err(|e| failed(e.to_string()))?;
    writer.finish().map_err(|e| failed(e.to_string()))?;
    header.payload_sha256 = sha256_hex(&ciphertext);
    header.payload_len = ciphertext.len() as u64;
    let header_line = serde_json::to_string(&header).map_err(|e| failed(e.to_string()))?;
    let signature = signer.sign(header_line.as_bytes());
    let mut out = Vec::with_capacity(ciphertext.len() + header_line.len() + 200);
    out.extend(MAGIC);
    out.extend(header_line.as_bytes());
    out.push(b'\n');
    out.extend(BASE64.encode(&signature.to_bytes()).as_bytes());
    out.push(b'\n');
    out.extend(ciphertext);
    Ok(out)
}

/// A bundle's parts, read without any key.
pub(crate) struct Opened<'a> {
    pub header: Header,
    header_line: &'a [u8],
    signature: Vec<u8>,
    ciphertext: &'a [u8],
}

fn line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = bytes.iter().position(|b| *b == b'\n')?;
    Some((&bytes[..end], &bytes[end + 1..]))
}

/// Reads the header: the file is a bundle, whole up to its payload, in a format this Bridger
/// reads, with no feature it lacks.
pub(crate) fn open(bytes: &[u8]) -> Result<Opened<'_>> {
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| Error::Bundle("this file is not a Bridger bundle".into()))?;
    let cut = || Error::Bundle("the bundle is cut short: copy it again from the other site".into());
    let (header_line, rest) = line(rest).ok_or_else(cut)?;
    let (signature_line, ciphertext) = line(rest).ok_or_else(cut)?;
    let value: serde_json::Value = serde_json::from_slice(header_line).map_err(|_| Error::Bundle("the bundle's header is damaged".into()))?;
    let format = value.get("format").and_then(serde_json::Value::as_u64).unwrap_or(0);
    if format > u64::from(FORMAT) {
        return Err(Error::Bundle(format!("the bundle was written by a newer Bridger (format {format}; this one reads format {FORMAT}): update Bridger first")));
    }
    let header: Header = serde_json::from_value(value).map_err(|_| Error::Bundle("the bundle's header is damaged".into()))?;
    let unknown: Vec<&String> = header.critical.iter().filter(|c| !KNOWN_CRITICAL.contains(&c.as_str())).collect();
    if !unknown.is_empty() {
        return Err(Error::Bundle(format!("the bundle needs features this Bridger does not have ({}): update Bridger first", unknown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))));
    }
    let signature = BASE64.decode(signature_line).map_err(|_| Error::Bundle("the bundle's signature is damaged".into()))?;
    Ok(Opened { header, header_line, signature, ciphertext })
}

impl Opened<'_> {
    /// Whether the header was signed by `key`.
    pub(crate) fn signed_by(&self, key: &VerifyingKey) -> bool {
        verify_entry(key, self.header_line, &self.signature)
    }

    /// The payload is the one the header describes: same length, same digest.
    pub(crate) fn check_payload(&self) -> Result<()> {
        if self.ciphertext.len() as u64 != self.header.payload_len || sha256_hex(self.ciphertext) != self.header.payload_sha256 {
            return Err(Error::Bundle("the bundle is damaged or cut short: its contents do not match their digest; copy it again".into()));
        }
        Ok(())
    }

    /// Decrypts with this site's key, or with the passphrase a one-off bundle was locked with.
    pub(crate) fn decrypt(&self, identity: &age::x25519::Identity, passphrase: Option<&str>) -> Result<Vec<u8>> {
        let (scrypt, refused) = match (self.header.passphrase, passphrase) {
            (true, None) => return Err(Error::Bundle("this bundle is locked with a passphrase: give the passphrase its sender chose".into())),
            (true, Some(p)) => (Some(age::scrypt::Identity::new(age::secrecy::SecretString::from(p.to_string()))), "the passphrase does not open this bundle"),
            (false, _) => (None, "the bundle could not be decrypted with this site's key"),
        };
        let refused = || Error::Bundle(refused.into());
        let decryptor = age::Decryptor::new(self.ciphertext).map_err(|_| refused())?;
        let mut reader = match &scrypt {
            Some(s) => decryptor.decrypt(std::iter::once(s as &dyn age::Identity)),
            None => decryptor.decrypt(std::iter::once(identity as &dyn age::Identity)),
        }
        .map_err(|_| refused())?;
        let mut out = Vec::new();
        reader.read_to_end(&mut out).map_err(|_| refused())?;
        Ok(out)
    }
}
