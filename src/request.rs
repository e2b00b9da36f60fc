//! The push-payment request body, exactly as the spec shows it.

use serde::Serialize;

use crate::validate::PaymentFields;

/// `{client, order, ovo_info, security}` in the spec's key order.
#[derive(Serialize)]
pub(crate) struct RequestBody<'a> {
    client: ClientPart<'a>,
    order: OrderPart<'a>,
    ovo_info: OvoInfoPart<'a>,
    security: SecurityPart<'a>,
}

#[derive(Serialize)]
struct ClientPart<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct OrderPart<'a> {
    invoice_number: &'a str,
    amount: i64,
}

#[derive(Serialize)]
struct OvoInfoPart<'a> {
    ovo_id: &'a str,
}

#[derive(Serialize)]
struct SecurityPart<'a> {
    check_sum: &'a str,
}

impl<'a> RequestBody<'a> {
    /// The body for validated `fields` and their checksum.
    pub(crate) fn new(fields: &PaymentFields<'a>, check_sum: &'a str) -> Self {
        RequestBody {
            client: ClientPart {
                id: fields.client_id,
            },
            order: OrderPart {
                invoice_number: fields.invoice_number,
                amount: fields.amount,
            },
            ovo_info: OvoInfoPart {
                ovo_id: fields.ovo_id,
            },
            security: SecurityPart { check_sum },
        }
    }

    /// The JSON bytes sent on the wire (`order.amount` is a JSON number).
    pub(crate) fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("request body always serializes")
    }
}
