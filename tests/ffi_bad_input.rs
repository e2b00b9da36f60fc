//! Bad input through the C ABI: every exported function, NULL in each pointer, invalid UTF-8,
//! empty, oversize and forbidden values. Each case gets the documented result and a message
//! naming the field; the sandbox sees no request and no callback ever runs.

mod common;

use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{CLIENT_ID, SECRET};
use ovo::ffi::*;
use ovo::{Outcome, ResultCode};
use ovo_sandbox::{Sandbox, SandboxConfig};

/// What one case produced: the result code, the field named (if any) and the message.
type Seen = (ResultCode, Option<String>, String);

/// One table row: name, expected result, expected field, and the call.
type Case<'a> = (&'a str, ResultCode, Option<&'a str>, Box<dyn Fn() -> Seen>);

/// A C string from bytes (which may be invalid UTF-8).
fn c(bytes: &[u8]) -> CString {
    CString::new(bytes).expect("no NUL in test input")
}

const BAD_UTF8: &[u8] = b"INV-\xff\xfe";

/// How many rows the bad-input table has (RELIABILITY.md quotes it).
const BAD_INPUT_CASES: usize = 68;
/// What `ovo_error_message(NULL)` says: never the message of a real refusal.
const NO_ERROR_TEXT: &str = "error: NULL ovo_error";

unsafe fn take_error(code: ResultCode, error: *mut OvoError) -> Seen {
    let field = (!ovo_error_field(error).is_null()).then(|| {
        CStr::from_ptr(ovo_error_field(error))
            .to_string_lossy()
            .into_owned()
    });
    let message = CStr::from_ptr(ovo_error_message(error))
        .to_string_lossy()
        .into_owned();
    if !error.is_null() {
        assert_eq!(ovo_error_result(error), code, "{message}");
    }
    ovo_error_free(error);
    (code, field, message)
}

struct Args {
    amount: i64,
    client_id: Option<CString>,
    invoice: Option<CString>,
    ovo_id: Option<CString>,
    secret: Option<CString>,
}

impl Args {
    fn good() -> Args {
        Args {
            amount: 10_000,
            client_id: Some(c(CLIENT_ID.as_bytes())),
            invoice: Some(c(b"INV-BAD-INPUT")),
            ovo_id: Some(c(b"081211111111")),
            secret: Some(c(SECRET.as_bytes())),
        }
    }
}

fn ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(null(), |s| s.as_ptr())
}

fn checksum(args: Args, out_len: usize, null_out: bool) -> Seen {
    let mut buf = [b'x' as c_char; 80];
    let out = if null_out {
        null_mut()
    } else {
        buf.as_mut_ptr()
    };
    let mut error = null_mut();
    unsafe {
        let code = ovo_checksum(
            args.amount,
            ptr(&args.client_id),
            ptr(&args.invoice),
            ptr(&args.ovo_id),
            ptr(&args.secret),
            out,
            out_len,
            &mut error,
        );
        if !null_out && out_len > 0 {
            assert_eq!(buf[0], 0, "out[0] is NUL after an error");
        }
        take_error(code, error)
    }
}

fn new_client(
    client_id: Option<CString>,
    secret: Option<CString>,
    config: *const OvoConfig,
    null_out: bool,
) -> Seen {
    let mut client: *mut OvoClient = null_mut();
    let out = if null_out {
        null_mut()
    } else {
        &mut client as *mut _
    };
    let mut error = null_mut();
    unsafe {
        let code = ovo_client_new(ptr(&client_id), ptr(&secret), config, out, &mut error);
        assert!(client.is_null(), "no client on error");
        take_error(code, error)
    }
}

fn with_config(setup: impl FnOnce(*mut OvoConfig)) -> Seen {
    unsafe {
        let config = ovo_config_new();
        setup(config);
        let seen = new_client(
            Some(c(CLIENT_ID.as_bytes())),
            Some(c(SECRET.as_bytes())),
            config,
            false,
        );
        ovo_config_free(config);
        seen
    }
}

