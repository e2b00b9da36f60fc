//! `ovo_config`: client settings gathered by setters, checked by `ovo_client_new`.

use std::ffi::{c_char, CStr};
use std::time::Duration;

use super::cstr::{free_raw, into_raw};
use super::panic::guard;
use crate::config::{
    ClientConfig, Environment, ProxySetting, Reconcile, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_STATUS_TIMEOUT, DEFAULT_TIMEOUT, FIELD_BASE_URL, FIELD_CA_FILE, FIELD_CONNECT_TIMEOUT,
    FIELD_PROXY, FIELD_STATUS_TIMEOUT, FIELD_TIMEOUT,
};
use crate::error::{Error, ResultCode};

/// How a client reaches DOKU through a proxy (`ovo_config_set_proxy`).
#[repr(u32)]
pub enum OvoProxyMode {
    /// From the environment when the client is created (the default): for an `https` base URL
    /// `https_proxy`, `HTTPS_PROXY`, then `all_proxy`, `ALL_PROXY`; for `http`, `http_proxy`,
    /// `HTTP_PROXY`, then the `all_proxy` pair. Loopback hosts (`localhost`, `127.0.0.0/8`,
    /// `::1`) and hosts listed in `NO_PROXY` (names, parent domains, IPs, CIDR ranges, `*`) go
    /// direct. SOCKS and `https://` proxies are refused.
    FromEnvironment = 0,
    /// Connect directly, whatever the environment says.
    None = 1,
    /// Use the HTTP CONNECT proxy URL given (`http://[user:password@]host:port`).
    Url = 2,
}

/// Client settings. Opaque. Create with `ovo_config_new`, free with `ovo_config_free`.
/// Not thread-safe while being set up; `ovo_client_new` only reads it.
#[derive(Default)]
pub struct OvoConfig {
    environment: u32,
    base_url: Option<Vec<u8>>,
    connect_timeout_ms: Option<u32>,
    timeout_ms: Option<u32>,
    status_timeout_ms: Option<u32>,
    reconcile_ms: Option<(u32, u32)>,
    journal: Option<Vec<u8>>,
    ca_file: Option<Vec<u8>>,
    proxy_mode: u32,
    proxy_url: Option<Vec<u8>>,
}

impl OvoConfig {
    /// The core settings, checking what the setters stored without judging it.
    pub(crate) fn to_core(&self) -> Result<ClientConfig, Error> {
        let defaults = ClientConfig::default();
        let environment = match self.environment {
            0 => Environment::Sandbox,
            1 => Environment::Production,
            other => {
                return Err(Error::invalid(
                    "environment",
                    format!("{other} is not an OVO_ENVIRONMENT_* value"),
                ))
            }
        };
        let proxy = match self.proxy_mode {
            0 => ProxySetting::FromEnvironment,
            1 => ProxySetting::None,
            2 => match text(&self.proxy_url, FIELD_PROXY)? {
                Some(url) => ProxySetting::Url(url),
                None => {
                    return Err(Error::invalid(
                        FIELD_PROXY,
                        "OVO_PROXY_MODE_URL needs a URL",
                    ))
                }
            },
            other => {
                return Err(Error::invalid(
                    FIELD_PROXY,
                    format!("{other} is not an OVO_PROXY_MODE_* value"),
                ))
            }
        };
        Ok(ClientConfig {
            environment,
            base_url: text(&self.base_url, FIELD_BASE_URL)?,
            connect_timeout: millis(
                self.connect_timeout_ms,
                FIELD_CONNECT_TIMEOUT,
                defaults.connect_timeout,
            )?,
            timeout: millis(self.timeout_ms, FIELD_TIMEOUT, defaults.timeout)?,
            status_timeout: millis(
                self.status_timeout_ms,
                FIELD_STATUS_TIMEOUT,
                defaults.status_timeout,
            )?,
            ca_file: text(&self.ca_file, FIELD_CA_FILE)?.map(Into::into),
            proxy,
            reconcile: self.reconcile_ms.map(|(first, max)| Reconcile {
                first_delay: Duration::from_millis(first.into()),
                max_wait: Duration::from_millis(max.into()),
            }),
            journal: self.journal.as_ref().map(|bytes| {
                use std::os::unix::ffi::OsStrExt;
                std::ffi::OsStr::from_bytes(bytes).into()
            }),
        })
    }
}

/// A timeout as `ovo_client_new` would use it, in ms: the one set, else the default.
fn effective(set: Option<u32>, default: Duration) -> u32 {
    set.unwrap_or_else(|| u32::try_from(default.as_millis()).unwrap_or(u32::MAX))
}

