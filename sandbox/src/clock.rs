//! Wall clock in OVO's time zone (UTC+7, no DST) and in UTC, without a date crate.

use std::time::{SystemTime, UNIX_EPOCH};

/// Offset of UTC+7 (Western Indonesia Time) in seconds.
pub const UTC7_OFFSET_SECS: i64 = 7 * 3600;

/// Seconds since the Unix epoch, now (0 if the clock is before 1970).
pub fn now_epoch_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Civil date `(year, month 1..=12, day 1..=31)` of a count of days since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day number (days since 1970-01-01) of the UTC+7 calendar day containing `epoch_secs`.
pub fn utc7_day(epoch_secs: i64) -> i64 {
    (epoch_secs + UTC7_OFFSET_SECS).div_euclid(86_400)
}

/// `yyyyMMddHHmmss` in UTC+7 for `epoch_secs`, as in `ovo_payment.date`.
pub fn format_utc7(epoch_secs: i64) -> String {
    let local = epoch_secs + UTC7_OFFSET_SECS;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let sod = local.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60
    )
}

/// `yyyy-MM-ddTHH:mm:ssZ` in UTC for `epoch_secs`, as in the Check Status API's
/// `transaction.date`.
pub fn format_utc(epoch_secs: i64) -> String {
    let (y, m, d) = civil_from_days(epoch_secs.div_euclid(86_400));
    let sod = epoch_secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60
    )
}

/// Now in UTC with milliseconds, `yyyy-MM-ddTHH:mm:ss.SSSZ`, for log lines.
pub fn log_timestamp() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let text = format_utc(now.as_secs() as i64);
    format!("{}.{:03}Z", &text[..text.len() - 1], now.subsec_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_from_days_known_points() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(19_783), (2024, 3, 1));
    }

    #[test]
    fn spec_sample_date() {
        // 2020-10-14 09:29:28 UTC is 16:29:28 in UTC+7, the spec's sample `date`.
        assert_eq!(format_utc7(1_602_667_768), "20201014162928");
    }

    #[test]
    fn utc7_crosses_midnight_and_year() {
        // 2020-12-31 17:00:00 UTC is 2021-01-01 00:00:00 in UTC+7.
        assert_eq!(format_utc7(1_609_434_000), "20210101000000");
        assert_eq!(format_utc7(1_609_433_999), "20201231235959");
        assert_eq!(utc7_day(1_609_434_000), utc7_day(1_609_433_999) + 1);
        // 2024-02-29 16:59:59 UTC is 23:59:59 on the leap day in UTC+7.
        assert_eq!(format_utc7(1_709_225_999), "20240229235959");
        assert_eq!(format_utc7(1_709_226_000), "20240301000000");
        assert_eq!(format_utc7(0), "19700101070000");
    }

    #[test]
    fn utc_iso_format() {
        assert_eq!(format_utc(1_602_667_768), "2020-10-14T09:29:28Z");
        assert_eq!(format_utc(1_709_225_999), "2024-02-29T16:59:59Z");
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        let ts = log_timestamp();
        assert_eq!(ts.len(), "2024-02-29T16:59:59.123Z".len(), "{ts}");
        assert!(ts.ends_with('Z') && ts.as_bytes()[19] == b'.', "{ts}");
    }
}