fn push(client: *const OvoClient, args: Args) -> Seen {
    unsafe {
        let mut payment = null_mut();
        let code = ovo_push_payment(
            client,
            ptr(&args.invoice),
            args.amount,
            ptr(&args.ovo_id),
            &mut payment,
        );
        assert!(!payment.is_null(), "a payment is always handed back");
        assert_eq!(ovo_payment_result(payment), code);
        assert_eq!(
            ovo_payment_outcome(payment),
            Outcome::NotPaid,
            "bad input is not paid"
        );
        assert_eq!(ovo_payment_http_status(payment), 0);
        assert_eq!(
            CStr::from_ptr(ovo_payment_request_id(payment)).to_bytes(),
            b""
        );
        let error = ovo_payment_error(payment);
        let field = (!ovo_error_field(error).is_null()).then(|| {
            CStr::from_ptr(ovo_error_field(error))
                .to_string_lossy()
                .into_owned()
        });
        let message = CStr::from_ptr(ovo_error_message(error))
            .to_string_lossy()
            .into_owned();
        ovo_payment_free(payment);
        (code, field, message)
    }
}

static CALLBACKS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn count_callback(_userdata: *mut c_void, payment: *mut OvoPayment) {
    CALLBACKS.fetch_add(1, Ordering::SeqCst);
    ovo_payment_free(payment);
}

fn push_async(
    client: *const OvoClient,
    args: Args,
    callback: OvoPaymentCallback,
    want_handle: bool,
) -> Seen {
    unsafe {
        let mut slot: *mut OvoPaymentHandle = std::ptr::dangling_mut();
        let handle = if want_handle {
            &mut slot as *mut _
        } else {
            null_mut()
        };
        let mut error = null_mut();
        let code = ovo_push_payment_async(
            client,
            ptr(&args.invoice),
            args.amount,
            ptr(&args.ovo_id),
            callback,
            null_mut(),
            handle,
            &mut error,
        );
        assert!(
            !want_handle || slot.is_null(),
            "a refused push hands out no handle"
        );
        take_error(code, error)
    }
}

fn with<F: FnOnce(&mut Args)>(change: F) -> Args {
    let mut args = Args::good();
    change(&mut args);
    args
}

