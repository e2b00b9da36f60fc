//! Helpers shared by the fuzz targets (included with `#[path]`, so each target is one file).
#![allow(dead_code)]

use ovo::{Field, PaymentFields, Response, ResultCode};

/// The request of the spec's sample exchange.
pub fn sample_request() -> PaymentFields<'static> {
    PaymentFields {
        client_id: "MCH-0001-10791114622547",
        invoice_number: "INV-20210115-0001",
        amount: 10000,
        ovo_id: "081211111111",
    }
}

/// Every `Field`, by its C number (1..=22).
pub fn field(n: u32) -> Option<Field> {
    use Field::*;
    const ALL: [Field; 22] = [
        ClientId, InvoiceNumber, Amount, OvoId, AccountName, MerchantId, StoreCode, Mid, Tid,
        Date, BatchNumber, TraceNumber, ReferenceNumber, ApprovalCode, ResponseCode, CashUsed,
        CashBalance, PointsUsed, PointsBalance, PointsEarned, Status, CheckSum,
    ];
    ALL.get((n as usize).checked_sub(1)?).copied()
}

/// Whether a field holds a number (else text).
pub fn is_number(field: Field) -> bool {
    matches!(
        field,
        Field::Amount
            | Field::BatchNumber
            | Field::TraceNumber
            | Field::ReferenceNumber
            | Field::CashUsed
            | Field::CashBalance
            | Field::PointsUsed
            | Field::PointsBalance
            | Field::PointsEarned
    )
}

/// Invariants of any successfully parsed response.
pub fn check_parsed(response: &Response, request: &PaymentFields<'_>) {
    assert_eq!(response.client_id, request.client_id);
    assert_eq!(response.invoice_number, request.invoice_number);
    assert_eq!(response.amount, request.amount);
    assert_eq!(response.ovo_id, request.ovo_id);
    assert!(matches!(response.status.as_str(), "SUCCESS" | "FAILED" | "TIMEOUT"));
    for n in 1..=22 {
        let f = field(n).expect("22 fields");
        assert_eq!(f as u32, n, "Field numbers are the C ABI's");
        let (text, number) = (response.text(f), response.number(f));
        assert!(text.is_none() || number.is_none(), "{f:?} is both text and number");
        if is_number(f) {
            assert!(text.is_none(), "{f:?} is a number field but reads as text");
        } else {
            assert!(number.is_none(), "{f:?} is a text field but reads as a number");
        }
    }
    assert_eq!(response.text(Field::Status), Some(response.status.as_str()));
    assert_eq!(response.text(Field::ResponseCode), Some(response.response_code.as_str()));
    assert_eq!(response.number(Field::Amount), Some(response.amount));
}

/// Invariants of any parse error: an unknown outcome (never "not paid"), no field blamed.
pub fn check_parse_error(error: &ovo::Error) {
    assert_eq!(error.code, ResultCode::OutcomeUnknown, "{error}");
    assert!(error.field.is_none(), "{error}");
    assert!(!error.message.is_empty());
}

/// The secret with every visible ASCII character swapped for another one (same validity).
pub fn disguise(secret: &[u8]) -> Vec<u8> {
    secret
        .iter()
        .map(|&b| if (0x21..=0x7e).contains(&b) { 0x21 + (b - 0x21 + 47) % 94 } else { b })
        .collect()
}

/// Whether `message` shows `secret`: it holds it, and still holds it when the call is redone
/// (`rerun`) with a disguised secret (so a secret that merely equals part of the message's
/// wording is not counted). Secrets under 8 bytes are too likely to occur by chance.
pub fn shows_secret(secret: &[u8], message: &str, rerun: impl FnOnce(&[u8]) -> String) -> bool {
    let holds = |m: &str, s: &[u8]| m.as_bytes().windows(s.len()).any(|w| w == s);
    if secret.len() < 8 || !holds(message, secret) {
        return false;
    }
    let other = disguise(secret);
    holds(&rerun(&other), &other)
}
