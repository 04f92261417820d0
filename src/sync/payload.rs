//! What a format-2 bundle carries inside its encryption (docs/bundle-format.md): a zstd stream of
//! frames, each a little-endian length and a postcard value. Table names, field names and site
//! ids are small numbers into the header's `names`; record ids are their 16 bytes; clocks inside
//! a segment are distances from the one before. Both sides stream: the writer never holds more
//! than one frame, the reader never more than one frame and the open segment's digest.

use super::segment::{Bounds, Covered, SegmentDigest};
use super::Names;
use crate::error::{Error, Result, Said};
use crate::model::SiteId;
use crate::sync::bundle::{count_change, entry_bytes, verify_entry, Range, Signed};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};

/// The largest frame a reader accepts: a change's value is a few thousand characters at most.
const MAX_FRAME: usize = 4 << 20;
/// zstd's default level: most of the size it can win, at hundreds of megabytes a second.
const LEVEL: i32 = 3;

#[derive(Serialize, Deserialize)]
enum Frame {
    /// Opens a segment: `count` Change frames follow, then its SegmentEnd.
    Segment { origin: u16, first: i64, last: i64, count: u64 },
    Change(Wire),
    SegmentEnd { sig: Vec<u8> },
    /// A change signed on its own (ADR 0007's signature): kept for changes that arrived that way.
    Single { origin: u16, change: Wire, sig: Vec<u8> },
    End,
}

/// One change on the wire. Inside a segment `hlc` is the distance from the change before (from
/// the segment's first clock for its first change); in a Single it is the clock itself.
#[derive(Serialize, Deserialize)]
struct Wire {
    hlc: u64,
    table: u16,
    field: u16,
    record: [u8; 16],
    value: String,
    prev: Option<(u16, i64)>,
}

/// One change as a site holds it, with its names spelled out.
pub(crate) struct Outgoing<'a> {
    pub origin: SiteId,
    pub covered: Covered<'a>,
}

/// The numbers given to names as they are first written.
#[derive(Default)]
pub(crate) struct Numbering {
    names: Names,
    tables: HashMap<String, u16>,
    fields: HashMap<String, u16>,
    sites: HashMap<SiteId, u16>,
}

fn number<K: std::hash::Hash + Eq + Clone>(map: &mut HashMap<K, u16>, list: &mut Vec<K>, key: &K) -> Result<u16> {
    if let Some(n) = map.get(key) {
        return Ok(*n);
    }
    let n = u16::try_from(list.len()).map_err(|_| Error::Bundle(said!("the bundle names too many tables, fields or sites", "el paquete nombra demasiadas tablas, campos o sitios")))?;
    map.insert(key.clone(), n);
    list.push(key.clone());
    Ok(n)
}

impl Numbering {
    pub(crate) fn table(&mut self, name: &str) -> Result<u16> {
        number(&mut self.tables, &mut self.names.tables, &name.to_string())
    }
    pub(crate) fn field(&mut self, name: &str) -> Result<u16> {
        number(&mut self.fields, &mut self.names.fields, &name.to_string())
    }
    fn site(&mut self, site: SiteId) -> Result<u16> {
        number(&mut self.sites, &mut self.names.sites, &site)
    }
    pub(crate) fn into_names(self) -> Names {
        self.names
    }
}

/// The segment being written.
struct Writing {
    bounds: Bounds,
    written: u64,
    hlc: i64,
    digest: Option<SegmentDigest>,
}

fn write_failed(e: impl std::fmt::Display) -> Error {
    Error::Bundle(said!("the bundle could not be written ({e})", "no se pudo escribir el paquete ({e})"))
}

/// Writes the frames of a payload, compressed, into `W` (the encryption, in a bundle).
pub(crate) struct PayloadWriter<W: Write> {
    out: zstd::stream::write::Encoder<'static, W>,
    numbering: Numbering,
    ranges: BTreeMap<SiteId, Range>,
    open: Option<Writing>,
    frame: Vec<u8>,
}

impl<W: Write> PayloadWriter<W> {
    pub(crate) fn new(out: W) -> Result<Self> {
        let out = zstd::stream::write::Encoder::new(out, LEVEL).map_err(write_failed)?;
        Ok(PayloadWriter { out, numbering: Numbering::default(), ranges: BTreeMap::new(), open: None, frame: Vec::new() })
    }

