//! DOKU's push-payment response: parsed field by field, never trusted blindly.

use serde_json::Value;

use crate::error::{Error, ResultCode};
use crate::validate::PaymentFields;

/// `ovo_payment.status` as DOKU sends it.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The customer paid.
    Success = 1,
    /// The payment failed (see the response code); not paid.
    Failed = 2,
    /// Nobody acted within DOKU's hold. DOKU says this is not final: check the status.
    Timeout = 3,
}

impl Status {
    /// The status as DOKU spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "SUCCESS",
            Status::Failed => "FAILED",
            Status::Timeout => "TIMEOUT",
        }
    }
}

/// A field of the response, for lookup by number (the C ABI reads fields this way).
/// Values are explicit and never reused.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `client.id` (text).
    ClientId = 1,
    /// `order.invoice_number` (text).
    InvoiceNumber = 2,
    /// `order.amount` (number).
    Amount = 3,
    /// `ovo_info.ovo_id` (text).
    OvoId = 4,
    /// `ovo_info.ovo_account_name` (text).
    AccountName = 5,
    /// `ovo_configuration.merchant_id` (text).
    MerchantId = 6,
    /// `ovo_configuration.store_code` (text).
    StoreCode = 7,
    /// `ovo_configuration.mid` (text).
    Mid = 8,
    /// `ovo_configuration.tid` (text).
    Tid = 9,
    /// `ovo_payment.date`: `yyyyMMddHHmmss` in UTC+7 (text).
    Date = 10,
    /// `ovo_payment.batch_number` (number).
    BatchNumber = 11,
    /// `ovo_payment.trace_number` (number).
    TraceNumber = 12,
    /// `ovo_payment.reference_number` (number).
    ReferenceNumber = 13,
    /// `ovo_payment.approval_code` (text).
    ApprovalCode = 14,
    /// `ovo_payment.response_code` (text).
    ResponseCode = 15,
    /// `ovo_payment.cash_used` (number).
    CashUsed = 16,
    /// `ovo_payment.cash_balance` (number).
    CashBalance = 17,
    /// `ovo_payment.ovo_points_used` (number).
    PointsUsed = 18,
    /// `ovo_payment.ovo_points_balance` (number).
    PointsBalance = 19,
    /// `ovo_payment.ovo_points_earned` (number).
    PointsEarned = 20,
    /// `ovo_payment.status`: `SUCCESS`, `FAILED` or `TIMEOUT` (text).
    Status = 21,
    /// `security.check_sum` as DOKU sent it (text; not verified: DOKU does not document it).
    CheckSum = 22,
    /// Status check: `transaction.status` as DOKU sent it, e.g. `SUCCESS`, `PENDING` (text).
    TransactionStatus = 23,
    /// Status check: `transaction.date` (text).
    TransactionDate = 24,
    /// Status check: `transaction.original_request_id`, the push's `Request-Id` (text).
    OriginalRequestId = 25,
    /// Status check: `service.id`, e.g. `EMONEY` (text).
    ServiceId = 26,
    /// Status check: `acquirer.id`, e.g. `OVO` (text).
    AcquirerId = 27,
    /// Status check: `channel.id`, e.g. `EMONEY_OVO` (text).
    ChannelId = 28,
    /// Status check: `order.amount` in whole rupiah (number; DOKU may send it as text).
    CheckAmount = 29,
    /// Status check: `order.invoice_number`, equal to the one asked for (text).
    CheckInvoiceNumber = 30,
    /// Status check: `ovo_payment.response_code` when DOKU includes it (text).
    CheckResponseCode = 31,
    /// The invoice number libovo was given (text; every payment has it).
    RequestInvoiceNumber = 32,
    /// The amount libovo was given (number; absent for a status check without a known push).
    RequestAmount = 33,
    /// The OVO ID libovo was given (text; absent for a status check without a known push).
    RequestOvoId = 34,
    /// Journal: where the invoice stands (`SENDING`, `UNKNOWN`, `PAID`, `NOT_PAID`, `REFUNDED`,
    /// `NOT_SENT`, `REJECTED`) on a payment read from the journal (text).
    JournalState = 35,
    /// Journal: when the push was written, UTC `YYYY-MM-DDTHH:MM:SS.mmmZ` (text).
    JournalCreatedAt = 36,
    /// Journal: when the row last changed (text).
    JournalUpdatedAt = 37,
}

