//! The bundle file (docs/bundle-format.md): a signed header in clear, then the changes as an
//! age stream encrypted to the recipient. The magic and the header are read from the first bytes
//! of the file, and every check that needs no key of this site's is made on them, before the
//! rest of the file is read, decrypted or parsed; a file larger than the site allows is refused
//! from its size alone.

use super::{AuditHeads, Names};
use crate::error::{Error, Result, Said};
use crate::model::SiteId;
use data_encoding::BASE64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};

const MAGIC: &[u8] = b"BRIDGER BUNDLE\n";
/// The format this Bridger writes; it reads this one and every one before it.
pub const FORMAT: u32 = 2;
/// Features a reader must understand to import a bundle; this version understands none beyond
/// format 2, so any name listed here is refused.
const KNOWN_CRITICAL: &[&str] = &[];
/// The longest header line read before the file is refused as damaged: a header names a
/// handful of sites and a few dozen chain heads.
const MAX_HEADER: usize = 1 << 20;
const MAX_SIGNATURE_LINE: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub first: i64,
    pub last: i64,
    pub count: u64,
}

/// Counts a change of `origin` clocked `hlc` into the clocks each site's changes span.
pub(crate) fn count_change(ranges: &mut BTreeMap<SiteId, Range>, origin: SiteId, hlc: i64) {
    let range = ranges.entry(origin).or_insert(Range { first: hlc, last: hlc, count: 0 });
    range.first = range.first.min(hlc);
    range.last = range.last.max(hlc);
    range.count += 1;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    #[serde(default)]
    pub critical: Vec<String>,
    pub exporter: SiteId,
    pub exporter_name: String,
    /// The sites that may import it; a passphrase bundle names its one recipient too.
    pub recipients: Vec<SiteId>,
    pub created_ms: u64,
    /// For each site whose changes the exporter holds, the newest clock it holds.
    pub seen: BTreeMap<SiteId, i64>,
    /// For each site whose changes the bundle carries, the clocks it spans.
    pub ranges: BTreeMap<SiteId, Range>,
    /// The signing keys of the sites whose changes are carried, as the exporter knows them. An
    /// importer checks each change with its own trusted copy and never with these (ADR 0011).
    pub origin_keys: BTreeMap<SiteId, String>,
    pub audit_head_seq: i64,
    pub audit_head_hash: String,
    /// The exporter's current hash at each of its chain heads it sent this recipient before.
    #[serde(default)]
    pub audit_at: BTreeMap<i64, String>,
    /// The newest heads of the recipient's own chain the exporter holds.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub your_audit_heads: BTreeMap<i64, String>,
    /// The names a format-2 payload's changes refer to by number; empty in format 1.
    #[serde(default, skip_serializing_if = "Names::is_empty")]
    pub names: Names,
    pub payload_sha256: String,
    pub payload_len: u64,
    /// Encrypted with a passphrase for a one-off transfer rather than to a recipient's key.
    #[serde(default)]
    pub passphrase: bool,
    /// For a hand-off to a community partner: the notice that forbids passing the contents on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

impl Header {
    /// What the header says about the exporter's audit chain and the recipient's.
    pub(crate) fn audit_heads(&self) -> AuditHeads {
        AuditHeads { head_seq: self.audit_head_seq, head_hash: self.audit_head_hash.clone(), at: self.audit_at.clone(), yours: self.your_audit_heads.clone() }
    }
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

/// Who can open a bundle: a trusted site with its key, or whoever has the passphrase.
pub(crate) enum Lock<'a> {
    Recipient(&'a age::x25519::Recipient),
    Passphrase(&'a str),
}

/// A writer that passes bytes on while counting them and keeping their SHA-256: the payload's
/// digest and length go into the header, which is written after it.
pub(crate) struct Digesting<W: Write> {
    inner: W,
    sha: Sha256,
    len: u64,
}

impl<W: Write> Write for Digesting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn encrypt_failed(e: impl std::fmt::Display) -> Error {
    Error::Bundle(said!("the bundle could not be encrypted ({e})", "no se pudo cifrar el paquete ({e})"))
}

/// The encryption a payload is written into, on its way to `out`.
pub(crate) type Encrypting<W> = age::stream::StreamWriter<Digesting<W>>;

/// Starts encrypting a payload into `out` for whoever `lock` names; marks a passphrase bundle
/// in its header.
pub(crate) fn encrypt<W: Write>(out: W, lock: &Lock<'_>, header: &mut Header) -> Result<Encrypting<W>> {
    let encryptor = match lock {
        Lock::Recipient(r) => age::Encryptor::with_recipients(std::iter::once(*r as &dyn age::Recipient)).map_err(encrypt_failed)?,
        Lock::Passphrase(p) => {
            header.passphrase = true;
            age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(p.to_string()))
        }
    };
    encryptor.wrap_output(Digesting { inner: out, sha: Sha256::new(), len: 0 }).map_err(encrypt_failed)
}

/// Ends the encryption and completes the header with the ciphertext's digest and length.
/// Returns where the ciphertext went.
pub(crate) fn end_encryption<W: Write>(encrypting: Encrypting<W>, header: &mut Header) -> Result<W> {
    let digesting = encrypting.finish().map_err(encrypt_failed)?;
    let digest: [u8; 32] = digesting.sha.finalize().into();
    header.payload_sha256 = data_encoding::HEXLOWER.encode(&digest);
    header.payload_len = digesting.len;
    Ok(digesting.inner)
}

/// Lays the file out: magic, the header line, its signature by `signer`, then the ciphertext
/// read from `ciphertext`.
pub(crate) fn lay_out(header: &Header, signer: &SigningKey, out: &mut impl Write, ciphertext: &mut impl Read) -> Result<()> {
    let header_line = serde_json::to_string(header).map_err(encrypt_failed)?;
    let signature = signer.sign(header_line.as_bytes());
    let mut write = |out: &mut dyn Write| -> std::io::Result<()> {
        out.write_all(MAGIC)?;
        out.write_all(header_line.as_bytes())?;
        out.write_all(b"\n")?;
        out.write_all(BASE64.encode(&signature.to_bytes()).as_bytes())?;
        out.write_all(b"\n")?;
        std::io::copy(ciphertext, out)?;
        // A buffered writer's last bytes are written here, where their failure is seen.
        out.flush()
    };
    write(out).map_err(|e| Error::Bundle(said!("the bundle could not be written ({e})", "no se pudo escribir el paquete ({e})")))
}

/// A bundle's header, read without any key, and where its payload starts.
pub(crate) struct Opened {
    pub header: Header,
    header_line: Vec<u8>,
    signature: Vec<u8>,
    /// Where the payload starts, and how many bytes follow the signature line.
    payload_start: u64,
    payload_bytes: u64,
}

/// Reads one line of at most `max` bytes; `None` when the file ends or the line is longer.
fn read_line(source: &mut impl Read, max: usize) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while line.len() <= max {
        match source.read(&mut byte) {
            Ok(1) if byte[0] == b'\n' => return Some(line),
            Ok(1) => line.push(byte[0]),
            _ => return None,
        }
    }
    None
}

/// Reads the header from the start of `source`: the file is a bundle, no larger than `limit`
/// bytes, whole up to its payload, in a format this Bridger reads, with no feature it lacks.
/// Nothing past the signature line is read.
pub(crate) fn open(source: &mut (impl Read + Seek), limit: u64) -> Result<Opened> {
    let size = source.seek(SeekFrom::End(0)).and_then(|size| source.seek(SeekFrom::Start(0)).map(|_| size)).map_err(|_| Error::Bundle(said!("the file could not be read", "no se pudo leer el archivo")))?;
    if size > limit {
        return Err(Error::Bundle(said!("this file is {} MB, more than the {} MB a bundle may be on this workstation (an administrator can raise the limit in the settings)", "este archivo ocupa {} MB, más de los {} MB que puede ocupar un paquete en esta estación de trabajo (un administrador puede subir el límite en los ajustes)", size.div_ceil(1 << 20),
            limit >> 20)));
    }
    let mut source = std::io::BufReader::new(source);
    let mut magic = [0u8; MAGIC.len()];
    if source.read_exact(&mut magic).is_err() || magic != MAGIC {
        return Err(Error::Bundle(said!("this file is not a Bridger bundle", "este archivo no es un paquete de Bridger")));
    }
    let cut = || Error::Bundle(said!("the bundle is cut short or its header is damaged: copy it again from the other site", "el paquete está incompleto o su cabecera está dañada: cópielo de nuevo desde el otro sitio"));
    let header_line = read_line(&mut source, MAX_HEADER).ok_or_else(cut)?;
    let signature_line = read_line(&mut source, MAX_SIGNATURE_LINE).ok_or_else(cut)?;
    let value: serde_json::Value = serde_json::from_slice(&header_line).map_err(|_| Error::Bundle(said!("the bundle's header is damaged", "la cabecera del paquete está dañada")))?;
    let format = value.get("format").and_then(serde_json::Value::as_u64).unwrap_or(0);
    if format > u64::from(FORMAT) {
        return Err(Error::Bundle(said!("the bundle was written by a newer Bridger (format {format}; this one reads format {FORMAT}): update Bridger first", "el paquete lo escribió un Bridger más nuevo (formato {format}; este lee el formato {FORMAT}): actualice Bridger antes")));
    }
    let header: Header = serde_json::from_value(value).map_err(|_| Error::Bundle(said!("the bundle's header is damaged", "la cabecera del paquete está dañada")))?;
    let unknown: Vec<&String> = header.critical.iter().filter(|c| !KNOWN_CRITICAL.contains(&c.as_str())).collect();
    if !unknown.is_empty() {
        return Err(Error::Bundle(said!("the bundle needs features this Bridger does not have ({}): update Bridger first", "el paquete necesita funciones que este Bridger no tiene ({}): actualice Bridger antes", unknown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))));
    }
    let signature = BASE64.decode(&signature_line).map_err(|_| Error::Bundle(said!("the bundle's signature is damaged", "la firma del paquete está dañada")))?;
    let read_so_far = (MAGIC.len() + header_line.len() + signature_line.len() + 2) as u64;
    Ok(Opened { header, header_line, signature, payload_start: read_so_far, payload_bytes: size.saturating_sub(read_so_far) })
}