    fn put(&mut self, frame: &Frame) -> Result<()> {
        self.frame.clear();
        self.frame.extend([0; 4]);
        let frame = postcard::to_extend(frame, std::mem::take(&mut self.frame)).map_err(write_failed)?;
        self.frame = frame;
        let len = u32::try_from(self.frame.len() - 4).map_err(write_failed)?;
        self.frame[..4].copy_from_slice(&len.to_le_bytes());
        self.out.write_all(&self.frame).map_err(write_failed)
    }

    fn wire(&mut self, c: &Covered<'_>, hlc: u64) -> Result<Wire> {
        let prev = match c.prev {
            Some((site, hlc)) => Some((self.numbering.site(site)?, hlc)),
            None => None,
        };
        Ok(Wire { hlc, table: self.numbering.table(c.tbl)?, field: self.numbering.field(c.field)?, record: *c.record, value: c.value.to_string(), prev })
    }

    /// Opens a segment. `signing` when this site is signing it now, so its digest is kept.
    pub(crate) fn begin_segment(&mut self, bounds: Bounds, signing: bool) -> Result<()> {
        if bounds.count == 0 || bounds.first > bounds.last {
            return Err(write_failed("an empty segment"));
        }
        let origin = self.numbering.site(bounds.origin)?;
        self.put(&Frame::Segment { origin, first: bounds.first, last: bounds.last, count: bounds.count })?;
        self.open = Some(Writing { bounds, written: 0, hlc: bounds.first, digest: signing.then(|| SegmentDigest::new(&bounds)) });
        Ok(())
    }

    /// The open segment's next change, in the order its digest covers them.
    pub(crate) fn change(&mut self, c: &Covered<'_>) -> Result<()> {
        let open = self.open.as_mut().ok_or_else(|| write_failed("a change outside a segment"))?;
        if c.hlc < open.hlc || c.hlc > open.bounds.last || open.written == open.bounds.count || (open.written == 0 && c.hlc != open.bounds.first) {
            return Err(write_failed("a change outside its segment's bounds"));
        }
        let distance = (c.hlc - open.hlc) as u64;
        open.hlc = c.hlc;
        open.written += 1;
        if let Some(d) = open.digest.as_mut() {
            d.add(c);
        }
        let origin = open.bounds.origin;
        let wire = self.wire(c, distance)?;
        count_change(&mut self.ranges, origin, c.hlc);
        self.put(&Frame::Change(wire))
    }

    /// Closes the open segment with its signature: `sig` as it was received, or made now with
    /// `signer` over what was written. Returns the signature.
    pub(crate) fn end_segment(&mut self, sig: Option<&[u8]>, signer: Option<&SigningKey>) -> Result<Vec<u8>> {
        let open = self.open.take().ok_or_else(|| write_failed("no segment is open"))?;
        if open.written != open.bounds.count || open.hlc != open.bounds.last {
            return Err(write_failed("a segment with fewer changes than it says"));
        }
        let sig = match (sig, signer, open.digest) {
            (Some(sig), _, _) => sig.to_vec(),
            (None, Some(key), Some(digest)) => digest.sign(key).to_vec(),
            _ => return Err(write_failed("a segment without a signature")),
        };
        self.put(&Frame::SegmentEnd { sig: sig.clone() })?;
        Ok(sig)
    }

    /// A change carrying its own signature.
    pub(crate) fn single(&mut self, c: &Outgoing<'_>, sig: &[u8]) -> Result<()> {
        if self.open.is_some() {
            return Err(write_failed("a change signed alone inside a segment"));
        }
        let origin = self.numbering.site(c.origin)?;
        let hlc = u64::try_from(c.covered.hlc).map_err(write_failed)?;
        let change = self.wire(&c.covered, hlc)?;
        count_change(&mut self.ranges, c.origin, c.covered.hlc);
        self.put(&Frame::Single { origin, change, sig: sig.to_vec() })
    }

    /// Ends the payload. Returns the inner writer, the names used and the clocks each site's
    /// changes span, for the header.
    pub(crate) fn finish(mut self) -> Result<(W, Names, BTreeMap<SiteId, Range>)> {
        if self.open.is_some() {
            return Err(write_failed("a segment left open"));
        }
        self.put(&Frame::End)?;
        let out = self.out.finish().map_err(write_failed)?;
        Ok((out, self.numbering.names, self.ranges))
    }
}

/// How a change read from a bundle is vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Vouched {
    /// By its segment's signature, checked when the segment ends.
    Segment,
    /// By its own signature, checked.
    Alone(Vec<u8>),
    /// Its writer is not trusted here: nothing could be checked.
    Untrusted,
}

