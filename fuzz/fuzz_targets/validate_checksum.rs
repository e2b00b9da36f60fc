//! Request validation and `security.check_sum`, against an independent model of the spec's
//! field rules and a reference SHA-256.
//!
//! Input: five lines, `amount`, `client.id`, `order.invoice_number`, `ovo_info.ovo_id`,
//! `secret_key` (missing lines are the spec sample's values). An amount line that is not an
//! i64 in decimal becomes a number mixed from its bytes, so every i64 is reachable.
//!
//! Asserts: `PaymentFields::validate`, each `ovo::validate::*` and `ovo::checksum` accept
//! exactly what the model accepts; an error is `InvalidArgument` naming the first broken
//! field in the order client.id, order.invoice_number, order.amount, ovo_info.ovo_id,
//! secret_key, its message starts with `"<field>: "` and never shows the secret key; a
//! checksum is 64 lower-case hex characters equal to
//! hex(sha256(amount + client.id + invoice_number + ovo_id + secret_key)).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ovo::{validate, PaymentFields, ResultCode};
use sha2::{Digest, Sha256};

#[path = "common.rs"]
mod common;

fn amount(line: &[u8]) -> i64 {
    match std::str::from_utf8(line).ok().and_then(|s| s.parse().ok()) {
        Some(n) => n,
        None => line
            .iter()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
            as i64,
    }
}

/// The spec's rules, written out again: the first broken one's field.
fn model_fields(f: &PaymentFields<'_>) -> Option<&'static str> {
    let ok_text = |s: &str, min: usize, max: usize, ok: fn(&u8) -> bool| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| ok(&b))
    };
    if !ok_text(f.client_id, 1, 128, |b| (b'!'..=b'~').contains(b)) {
        Some("client.id")
    } else if !ok_text(f.invoice_number, 1, 64, |b| (b' '..=b'~').contains(b)) {
        Some("order.invoice_number")
    } else if !(1..=999_999_999_999).contains(&f.amount) {
        Some("order.amount")
    } else if !ok_text(f.ovo_id, 9, 15, u8::is_ascii_digit) {
        Some("ovo_info.ovo_id")
    } else {
        None
    }
}

fn model_secret(secret: &str) -> bool {
    (1..=256).contains(&secret.len()) && secret.bytes().all(|b| (b'!'..=b'~').contains(&b))
}

fn check_error(result: Result<(), ovo::Error>, want: Option<&'static str>) {
    match (result, want) {
        (Ok(()), None) => {}
        (Ok(()), Some(field)) => panic!("accepted, but {field} breaks a rule"),
        (Err(e), want) => {
            assert_eq!(e.code, ResultCode::InvalidArgument, "{e}");
            assert_eq!(e.field, want, "{e}");
            let field = e.field.expect("an invalid argument names its field");
            assert!(e.message.starts_with(&format!("{field}: ")), "{e}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let lines: Vec<String> = data
        .split(|&b| b == b'\n')
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect();
    let line = |i: usize, default: &'static str| lines.get(i).map_or(default, String::as_str);
    let fields = PaymentFields {
        amount: lines.get(0).map_or(10000, |l| amount(l.as_bytes())),
        client_id: line(1, "MCH-0001-10791114622547"),
        invoice_number: line(2, "INV-20210115-0001"),
        ovo_id: line(3, "081211111111"),
    };
    let secret = line(4, "SK-9sCrJ1kdYUJAYlsJKlqz");

    let want = model_fields(&fields);
    check_error(fields.validate(), want);
    // Each field function agrees with the model on its own field.
    let each = [
        ("client.id", validate::client_id(fields.client_id)),
        ("order.invoice_number", validate::invoice_number(fields.invoice_number)),
        ("order.amount", validate::amount(fields.amount)),
        ("ovo_info.ovo_id", validate::ovo_id(fields.ovo_id)),
    ];
    let mut first_broken = None;
    for (field, result) in each {
        if result.is_err() && first_broken.is_none() {
            first_broken = Some(field);
        }
        check_error(result, result_field(&each_model(&fields, field), field));
    }
    assert_eq!(first_broken, want);
    let secret_check = validate::secret_key(secret);
    if let Err(e) = &secret_check {
        let rerun = |s: &[u8]| validate::secret_key(&String::from_utf8_lossy(s)).unwrap_err().message;
        assert!(!common::shows_secret(secret.as_bytes(), &e.message, rerun), "{e}");
    }
    check_error(secret_check, (!model_secret(secret)).then_some("secret_key"));

    let want = want.or((!model_secret(secret)).then_some("secret_key"));
    match ovo::checksum(&fields, secret) {
        Ok(hex) => {
            assert_eq!(want, None, "checksum accepted invalid fields");
            assert_eq!(hex.len(), 64);
            assert!(hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "{hex}");
            let mut h = Sha256::new();
            h.update(fields.amount.to_string());
            h.update(fields.client_id);
            h.update(fields.invoice_number);
            h.update(fields.ovo_id);
            h.update(secret);
            assert_eq!(hex, ::hex::encode(h.finalize()));
        }
        Err(e) => {
            let rerun = |s: &[u8]| {
                ovo::checksum(&fields, &String::from_utf8_lossy(s)).unwrap_err().message
            };
            assert!(!common::shows_secret(secret.as_bytes(), &e.message, rerun), "{e}");
            check_error(Err(e), want)
        }
    }
});

/// Whether the model accepts `field` alone.
fn each_model(f: &PaymentFields<'_>, field: &str) -> bool {
    let valid = PaymentFields {
        client_id: "C",
        invoice_number: "I",
        amount: 1,
        ovo_id: "081211111111",
    };
    let only = match field {
        "client.id" => PaymentFields { client_id: f.client_id, ..valid },
        "order.invoice_number" => PaymentFields { invoice_number: f.invoice_number, ..valid },
        "order.amount" => PaymentFields { amount: f.amount, ..valid },
        _ => PaymentFields { ovo_id: f.ovo_id, ..valid },
    };
    model_fields(&only).is_none()
}

fn result_field(accepted: &bool, field: &'static str) -> Option<&'static str> {
    (!accepted).then_some(field)
}