fn text(bytes: &Option<Vec<u8>>, field: &'static str) -> Result<Option<String>, Error> {
    bytes
        .as_ref()
        .map(|b| {
            String::from_utf8(b.clone()).map_err(|e| {
                Error::invalid(
                    field,
                    format!("is not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
                )
            })
        })
        .transpose()
}

fn millis(value: Option<u32>, field: &'static str, default: Duration) -> Result<Duration, Error> {
    match value {
        None => Ok(default),
        Some(0) => Err(Error::invalid(
            field,
            "must be more than 0 ms (there is no infinite timeout)",
        )),
        Some(ms) => Ok(Duration::from_millis(ms.into())),
    }
}

/// Copies an optional C string for later checking.
unsafe fn bytes(ptr: *const c_char) -> Option<Vec<u8>> {
    (!ptr.is_null()).then(|| CStr::from_ptr(ptr).to_bytes().to_vec())
}

/// Applies `set` to a non-NULL config; NULL gives `OVO_RESULT_INVALID_ARGUMENT`.
unsafe fn update(config: *mut OvoConfig, set: impl FnOnce(&mut OvoConfig)) -> ResultCode {
    guard(
        || ResultCode::Internal,
        || match config.as_mut() {
            Some(config) => {
                set(config);
                ResultCode::Ok
            }
            None => ResultCode::InvalidArgument,
        },
    )
}

/// Creates settings with the defaults: sandbox environment, no base URL override, connect
/// timeout 10 s, push timeout 90 s, status-check timeout 30 s, built-in CA roots, proxy from
/// the environment, reconcile off.
/// The caller owns the result and frees it with `ovo_config_free`. Never NULL.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ovo_config_new() -> *mut OvoConfig {
    into_raw(OvoConfig::default())
}

/// Frees settings. NULL does nothing. Clients made from them are not affected.
/// Not while another thread uses `config`.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_free(config: *mut OvoConfig) {
    guard(|| (), || free_raw(config))
}

/// Chooses DOKU's sandbox (`OVO_ENVIRONMENT_SANDBOX`, default) or production
/// (`OVO_ENVIRONMENT_PRODUCTION`). The value is checked by `ovo_client_new`.
/// Returns `OVO_RESULT_INVALID_ARGUMENT` only when `config` is NULL.
/// Not thread-safe: set one config up on one thread.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_set_environment(
    config: *mut OvoConfig,
    environment: u32,
) -> ResultCode {
    update(config, |c| c.environment = environment)
}

/// Overrides the environment's base URL, e.g. `"http://127.0.0.1:8080"` for the local sandbox:
/// `http(s)://host[:port][/prefix]`, without the endpoint path (libovo adds
/// `/ovo-emoney/v1/payment` and `/orders/v1/status/...` itself; a URL ending in one is refused).
/// `url` is copied; NULL clears the override. Checked by `ovo_client_new`.
/// Returns `OVO_RESULT_INVALID_ARGUMENT` only when `config` is NULL.
/// Not thread-safe: set one config up on one thread.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_set_base_url(
    config: *mut OvoConfig,
    url: *const c_char,
) -> ResultCode {
    update(config, |c| c.base_url = bytes(url))
}

/// Sets the connect timeout in milliseconds (DNS, TCP, proxy tunnel and TLS handshake);
/// default 10,000. Must be 1..=600,000 (checked by `ovo_client_new`); a request never waits
/// longer than its total timeout, so a longer connect timeout is cut to it.
/// Returns `OVO_RESULT_INVALID_ARGUMENT` only when `config` is NULL.
/// Not thread-safe: set one config up on one thread.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_set_connect_timeout_ms(
    config: *mut OvoConfig,
    ms: u32,
) -> ResultCode {
    update(config, |c| c.connect_timeout_ms = Some(ms))
}

/// Sets the total timeout of one payment in milliseconds; default 90,000 (DOKU holds a push
/// for up to 70 s). Must be 1..=600,000 (checked by `ovo_client_new`).
/// Returns `OVO_RESULT_INVALID_ARGUMENT` only when `config` is NULL.
/// Not thread-safe: set one config up on one thread.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_set_timeout_ms(config: *mut OvoConfig, ms: u32) -> ResultCode {
    update(config, |c| c.timeout_ms = Some(ms))
}

/// Sets the total timeout of one status check in milliseconds (`ovo_check_status`, reconcile);
/// default 30,000. Must be 1..=600,000 (checked by `ovo_client_new`).
/// Returns `OVO_RESULT_INVALID_ARGUMENT` only when `config` is NULL.
/// Not thread-safe: set one config up on one thread.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_set_status_timeout_ms(
    config: *mut OvoConfig,
    ms: u32,
) -> ResultCode {
    update(config, |c| c.status_timeout_ms = Some(ms))
}

