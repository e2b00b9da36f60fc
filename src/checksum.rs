//! `security.check_sum` and DOKU's HMAC request signature.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::secret::Secret;
use crate::validate::{self, PaymentFields};

/// Length of a checksum in hex characters (without the NUL a C caller adds).
pub const CHECKSUM_HEX_LEN: usize = 64;

/// The request's `security.check_sum`: lower-case hex of
/// `sha256(amount + client.id + invoice_number + ovo_id + secret_key)`.
///
/// Applies the same field rules as a push payment.
pub fn checksum(fields: &PaymentFields<'_>, secret_key: &str) -> Result<String, Error> {
    let hex = checksum_hex(fields, secret_key)?;
    Ok(String::from_utf8(hex.to_vec()).expect("hex is ASCII"))
}

/// [`checksum`] as 64 lower-case hex bytes, without allocating (the C ABI writes them straight
/// into the caller's buffer).
pub fn checksum_hex(
    fields: &PaymentFields<'_>,
    secret_key: &str,
) -> Result<[u8; CHECKSUM_HEX_LEN], Error> {
    fields.validate()?;
    validate::secret_key(secret_key)?;
    Ok(checksum_unchecked(fields, secret_key))
}

/// The checksum of fields that were validated already.
pub(crate) fn checksum_unchecked(
    fields: &PaymentFields<'_>,
    secret_key: &str,
) -> [u8; CHECKSUM_HEX_LEN] {
    let mut digits = [0u8; 20];
    let mut hasher = Sha256::new();
    hasher.update(decimal(fields.amount, &mut digits));
    hasher.update(fields.client_id);
    hasher.update(fields.invoice_number);
    hasher.update(fields.ovo_id);
    hasher.update(secret_key);
    let mut hex = [0u8; CHECKSUM_HEX_LEN];
    hex::encode_to_slice(hasher.finalize(), &mut hex).expect("32 bytes make 64 hex digits");
    hex
}

/// `value` in decimal (as `i64::to_string` writes it) in `buf`, without allocating.
fn decimal(value: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = value.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if value < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

/// The header values of one signed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedHeaders {
    /// `Digest` component: base64 of the body's SHA-256.
    pub digest: String,
    /// `Signature` header: `HMACSHA256=` + base64(HMAC-SHA256(secret, component)).
    pub signature: String,
}

/// Signs a request the way DOKU documents it: the component is the lines `Client-Id`,
/// `Request-Id`, `Request-Timestamp`, `Request-Target` and, for a request with a body (a POST),
/// `Digest`, joined by `\n`. A GET (`body` is `None`) has no `Digest` line and an empty digest.
pub fn sign(
    client_id: &str,
    request_id: &str,
    timestamp: &str,
    target: &str,
    body: Option<&[u8]>,
    secret: &Secret,
) -> SignedHeaders {
    let mut component = format!(
        "Client-Id:{client_id}\nRequest-Id:{request_id}\nRequest-Timestamp:{timestamp}\n\
         Request-Target:{target}"
    );
    let digest = match body {
        Some(body) => {
            let digest = BASE64.encode(Sha256::digest(body));
            component.push_str("\nDigest:");
            component.push_str(&digest);
            digest
        }
        None => String::new(),
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(component.as_bytes());
    let signature = format!("HMACSHA256={}", BASE64.encode(mac.finalize().into_bytes()));
    SignedHeaders { digest, signature }
}
