//! Held pushes, finished invoices and wallet balances behind one mutex.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use super::sequence::{Numbers, Sequence};
use crate::clock;
use crate::wallets::{self, Behaviour, PayMethod, Wallet};

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

/// What ends a push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Customer pays with this method (`SUCCESS`/`00`, or `FAILED`/`65` if the balance is short).
    Pay(PayMethod),
    /// Customer declines (`FAILED`/`17`).
    Decline,
    /// OVO fails it with this response code (`FAILED`).
    Fail(&'static str),
    /// Nobody acted within the hold (`TIMEOUT`/`68`).
    Timeout,
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

/// What [`Ledger::accept`] decided.
#[derive(Debug)]
pub enum Accepted {
    /// Answered at once (duplicate invoice or an immediately failing wallet).
    Done(Box<Outcome>),
    /// Held: the outcome arrives on `rx` once someone calls [`Ledger::settle`].
    Held {
        /// Receives the outcome.
        rx: oneshot::Receiver<Outcome>,
        /// When to settle it as [`Action::Timeout`].
        hold: Duration,
        /// A scripted wallet's own answer and its delay.
        auto: Option<(Duration, Action)>,
    },
}

/// Why a control action could not be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlError {
    /// No push with this invoice was ever held.
    NotPending,
    /// The push already ended with this status.
    AlreadyDone(&'static str),
}

/// A held push as shown by the simulator's inquiry.
#[derive(Clone, Debug, Serialize)]
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
    /// Seconds until the push times out.
    pub seconds_left: f64,
}

struct Pending {
    order: PushOrder,
    tx: oneshot::Sender<Outcome>,
    deadline: Instant,
}

struct Inner {
    wallets: HashMap<String, Wallet>,
    pending: HashMap<String, Pending>,
    finished: HashMap<String, &'static str>,
    seq: Sequence,
}

/// All mutable sandbox state.
pub struct Ledger {
    hold: Duration,
    approve_delay: Duration,
    inner: Mutex<Inner>,
}