/// Turns reconcile on (off by default): after a push ends with an unknown outcome (DOKU's
/// TIMEOUT, code 40 or 68, no usable answer; a cancel excepted), libovo checks the status with
/// DOKU after `first_delay_ms`, then again with doubling pauses (1 s to 30 s) until DOKU gives a
/// final answer or `max_wait_ms` have passed since the push ended (the last check is at that
/// moment). It never pushes again. The payment then keeps both answers: its outcome is the last
/// check's (`ovo_payment_last_check` gives that check). `max_wait_ms` 0 turns reconcile off;
/// otherwise it must be at most 86,400,000 and `first_delay_ms` at most `max_wait_ms` (checked
/// by `ovo_client_new`). DOKU advises checking no earlier than about 60 s after a payment.
/// Returns `OVO_RESULT_INVALID_ARGUMENT` only when `config` is NULL.
/// Not thread-safe: set one config up on one thread.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_set_reconcile(
    config: *mut OvoConfig,
    first_delay_ms: u32,
    max_wait_ms: u32,
) -> ResultCode {
    update(config, |c| {
        c.reconcile_ms = (max_wait_ms > 0).then_some((first_delay_ms, max_wait_ms));
    })
}

/// The push timeout `config` gives in milliseconds: the one set, else the default (90,000:
/// longer than DOKU's 70 s hold). 0 for NULL. Thread-safe for reading.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_timeout_ms(config: *const OvoConfig) -> u32 {
    config
        .as_ref()
        .map_or(0, |c| effective(c.timeout_ms, DEFAULT_TIMEOUT))
}

/// The connect timeout `config` gives in milliseconds (default 10,000; a request still never
/// waits longer than its total timeout). 0 for NULL. Thread-safe for reading.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_connect_timeout_ms(config: *const OvoConfig) -> u32 {
    config.as_ref().map_or(0, |c| {
        effective(c.connect_timeout_ms, DEFAULT_CONNECT_TIMEOUT)
    })
}

/// The status-check timeout `config` gives in milliseconds (default 30,000). 0 for NULL.
/// Thread-safe for reading.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_status_timeout_ms(config: *const OvoConfig) -> u32 {
    config.as_ref().map_or(0, |c| {
        effective(c.status_timeout_ms, DEFAULT_STATUS_TIMEOUT)
    })
}

/// Turns the payment journal on (off by default): a SQLite file at `path` (created if missing;
/// its directory must exist) that records every push durably before its first byte is sent,
/// then its answer and every status check. With it, one invoice is pushed at most once across
/// crashes, restarts and processes sharing the file: a paid invoice is refused
/// (`OVO_RESULT_ALREADY_PAID`, the stored payment readable), an open one until a status check
/// settles it (`OVO_RESULT_UNSETTLED`), one DOKU answered not paid (`OVO_RESULT_INVOICE_USED`).
/// `ovo_client_new` opens it: a file that is not a libovo journal, is corrupt, read-only or from
/// a newer libovo is refused (`OVO_RESULT_INVALID_ARGUMENT`, field `journal`) and left unchanged.
/// A push whose row cannot be written (disk full, locked) is `OVO_RESULT_NOT_SENT`. The file
/// holds invoices, amounts and phone numbers, never the secret key. `path` is copied (any bytes);
/// NULL turns the journal off. Returns `OVO_RESULT_INVALID_ARGUMENT` only when `config` is NULL.
/// Not thread-safe: set one config up on one thread.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_set_journal(
    config: *mut OvoConfig,
    path: *const c_char,
) -> ResultCode {
    update(config, |c| c.journal = bytes(path))
}

/// Uses the PEM CA bundle at `path` instead of the built-in roots (read by `ovo_client_new`).
/// `path` is copied; NULL goes back to the built-in roots.
/// Returns `OVO_RESULT_INVALID_ARGUMENT` only when `config` is NULL.
/// Not thread-safe: set one config up on one thread.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_set_ca_file(
    config: *mut OvoConfig,
    path: *const c_char,
) -> ResultCode {
    update(config, |c| c.ca_file = bytes(path))
}

/// Sets proxy use: `OVO_PROXY_MODE_FROM_ENVIRONMENT` (default), `OVO_PROXY_MODE_NONE`, or
/// `OVO_PROXY_MODE_URL` with `url` (copied; ignored for the other modes, may be NULL there).
/// Checked by `ovo_client_new`. Returns `OVO_RESULT_INVALID_ARGUMENT` only when `config` is NULL.
/// Not thread-safe: set one config up on one thread.
#[no_mangle]
pub unsafe extern "C" fn ovo_config_set_proxy(
    config: *mut OvoConfig,
    mode: u32,
    url: *const c_char,
) -> ResultCode {
    update(config, |c| {
        c.proxy_mode = mode;
        c.proxy_url = bytes(url);
    })
}
