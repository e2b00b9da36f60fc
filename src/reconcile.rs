//! When to check the status again after a push ended UNKNOWN (reconcile).

use std::time::Duration;

use crate::config::Reconcile;

/// Longest pause between two checks.
pub const MAX_PAUSE: Duration = Duration::from_secs(30);
/// Shortest pause between two checks after the first.
pub const MIN_PAUSE: Duration = Duration::from_secs(1);

/// The pause before the next status check, after `checks` checks and `elapsed` time since the
/// push ended; `None` when the window is over. The first pause is `first_delay`; each later one
/// doubles (at least 1 s, at most 30 s) and the last one ends exactly at `max_wait`.
pub fn next_pause(reconcile: &Reconcile, checks: u32, elapsed: Duration) -> Option<Duration> {
    if checks == 0 {
        return Some(reconcile.first_delay.min(reconcile.max_wait));
    }
    let left = reconcile
        .max_wait
        .checked_sub(elapsed)
        .filter(|l| !l.is_zero())?;
    let base = reconcile.first_delay.max(MIN_PAUSE);
    let pause = base
        .checked_mul(1u32.checked_shl(checks.min(16)).unwrap_or(u32::MAX))
        .unwrap_or(MAX_PAUSE)
        .min(MAX_PAUSE);
    Some(pause.min(left))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_window() {
        let r = Reconcile {
            first_delay: Duration::from_secs(2),
            max_wait: Duration::from_secs(60),
        };
        let mut elapsed = Duration::ZERO;
        let mut pauses = Vec::new();
        for checks in 0.. {
            let Some(pause) = next_pause(&r, checks, elapsed) else {
                break;
            };
            elapsed += pause;
            pauses.push(pause.as_secs());
        }
        assert_eq!(pauses, [2, 4, 8, 16, 30]);
        assert_eq!(
            elapsed,
            Duration::from_secs(60),
            "the last check is at the window's end"
        );
        let tiny = Reconcile {
            first_delay: Duration::ZERO,
            max_wait: Duration::from_millis(1500),
        };
        assert_eq!(next_pause(&tiny, 0, Duration::ZERO), Some(Duration::ZERO));
        assert_eq!(
            next_pause(&tiny, 1, Duration::ZERO),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(next_pause(&tiny, 2, Duration::from_millis(1500)), None);
    }
}
