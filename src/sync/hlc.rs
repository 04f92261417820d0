//! Hybrid logical clock: wall-clock milliseconds plus a counter, so that stamps follow real time
//! when clocks are right and still only ever move forward when a workstation's clock jumps back.

use serde::{Deserialize, Serialize};

/// Bits of the packed form given to the counter; the rest (43 bits) hold milliseconds since
/// 1970, enough until the year 2248.
const COUNTER_BITS: u32 = 20;
const COUNTER_MAX: u32 = (1 << COUNTER_BITS) - 1;
const MILLIS_MAX: u64 = (1 << (63 - COUNTER_BITS)) - 1;

/// One stamp. Ordered by milliseconds, then counter; packed into one `i64` for storage so that
/// SQLite's integer order is the clock's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Hlc {
    millis: u64,
    counter: u32,
}

impl Hlc {
    pub fn new(millis: u64, counter: u32) -> Self {
        Self { millis: millis.min(MILLIS_MAX), counter: counter.min(COUNTER_MAX) }
    }

    pub fn millis(self) -> u64 {
        self.millis
    }

    pub fn pack(self) -> i64 {
        // Both parts are bounded by `new`, so the result fits in 63 bits and is never negative.
        ((self.millis << COUNTER_BITS) | u64::from(self.counter)) as i64
    }

    pub fn unpack(packed: i64) -> Self {
        let bits = packed.max(0) as u64;
        Self { millis: bits >> COUNTER_BITS, counter: (bits as u32) & COUNTER_MAX }
    }

    /// The next stamp after `self` for an event at wall-clock time `wall_ms`: strictly greater
    /// than `self` whatever the wall clock says.
    pub fn tick(self, wall_ms: u64) -> Hlc {
        let wall_ms = wall_ms.min(MILLIS_MAX);
        if wall_ms > self.millis {
            Hlc { millis: wall_ms, counter: 0 }
        } else if self.counter < COUNTER_MAX {
            Hlc { millis: self.millis, counter: self.counter + 1 }
        } else if self.millis < MILLIS_MAX {
            // A million events in one millisecond: borrow the next millisecond rather than wrap.
            Hlc { millis: self.millis + 1, counter: 0 }
        } else {
            // The year 2248: saturate rather than wrap to the past.
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn follows_the_wall_clock_when_it_moves_forward() {
        let a = Hlc::default().tick(1_000);
        assert_eq!(a, Hlc::new(1_000, 0));
        assert_eq!(a.tick(2_000), Hlc::new(2_000, 0));
    }

    #[test]
    fn keeps_moving_forward_when_the_wall_clock_jumps_back() {
        let a = Hlc::new(5_000, 3);
        let b = a.tick(1_000);
        assert_eq!(b, Hlc::new(5_000, 4));
        assert!(b.tick(4_999) > b);
    }

    #[test]
    fn borrows_a_millisecond_when_the_counter_is_full() {
        let full = Hlc::new(7, COUNTER_MAX);
        assert_eq!(full.tick(0), Hlc::new(8, 0));
    }

    #[test]
    fn packing_keeps_order_at_the_edges() {
        let top = Hlc::new(u64::MAX, u32::MAX);
        assert!(top.pack() > 0);
        assert_eq!(Hlc::unpack(top.pack()), top);
        assert!(top.tick(u64::MAX) >= top);
    }

    proptest! {
        #[test]
        fn ticks_strictly_increase_whatever_the_wall_clock_does(
            start in 0u64..4_000_000_000_000,
            walls in proptest::collection::vec(0u64..4_000_000_000_000, 1..200),
        ) {
            let mut last = Hlc::new(start, 0);
            for wall in walls {
                let next = last.tick(wall);
                prop_assert!(next > last);
                prop_assert!(next.millis() >= wall.min(MILLIS_MAX));
                prop_assert!(next.pack() > last.pack());
                last = next;
            }
        }

        #[test]
        fn pack_round_trips_and_preserves_order(a in 0u64..MILLIS_MAX, ca in 0u32..=COUNTER_MAX, b in 0u64..MILLIS_MAX, cb in 0u32..=COUNTER_MAX) {
            let (x, y) = (Hlc::new(a, ca), Hlc::new(b, cb));
            prop_assert_eq!(Hlc::unpack(x.pack()), x);
            prop_assert_eq!(x.cmp(&y), x.pack().cmp(&y.pack()));
        }
    }
}
