//! The secret key never leaves libovo, whatever a server echoes back: in an error body (JSON,
//! JSON-escaped, HTML, across the 200-character excerpt cut), in a 5xx body, in a mismatched
//! or a plain field of a 200 answer, in a status answer. Checked in every message, the raw
//! body, every text field and `Debug`, for keys holding `"`, `\` and `-` (sent as `\u002d`).

mod common;

use std::time::Duration;

use common::{client_with, echo_answer, respond, FaultServer};
use ovo::{Field, Payment};

const KEYS: [&str; 3] = [
    "SK-9sCrJ1kdYUJAYlsJKlqz",
    r#"SK-q"uote\back-slash-012345"#,
    r#"K\"\\-mixed-KEY-abcdef"#,
];

/// Every way a server could spell `key` inside a JSON string, plus as-is.
fn spellings(key: &str) -> Vec<String> {
    let json = serde_json::to_string(key).unwrap();
    let json = json[1..json.len() - 1].to_owned();
    vec![
        key.to_owned(),
        json.clone(),
        json.replace('-', "\\u002d"),
        json.replace('-', "\\u002D"),
    ]
}

fn assert_clean(p: &Payment, key: &str, case: &str) {
    let mut places = vec![
        format!("{p:?}"),
        String::from_utf8_lossy(&p.raw_body).into_owned(),
    ];
    places.extend(p.message().map(str::to_owned));
    places.extend(
        Field::all()
            .iter()
            .filter_map(|&f| p.text(f))
            .map(str::to_owned),
    );
    for place in &places {
        for spelled in spellings(key) {
            for len in 8..=spelled.len() {
                let prefix = &spelled[..len];
                assert!(
                    !place.contains(prefix),
                    "{case}: {prefix:?} of the key shows in {place:?}"
                );
            }
        }
    }
}

fn client_for(server: &FaultServer, key: &str) -> ovo::Client {
    client_with(&server.base_url, key, Duration::from_secs(10))
}

#[test]
fn error_bodies_never_show_the_key() {
    for key in KEYS {
        for spelled in spellings(key) {
            let padding = "x".repeat(190);
            let bodies = [
                (
                    "401 Unauthorized",
                    format!(r#"{{"error":{{"message":"bad checksum for {spelled}"}}}}"#),
                ),
                (
                    "400 Bad Request",
                    format!(r#"{{"message":"{spelled}","code":"{spelled}"}}"#),
                ),
                (
                    "403 Forbidden",
                    format!("<html>{padding} {spelled} tail</html>"),
                ),
                (
                    "500 Internal Server Error",
                    format!("<html>{padding}{spelled}</html>"),
                ),
                (
                    "503 Service Unavailable",
                    format!(r#"{{"error":{{"message":"{padding}{spelled}"}}}}"#),
                ),
            ];
            for (status, body) in bodies {
                let server = FaultServer::start(move |s, _| {
                    respond(s, status, "text/html", body.as_bytes())
                });
                let c = client_for(&server, key);
                assert_clean(
                    &c.push_payment("INV-R-1", 10_000, "081211111111"),
                    key,
                    status,
                );
                assert_clean(&c.check_status("INV-R-1"), key, status);
            }
        }
    }
}

#[test]
fn answers_quoting_the_key_in_a_field_never_show_it() {
    for key in KEYS {
        let k = key.to_owned();
        // The key as client.id (a mismatch message quotes both values) and as a plain field.
        let server = FaultServer::start(move |stream, seen| {
            let mut answer: serde_json::Value =
                serde_json::from_slice(&echo_answer(seen, "SUCCESS", "00")).unwrap();
            answer["client"]["id"] = k.clone().into();
            answer["ovo_info"]["ovo_account_name"] = k.clone().into();
            respond(
                stream,
                "200 OK",
                "application/json",
                answer.to_string().as_bytes(),
            );
        });
        let c = client_for(&server, key);
        assert_clean(
            &c.push_payment("INV-R-2", 10_000, "081211111111"),
            key,
            "mismatched client.id",
        );
        let k = key.to_owned();
        let server = FaultServer::start(move |stream, seen| {
            let mut answer: serde_json::Value =
                serde_json::from_slice(&echo_answer(seen, "SUCCESS", "00")).unwrap();
            answer["ovo_info"]["ovo_account_name"] = k.clone().into();
            answer["security"]["check_sum"] = k.clone().into();
            respond(
                stream,
                "200 OK",
                "application/json",
                answer.to_string().as_bytes(),
            );
        });
        let p = client_for(&server, key).push_payment("INV-R-3", 10_000, "081211111111");
        assert_eq!(
            p.outcome,
            ovo::Outcome::Paid,
            "the answer itself is still good"
        );
        assert_clean(&p, key, "a field of a good answer");
        let k = key.to_owned();
        let server = FaultServer::start(move |stream, _| {
            let body = serde_json::json!({"order": {"invoice_number": k, "amount": 1}, "transaction": {"status": k}});
            respond(
                stream,
                "200 OK",
                "application/json",
                body.to_string().as_bytes(),
            );
        });
        assert_clean(
            &client_for(&server, key).check_status("INV-R-4"),
            key,
            "status answer for another invoice",
        );
    }
}

/// The C skin's own argument errors (a NULL string, a NULL callback or out-parameter) are
/// about a client too, and redacted with its key like every other message: here a key that
/// is part of the field's name (found by the `ffi_strings` fuzz target).
#[test]
fn the_c_skins_argument_errors_are_redacted_too() {
    use ovo::ffi::*;
    use ovo::ResultCode;
    use std::ffi::{CStr, CString};
    use std::ptr::{null, null_mut};

    let key = "invoice_number";
    let id = CString::new(common::CLIENT_ID).unwrap();
    let secret = CString::new(key).unwrap();
    let wallet = CString::new("081211111111").unwrap();
    let message_of = |error: *const OvoError| unsafe {
        assert!(!error.is_null());
        CStr::from_ptr(ovo_error_message(error))
            .to_str()
            .unwrap()
            .to_owned()
    };
    let assert_redacted = |what: &str, message: String| {
        assert!(message.contains("must not be NULL"), "{what}: {message:?}");
        assert!(
            !message.contains(key),
            "{what}: the key shows in {message:?}"
        );
    };
    unsafe {
        let mut client = null_mut();
        let mut error = null_mut();
        let made = ovo_client_new(
            id.as_ptr(),
            secret.as_ptr(),
            null(),
            &mut client,
            &mut error,
        );
        assert_eq!(made, ResultCode::Ok);

        let mut payment = null_mut();
        let pushed = ovo_push_payment(client, null(), 1, wallet.as_ptr(), &mut payment);
        assert_eq!(pushed, ResultCode::InvalidArgument);
        assert_redacted("push", message_of(ovo_payment_error(payment)));
        ovo_payment_free(payment);

        for (what, call) in [
            (
                "status check",
                ovo_check_status as unsafe extern "C" fn(_, _, _) -> _,
            ),
            ("settle", ovo_client_settle),
        ] {
            let mut payment = null_mut();
            assert_eq!(
                call(client, null(), &mut payment),
                ResultCode::InvalidArgument
            );
            assert_redacted(what, message_of(ovo_payment_error(payment)));
            ovo_payment_free(payment);
        }

        let mut error = null_mut();
        let started = ovo_push_payment_async(
            client,
            null(),
            1,
            wallet.as_ptr(),
            None,
            null_mut(),
            null_mut(),
            &mut error,
        );
        assert_eq!(started, ResultCode::InvalidArgument);
        assert_redacted("async push", message_of(error));
        ovo_error_free(error);

        ovo_client_free(client);
    }
}