impl Ledger {
    /// A ledger with the scripted wallets at their opening balances.
    pub fn new(hold: Duration, approve_delay: Duration) -> Ledger {
        let wallets = wallets::SCRIPTED
            .iter()
            .map(|s| (s.ovo_id.to_owned(), Wallet::open(s.ovo_id)))
            .collect();
        Ledger {
            hold,
            approve_delay,
            inner: Mutex::new(Inner {
                wallets,
                pending: HashMap::new(),
                finished: HashMap::new(),
                seq: Sequence::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent data: keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes a validated push: answers duplicates and failing wallets at once, holds the rest.
    pub fn accept(&self, order: PushOrder) -> Accepted {
        let mut inner = self.lock();
        let inv = order.invoice_number.as_str();
        if inner.pending.contains_key(inv) || inner.finished.contains_key(inv) {
            let out = inner.complete(order, Action::Fail("40"));
            return Accepted::Done(Box::new(out));
        }
        let auto = match wallets::behaviour_of(&order.ovo_id) {
            Behaviour::FailNow(code) => {
                let out = inner.complete(order, Action::Fail(code));
                inner
                    .finished
                    .insert(out.order.invoice_number.clone(), out.status);
                return Accepted::Done(Box::new(out));
            }
            Behaviour::ApproveAfterDelay(m) => Some((self.approve_delay, Action::Pay(m))),
            Behaviour::DeclineAfterDelay => Some((self.approve_delay, Action::Decline)),
            Behaviour::NeverAnswers | Behaviour::Manual => None,
        };
        inner.wallet(&order.ovo_id);
        let (tx, rx) = oneshot::channel();
        let pending = Pending {
            order,
            tx,
            deadline: Instant::now() + self.hold,
        };
        inner
            .pending
            .insert(pending.order.invoice_number.clone(), pending);
        Accepted::Held {
            rx,
            hold: self.hold,
            auto,
        }
    }

    /// Ends the held push `invoice` with `action`, wakes its request and returns the outcome.
    pub fn settle(&self, invoice: &str, action: Action) -> Result<Outcome, ControlError> {
        let mut inner = self.lock();
        let Some(p) = inner.pending.remove(invoice) else {
            return Err(match inner.finished.get(invoice) {
                Some(status) => ControlError::AlreadyDone(status),
                None => ControlError::NotPending,
            });
        };
        let out = inner.complete(p.order, action);
        inner.finished.insert(invoice.to_owned(), out.status);
        // The request may be gone (client hung up); the outcome stands anyway.
        let _ = p.tx.send(out.clone());
        Ok(out)
    }

    /// Details of the held push `invoice`.
    pub fn inquiry(&self, invoice: &str) -> Result<PendingInfo, ControlError> {
        let mut inner = self.lock();
        let Some(p) = inner.pending.get(invoice) else {
            return Err(match inner.finished.get(invoice) {
                Some(status) => ControlError::AlreadyDone(status),
                None => ControlError::NotPending,
            });
        };
        let order = p.order.clone();
        let left = p.deadline.saturating_duration_since(Instant::now());
        let w = inner.wallet(&order.ovo_id);
        Ok(PendingInfo {
            invoice_number: order.invoice_number,
            amount: order.amount,
            ovo_id: order.ovo_id,
            ovo_account_name: w.account_name.clone(),
            cash_balance: w.cash_balance,
            ovo_points_balance: w.ovo_points_balance,
            seconds_left: (left.as_secs_f64() * 1000.0).round() / 1000.0,
        })
    }

    /// Number of held pushes.
    pub fn pending_count(&self) -> usize {
        self.lock().pending.len()
    }

    /// All known wallets (scripted ones plus any other number seen), sorted by `ovo_id`.
    pub fn wallets(&self) -> Vec<Wallet> {
        let mut list: Vec<Wallet> = self.lock().wallets.values().cloned().collect();
        list.sort_by(|a, b| a.ovo_id.cmp(&b.ovo_id));
        list
    }

    /// Current state of one wallet, if it is known.
    pub fn wallet(&self, ovo_id: &str) -> Option<Wallet> {
        self.lock().wallets.get(ovo_id).cloned()
    }
}

impl Inner {
    fn wallet(&mut self, ovo_id: &str) -> &mut Wallet {
        self.wallets
            .entry(ovo_id.to_owned())
            .or_insert_with(|| Wallet::open(ovo_id))
    }

    /// Applies `action` to the wallet and stamps the transaction numbers.
    fn complete(&mut self, order: PushOrder, action: Action) -> Outcome {
        let amount = order.amount;
        let w = self.wallet(&order.ovo_id);
        let (mut cash_used, mut points_used, mut earned) = (0, 0, 0);
        let (status, code) = match action {
            Action::Pay(PayMethod::Cash) if w.cash_balance >= amount => {
                cash_used = amount;
                earned = amount / 100;
                w.cash_balance -= amount;
                w.ovo_points_balance += earned;
                ("SUCCESS", "00")
            }
            Action::Pay(PayMethod::Points) if w.ovo_points_balance >= amount => {
                points_used = amount;
                w.ovo_points_balance -= amount;
                ("SUCCESS", "00")
            }
            Action::Pay(_) => ("FAILED", "65"),
            Action::Decline => ("FAILED", "17"),
            Action::Fail(code) => ("FAILED", code),
            Action::Timeout => ("TIMEOUT", "68"),
        };
        let account_name = w.account_name.clone();
        let (cash_balance, ovo_points_balance) = (w.cash_balance, w.ovo_points_balance);
        let numbers = self.seq.next(clock::now_epoch_secs());
        let approval_code = if status == "SUCCESS" {
            approval_code(&order.invoice_number, &numbers)
        } else {
            String::new()
        };
        Outcome {
            order,
            account_name,
            status,
            response_code: code,
            approval_code,
            cash_used,
            cash_balance,
            ovo_points_used: points_used,
            ovo_points_balance,
            ovo_points_earned: earned,
            numbers,
        }
    }
}

/// A deterministic six-digit approval code.
fn approval_code(invoice: &str, n: &Numbers) -> String {
    let digest = Sha256::digest(format!(
        "{invoice}|{}|{}|{}",
        n.batch_number, n.reference_number, n.trace_number
    ));
    let v = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 900_000 + 100_000;
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(inv: &str, amount: u64, ovo_id: &str) -> PushOrder {
        PushOrder {
            client_id: "C".into(),
            invoice_number: inv.into(),
            amount,
            ovo_id: ovo_id.into(),
        }
    }

    #[test]
    fn cash_payment_moves_balances_and_earns_points() {
        let l = Ledger::new(Duration::from_secs(70), Duration::ZERO);
        assert!(matches!(
            l.accept(order("A", 12_345, "0811000000")),
            Accepted::Held { .. }
        ));
        let out = l.settle("A", Action::Pay(PayMethod::Cash)).unwrap();
        assert_eq!((out.status, out.response_code), ("SUCCESS", "00"));
        assert_eq!(out.cash_used, 12_345);
        assert_eq!(out.cash_balance, wallets::OPENING_CASH - 12_345);
        assert_eq!(out.ovo_points_earned, 123);
        assert_eq!(out.ovo_points_balance, wallets::OPENING_POINTS + 123);
        assert_eq!(out.approval_code.len(), 6);
        assert_eq!(
            l.settle("A", Action::Decline),
            Err(ControlError::AlreadyDone("SUCCESS"))
        );
        assert_eq!(
            l.settle("B", Action::Decline),
            Err(ControlError::NotPending)
        );
    }

    #[test]
    fn short_balance_fails_65() {
        let l = Ledger::new(Duration::from_secs(70), Duration::ZERO);
        l.accept(order("A", wallets::OPENING_POINTS + 1, "0811000000"));
        let out = l.settle("A", Action::Pay(PayMethod::Points)).unwrap();
        assert_eq!((out.status, out.response_code), ("FAILED", "65"));
        assert_eq!(out.ovo_points_balance, wallets::OPENING_POINTS);
        assert_eq!(out.approval_code, "");
    }
}
