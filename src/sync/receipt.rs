//! The receipt a site writes after importing a bundle: what it now holds, so the sender's next
//! bundle starts from there, and its audit chain head (ADR 0013). Signed by the importer.

use super::bundle::{sign_entry, verify_entry};
use super::AuditHeads;
use crate::error::{Error, Result};
use crate::model::SiteId;
use data_encoding::BASE64;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const MAGIC: &[u8] = b"BRIDGER RECEIPT\n";
/// A receipt names a few sites and chain heads; anything much larger is not one.
pub(crate) const MAX_RECEIPT: u64 = 1 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Receipt {
    pub format: u32,
    pub from: SiteId,
    pub to: SiteId,
    pub created_ms: u64,
    pub seen: BTreeMap<SiteId, i64>,
    #[serde(default)]
    pub audit: AuditHeads,
}

impl Receipt {
    pub(crate) fn seal(&self, signer: &SigningKey) -> Result<Vec<u8>> {
        let line = serde_json::to_string(self).map_err(|e| Error::Bundle(said!("the receipt could not be written ({e})", "no se pudo escribir el acuse de recibo ({e})")))?;
        let sig = sign_entry(signer, line.as_bytes());
        let mut out = MAGIC.to_vec();
        out.extend(line.as_bytes());
        out.push(b'\n');
        out.extend(BASE64.encode(&sig).as_bytes());
        out.push(b'\n');
        Ok(out)
    }
}

/// A receipt read from its bytes, its signature not yet checked.
pub(crate) struct Unverified<'a> {
    pub receipt: Receipt,
    line: &'a [u8],
    sig: Vec<u8>,
}

impl Unverified<'_> {
    pub(crate) fn signed_by(&self, key: &VerifyingKey) -> bool {
        verify_entry(key, self.line, &self.sig)
    }
}

pub(crate) fn open(bytes: &[u8]) -> Result<Unverified<'_>> {
    let not = || Error::Bundle(said!("this file is not a Bridger receipt", "este archivo no es un acuse de recibo de Bridger"));
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(not)?;
    let mut lines = rest.split(|b| *b == b'\n');
    let (line, sig) = (lines.next().ok_or_else(not)?, lines.next().ok_or_else(not)?);
    let receipt: Receipt = serde_json::from_slice(line).map_err(|_| not())?;
    let sig = BASE64.decode(sig).map_err(|_| not())?;
    Ok(Unverified { receipt, line, sig })
}