#[test]
fn bad_input_table() {
    let sandbox = Sandbox::start(SandboxConfig::default()).expect("sandbox starts");
    let client = unsafe {
        let config = ovo_config_new();
        let url = c(sandbox.base_url().as_bytes());
        assert_eq!(
            ovo_config_set_base_url(config, url.as_ptr()),
            ResultCode::Ok
        );
        assert_eq!(ovo_config_set_proxy(config, 1, null()), ResultCode::Ok);
        let mut client = null_mut();
        let code = ovo_client_new(
            c(CLIENT_ID.as_bytes()).as_ptr(),
            c(SECRET.as_bytes()).as_ptr(),
            config,
            &mut client,
            null_mut(),
        );
        assert_eq!(code, ResultCode::Ok);
        ovo_config_free(config);
        client as *const OvoClient
    };
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_pem = dir.join("not-pem.txt");
    std::fs::write(&not_pem, "this is not a certificate\n").unwrap();

    use ResultCode::{BufferTooSmall as Small, InvalidArgument as Invalid};
    let amount = Some("order.amount");
    let invoice = Some("order.invoice_number");
    let ovo_id = Some("ovo_info.ovo_id");
    let client_id = Some("client.id");
    let secret = Some("secret_key");
    let cases: Vec<Case<'_>> = vec![
        // ovo_checksum
        (
            "checksum NULL client_id",
            Invalid,
            client_id,
            Box::new(|| checksum(with(|a| a.client_id = None), 65, false)),
        ),
        (
            "checksum NULL invoice",
            Invalid,
            invoice,
            Box::new(|| checksum(with(|a| a.invoice = None), 65, false)),
        ),
        (
            "checksum NULL ovo_id",
            Invalid,
            ovo_id,
            Box::new(|| checksum(with(|a| a.ovo_id = None), 65, false)),
        ),
        (
            "checksum NULL secret",
            Invalid,
            secret,
            Box::new(|| checksum(with(|a| a.secret = None), 65, false)),
        ),
        (
            "checksum NULL out",
            Small,
            None,
            Box::new(|| checksum(Args::good(), 65, true)),
        ),
        (
            "checksum out_len 0",
            Small,
            None,
            Box::new(|| checksum(Args::good(), 0, false)),
        ),
        (
            "checksum out_len 64",
            Small,
            None,
            Box::new(|| checksum(Args::good(), 64, false)),
        ),
        (
            "checksum bad UTF-8 client_id",
            Invalid,
            client_id,
            Box::new(|| checksum(with(|a| a.client_id = Some(c(BAD_UTF8))), 65, false)),
        ),
        (
            "checksum bad UTF-8 invoice",
            Invalid,
            invoice,
            Box::new(|| checksum(with(|a| a.invoice = Some(c(BAD_UTF8))), 65, false)),
        ),
        (
            "checksum bad UTF-8 ovo_id",
            Invalid,
            ovo_id,
            Box::new(|| checksum(with(|a| a.ovo_id = Some(c(b"0812\xc3"))), 65, false)),
        ),
        (
            "checksum bad UTF-8 secret",
            Invalid,
            secret,
            Box::new(|| checksum(with(|a| a.secret = Some(c(b"SK-\x80"))), 65, false)),
        ),
        (
            "checksum empty client_id",
            Invalid,
            client_id,
            Box::new(|| checksum(with(|a| a.client_id = Some(c(b""))), 65, false)),
        ),
        (
            "checksum empty invoice",
            Invalid,
            invoice,
            Box::new(|| checksum(with(|a| a.invoice = Some(c(b""))), 65, false)),
        ),
        (
            "checksum empty ovo_id",
            Invalid,
            ovo_id,
            Box::new(|| checksum(with(|a| a.ovo_id = Some(c(b""))), 65, false)),
        ),
        (
            "checksum empty secret",
            Invalid,
            secret,
            Box::new(|| checksum(with(|a| a.secret = Some(c(b""))), 65, false)),
        ),
        (
            "checksum amount 0",
            Invalid,
            amount,
            Box::new(|| checksum(with(|a| a.amount = 0), 65, false)),
        ),
        (
            "checksum amount -1",
            Invalid,
            amount,
            Box::new(|| checksum(with(|a| a.amount = -1), 65, false)),
        ),
        (
            "checksum amount 13 digits",
            Invalid,
            amount,
            Box::new(|| checksum(with(|a| a.amount = 1_000_000_000_000), 65, false)),
        ),
        (
            "checksum amount i64::MIN",
            Invalid,
            amount,
            Box::new(|| checksum(with(|a| a.amount = i64::MIN), 65, false)),
        ),
        (
            "checksum invoice 65 chars",
            Invalid,
            invoice,
            Box::new(|| checksum(with(|a| a.invoice = Some(c(&[b'A'; 65]))), 65, false)),
        ),
        (
            "checksum invoice newline",
            Invalid,
            invoice,
            Box::new(|| checksum(with(|a| a.invoice = Some(c(b"INV\n1"))), 65, false)),
        ),
        (
            "checksum invoice non-ASCII",
            Invalid,
            invoice,
            Box::new(|| checksum(with(|a| a.invoice = Some(c("INV-é".as_bytes()))), 65, false)),
        ),
        (
            "checksum ovo_id letters",
            Invalid,
            ovo_id,
            Box::new(|| checksum(with(|a| a.ovo_id = Some(c(b"0812ABCDEFGH"))), 65, false)),
        ),
        (
            "checksum ovo_id 8 digits",
            Invalid,
            ovo_id,
            Box::new(|| checksum(with(|a| a.ovo_id = Some(c(b"08121111"))), 65, false)),
        ),
        (
            "checksum ovo_id 16 digits",
            Invalid,
            ovo_id,
            Box::new(|| checksum(with(|a| a.ovo_id = Some(c(b"0812111111111111"))), 65, false)),
        ),
        (
            "checksum client_id space",
            Invalid,
            client_id,
            Box::new(|| checksum(with(|a| a.client_id = Some(c(b"MCH 1"))), 65, false)),
        ),
        (
            "checksum secret 257 chars",
            Invalid,
            secret,
            Box::new(|| checksum(with(|a| a.secret = Some(c(&[b'k'; 257]))), 65, false)),
        ),
        // ovo_client_new and settings
        (
            "client_new NULL client_id",
            Invalid,
            client_id,
            Box::new(|| new_client(None, Some(c(SECRET.as_bytes())), null(), false)),
        ),
        (
            "client_new NULL secret",
            Invalid,
            secret,
            Box::new(|| new_client(Some(c(CLIENT_ID.as_bytes())), None, null(), false)),
        ),
        (
            "client_new NULL out",
            Invalid,
            Some("out"),
            Box::new(|| {
                new_client(
                    Some(c(CLIENT_ID.as_bytes())),
                    Some(c(SECRET.as_bytes())),
                    null(),
                    true,
                )
            }),
        ),
        (
            "client_new bad UTF-8 secret",
            Invalid,
            secret,
            Box::new(|| {
                new_client(
                    Some(c(CLIENT_ID.as_bytes())),
                    Some(c(b"\xff")),
                    null(),
                    false,
                )
            }),
        ),
        (
            "client_new empty secret",
            Invalid,
            secret,
            Box::new(|| new_client(Some(c(CLIENT_ID.as_bytes())), Some(c(b"")), null(), false)),
        ),
        (
            "client_new empty client_id",
            Invalid,
            client_id,
            Box::new(|| new_client(Some(c(b"")), Some(c(SECRET.as_bytes())), null(), false)),
        ),
        (
            "base_url bad UTF-8",
            Invalid,
            Some("base_url"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_base_url(cfg, c(b"http://\xff").as_ptr());
                })
            }),
        ),
        (
            "base_url ftp",
            Invalid,
            Some("base_url"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_base_url(cfg, c(b"ftp://x").as_ptr());
                })
            }),
        ),
        (
            "base_url not a URL",
            Invalid,
            Some("base_url"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_base_url(cfg, c(b"not a url").as_ptr());
                })
            }),
        ),
        (
            "base_url with query",
            Invalid,
            Some("base_url"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_base_url(cfg, c(b"http://h/?q=1").as_ptr());
                })
            }),
        ),
        (
            "timeout 0",
            Invalid,
            Some("timeout"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_timeout_ms(cfg, 0);
                })
            }),
        ),
        (
            "timeout above 600 s",
            Invalid,
            Some("timeout"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_timeout_ms(cfg, 600_001);
                })
            }),
        ),
        (
            "connect timeout 0",
            Invalid,
            Some("connect_timeout"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_connect_timeout_ms(cfg, 0);
                })
            }),
        ),
        (
            "connect timeout above 600 s",
            Invalid,
            Some("connect_timeout"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_connect_timeout_ms(cfg, 600_001);
                })
            }),
        ),
        (
            "status timeout 0",
            Invalid,
            Some("status_timeout"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_status_timeout_ms(cfg, 0);
                })
            }),
        ),
        (
            "reconcile delay beyond its window",
            Invalid,
            Some("reconcile"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_reconcile(cfg, 5_000, 1_000);
                })
            }),
        ),
        (
            "base URL with the endpoint path",
            Invalid,
            Some("base_url"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_base_url(
                        cfg,
                        c"http://127.0.0.1:9/ovo-emoney/v1/payment".as_ptr(),
                    );
                })
            }),
        ),
        (
            "environment 7",
            Invalid,
            Some("environment"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_environment(cfg, 7);
                })
            }),
        ),
        (
            "proxy mode 9",
            Invalid,
            Some("proxy"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_proxy(cfg, 9, null());
                })
            }),
        ),
        (
            "proxy URL mode without URL",
            Invalid,
            Some("proxy"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_proxy(cfg, 2, null());
                })
            }),
        ),
        (
            "proxy URL bad UTF-8",
            Invalid,
            Some("proxy"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_proxy(cfg, 2, c(b"http://\xfe:1").as_ptr());
                })
            }),
        ),
        (
            "proxy URL garbage",
            Invalid,
            Some("proxy"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_proxy(cfg, 2, c(b"::::").as_ptr());
                })
            }),
        ),
        (
            "ca_file missing",
            Invalid,
            Some("ca_file"),
            Box::new(|| {
                with_config(|cfg| unsafe {
                    ovo_config_set_ca_file(cfg, c(b"/nonexistent/ca.pem").as_ptr());
                })
            }),
        ),
        (
            "ca_file not PEM",
            Invalid,
            Some("ca_file"),
            Box::new({
                let p = c(not_pem.to_str().unwrap().as_bytes());
                move || {
                    let p = p.clone();
                    with_config(move |cfg| unsafe {
                        ovo_config_set_ca_file(cfg, p.as_ptr());
                    })
                }
            }),
        ),
        // ovo_push_payment
        (
            "push NULL client",
            Invalid,
            Some("client"),
            Box::new(|| push(null(), Args::good())),
        ),
        (
            "push NULL invoice",
            Invalid,
            invoice,
            Box::new(move || push(client, with(|a| a.invoice = None))),
        ),
        (
            "push NULL ovo_id",
            Invalid,
            ovo_id,
            Box::new(move || push(client, with(|a| a.ovo_id = None))),
        ),
        (
            "push bad UTF-8 invoice",
            Invalid,
            invoice,
            Box::new(move || push(client, with(|a| a.invoice = Some(c(BAD_UTF8))))),
        ),
        (
            "push bad UTF-8 ovo_id",
            Invalid,
            ovo_id,
            Box::new(move || push(client, with(|a| a.ovo_id = Some(c(b"\xc0\xaf"))))),
        ),
        (
            "push amount 0",
            Invalid,
            amount,
            Box::new(move || push(client, with(|a| a.amount = 0))),
        ),
        (
            "push amount 13 digits",
            Invalid,
            amount,
            Box::new(move || push(client, with(|a| a.amount = 9_999_999_999_999))),
        ),
        (
            "push invoice 65 chars",
            Invalid,
            invoice,
            Box::new(move || push(client, with(|a| a.invoice = Some(c(&[b'9'; 65]))))),
        ),
        (
            "push invoice tab",
            Invalid,
            invoice,
            Box::new(move || push(client, with(|a| a.invoice = Some(c(b"INV\t1"))))),
        ),
        (
            "push ovo_id with plus",
            Invalid,
            ovo_id,
            Box::new(move || push(client, with(|a| a.ovo_id = Some(c(b"+6281211111111"))))),
        ),
        (
            "push empty invoice",
            Invalid,
            invoice,
            Box::new(move || push(client, with(|a| a.invoice = Some(c(b""))))),
        ),
        // ovo_push_payment_async
        (
            "async NULL callback",
            Invalid,
            Some("callback"),
            Box::new(move || push_async(client, Args::good(), None, false)),
        ),
        (
            "async amount 0, handle asked for",
            Invalid,
            amount,
            Box::new(move || {
                push_async(client, with(|a| a.amount = 0), Some(count_callback), true)
            }),
        ),
        (
            "async NULL client",
            Invalid,
            Some("client"),
            Box::new(|| push_async(null(), Args::good(), Some(count_callback), false)),
        ),
        (
            "async amount 0",
            Invalid,
            amount,
            Box::new(move || {
                push_async(client, with(|a| a.amount = 0), Some(count_callback), false)
            }),
        ),
        (
            "async bad UTF-8 ovo_id",
            Invalid,
            ovo_id,
            Box::new(move || {
                push_async(
                    client,
                    with(|a| a.ovo_id = Some(c(b"08\xff"))),
                    Some(count_callback),
                    false,
                )
            }),
        ),
        (
            "async NULL invoice",
            Invalid,
            invoice,
            Box::new(move || {
                push_async(
                    client,
                    with(|a| a.invoice = None),
                    Some(count_callback),
                    false,
                )
            }),
        ),
    ];
    // RELIABILITY.md publishes this count: change both together.
    assert_eq!(cases.len(), BAD_INPUT_CASES, "{} cases", cases.len());
    let mut messages = Vec::new();
    for (name, code, field, run) in &cases {
        let (got_code, got_field, message) = run();
        assert_eq!(got_code, *code, "{name}: {message}");
        assert_eq!(got_field.as_deref(), *field, "{name}: {message}");
        if let Some(field) = field {
            assert!(
                message.contains(field),
                "{name}: message {message:?} does not name {field}"
            );
        } else {
            assert!(
                message.starts_with("out:"),
                "{name}: {message:?} does not name the buffer"
            );
        }
        assert_ne!(
            message, NO_ERROR_TEXT,
            "{name}: a refused call hands out a real error object"
        );
        messages.push(message);
    }
    for message in &messages {
        assert!(!message.contains(SECRET), "secret in {message:?}");
    }
    assert_eq!(
        sandbox.payment_requests(),
        0,
        "bad input never reaches the server"
    );
    assert_eq!(
        CALLBACKS.load(Ordering::SeqCst),
        0,
        "no callback for a refused call"
    );
    unsafe { ovo_client_free(client as *mut OvoClient) };
    println!("{} bad-input cases checked", cases.len());
}

