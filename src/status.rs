//! DOKU's Check Status API: `GET /orders/v1/status/{invoice}`, parsed defensively, and what its
//! answer means for the payment.

use serde_json::Value;

use crate::error::{Error, ResultCode};
use crate::payment::Outcome;
use crate::response::{unknown, Field, Reader};

/// What a status check said about one invoice. Every field but the invoice may be missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusAnswer {
    /// DOKU does not know the invoice (yet): HTTP 404 or a not-found body. DOKU may lag behind
    /// a push, so this never means "not paid" on its own.
    pub not_found: bool,
    /// `order.invoice_number` (equal to the one asked for).
    pub invoice_number: String,
    /// `order.amount` in whole rupiah (DOKU may send a number, a decimal or a string).
    pub amount: Option<i64>,
    /// `transaction.status` as sent (`SUCCESS`, `FAILED`, `PENDING`, `TIMEOUT`, `EXPIRED`,
    /// `REFUNDED`, or anything else).
    pub status: Option<String>,
    /// `transaction.date`.
    pub date: Option<String>,
    /// `transaction.original_request_id`: the push's `Request-Id`.
    pub original_request_id: Option<String>,
    /// `service.id`.
    pub service_id: Option<String>,
    /// `acquirer.id`.
    pub acquirer_id: Option<String>,
    /// `channel.id`.
    pub channel_id: Option<String>,
    /// `ovo_payment.response_code`, when present.
    pub response_code: Option<String>,
}

impl StatusAnswer {
    /// The answer for "DOKU does not know `invoice`".
    pub fn not_found(invoice: &str) -> StatusAnswer {
        StatusAnswer {
            not_found: true,
            invoice_number: invoice.to_owned(),
            amount: None,
            status: None,
            date: None,
            original_request_id: None,
            service_id: None,
            acquirer_id: None,
            channel_id: None,
            response_code: None,
        }
    }

    /// Parses a 2xx body that answers a check of `invoice`. A body without an order that says
    /// "not found" is a not-found answer; anything malformed, of the wrong type or for another
    /// invoice is `OutcomeUnknown`.
    pub fn parse(body: &[u8], invoice: &str) -> Result<StatusAnswer, Error> {
        let json: Value = serde_json::from_slice(body)
            .map_err(|e| unknown(format!("the status answer is not valid JSON ({e})")))?;
        if !json.is_object() {
            return Err(unknown("the status answer is not a JSON object"));
        }
        let r = Reader(&json);
        if r.get("order").is_none() && r.get("transaction").is_none() {
            return if says_not_found(&r) {
                Ok(StatusAnswer::not_found(invoice))
            } else {
                Err(unknown("the status answer has no order and no transaction"))
            };
        }
        let answer = StatusAnswer {
            not_found: false,
            invoice_number: r.required_text("order.invoice_number")?,
            amount: amount(r.get("order.amount"))?,
            status: r.text("transaction.status")?,
            date: r.text("transaction.date")?,
            original_request_id: r.text("transaction.original_request_id")?,
            service_id: r.text("service.id")?,
            acquirer_id: r.text("acquirer.id")?,
            channel_id: r.text("channel.id")?,
            response_code: r.text("ovo_payment.response_code")?,
        };
        if answer.invoice_number != invoice {
            return Err(unknown(format!(
                "the status answer is for another invoice: order.invoice_number is {:?}, asked for {invoice:?}",
                answer.invoice_number
            )));
        }
        Ok(answer)
    }

    /// What the answer means: SUCCESS is paid; FAILED and EXPIRED not paid; REFUNDED refunded;
    /// PENDING, TIMEOUT, not found and anything else unknown (still open).
    pub fn outcome(&self) -> Outcome {
        match self.status.as_deref() {
            _ if self.not_found => Outcome::Unknown,
            Some("SUCCESS") => Outcome::Paid,
            Some("FAILED") | Some("EXPIRED") => Outcome::NotPaid,
            Some("REFUNDED") => Outcome::Refunded,
            _ => Outcome::Unknown,
        }
    }

    /// A text field of the answer (`OVO_FIELD_TRANSACTION_STATUS`, ...).
    pub fn text(&self, field: Field) -> Option<&str> {
        match field {
            Field::TransactionStatus => self.status.as_deref(),
            Field::TransactionDate => self.date.as_deref(),
            Field::OriginalRequestId => self.original_request_id.as_deref(),
            Field::ServiceId => self.service_id.as_deref(),
            Field::AcquirerId => self.acquirer_id.as_deref(),
            Field::ChannelId => self.channel_id.as_deref(),
            Field::CheckInvoiceNumber if !self.not_found => Some(&self.invoice_number),
            Field::CheckResponseCode => self.response_code.as_deref(),
            _ => None,
        }
    }

    /// A number field of the answer (`OVO_FIELD_CHECK_AMOUNT`).
    pub fn number(&self, field: Field) -> Option<i64> {
        match field {
            Field::CheckAmount => self.amount,
            _ => None,
        }
    }
}