/// Every field, in number order (`FIELDS[n - 1]` is field `n`).
const FIELDS: [Field; 37] = [
    Field::ClientId,
    Field::InvoiceNumber,
    Field::Amount,
    Field::OvoId,
    Field::AccountName,
    Field::MerchantId,
    Field::StoreCode,
    Field::Mid,
    Field::Tid,
    Field::Date,
    Field::BatchNumber,
    Field::TraceNumber,
    Field::ReferenceNumber,
    Field::ApprovalCode,
    Field::ResponseCode,
    Field::CashUsed,
    Field::CashBalance,
    Field::PointsUsed,
    Field::PointsBalance,
    Field::PointsEarned,
    Field::Status,
    Field::CheckSum,
    Field::TransactionStatus,
    Field::TransactionDate,
    Field::OriginalRequestId,
    Field::ServiceId,
    Field::AcquirerId,
    Field::ChannelId,
    Field::CheckAmount,
    Field::CheckInvoiceNumber,
    Field::CheckResponseCode,
    Field::RequestInvoiceNumber,
    Field::RequestAmount,
    Field::RequestOvoId,
    Field::JournalState,
    Field::JournalCreatedAt,
    Field::JournalUpdatedAt,
];

impl Field {
    /// Every field, in number order.
    pub fn all() -> &'static [Field] {
        &FIELDS
    }

    /// The field with number `n`, or `None` for a number no field has.
    pub fn from_number(n: u32) -> Option<Field> {
        FIELDS.get((n as usize).checked_sub(1)?).copied()
    }

    /// Whether the field comes from a status check's answer.
    pub fn is_status_field(self) -> bool {
        (Field::TransactionStatus as u32..=Field::CheckResponseCode as u32).contains(&(self as u32))
    }
}

const _: () = assert!(FIELDS.len() == Field::JournalUpdatedAt as usize);

/// Every field of the spec's response, typed. Optional fields are `None` when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// `client.id`, equal to the request's.
    pub client_id: String,
    /// `order.invoice_number`, equal to the request's.
    pub invoice_number: String,
    /// `order.amount`, equal to the request's.
    pub amount: i64,
    /// `ovo_info.ovo_id`, equal to the request's.
    pub ovo_id: String,
    /// `ovo_info.ovo_account_name`.
    pub account_name: Option<String>,
    /// `ovo_configuration.merchant_id`.
    pub merchant_id: Option<String>,
    /// `ovo_configuration.store_code`.
    pub store_code: Option<String>,
    /// `ovo_configuration.mid`.
    pub mid: Option<String>,
    /// `ovo_configuration.tid`.
    pub tid: Option<String>,
    /// `ovo_payment.date` (`yyyyMMddHHmmss`, UTC+7).
    pub date: Option<String>,
    /// `ovo_payment.batch_number`.
    pub batch_number: Option<i64>,
    /// `ovo_payment.trace_number`.
    pub trace_number: Option<i64>,
    /// `ovo_payment.reference_number`.
    pub reference_number: Option<i64>,
    /// `ovo_payment.approval_code`.
    pub approval_code: Option<String>,
    /// `ovo_payment.response_code`.
    pub response_code: String,
    /// `ovo_payment.cash_used`.
    pub cash_used: Option<i64>,
    /// `ovo_payment.cash_balance`.
    pub cash_balance: Option<i64>,
    /// `ovo_payment.ovo_points_used`.
    pub points_used: Option<i64>,
    /// `ovo_payment.ovo_points_balance`.
    pub points_balance: Option<i64>,
    /// `ovo_payment.ovo_points_earned`.
    pub points_earned: Option<i64>,
    /// `ovo_payment.status`.
    pub status: Status,
    /// `security.check_sum`.
    pub check_sum: Option<String>,
}

