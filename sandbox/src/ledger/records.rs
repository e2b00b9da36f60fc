//! What the ledger takes and hands out about pushes: their orders and outcomes, held ones,
//! finished ones, and their status.

use serde::Serialize;

use super::sequence::Numbers;
use crate::wallets::Fault;

/// The validated order fields of a push request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushOrder {
    /// `client.id`.
    pub client_id: String,
    /// `order.invoice_number`.
    pub invoice_number: String,
    /// `order.amount` (IDR).
    pub amount: u64,
    /// `ovo_info.ovo_id`.
    pub ovo_id: String,
}

/// The result of a push, everything the response needs except the secret-keyed checksum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The request's order fields, echoed.
    pub order: PushOrder,
    /// `ovo_info.ovo_account_name`.
    pub account_name: String,
    /// `SUCCESS`, `FAILED` or `TIMEOUT`.
    pub status: &'static str,
    /// OVO response code (`00`, `17`, `40`, `68`, ...).
    pub response_code: &'static str,
    /// Six digits on `SUCCESS`, empty otherwise.
    pub approval_code: String,
    /// OVO Cash charged.
    pub cash_used: u64,
    /// OVO Cash balance after the transaction.
    pub cash_balance: u64,
    /// OVO Points charged.
    pub ovo_points_used: u64,
    /// OVO Points balance after the transaction.
    pub ovo_points_balance: u64,
    /// OVO Points earned.
    pub ovo_points_earned: u64,
    /// Date, batch, reference and trace numbers.
    pub numbers: Numbers,
}

/// A held push as shown by the simulator's inquiry and pending listing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PendingInfo {
    /// `order.invoice_number`.
    pub invoice_number: String,
    /// `order.amount`.
    pub amount: u64,
    /// `ovo_info.ovo_id`.
    pub ovo_id: String,
    /// Account holder name.
    pub ovo_account_name: String,
    /// Current OVO Cash balance.
    pub cash_balance: u64,
    /// Current OVO Points balance.
    pub ovo_points_balance: u64,
    /// Seconds until the push times out (milliseconds precision).
    pub seconds_left: f64,
    /// `false` once the client hung up ("abandoned"): the push stays payable until its
    /// deadline anyway.
    pub client_connected: bool,
    /// The push's `Request-Id` header, if it had one.
    pub request_id: Option<String>,
}

/// A push that has ended (or was answered at once), kept for the status API and the
/// recent-payments listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finished {
    /// The result, with the wallet's balances after it.
    pub outcome: Outcome,
    /// The push's `Request-Id` header, if it had one.
    pub request_id: Option<String>,
    /// The client had hung up before the push ended, so nobody received the answer.
    pub abandoned: bool,
    /// For a held push to a fault wallet: how its answer went wrong.
    pub fault: Option<Fault>,
}

/// An invoice's state as DOKU's Check Status API reports it (the first push accepted for it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionStatus {
    /// `order.invoice_number`.
    pub invoice_number: String,
    /// `order.amount`.
    pub amount: u64,
    /// `PENDING`, `SUCCESS`, `FAILED` or `TIMEOUT`.
    pub status: &'static str,
    /// OVO response code; `""` while `PENDING`.
    pub response_code: &'static str,
    /// Six digits on `SUCCESS`, `""` otherwise.
    pub approval_code: String,
    /// OVO Cash charged.
    pub cash_used: u64,
    /// OVO Points charged.
    pub ovo_points_used: u64,
    /// Completion time (acceptance time while `PENDING`), seconds since the Unix epoch.
    pub epoch_secs: i64,
    /// The push's `Request-Id` header, if it had one.
    pub original_request_id: Option<String>,
}

impl TransactionStatus {
    /// The status of a finished push.
    pub fn of(f: &Finished) -> TransactionStatus {
        let o = &f.outcome;
        TransactionStatus {
            invoice_number: o.order.invoice_number.clone(),
            amount: o.order.amount,
            status: o.status,
            response_code: o.response_code,
            approval_code: o.approval_code.clone(),
            cash_used: o.cash_used,
            ovo_points_used: o.ovo_points_used,
            epoch_secs: o.numbers.epoch_secs,
            original_request_id: f.request_id.clone(),
        }
    }
}
