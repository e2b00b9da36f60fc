//! The C skin's string and pointer handling: `ovo_checksum`, `ovo_code_describe`, the
//! `ovo_config_set_*` setters, `ovo_client_new`, `ovo_push_payment(_async)` with arguments that
//! are refused before anything is sent, and the `ovo_error` / `ovo_payment` accessors, called
//! the way C would, with NUL-terminated copies of arbitrary bytes (invalid UTF-8 included),
//! NULL pointers and short output buffers. Everything returned is freed.
//!
//! Input: one operation per line, `OP ARG\tARG...` (the first byte is the operation; an
//! argument `(null)` is a NULL pointer; a NUL byte ends a C string early, as in C):
//!   c amount\tclient_id\tinvoice\tovo_id\tsecret\tOUT\tE   ovo_checksum; OUT: empty = 65-byte
//!       buffer, digits = that many bytes, `null` = NULL `out`; E = `0` for a NULL `error`
//!   d code                            ovo_code_describe
//!   e n / u url / k ms / t ms / p mode\turl / a CA   the config setters; CA is `(null)`,
//!       `@BYTES` (a file holding BYTES, 0x1E for a newline) or a file name in the working directory (no `/`)
//!   0                                 every setter on a NULL config
//!   x                                 free the config, make a new one
//!   n client_id\tsecret\tFLAGS        ovo_client_new; FLAGS may hold `c` (NULL config),
//!       `o` (NULL out), `e` (NULL error); a client made replaces the previous one
//!   P invoice\tamount\tovo_id\tFLAGS  ovo_push_payment on the last client (`c` in FLAGS: NULL
//!       client, `o`: NULL out, `a`: the async call) - skipped when the arguments are valid,
//!       as it would send a request
//!   v                                 ovo_version and the NULL-object accessors
//!
//! Asserts the header's contracts: result codes in range and as the model predicts; on error
//! `out[0] == 0` and nothing else written (a canary after the buffer catches overruns);
//! `*error` set exactly on error, with a matching result, a message that is never NULL, starts
//! with the field it names and never shows the secret key; `ovo_code_describe` never NULL,
//! known exactly for the spec's codes; `*out` NULL on a failed `ovo_client_new`; a refused
//! payment is NOT_PAID with no request id, status 0, empty body and no fields; the async call
//! never calls back on a refusal. Leaks: a counting allocator reruns any input that ends with
//! more live allocations than it started with, and fails if the rerun grows them again.
#![no_main]

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr::{self, null, null_mut};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

use libfuzzer_sys::fuzz_target;
use ovo::ffi::*;
use ovo::{PaymentFields, ResultCode};