/// A change read from a bundle; `table` and `field` index the header's names.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    pub origin: SiteId,
    pub hlc: i64,
    pub table: u16,
    pub field: u16,
    pub record: [u8; 16],
    pub value: String,
    pub prev: Option<(SiteId, i64)>,
    pub vouched: Vouched,
    /// Read inside a segment: whether the segment can be kept depends on it.
    pub in_segment: bool,
}

/// What reading a payload yields, in order.
#[derive(Debug)]
pub(crate) enum Event {
    Change(Incoming),
    /// A segment whose every change has been yielded, and whose signature holds (or whose writer
    /// is not trusted here, `trusted` false).
    SegmentEnd { bounds: Bounds, sig: Vec<u8>, trusted: bool },
}

/// The segment being read.
struct Reading {
    bounds: Bounds,
    read: u64,
    hlc: i64,
    /// The table, record and field of the change before, for the segment's order.
    before: Option<(u16, [u8; 16], u16)>,
    key: Option<VerifyingKey>,
    digest: SegmentDigest,
}

/// A payload that does not read as its writer wrote it. Its digest held, so the copy is whole:
/// the site that wrote it has to write it again.
pub(crate) fn damaged() -> Error {
    Error::Bundle(said!("the bundle's contents are damaged: ask the site that sent it to export it again", "el contenido del paquete está dañado: pida al sitio que lo envió que lo exporte de nuevo"))
}

/// A change read as its segment's digest covers it; its names were checked when it was read.
fn covered<'a>(names: &'a Names, c: &'a Incoming) -> Covered<'a> {
    Covered { hlc: c.hlc, tbl: &names.tables[usize::from(c.table)], record: &c.record, field: &names.fields[usize::from(c.field)], value: &c.value, prev: c.prev }
}

/// Reads a payload's frames from its decrypted stream, checking each segment's signature with
/// this site's own copy of its writer's key when the segment ends.
pub(crate) struct PayloadReader<'k, R: Read> {
    src: zstd::stream::read::Decoder<'static, std::io::BufReader<R>>,
    names: &'k Names,
    trusted: &'k BTreeMap<SiteId, VerifyingKey>,
    open: Option<Reading>,
    ended: bool,
    frame: Vec<u8>,
}

impl<'k, R: Read> PayloadReader<'k, R> {
    pub(crate) fn new(src: R, names: &'k Names, trusted: &'k BTreeMap<SiteId, VerifyingKey>) -> Result<Self> {
        let src = zstd::stream::read::Decoder::new(src).map_err(|_| damaged())?;
        Ok(PayloadReader { src, names, trusted, open: None, ended: false, frame: Vec::new() })
    }

    fn frame(&mut self) -> Result<Frame> {
        let mut len = [0u8; 4];
        self.src.read_exact(&mut len).map_err(|_| damaged())?;
        let len = u32::from_le_bytes(len) as usize;
        if len > MAX_FRAME {
            return Err(damaged());
        }
        self.frame.resize(len, 0);
        self.src.read_exact(&mut self.frame).map_err(|_| damaged())?;
        postcard::from_bytes(&self.frame).map_err(|_| damaged())
    }

    fn site(&self, n: u16) -> Result<SiteId> {
        self.names.sites.get(usize::from(n)).copied().ok_or_else(damaged)
    }

    fn name(list: &[String], n: u16) -> Result<&str> {
        list.get(usize::from(n)).map(String::as_str).ok_or_else(damaged)
    }

    fn incoming(&self, origin: SiteId, hlc: i64, wire: Wire, vouched: Vouched) -> Result<Incoming> {
        Self::name(&self.names.tables, wire.table)?;
        Self::name(&self.names.fields, wire.field)?;
        let prev = wire.prev.map(|(site, hlc)| self.site(site).map(|s| (s, hlc))).transpose()?;
        Ok(Incoming { origin, hlc, table: wire.table, field: wire.field, record: wire.record, value: wire.value, prev, vouched, in_segment: self.open.is_some() })
    }