impl Opened {
    /// Whether the header was signed by `key`.
    pub(crate) fn signed_by(&self, key: &VerifyingKey) -> bool {
        verify_entry(key, &self.header_line, &self.signature)
    }

    /// Reads the payload that follows the header from `source` (the same file), one buffer at
    /// a time, and checks that it is exactly as long as the header says and has its digest.
    pub(crate) fn check_payload(&self, source: &mut (impl Read + Seek)) -> Result<()> {
        let damaged = || Error::Bundle(said!("the bundle is damaged or cut short: its contents do not match their digest; copy it again", "el paquete está dañado o incompleto: su contenido no coincide con su resumen; cópielo de nuevo"));
        if self.payload_bytes != self.header.payload_len {
            return Err(damaged());
        }
        source.seek(SeekFrom::Start(self.payload_start)).map_err(|_| damaged())?;
        let mut digesting = Digesting { inner: std::io::sink(), sha: Sha256::new(), len: 0 };
        std::io::copy(&mut source.take(self.header.payload_len), &mut digesting).map_err(|_| damaged())?;
        let digest: [u8; 32] = digesting.sha.finalize().into();
        if digesting.len != self.header.payload_len || data_encoding::HEXLOWER.encode(&digest) != self.header.payload_sha256 {
            return Err(damaged());
        }
        Ok(())
    }