#[path = "common.rs"]
mod common;

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(1, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        LIVE.fetch_sub(1, Ordering::Relaxed);
        System.dealloc(p, layout)
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        System.realloc(p, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const SAMPLE: [&[u8]; 5] = [
    b"10000",
    b"MCH-0001-10791114622547",
    b"INV-20210115-0001",
    b"081211111111",
    b"SK-9sCrJ1kdYUJAYlsJKlqz",
];

/// A C string argument: `None` is NULL; the bytes up to the first NUL, as C would see them.
struct Arg(Option<CString>);

impl Arg {
    fn new(bytes: &[u8]) -> Arg {
        if bytes == b"(null)" {
            return Arg(None);
        }
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        Arg(Some(CString::new(&bytes[..end]).expect("cut at the first NUL")))
    }
    fn ptr(&self) -> *const c_char {
        self.0.as_ref().map_or(null(), |c| c.as_ptr())
    }
    /// What Rust sees: `Err(())` for NULL or invalid UTF-8.
    fn text(&self) -> Result<&str, ()> {
        self.0.as_ref().ok_or(())?.to_str().map_err(|_| ())
    }
}

fn number(arg: &[u8]) -> i64 {
    match std::str::from_utf8(arg).ok().and_then(|s| s.parse().ok()) {
        Some(n) => n,
        None => arg
            .iter()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
            as i64,
    }
}

unsafe fn text<'a>(p: *const c_char) -> &'a str {
    assert!(!p.is_null());
    CStr::from_ptr(p).to_str().expect("libovo's strings are UTF-8")
}

/// The message of an error out-parameter, freeing the error ("" when there is none).
unsafe fn take_message(error: *mut OvoError) -> String {
    let message = if error.is_null() { String::new() } else { text(ovo_error_message(error)).to_owned() };
    ovo_error_free(error);
    message
}

/// A call redone with another secret key, giving its error message.
type Rerun<'a> = Option<(&'a Arg, &'a dyn Fn(&Arg) -> String)>;

/// Checks an `ovo_error` against the result it came with, then frees it.
/// `field`: `Some(Some(f))` must name f, `Some(None)` must name none, `None` not checked.
/// `secret`: the secret key given and how to redo the call with another one.
unsafe fn check_error(
    result: ResultCode,
    error: *mut OvoError,
    field: Option<Option<&str>>,
    secret: Rerun<'_>,
) {
    if result == ResultCode::Ok {
        assert!(error.is_null(), "an error for a call that worked");
        return;
    }
    assert!(!error.is_null(), "no error for {result:?}");
    assert_eq!(ovo_error_result(error), result);
    let message = text(ovo_error_message(error));
    assert!(!message.is_empty());
    let named = ovo_error_field(error);
    let named = (!named.is_null()).then(|| text(named));
    if let Some(want) = field {
        assert_eq!(named, want, "{message}");
    }
    if result == ResultCode::InvalidArgument {
        let f = named.expect("an invalid argument names its field");
        assert!(message.starts_with(&format!("{f}: ")), "{message}");
    }
    if let Some((Arg(Some(key)), rerun)) = secret {
        let redo = |other: &[u8]| rerun(&Arg(Some(CString::new(other).expect("no NUL"))));
        assert!(
            !common::shows_secret(key.to_bytes(), message, redo),
            "the message shows the secret key: {message}"
        );
    }
    ovo_error_free(error);
}

fn args<'a>(rest: &'a [u8], n: usize, defaults: &[&'a [u8]]) -> Vec<&'a [u8]> {
    let mut parts: Vec<&[u8]> = rest.split(|&b| b == b'\t').collect();
    if rest.is_empty() {
        parts.clear();
    }
    for i in parts.len()..n {
        parts.push(defaults.get(i).copied().unwrap_or(b""));
    }
    parts
}

unsafe fn checksum(rest: &[u8]) {
    let a = args(rest, 7, &SAMPLE);
    let amount = number(a[0]);
    let strs = [Arg::new(a[1]), Arg::new(a[2]), Arg::new(a[3]), Arg::new(a[4])];
    let (out_null, out_len) = match a[5] {
        b"" => (false, 65),
        b"null" => (true, 65),
        n => (false, (number(n) as u64 % 200) as usize),
    };
    let want_error = a[6] != b"0";
    let mut buffer = vec![0xA5_u8; out_len + 32];
    let out = if out_null { null_mut() } else { buffer.as_mut_ptr().cast::<c_char>() };
    let mut error: *mut OvoError = ptr::dangling_mut();
    let error_out = if want_error { &mut error as *mut _ } else { null_mut() };
    let result = ovo_checksum(
        amount, strs[0].ptr(), strs[1].ptr(), strs[2].ptr(), strs[3].ptr(), out, out_len, error_out,
    );
    assert!((result as u32) <= 6);

    // The model: arguments are read in order, then the field rules, then the buffer.
    const NAMES: [&str; 4] = ["client.id", "order.invoice_number", "ovo_info.ovo_id", "secret_key"];
    let read: Vec<Result<&str, ()>> = strs.iter().map(Arg::text).collect();
    let (want, field, hex) = match read.iter().position(Result::is_err) {
        Some(i) => (ResultCode::InvalidArgument, Some(NAMES[i]), None),
        None => {
            let fields = PaymentFields {
                client_id: read[0].unwrap(),
                invoice_number: read[1].unwrap(),
                amount,
                ovo_id: read[2].unwrap(),
            };
            match ovo::checksum(&fields, read[3].unwrap()) {
                Err(e) => (ResultCode::InvalidArgument, e.field, None),
                Ok(_) if out_null || out_len < 65 => (ResultCode::BufferTooSmall, None, None),
                Ok(hex) => (ResultCode::Ok, None, Some(hex)),
            }
        }
    };
    assert_eq!(result, want, "field {field:?}");
    assert!(buffer[out_len..].iter().all(|&b| b == 0xA5), "ovo_checksum wrote past out_len");
    match hex {
        Some(hex) => {
            assert_eq!(&buffer[..64], hex.as_bytes());
            assert_eq!(buffer[64], 0);
            assert!(buffer[65..].iter().all(|&b| b == 0xA5));
        }
        None if !out_null && out_len > 0 => {
            assert_eq!(buffer[0], 0, "out[0] is not NUL after an error");
            assert!(buffer[1..].iter().all(|&b| b == 0xA5), "wrote more than a NUL on error");
        }
        None => assert!(buffer.iter().all(|&b| b == 0xA5)),
    }
    if want_error {
        let rerun = |key: &Arg| {
            let mut error = null_mut();
            let mut out = [0 as c_char; 65];
            ovo_checksum(
                amount, strs[0].ptr(), strs[1].ptr(), strs[2].ptr(), key.ptr(), out.as_mut_ptr(),
                out.len(), &mut error,
            );
            take_message(error)
        };
        check_error(result, error, Some(field), Some((&strs[3], &rerun)));
    }
}

unsafe fn describe(rest: &[u8]) {
    let code = Arg::new(rest);
    let info = ovo_code_describe(code.ptr());
    assert!(!info.is_null(), "ovo_code_describe returned NULL");
    let info = &*info;
    let (c, name, description) = (text(info.code), text(info.name), text(info.description));
    assert!(!name.is_empty() && !description.is_empty());
    let core = code.text().map(ovo::describe).unwrap_or(&ovo::codes::UNKNOWN_CODE);
    assert_eq!(info.known, core.known);
    assert_eq!((c, name, description), (core.code, core.name, core.description));
    if info.known {
        assert_eq!(Ok(c), code.text());
        assert!(ovo::codes::CODES.iter().any(|k| k.code == c));
    } else {
        assert_eq!(c, "??");
        assert!(ovo::codes::CODES.iter().all(|k| Ok(k.code) != code.text()));
    }
}

/// A CA file argument: NULL, a file holding the given bytes, or a name with no `/`.
struct CaFile {
    arg: Arg,
    temp: Option<std::path::PathBuf>,
}

impl CaFile {
    fn new(rest: &[u8]) -> CaFile {
        if let Some(content) = rest.strip_prefix(b"@") {
            let path = std::env::temp_dir().join(format!("ovo-fuzz-ca-{}.pem", std::process::id()));
            // Lines end the operation, so a 0x1E byte stands for a newline in the file.
            let content: Vec<u8> = content.iter().map(|&b| if b == 0x1e { b'\n' } else { b }).collect();
            std::fs::write(&path, content).expect("temp file");
            let arg = Arg::new(path.to_str().expect("UTF-8 temp path").as_bytes());
            return CaFile { arg, temp: Some(path) };
        }
        // Never a path to elsewhere (/dev/zero, a FIFO...): only names in the working directory.
        let safe: Vec<u8> = rest.iter().map(|&b| if b == b'/' { b'_' } else { b }).collect();
        let safe = if safe == b"." || safe == b".." { b"missing.pem".to_vec() } else { safe };
        CaFile { arg: Arg::new(&safe), temp: None }
    }
}

impl Drop for CaFile {
    fn drop(&mut self) {
        if let Some(path) = &self.temp {
            let _ = std::fs::remove_file(path);
        }
    }
}

struct State {
    config: *mut OvoConfig,
    client: *mut OvoClient,
    client_id: Vec<u8>,
    /// The client's secret key (messages are redacted with it).
    secret: Vec<u8>,
    /// Kept alive until the client is made: `ovo_client_new` reads the CA file.
    ca: Option<CaFile>,
}

static CALLED_BACK: AtomicBool = AtomicBool::new(false);

unsafe extern "C" fn callback(_userdata: *mut c_void, payment: *mut OvoPayment) {
    CALLED_BACK.store(true, Ordering::SeqCst);
    ovo_payment_free(payment);
}

unsafe fn client_new(state: &mut State, rest: &[u8]) {
    let a = args(rest, 3, &[SAMPLE[1], SAMPLE[4]]);
    let (id, secret) = (Arg::new(a[0]), Arg::new(a[1]));
    let flags = a[2];
    let config = if flags.contains(&b'c') { null() } else { state.config.cast_const() };
    let mut client: *mut OvoClient = ptr::dangling_mut();
    let out = if flags.contains(&b'o') { null_mut() } else { &mut client as *mut _ };
    let mut error: *mut OvoError = ptr::dangling_mut();
    let error_out = if flags.contains(&b'e') { null_mut() } else { &mut error as *mut _ };
    let result = ovo_client_new(id.ptr(), secret.ptr(), config, out, error_out);
    assert!(
        matches!(result, ResultCode::Ok | ResultCode::InvalidArgument),
        "ovo_client_new gave {result:?}"
    );
    let field = if out.is_null() {
        Some(Some("out"))
    } else if id.text().is_err() {
        Some(Some("client.id"))
    } else if secret.text().is_err() {
        Some(Some("secret_key"))
    } else {
        None
    };
    if field.is_some() {
        assert_eq!(result, ResultCode::InvalidArgument);
    }
    if !error_out.is_null() {
        let rerun = |key: &Arg| {
            let (mut client, mut error) = (null_mut(), null_mut());
            ovo_client_new(id.ptr(), key.ptr(), config, &mut client, &mut error);
            ovo_client_free(client);
            take_message(error)
        };
        check_error(result, error, field, Some((&secret, &rerun)));
    }
    if !out.is_null() {
        if result == ResultCode::Ok {
            assert!(!client.is_null());
            ovo_client_free(state.client);
            state.client = client;
            state.client_id = id.0.as_ref().unwrap().to_bytes().to_vec();
            state.secret = secret.0.as_ref().unwrap().to_bytes().to_vec();
        } else {
            assert!(client.is_null(), "*out is not NULL after a failed ovo_client_new");
        }
    }
}

unsafe fn push(state: &State, rest: &[u8]) {
    let a = args(rest, 4, &[SAMPLE[2], SAMPLE[0], SAMPLE[3]]);
    let (invoice, amount, ovo_id) = (Arg::new(a[0]), number(a[1]), Arg::new(a[2]));
    let flags = a[3];
    let client = if flags.contains(&b'c') { null() } else { state.client.cast_const() };
    let refused = client.is_null()
        || match (invoice.text(), ovo_id.text()) {
            (Ok(invoice_number), Ok(ovo_id)) => PaymentFields {
                client_id: std::str::from_utf8(&state.client_id).expect("a client's id"),
                invoice_number,
                amount,
                ovo_id,
            }
            .validate()
            .is_err(),
            _ => true,
        };
    if !refused {
        return; // valid: it would send a request
    }
    if flags.contains(&b'a') {
        let mut error: *mut OvoError = ptr::dangling_mut();
        let result = ovo_push_payment_async(
            client, invoice.ptr(), amount, ovo_id.ptr(), Some(callback), null_mut(), null_mut(),
            &mut error,
        );
        assert_eq!(result, ResultCode::InvalidArgument);
        assert!(!error.is_null(), "no error for a refused async push");
        assert_eq!(ovo_error_result(error), result);
        let message = text(ovo_error_message(error));
        let field = text(ovo_error_field(error));
        assert!(message.starts_with(&start_of(state, &field, client)), "{field}: {message:?}");
        ovo_error_free(error);
        assert!(!CALLED_BACK.load(Ordering::SeqCst), "called back after a refusal");
        return;
    }
    let mut payment: *mut OvoPayment = ptr::dangling_mut();
    let out = if flags.contains(&b'o') { null_mut() } else { &mut payment as *mut _ };
    let result = ovo_push_payment(client, invoice.ptr(), amount, ovo_id.ptr(), out);
    assert_eq!(result, ResultCode::InvalidArgument);
    if out.is_null() {
        return;
    }
    assert!(!payment.is_null(), "ovo_push_payment gave no payment");
    assert_eq!(ovo_payment_result(payment), result);
    assert_eq!(ovo_payment_outcome(payment) as u32, ovo::Outcome::NotPaid as u32);
    assert_eq!(ovo_payment_http_status(payment), 0);
    assert_eq!(text(ovo_payment_request_id(payment)), "");
    let mut len = usize::MAX;
    assert_eq!(text(ovo_payment_raw_body(payment, &mut len)), "");
    assert_eq!(len, 0);
    for field in 0..=24 {
        assert!(ovo_payment_text(payment, field).is_null());
        let mut n = 7;
        assert!(!ovo_payment_number(payment, field, &mut n));
        assert_eq!(n, 7);
    }
    let error = ovo_payment_error(payment);
    assert!(!error.is_null());
    assert_eq!(ovo_error_result(error), result);
    let field = text(ovo_error_field(error));
    let message = text(ovo_error_message(error));
    let start = start_of(state, &field, client);
    assert!(message.starts_with(&start), "{start:?}: {message:?}");
    ovo_payment_free(payment);
}

/// How a refusal of a call about `client` starts: `field: `, redacted with the key of the
/// state's client when the call had one (NULL: nothing to redact with). The key outranks the message's form: where the key (or a 6+ character prefix
/// of it) is part of the field's name, the name is redacted in the message too.
fn start_of(state: &State, field: &str, client: *const OvoClient) -> String {
    let key = String::from_utf8_lossy(&state.secret).into_owned();
    let start = format!("{field}: ");
    if key.is_empty() || client.is_null() {
        start
    } else {
        ovo::secret::Secret::new(key).redact(&start).into_owned()
    }
}

unsafe fn null_objects() {
    assert_eq!(text(ovo_version()), ovo::VERSION);
    assert_eq!(ovo_error_result(null()), ResultCode::InvalidArgument);
    text(ovo_error_message(null()));
    assert!(ovo_error_field(null()).is_null());
    assert_eq!(ovo_payment_result(null()), ResultCode::InvalidArgument);
    assert_eq!(ovo_payment_outcome(null()) as u32, 0);
    assert!(ovo_payment_error(null()).is_null());
    assert_eq!(ovo_payment_http_status(null()), 0);
    assert_eq!(text(ovo_payment_request_id(null())), "");
    assert_eq!(text(ovo_payment_raw_body(null(), null_mut())), "");
    assert!(ovo_payment_text(null(), 21).is_null());
    assert!(!ovo_payment_number(null(), 3, null_mut()));
    ovo_error_free(null_mut());
    ovo_payment_free(null_mut());
    ovo_client_free(null_mut());
    ovo_config_free(null_mut());
}

unsafe fn run(data: &[u8]) {
    let mut state = State {
        config: ovo_config_new(),
        client: null_mut(),
        client_id: Vec::new(),
        secret: Vec::new(),
        ca: None,
    };
    assert!(!state.config.is_null());
    for line in data.split(|&b| b == b'\n') {
        let Some((&op, rest)) = line.split_first() else { continue };
        let c = state.config;
        let set = |r: ResultCode| assert_eq!(r, ResultCode::Ok);
        match op {
            b'c' => checksum(rest),
            b'd' => describe(rest),
            b'e' => set(ovo_config_set_environment(c, number(rest) as u32)),
            b'u' => set(ovo_config_set_base_url(c, Arg::new(rest).ptr())),
            b'k' => set(ovo_config_set_connect_timeout_ms(c, number(rest) as u32)),
            b't' => set(ovo_config_set_timeout_ms(c, number(rest) as u32)),
            b'p' => {
                let a = args(rest, 2, &[b"1"]);
                set(ovo_config_set_proxy(c, number(a[0]) as u32, Arg::new(a[1]).ptr()));
            }
            b'a' => {
                let ca = CaFile::new(rest);
                set(ovo_config_set_ca_file(c, ca.arg.ptr()));
                state.ca = Some(ca);
            }
            b'0' => {
                let bad = ResultCode::InvalidArgument;
                let url = c"http://127.0.0.1:1".as_ptr();
                assert_eq!(ovo_config_set_environment(null_mut(), 0), bad);
                assert_eq!(ovo_config_set_base_url(null_mut(), url), bad);
                assert_eq!(ovo_config_set_connect_timeout_ms(null_mut(), 1), bad);
                assert_eq!(ovo_config_set_timeout_ms(null_mut(), 1), bad);
                assert_eq!(ovo_config_set_ca_file(null_mut(), url), bad);
                assert_eq!(ovo_config_set_proxy(null_mut(), 2, url), bad);
            }
            b'x' => {
                ovo_config_free(state.config);
                state.config = ovo_config_new();
                assert!(!state.config.is_null());
            }
            b'n' => client_new(&mut state, rest),
            b'P' => push(&state, rest),
            b'v' => null_objects(),
            _ => {}
        }
    }
    ovo_client_free(state.client);
    ovo_config_free(state.config);
}

fuzz_target!(|data: &[u8]| {
    let before = LIVE.load(Ordering::Relaxed);
    unsafe { run(data) };
    let after = LIVE.load(Ordering::Relaxed);
    if after > before {
        // Lazy one-time set-up (the code table, ...) is allowed once; a second run must not grow.
        unsafe { run(data) };
        let again = LIVE.load(Ordering::Relaxed);
        assert!(again <= after, "leak: {} allocations still live after a rerun", again - after);
    }
});