impl Response {
    /// Parses a 2xx body and checks it answers `request`. Anything malformed, missing,
    /// of the wrong type or not matching the request is `OutcomeUnknown`.
    pub fn parse(body: &[u8], request: &PaymentFields<'_>) -> Result<Response, Error> {
        let json: Value = serde_json::from_slice(body)
            .map_err(|e| unknown(format!("the response is not valid JSON ({e})")))?;
        if !json.is_object() {
            return Err(unknown("the response is not a JSON object"));
        }
        let r = Reader(&json);
        let status_text = r.required_text("ovo_payment.status")?;
        let status = match status_text.as_str() {
            "SUCCESS" => Status::Success,
            "FAILED" => Status::Failed,
            "TIMEOUT" => Status::Timeout,
            _ => {
                return Err(unknown(
                    "ovo_payment.status is not SUCCESS, FAILED or TIMEOUT",
                ))
            }
        };
        let response = Response {
            client_id: r.required_text("client.id")?,
            invoice_number: r.required_text("order.invoice_number")?,
            amount: r.required_number("order.amount")?,
            ovo_id: r.required_text("ovo_info.ovo_id")?,
            account_name: r.text("ovo_info.ovo_account_name")?,
            merchant_id: r.text("ovo_configuration.merchant_id")?,
            store_code: r.text("ovo_configuration.store_code")?,
            mid: r.text("ovo_configuration.mid")?,
            tid: r.text("ovo_configuration.tid")?,
            date: r.text("ovo_payment.date")?,
            batch_number: r.number("ovo_payment.batch_number")?,
            trace_number: r.number("ovo_payment.trace_number")?,
            reference_number: r.number("ovo_payment.reference_number")?,
            approval_code: r.text("ovo_payment.approval_code")?,
            response_code: r.required_text("ovo_payment.response_code")?,
            cash_used: r.number("ovo_payment.cash_used")?,
            cash_balance: r.number("ovo_payment.cash_balance")?,
            points_used: r.number("ovo_payment.ovo_points_used")?,
            points_balance: r.number("ovo_payment.ovo_points_balance")?,
            points_earned: r.number("ovo_payment.ovo_points_earned")?,
            status,
            check_sum: r.text("security.check_sum")?,
        };
        response.check_matches(request)?;
        Ok(response)
    }

    fn check_matches(&self, request: &PaymentFields<'_>) -> Result<(), Error> {
        let pairs = [
            (
                "client.id",
                self.client_id.clone(),
                request.client_id.to_owned(),
            ),
            (
                "order.invoice_number",
                self.invoice_number.clone(),
                request.invoice_number.to_owned(),
            ),
            (
                "order.amount",
                self.amount.to_string(),
                request.amount.to_string(),
            ),
            (
                "ovo_info.ovo_id",
                self.ovo_id.clone(),
                request.ovo_id.to_owned(),
            ),
        ];
        match pairs.iter().find(|(_, got, sent)| got != sent) {
            None => Ok(()),
            // The customer's phone number is personal data: named, never quoted.
            Some(("ovo_info.ovo_id", _, _)) => Err(unknown(
                "the response does not match the request: ovo_info.ovo_id is another phone number",
            )),
            Some((field, got, sent)) => Err(unknown(format!(
                "the response does not match the request: {field} is {got:?}, sent {sent:?}"
            ))),
        }
    }

