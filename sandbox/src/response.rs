//! The push-payment response body, every field of DOKU's sample response.

use serde_json::{json, Value};

use crate::ledger::Outcome;
use crate::validate;

/// `ovo_configuration.merchant_id` (from the spec's sample).
pub const MERCHANT_ID: &str = "00000179";
/// `ovo_configuration.store_code`.
pub const STORE_CODE: &str = "000000000000179";
/// `ovo_configuration.mid`.
pub const MID: &str = "000000000000179";
/// `ovo_configuration.tid`.
pub const TID: &str = "00000179";

/// Builds the HTTP 200 body for `out`, signed with the sandbox-only response checksum
/// (see [`validate::response_checksum`]).
pub fn payment_body(out: &Outcome, secret_key: &str) -> Value {
    let o = &out.order;
    let n = &out.numbers;
    let check_sum = validate::response_checksum(
        o.amount,
        &out.approval_code,
        n.batch_number,
        &o.client_id,
        &o.invoice_number,
        &o.ovo_id,
        n.reference_number,
        n.trace_number,
        secret_key,
    );
    json!({
        "client": {"id": o.client_id},
        "order": {"invoice_number": o.invoice_number, "amount": o.amount},
        "ovo_info": {"ovo_id": o.ovo_id, "ovo_account_name": out.account_name},
        "ovo_configuration": {
            "merchant_id": MERCHANT_ID,
            "store_code": STORE_CODE,
            "mid": MID,
            "tid": TID,
        },
        "ovo_payment": {
            "date": n.date,
            "batch_number": n.batch_number,
            "trace_number": n.trace_number,
            "reference_number": n.reference_number,
            "approval_code": out.approval_code,
            "response_code": out.response_code,
            "cash_used": out.cash_used,
            "cash_balance": out.cash_balance,
            "ovo_points_used": out.ovo_points_used,
            "ovo_points_balance": out.ovo_points_balance,
            "ovo_points_earned": out.ovo_points_earned,
            "status": out.status,
        },
        "security": {"check_sum": check_sum},
    })
}
