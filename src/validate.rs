//! The field rules of DOKU's OVO push payment, checked before anything is sent.
//!
//! Every rule names the field (in the spec's dotted form) in its error message.

use crate::error::Error;

/// Smallest payable amount, in whole rupiah.
pub const AMOUNT_MIN: i64 = 1;
/// Largest amount the spec allows (12 digits), in whole rupiah.
pub const AMOUNT_MAX: i64 = 999_999_999_999;
/// Longest invoice number the spec allows.
pub const INVOICE_MAX_LEN: usize = 64;
/// Shortest OVO ID (phone number) accepted.
pub const OVO_ID_MIN_LEN: usize = 9;
/// Longest OVO ID (phone number) accepted: E.164's 15 digits.
pub const OVO_ID_MAX_LEN: usize = 15;
/// Longest client id accepted.
pub const CLIENT_ID_MAX_LEN: usize = 128;
/// Longest secret key accepted.
pub const SECRET_KEY_MAX_LEN: usize = 256;

/// Field name of the client id in messages.
pub const FIELD_CLIENT_ID: &str = "client.id";
/// Field name of the secret key in messages.
pub const FIELD_SECRET_KEY: &str = "secret_key";
/// Field name of the invoice number in messages.
pub const FIELD_INVOICE_NUMBER: &str = "order.invoice_number";
/// Field name of the amount in messages.
pub const FIELD_AMOUNT: &str = "order.amount";
/// Field name of the OVO ID in messages.
pub const FIELD_OVO_ID: &str = "ovo_info.ovo_id";

/// The four request fields a push payment (and its checksum) is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentFields<'a> {
    /// The merchant's client id from the Jokul back office.
    pub client_id: &'a str,
    /// The merchant's invoice number, unique per request.
    pub invoice_number: &'a str,
    /// The amount in whole rupiah.
    pub amount: i64,
    /// The customer's OVO ID (phone number).
    pub ovo_id: &'a str,
}

impl PaymentFields<'_> {
    /// Checks every field against the spec's rules; the first broken rule is returned.
    pub fn validate(&self) -> Result<(), Error> {
        client_id(self.client_id)?;
        invoice_number(self.invoice_number)?;
        amount(self.amount)?;
        ovo_id(self.ovo_id)
    }
}

/// Client id: 1..=128 visible ASCII characters (it travels in an HTTP header).
pub fn client_id(value: &str) -> Result<(), Error> {
    length(FIELD_CLIENT_ID, value, 1, CLIENT_ID_MAX_LEN)?;
    chars(
        FIELD_CLIENT_ID,
        value,
        is_visible,
        "visible ASCII (no spaces or control characters)",
    )
}

/// Secret key: 1..=256 visible ASCII characters. The message never shows the value.
pub fn secret_key(value: &str) -> Result<(), Error> {
    length(FIELD_SECRET_KEY, value, 1, SECRET_KEY_MAX_LEN)?;
    if value.bytes().all(is_visible) {
        Ok(())
    } else {
        Err(Error::invalid(
            FIELD_SECRET_KEY,
            "must be visible ASCII (no spaces or control characters)",
        ))
    }
}

/// Invoice number: 1..=64 printable ASCII characters (letters, digits, specials, space).
pub fn invoice_number(value: &str) -> Result<(), Error> {
    length(FIELD_INVOICE_NUMBER, value, 1, INVOICE_MAX_LEN)?;
    chars(
        FIELD_INVOICE_NUMBER,
        value,
        is_printable,
        "printable ASCII (0x20..0x7E)",
    )
}

/// Amount: whole rupiah, 1..=999,999,999,999.
pub fn amount(value: i64) -> Result<(), Error> {
    if (AMOUNT_MIN..=AMOUNT_MAX).contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(
            FIELD_AMOUNT,
            format!("must be a whole rupiah amount from {AMOUNT_MIN} to {AMOUNT_MAX}, got {value}"),
        ))
    }
}

/// OVO ID: the customer's phone number, 9..=15 digits.
pub fn ovo_id(value: &str) -> Result<(), Error> {
    length(FIELD_OVO_ID, value, OVO_ID_MIN_LEN, OVO_ID_MAX_LEN)?;
    chars(
        FIELD_OVO_ID,
        value,
        |b| b.is_ascii_digit(),
        "digits 0-9 only",
    )
}

fn length(field: &'static str, value: &str, min: usize, max: usize) -> Result<(), Error> {
    let len = value.chars().count();
    if len == 0 {
        Err(Error::invalid(field, "must not be empty"))
    } else if len < min || len > max {
        Err(Error::invalid(
            field,
            format!("must be {min} to {max} characters long, got {len}"),
        ))
    } else {
        Ok(())
    }
}

fn chars(field: &'static str, value: &str, ok: fn(u8) -> bool, rule: &str) -> Result<(), Error> {
    let ascii_ok = |c: char| u8::try_from(c).is_ok_and(ok);
    match value.chars().position(|c| !ascii_ok(c)) {
        None => Ok(()),
        Some(at) => Err(Error::invalid(
            field,
            format!("must be {rule}; character at position {at} is not"),
        )),
    }
}

/// Whether `b` is visible ASCII: no space, control character or non-ASCII byte.
pub(crate) fn is_visible(b: u8) -> bool {
    (0x21..=0x7e).contains(&b)
}

fn is_printable(b: u8) -> bool {
    (0x20..=0x7e).contains(&b)
}