    fn next_event(&mut self) -> Result<Option<Event>> {
        if self.ended {
            return Ok(None);
        }
        let frame = self.frame()?;
        match (frame, self.open.is_some()) {
            (Frame::Segment { origin, first, last, count }, false) => {
                let bounds = Bounds { origin: self.site(origin)?, first, last, count };
                if first > last || count == 0 {
                    return Err(damaged());
                }
                let key = self.trusted.get(&bounds.origin).copied();
                self.open = Some(Reading { bounds, read: 0, hlc: first, before: None, key, digest: SegmentDigest::new(&bounds) });
                self.next_event()
            }
            (Frame::Change(wire), true) => {
                let names = self.names;
                let Some(open) = self.open.as_mut() else { return Err(damaged()) };
                let hlc = i64::try_from(wire.hlc).ok().and_then(|d| open.hlc.checked_add(d)).filter(|h| *h <= open.bounds.last).ok_or_else(damaged)?;
                if open.read == open.bounds.count || (open.read == 0 && hlc != open.bounds.first) {
                    return Err(damaged());
                }
                // A segment holds each change once, in the journal key's order: clock, table
                // name, record, field name. Any other order could not be rebuilt where it lands.
                let key = |t: u16, r: [u8; 16], f: u16| (names.tables.get(usize::from(t)).map(String::as_str), r, names.fields.get(usize::from(f)).map(String::as_str));
                if let Some((t, r, f)) = open.before {
                    if wire.hlc == 0 && key(t, r, f) >= key(wire.table, wire.record, wire.field) {
                        return Err(damaged());
                    }
                }
                open.before = Some((wire.table, wire.record, wire.field));
                open.read += 1;
                open.hlc = hlc;
                let (origin, vouched) = (open.bounds.origin, if open.key.is_some() { Vouched::Segment } else { Vouched::Untrusted });
                let change = self.incoming(origin, hlc, wire, vouched)?;
                if let Some(open) = self.open.as_mut() {
                    open.digest.add(&covered(self.names, &change));
                }
                Ok(Some(Event::Change(change)))
            }
            (Frame::SegmentEnd { sig }, true) => {
                let Some(open) = self.open.take() else { return Err(damaged()) };
                if open.read != open.bounds.count || open.hlc != open.bounds.last {
                    return Err(damaged());
                }
                if sig.len() != 64 {
                    return Err(damaged());
                }
                let trusted = match open.key {
                    Some(key) if open.digest.verify(&key, &sig) => true,
                    Some(_) => return Err(Error::Bundle(said!(
                        "a run of changes in the bundle does not carry its writer's valid signature: it was altered after it was signed; do not use this copy, and tell the site that sent it",
                        "una serie de cambios del paquete no lleva la firma válida de quien la escribió: se alteró después de firmarse; no use esta copia y avise al sitio que lo envió"
                    ))),
                    None => false,
                };
                Ok(Some(Event::SegmentEnd { bounds: open.bounds, sig, trusted }))
            }
            (Frame::Single { origin, change, sig }, false) => {
                let origin = self.site(origin)?;
                let hlc = i64::try_from(change.hlc).map_err(|_| damaged())?;
                if sig.len() != 64 {
                    return Err(damaged());
                }
                let key = self.trusted.get(&origin).copied();
                let vouched = if key.is_some() { Vouched::Alone(sig) } else { Vouched::Untrusted };
                let change = self.incoming(origin, hlc, change, vouched)?;
                if let Some(key) = key {
                    let c = covered(self.names, &change);
                    let record = uuid::Uuid::from_bytes(change.record).to_string();
                    let signed = Signed { origin, hlc, tbl: c.tbl, record: &record, field: c.field, value: c.value, prev: c.prev };
                    let Vouched::Alone(sig) = &change.vouched else { return Err(damaged()) };
                    if !verify_entry(&key, &entry_bytes(&signed), sig) {
                        return Err(Error::Bundle(said!("a change in the bundle ({} {record}) does not carry its writer's valid signature", "un cambio del paquete ({} {record}) no lleva la firma válida de quien lo escribió", c.tbl)));
                    }
                }
                Ok(Some(Event::Change(change)))
            }
            (Frame::End, false) => {
                let mut rest = [0u8; 1];
                // Nothing may follow the end: a payload is exactly what its writer wrote.
                if self.src.read(&mut rest).map_err(|_| damaged())? != 0 {
                    return Err(damaged());
                }
                self.ended = true;
                Ok(None)
            }
            _ => Err(damaged()),
        }
    }
}

impl<R: Read> Iterator for PayloadReader<'_, R> {
    type Item = Result<Event>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_event() {
            Ok(Some(event)) => Some(Ok(event)),
            Ok(None) => None,
            Err(e) => {
                // After an error nothing more is read: the import stops there.
                self.ended = true;
                Some(Err(e))
            }
        }
    }
}