/// Whether a body without an order says "not found" (`error.code`, `message`, code 25...).
fn says_not_found(r: &Reader<'_>) -> bool {
    [
        "error.code",
        "error.message",
        "code",
        "message",
        "error",
        "ovo_payment.response_code",
        "response_code",
    ]
    .iter()
    .filter_map(|path| r.text(path).ok().flatten())
    .any(|text| {
        let t = text.to_ascii_lowercase();
        t.contains("not found") || t.contains("not_found") || t == "25"
    })
}

/// `order.amount`: an integer, a decimal with no fraction (`120000.0`), or either as a string.
fn amount(value: Option<&Value>) -> Result<Option<i64>, Error> {
    let bad = || unknown("order.amount in the status answer is not a whole rupiah amount");
    let text = match value {
        None => return Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(v) if v >= 0 => return Ok(Some(v)),
            Some(_) => return Err(bad()),
            None => n.to_string(),
        },
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(_) => return Err(bad()),
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b == b'0')
    {
        return Err(bad());
    }
    whole.parse().map(Some).map_err(|_| bad())
}

/// `path` with every byte outside `A-Z a-z 0-9 - . _ ~` percent-encoded (upper-case hex), as
/// the invoice goes into the status URL (and into the signed `Request-Target`).
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Result code and message of a status check that DOKU answered with `status` other than 2xx
/// or 404 (`summary` is the redacted error body, summarised).
pub(crate) fn refused(status: u16, summary: &str) -> Error {
    match status {
        300..=399 => Error::new(
            ResultCode::OutcomeUnknown,
            format!("DOKU answered the status check with a redirect (HTTP {status}), which is never followed"),
        ),
        400..=499 => Error::new(
            ResultCode::Rejected,
            format!("DOKU rejected the status check (HTTP {status}): {summary}"),
        ),
        _ => Error::new(
            ResultCode::OutcomeUnknown,
            format!("DOKU answered the status check with HTTP {status} ({summary})"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_every_documented_shape() {
        for (body, want) in [
            (
                r#"{"order":{"invoice_number":"I","amount":10000}}"#,
                Some(10000),
            ),
            (
                r#"{"order":{"invoice_number":"I","amount":120000.0}}"#,
                Some(120000),
            ),
            (
                r#"{"order":{"invoice_number":"I","amount":"120000.00"}}"#,
                Some(120000),
            ),
            (r#"{"order":{"invoice_number":"I","amount":"5"}}"#, Some(5)),
            (r#"{"order":{"invoice_number":"I","amount":null}}"#, None),
            (r#"{"order":{"invoice_number":"I"}}"#, None),
        ] {
            assert_eq!(
                StatusAnswer::parse(body.as_bytes(), "I").unwrap().amount,
                want,
                "{body}"
            );
        }
        for body in [
            r#"{"order":{"invoice_number":"I","amount":"1.5"}}"#,
            r#"{"order":{"invoice_number":"I","amount":-3}}"#,
            r#"{"order":{"invoice_number":"I","amount":true}}"#,
        ] {
            assert!(StatusAnswer::parse(body.as_bytes(), "I").is_err(), "{body}");
        }
    }

    #[test]
    fn statuses_map_to_outcomes_and_missing_parts_are_fine() {
        let with = |status: &str| {
            let body = format!(
                r#"{{"order":{{"invoice_number":"I"}},"transaction":{{"status":{status},"date":null}},"service":null}}"#
            );
            StatusAnswer::parse(body.as_bytes(), "I").unwrap().outcome()
        };
        assert_eq!(with(r#""SUCCESS""#), Outcome::Paid);
        assert_eq!(with(r#""FAILED""#), Outcome::NotPaid);
        assert_eq!(with(r#""EXPIRED""#), Outcome::NotPaid);
        assert_eq!(with(r#""REFUNDED""#), Outcome::Refunded);
        for open in [
            r#""PENDING""#,
            r#""TIMEOUT""#,
            r#""REDIRECT""#,
            "null",
            r#""success""#,
        ] {
            assert_eq!(with(open), Outcome::Unknown, "{open}");
        }
    }

    #[test]
    fn not_found_bodies_and_other_invoices() {
        let nf = StatusAnswer::parse(
            br#"{"error":{"code":"not_found","message":"Transaction not found"}}"#,
            "I",
        )
        .unwrap();
        assert!(nf.not_found);
        assert_eq!(nf.outcome(), Outcome::Unknown);
        assert!(StatusAnswer::parse(br#"{"message":"hello"}"#, "I").is_err());
        let other = StatusAnswer::parse(br#"{"order":{"invoice_number":"J"}}"#, "I").unwrap_err();
        assert_eq!(other.code, ResultCode::OutcomeUnknown);
    }

    #[test]
    fn invoices_are_percent_encoded_outside_the_unreserved_set() {
        assert_eq!(percent_encode("INV-2021.01_x~"), "INV-2021.01_x~");
        assert_eq!(percent_encode("A/B C?#%"), "A%2FB%20C%3F%23%25");
    }
}