    /// A text field, or `None` when absent or when `field` holds a number.
    pub fn text(&self, field: Field) -> Option<&str> {
        match field {
            Field::ClientId => Some(&self.client_id),
            Field::InvoiceNumber => Some(&self.invoice_number),
            Field::OvoId => Some(&self.ovo_id),
            Field::AccountName => self.account_name.as_deref(),
            Field::MerchantId => self.merchant_id.as_deref(),
            Field::StoreCode => self.store_code.as_deref(),
            Field::Mid => self.mid.as_deref(),
            Field::Tid => self.tid.as_deref(),
            Field::Date => self.date.as_deref(),
            Field::ApprovalCode => self.approval_code.as_deref(),
            Field::ResponseCode => Some(&self.response_code),
            Field::Status => Some(self.status.as_str()),
            Field::CheckSum => self.check_sum.as_deref(),
            _ => None,
        }
    }

    /// A number field, or `None` when absent or when `field` holds text.
    pub fn number(&self, field: Field) -> Option<i64> {
        match field {
            Field::Amount => Some(self.amount),
            Field::BatchNumber => self.batch_number,
            Field::TraceNumber => self.trace_number,
            Field::ReferenceNumber => self.reference_number,
            Field::CashUsed => self.cash_used,
            Field::CashBalance => self.cash_balance,
            Field::PointsUsed => self.points_used,
            Field::PointsBalance => self.points_balance,
            Field::PointsEarned => self.points_earned,
            _ => None,
        }
    }
}

pub(crate) fn unknown(message: impl Into<String>) -> Error {
    Error::new(ResultCode::OutcomeUnknown, message)
}

/// Reads dotted paths out of a JSON document with type checks.
pub(crate) struct Reader<'a>(pub(crate) &'a Value);

impl Reader<'_> {
    pub(crate) fn get(&self, path: &str) -> Option<&Value> {
        path.split('.')
            .try_fold(self.0, |v, key| v.get(key))
            .filter(|v| !v.is_null())
    }

    pub(crate) fn text(&self, path: &str) -> Result<Option<String>, Error> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(unknown(format!("{path} in the response is not a string"))),
        }
    }

    /// Numbers arrive as JSON integers; a string of digits is accepted too.
    pub(crate) fn number(&self, path: &str) -> Result<Option<i64>, Error> {
        let value = match self.get(path) {
            None => return Ok(None),
            Some(v) => v,
        };
        let parsed = match value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                s.parse().ok()
            }
            _ => None,
        };
        parsed
            .map(Some)
            .ok_or_else(|| unknown(format!("{path} in the response is not a whole number")))
    }

    pub(crate) fn required_text(&self, path: &str) -> Result<String, Error> {
        self.text(path)?
            .ok_or_else(|| unknown(format!("{path} is missing from the response")))
    }

    pub(crate) fn required_number(&self, path: &str) -> Result<i64, Error> {
        self.number(path)?
            .ok_or_else(|| unknown(format!("{path} is missing from the response")))
    }
}

/// Longest excerpt of an unparseable error body quoted in a message.
const EXCERPT_CHARS: usize = 200;

/// A one-line summary of an error body: DOKU's `error.message` (or a top-level `message`,
/// with its `code`), else a printable excerpt of the text. Never fails.
pub(crate) fn error_text(body: &[u8]) -> String {
    if body.is_empty() {
        return "empty body".to_owned();
    }
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        let r = Reader(&json);
        let message = r
            .text("error.message")
            .ok()
            .flatten()
            .or_else(|| r.text("message").ok().flatten())
            .or_else(|| r.text("error").ok().flatten());
        let code = r
            .text("error.code")
            .ok()
            .flatten()
            .or_else(|| r.text("code").ok().flatten());
        match (message, code) {
            (Some(m), Some(c)) => return excerpt(&format!("{m} [{c}]")),
            (Some(m), None) => return excerpt(&m),
            (None, Some(c)) => return excerpt(&c),
            (None, None) => {}
        }
    }
    excerpt(&String::from_utf8_lossy(body))
}

fn excerpt(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > EXCERPT_CHARS {
        let cut: String = flat.chars().take(EXCERPT_CHARS).collect();
        format!("{cut}...")
    } else {
        flat
    }
}
