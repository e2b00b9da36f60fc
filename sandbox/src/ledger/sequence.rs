//! OVO's `batch_number`, `reference_number` and `trace_number`.

use crate::clock;

/// Largest `reference_number` / `trace_number`.
pub const MAX_NUMBER: u32 = 999_999;

/// Numbers stamped on one completed push-to-pay transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbers {
    /// When the transaction completed, seconds since the Unix epoch.
    pub epoch_secs: i64,
    /// `ovo_payment.date`, `yyyyMMddHHmmss` UTC+7.
    pub date: String,
    /// `ovo_payment.batch_number`.
    pub batch_number: u32,
    /// `ovo_payment.reference_number`, 1..=999999.
    pub reference_number: u32,
    /// `ovo_payment.trace_number`, 1..=999999.
    pub trace_number: u32,
}

/// The counters. The batch starts at 1 and increments when the UTC+7 day changes or when
/// the reference number wraps from 999999 back to 1.
#[derive(Debug, Default)]
pub struct Sequence {
    batch: u32,
    reference: u32,
    trace: u32,
    day: Option<i64>,
}

impl Sequence {
    /// Fresh counters: the first transaction gets batch 1, reference 1, trace 1.
    pub fn new() -> Sequence {
        Sequence::default()
    }

    /// Counters positioned so the next transaction gets `reference + 1` (for tests of wrapping).
    pub fn starting_at(batch: u32, reference: u32) -> Sequence {
        Sequence {
            batch,
            reference,
            trace: 0,
            day: None,
        }
    }

    /// Stamps the next transaction completed at `epoch_secs`.
    pub fn next(&mut self, epoch_secs: i64) -> Numbers {
        let day = clock::utc7_day(epoch_secs);
        match self.day {
            None => self.batch = self.batch.max(1),
            Some(d) if d != day => self.batch += 1,
            Some(_) => {}
        }
        self.day = Some(day);
        self.reference += 1;
        if self.reference > MAX_NUMBER {
            self.reference = 1;
            self.batch += 1;
        }
        self.trace = self.trace % MAX_NUMBER + 1;
        Numbers {
            epoch_secs,
            date: clock::format_utc7(epoch_secs),
            batch_number: self.batch,
            reference_number: self.reference,
            trace_number: self.trace,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_602_667_768; // 2020-10-14 16:29:28 UTC+7

    #[test]
    fn increments_within_a_day() {
        let mut s = Sequence::new();
        let a = s.next(T0);
        let b = s.next(T0 + 5);
        assert_eq!(
            (a.batch_number, a.reference_number, a.trace_number),
            (1, 1, 1)
        );
        assert_eq!(
            (b.batch_number, b.reference_number, b.trace_number),
            (1, 2, 2)
        );
        assert_eq!(a.date, "20201014162928");
    }

    #[test]
    fn batch_increments_on_utc7_day_change() {
        let mut s = Sequence::new();
        let midnight_utc7 = 1_609_434_000; // 2021-01-01 00:00:00 UTC+7
        assert_eq!(s.next(midnight_utc7 - 1).batch_number, 1);
        let n = s.next(midnight_utc7);
        assert_eq!(n.batch_number, 2);
        assert_eq!(n.reference_number, 2);
        assert_eq!(s.next(midnight_utc7 + 3600).batch_number, 2);
    }

    #[test]
    fn reference_wraps_and_bumps_batch() {
        let mut s = Sequence::starting_at(3, MAX_NUMBER - 1);
        let a = s.next(T0);
        assert_eq!((a.batch_number, a.reference_number), (3, MAX_NUMBER));
        let b = s.next(T0);
        assert_eq!((b.batch_number, b.reference_number), (4, 1));
    }
}
