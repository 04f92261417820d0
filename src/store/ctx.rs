//! When an action happens. Business code never reads the clock: the shell (CLI or desktop)
//! builds a [`WriteCtx`] at the edge, tests build it with fixed values. Who acts is the store's
//! session, never the context's.

use chrono::NaiveDate;
use uuid::Uuid;

pub struct WriteCtx {
    pub now_ms: u64,
    pub today: NaiveDate,
    rng: std::cell::RefCell<fastrand::Rng>,
}

impl WriteCtx {
    /// A context for a person acting now, from the wall clock and the local calendar.
    #[allow(clippy::disallowed_methods, reason = "the one reading of the wall clock, called by the shells")]
    pub fn now() -> Self {
        let now = chrono::Local::now();
        Self {
            now_ms: u64::try_from(now.timestamp_millis()).unwrap_or(0),
            today: now.date_naive(),
            rng: std::cell::RefCell::new(fastrand::Rng::new()),
        }
    }

    /// A context with everything fixed, for tests and for deterministic demo data.
    pub fn fixed(now_ms: u64, today: NaiveDate, seed: u64) -> Self {
        Self { now_ms, today, rng: std::cell::RefCell::new(fastrand::Rng::with_seed(seed)) }
    }

    /// A new UUIDv7 stamped with this context's time.
    pub(crate) fn new_uuid(&self) -> Uuid {
        let mut random = [0u8; 10];
        self.rng.borrow_mut().fill(&mut random);
        uuid::Builder::from_unix_timestamp_millis(self.now_ms, &random).into_uuid()
    }
}