    /// The payload as it decrypts, read from `source` (the same file) with this site's key, or
    /// with the passphrase a one-off bundle was locked with.
    pub(crate) fn decrypting<R: Read + Seek>(&self, mut source: R, identity: &age::x25519::Identity, passphrase: Option<&str>) -> Result<Decrypted<R>> {
        let (scrypt, refused) = match (self.header.passphrase, passphrase) {
            (true, None) => return Err(Error::Bundle(said!("this bundle is locked with a passphrase: give the passphrase its sender chose", "este paquete está cerrado con una frase de paso: escriba la frase de paso que eligió quien lo envió"))),
            (true, Some(p)) => (
                Some(age::scrypt::Identity::new(age::secrecy::SecretString::from(p.to_string()))),
                ("the passphrase does not open this bundle", "la frase de paso no abre este paquete"),
            ),
            (false, _) => (None, ("the bundle could not be decrypted with this site's key", "no se pudo descifrar el paquete con la clave de este sitio")),
        };
        let refused = || Error::Bundle(Said { en: refused.0.into(), es: refused.1.into() });
        source.seek(SeekFrom::Start(self.payload_start)).map_err(|_| refused())?;
        let decryptor = age::Decryptor::new_buffered(std::io::BufReader::new(source.take(self.header.payload_len))).map_err(|_| refused())?;
        let reader = match &scrypt {
            Some(s) => decryptor.decrypt(std::iter::once(s as &dyn age::Identity)),
            None => decryptor.decrypt(std::iter::once(identity as &dyn age::Identity)),
        }
        .map_err(|_| refused())?;
        Ok(Decrypted { reader, refused: refused() })
    }
}

/// A payload being decrypted. A failure partway (a damaged or cut stream) reads as an error
/// naming what could not be opened.
pub(crate) struct Decrypted<R: Read> {
    reader: age::stream::StreamReader<std::io::BufReader<std::io::Take<R>>>,
    refused: Error,
}

impl<R: Read> Read for Decrypted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.reader.read(buf)
    }
}

impl<R: Read> Decrypted<R> {
    /// The whole payload (a format-1 bundle's JSON is read whole).
    pub(crate) fn read_whole(mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        match self.reader.read_to_end(&mut out) {
            Ok(_) => Ok(out),
            Err(_) => Err(self.refused),
        }
    }
}