/// Refuses a payload whose changes are not those its header lists.
pub(crate) fn matches_header(read: &BTreeMap<SiteId, Range>, header: &BTreeMap<SiteId, Range>) -> Result<()> {
    if read != header {
        return Err(Error::Bundle(Said {
            en: "the bundle's changes are not those its header lists: it was written wrongly or altered".into(),
            es: "los cambios del paquete no son los que indica su cabecera: se escribió mal o se alteró".into(),
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(n: u128) -> SiteId {
        SiteId::from_uuid(uuid::Uuid::from_u128(n))
    }

    fn covered(hlc: i64, value: &str) -> Covered<'_> {
        Covered { hlc, tbl: "participants", record: &[1; 16], field: "notes", value, prev: Some((site(5), 3)) }
    }

    fn written(values: &[(i64, &str)], key: &SigningKey) -> (Vec<u8>, Names, BTreeMap<SiteId, Range>) {
        let mut w = PayloadWriter::new(Vec::new()).expect("a writer into memory");
        let bounds = Bounds { origin: site(1), first: values[0].0, last: values[values.len() - 1].0, count: values.len() as u64 };
        w.begin_segment(bounds, true).expect("a segment with bounds");
        for (h, v) in values {
            w.change(&covered(*h, v)).expect("a change inside the bounds");
        }
        w.end_segment(None, Some(key)).expect("the segment signed");
        w.finish().expect("the payload ended")
    }

    fn read_all(bytes: &[u8], names: &Names, keys: &BTreeMap<SiteId, VerifyingKey>) -> Result<Vec<Event>> {
        PayloadReader::new(bytes, names, keys)?.collect()
    }

    #[test]
    fn a_segment_reads_back_as_written_and_checked() {
        let key = SigningKey::from_bytes(&[2; 32]);
        let (bytes, names, ranges) = written(&[(10, "\"a\""), (12, "\"b\""), (15, "\"c\"")], &key);
        assert_eq!(ranges[&site(1)], Range { first: 10, last: 15, count: 3 });
        let keys = BTreeMap::from([(site(1), key.verifying_key())]);
        let events = read_all(&bytes, &names, &keys).expect("a payload as written reads back");
        let values: Vec<(i64, String)> = events.iter().filter_map(|e| if let Event::Change(c) = e { Some((c.hlc, c.value.clone())) } else { None }).collect();
        assert_eq!(values, [(10, "\"a\"".into()), (12, "\"b\"".into()), (15, "\"c\"".into())]);
        assert!(matches!(events.last(), Some(Event::SegmentEnd { trusted: true, .. })));
        let Some(Event::Change(first)) = events.first() else { panic!("a change first") };
        assert_eq!((first.prev, first.vouched.clone()), (Some((site(5), 3)), Vouched::Segment));
        // Another key: the segment is refused when it ends.
        let other = BTreeMap::from([(site(1), SigningKey::from_bytes(&[3; 32]).verifying_key())]);
        assert!(read_all(&bytes, &names, &other).expect_err("refused with another key").to_string().contains("signature"));
        // No key at all: read, but nothing vouched.
        let untrusted = read_all(&bytes, &names, &BTreeMap::new()).expect("an untrusted segment is read, not refused");
        assert!(matches!(untrusted.last(), Some(Event::SegmentEnd { trusted: false, .. })));
    }

    #[test]
    fn a_writer_refuses_what_would_not_read_back() {
        let mut w = PayloadWriter::new(Vec::new()).expect("a writer into memory");
        assert!(w.change(&covered(1, "1")).is_err(), "a change outside a segment");
        w.begin_segment(Bounds { origin: site(1), first: 5, last: 6, count: 1 }, true).expect("a segment with bounds");
        assert!(w.change(&covered(4, "1")).is_err(), "before the segment's first clock");
        assert!(w.end_segment(None, Some(&SigningKey::from_bytes(&[2; 32]))).is_err(), "fewer changes than it says");
    }

    #[test]
    fn a_segment_out_of_the_journal_order_is_refused() {
        // The same field of the same record twice at one clock: no journal holds that.
        let key = SigningKey::from_bytes(&[2; 32]);
        let (bytes, names, _) = written(&[(10, "\"a\""), (10, "\"b\"")], &key);
        let keys = BTreeMap::from([(site(1), key.verifying_key())]);
        assert!(read_all(&bytes, &names, &keys).is_err());
    }

    #[test]
    fn damage_and_truncation_are_refused_not_panicked_on() {
        let key = SigningKey::from_bytes(&[2; 32]);
        let (bytes, names, _) = written(&[(1, "\"a\""), (2, "\"b\"")], &key);
        let keys = BTreeMap::from([(site(1), key.verifying_key())]);
        for cut in 0..bytes.len() {
            assert!(read_all(&bytes[..cut], &names, &keys).is_err(), "cut at {cut}");
        }
        let mut fewer_names = names.clone();
        fewer_names.fields.clear();
        assert!(read_all(&bytes, &fewer_names, &keys).is_err());
    }
}
