//! Process resource limits.

/// Raises the soft `RLIMIT_NOFILE` to the hard limit so 1,000+ connections fit.
/// Returns the new soft limit (0 where unsupported).
#[cfg(unix)]
pub fn raise_nofile_limit() -> std::io::Result<u64> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid, writable rlimit for the duration of the call.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    if lim.rlim_cur < lim.rlim_max {
        let wanted = libc::rlimit {
            rlim_cur: lim.rlim_max,
            rlim_max: lim.rlim_max,
        };
        // SAFETY: `wanted` is a valid rlimit; setrlimit only reads it.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &wanted) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        lim.rlim_cur = lim.rlim_max;
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
    Ok(lim.rlim_cur as u64)
}

/// Raises the soft `RLIMIT_NOFILE` to the hard limit (no-op here).
#[cfg(not(unix))]
pub fn raise_nofile_limit() -> std::io::Result<u64> {
    Ok(0)
}