#[test]
fn null_and_out_of_range_handles_are_harmless() {
    unsafe {
        ovo_client_free(null_mut());
        ovo_config_free(null_mut());
        ovo_error_free(null_mut());
        ovo_payment_free(null_mut());
        for setter_result in [
            ovo_config_set_environment(null_mut(), 0),
            ovo_config_set_base_url(null_mut(), null()),
            ovo_config_set_connect_timeout_ms(null_mut(), 1),
            ovo_config_set_timeout_ms(null_mut(), 1),
            ovo_config_set_ca_file(null_mut(), null()),
            ovo_config_set_proxy(null_mut(), 0, null()),
        ] {
            assert_eq!(setter_result, ResultCode::InvalidArgument);
        }
        assert_eq!(ovo_payment_result(null()), ResultCode::InvalidArgument);
        assert_eq!(ovo_payment_outcome(null()), Outcome::Unknown);
        assert!(ovo_payment_error(null()).is_null());
        assert_eq!(ovo_payment_http_status(null()), 0);
        assert_eq!(
            CStr::from_ptr(ovo_payment_request_id(null())).to_bytes(),
            b""
        );
        let mut len = 99;
        assert_eq!(
            CStr::from_ptr(ovo_payment_raw_body(null(), &mut len)).to_bytes(),
            b""
        );
        assert_eq!(len, 0);
        assert!(ovo_payment_text(null(), 21).is_null());
        let mut n = 7;
        assert!(!ovo_payment_number(null(), 3, &mut n));
        assert_eq!(n, 7);
        assert_eq!(ovo_error_result(null()), ResultCode::InvalidArgument);
        assert!(!CStr::from_ptr(ovo_error_message(null()))
            .to_bytes()
            .is_empty());
        assert!(ovo_error_field(null()).is_null());
        for code in [
            null(),
            c(b"\xff").as_ptr(),
            c(b"").as_ptr(),
            c(b"999").as_ptr(),
        ] {
            let info = &*ovo_code_describe(code);
            assert!(!info.known);
            assert_eq!(CStr::from_ptr(info.code).to_bytes(), b"??");
        }
        assert_eq!(
            CStr::from_ptr(ovo_version()).to_str().unwrap(),
            env!("CARGO_PKG_VERSION")
        );

        // A payment with an error: fields are absent, numbers refuse wrong kinds and NULL out.
        let mut payment = null_mut();
        ovo_push_payment(null(), null(), 0, null(), &mut payment);
        for field in [0, 1, 15, 21, 22, 23, u32::MAX] {
            assert!(ovo_payment_text(payment, field).is_null(), "field {field}");
        }
        assert!(!ovo_payment_number(payment, 3, &mut n));
        assert!(!ovo_payment_number(payment, 3, null_mut()));
        ovo_payment_free(payment);
    }
}
