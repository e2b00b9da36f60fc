//! Held pushes, finished invoices, recent payments and wallet balances behind one mutex.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::sync::{oneshot, watch};

use super::records::{Finished, Outcome, PendingInfo, PushOrder, TransactionStatus};
use super::sequence::{Numbers, Sequence};
use crate::clock;
use crate::wallets::{self, Behaviour, Fault, PayMethod, Wallet};

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

/// What [`Ledger::accept`] decided.
#[derive(Debug)]
pub enum Accepted {
    /// Answered at once (duplicate invoice or an immediately failing wallet).
    Done(Arc<Finished>),
    /// Held until someone calls [`Ledger::settle`].
    Held(Held),
}

/// A push the ledger holds: what its request waits for, and its window.
#[derive(Debug)]
pub struct Held {
    /// Receives the finished push once it is settled (whether or not the client waits).
    pub rx: oneshot::Receiver<Arc<Finished>>,
    /// End of the window: settle it as [`Action::Timeout`] then.
    pub deadline: Instant,
    /// A scripted wallet's own answer and when it comes.
    pub auto: Option<(Instant, Action)>,
}

/// Why a control action could not be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlError {
    /// No push with this invoice was ever held.
    NotPending,
    /// The push already ended with this status.
    AlreadyDone(&'static str),
}

/// How many finished pushes the recent-payments listing keeps.
pub const RECENT_MAX: usize = 500;

struct Pending {
    order: PushOrder,
    request_id: Option<String>,
    tx: oneshot::Sender<Arc<Finished>>,
    accepted_epoch: i64,
    deadline: Instant,
    client_connected: bool,
    fault: Option<Fault>,
}

struct Inner {
    wallets: HashMap<String, Wallet>,
    pending: HashMap<String, Pending>,
    /// The first accepted push of every invoice that has ended.
    finished: HashMap<String, Arc<Finished>>,
    /// Every answered push (duplicates too), oldest first, at most [`RECENT_MAX`].
    recent: VecDeque<Arc<Finished>>,
    seq: Sequence,
}

/// All mutable sandbox state.
pub struct Ledger {
    hold: Duration,
    approve_delay: Duration,
    inner: Mutex<Inner>,
    /// Bumped after every change, for the page's long poll.
    version: watch::Sender<u64>,
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
                recent: VecDeque::new(),
                seq: Sequence::new(),
            }),
            version: watch::Sender::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent data: keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn changed(&self) {
        self.version.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Takes a validated push: answers duplicates and failing wallets at once, holds the rest.
    /// `request_id` is the push's `Request-Id` header.
    pub fn accept(&self, order: PushOrder, request_id: Option<String>) -> Accepted {
        let accepted = self.accept_locked(order, request_id);
        self.changed();
        accepted
    }

    fn accept_locked(&self, order: PushOrder, request_id: Option<String>) -> Accepted {
        let mut inner = self.lock();
        let inv = order.invoice_number.as_str();
        if inner.pending.contains_key(inv) || inner.finished.contains_key(inv) {
            let outcome = inner.complete(order, Action::Fail("40"));
            let done = Arc::new(Finished {
                outcome,
                request_id,
                abandoned: false,
                fault: None,
            });
            inner.remember(&done, false);
            return Accepted::Done(done);
        }
        let now = Instant::now();
        let auto = match wallets::behaviour_of(&order.ovo_id) {
            Behaviour::FailNow(code) => {
                let outcome = inner.complete(order, Action::Fail(code));
                let done = Arc::new(Finished {
                    outcome,
                    request_id,
                    abandoned: false,
                    fault: None,
                });
                inner.remember(&done, true);
                return Accepted::Done(done);
            }
            Behaviour::ApproveAfterDelay(m) => Some(Action::Pay(m)),
            Behaviour::PaysButAnswerFails(_) => Some(Action::Pay(PayMethod::Cash)),
            Behaviour::DeclineAfterDelay => Some(Action::Decline),
            Behaviour::NeverAnswers | Behaviour::Manual => None,
        };
        inner.wallet(&order.ovo_id);
        let (tx, rx) = oneshot::channel();
        let deadline = now + self.hold;
        let pending = Pending {
            fault: wallets::fault_of(&order.ovo_id),
            order,
            request_id,
            tx,
            accepted_epoch: clock::now_epoch_secs(),
            deadline,
            client_connected: true,
        };
        inner
            .pending
            .insert(pending.order.invoice_number.clone(), pending);
        Accepted::Held(Held {
            rx,
            deadline,
            auto: auto.map(|a| (now + self.approve_delay, a)),
        })
    }

    /// Ends the held push `invoice` with `action`, wakes its request (if the client still
    /// waits) and returns the finished push.
    pub fn settle(&self, invoice: &str, action: Action) -> Result<Arc<Finished>, ControlError> {
        let done = {
            let mut inner = self.lock();
            let Some(p) = inner.pending.remove(invoice) else {
                return Err(inner.not_pending(invoice));
            };
            let outcome = inner.complete(p.order, action);
            let done = Arc::new(Finished {
                outcome,
                request_id: p.request_id,
                abandoned: !p.client_connected,
                fault: p.fault,
            });
            inner.remember(&done, true);
            // The request may be gone (client hung up); the outcome stands anyway.
            let _ = p.tx.send(Arc::clone(&done));
            done
        };
        self.changed();
        Ok(done)
    }

    /// Marks the held push `invoice` as abandoned (its client hung up). It stays payable
    /// until its deadline. Returns whether it was held and connected until now.
    pub fn abandon(&self, invoice: &str) -> bool {
        let marked = match self.lock().pending.get_mut(invoice) {
            Some(p) if p.client_connected => {
                p.client_connected = false;
                true
            }
            _ => false,
        };
        if marked {
            self.changed();
        }
        marked
    }

    /// Details of the held push `invoice`.
    pub fn inquiry(&self, invoice: &str) -> Result<PendingInfo, ControlError> {
        let inner = self.lock();
        match inner.pending.get(invoice) {
            Some(p) => Ok(inner.info(p, Instant::now())),
            None => Err(inner.not_pending(invoice)),
        }
    }

    /// Every held push, soonest deadline first.
    pub fn held(&self) -> Vec<PendingInfo> {
        let inner = self.lock();
        let mut list: Vec<&Pending> = inner.pending.values().collect();
        list.sort_by(|a, b| {
            (a.deadline, &a.order.invoice_number).cmp(&(b.deadline, &b.order.invoice_number))
        });
        let now = Instant::now();
        list.into_iter().map(|p| inner.info(p, now)).collect()
    }

    /// Up to `limit` answered pushes, newest first (at most [`RECENT_MAX`] are kept).
    pub fn recent(&self, limit: usize) -> Vec<Arc<Finished>> {
        self.lock()
            .recent
            .iter()
            .rev()
            .take(limit)
            .cloned()
            .collect()
    }

    /// What DOKU's Check Status API says about `invoice`: its first accepted push.
    pub fn status(&self, invoice: &str) -> Option<TransactionStatus> {
        let inner = self.lock();
        if let Some(p) = inner.pending.get(invoice) {
            return Some(TransactionStatus {
                invoice_number: p.order.invoice_number.clone(),
                amount: p.order.amount,
                status: "PENDING",
                response_code: "",
                approval_code: String::new(),
                cash_used: 0,
                ovo_points_used: 0,
                epoch_secs: p.accepted_epoch,
                original_request_id: p.request_id.clone(),
            });
        }
        inner
            .finished
            .get(invoice)
            .map(|f| TransactionStatus::of(f))
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

    /// A receiver of the change counter (bumped after every accept, settle or abandon).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }
}

impl Inner {
    fn not_pending(&self, invoice: &str) -> ControlError {
        match self.finished.get(invoice) {
            Some(f) => ControlError::AlreadyDone(f.outcome.status),
            None => ControlError::NotPending,
        }
    }

    /// Keeps `done` for the listing and, when it is an invoice's first push, for lookups.
    fn remember(&mut self, done: &Arc<Finished>, first: bool) {
        if first {
            let inv = done.outcome.order.invoice_number.clone();
            self.finished.insert(inv, Arc::clone(done));
        }
        if self.recent.len() == RECENT_MAX {
            self.recent.pop_front();
        }
        self.recent.push_back(Arc::clone(done));
    }

    fn info(&self, p: &Pending, now: Instant) -> PendingInfo {
        let left = p.deadline.saturating_duration_since(now);
        let (name, cash, points) = match self.wallets.get(&p.order.ovo_id) {
            Some(w) => (w.account_name.clone(), w.cash_balance, w.ovo_points_balance),
            None => (String::new(), 0, 0),
        };
        PendingInfo {
            invoice_number: p.order.invoice_number.clone(),
            amount: p.order.amount,
            ovo_id: p.order.ovo_id.clone(),
            ovo_account_name: name,
            cash_balance: cash,
            ovo_points_balance: points,
            seconds_left: (left.as_secs_f64() * 1000.0).round() / 1000.0,
            client_connected: p.client_connected,
            request_id: p.request_id.clone(),
        }
    }

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
            l.accept(order("A", 12_345, "0811000000"), None),
            Accepted::Held(_)
        ));
        let out = l.settle("A", Action::Pay(PayMethod::Cash)).unwrap();
        let out = &out.outcome;
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
        l.accept(order("A", wallets::OPENING_POINTS + 1, "0811000000"), None);
        let out = l.settle("A", Action::Pay(PayMethod::Points)).unwrap();
        let out = &out.outcome;
        assert_eq!((out.status, out.response_code), ("FAILED", "65"));
        assert_eq!(out.ovo_points_balance, wallets::OPENING_POINTS);
        assert_eq!(out.approval_code, "");
    }

    #[test]
    fn abandoned_push_stays_payable_and_is_marked() {
        let l = Ledger::new(Duration::from_secs(70), Duration::ZERO);
        let Accepted::Held(held) = l.accept(order("A", 1_000, "0811000000"), Some("rid".into()))
        else {
            panic!("not held")
        };
        drop(held.rx); // the client hung up
        assert!(l.abandon("A"));
        assert!(!l.abandon("A"), "marked once");
        assert!(!l.abandon("NOPE"));
        let info = l.inquiry("A").unwrap();
        assert!(!info.client_connected);
        assert_eq!(info.request_id.as_deref(), Some("rid"));
        assert_eq!(l.status("A").unwrap().status, "PENDING");
        let done = l.settle("A", Action::Pay(PayMethod::Cash)).unwrap();
        assert!(done.abandoned);
        assert_eq!(done.outcome.status, "SUCCESS");
        let st = l.status("A").unwrap();
        assert_eq!((st.status, st.response_code), ("SUCCESS", "00"));
        assert_eq!(st.original_request_id.as_deref(), Some("rid"));
    }

    #[test]
    fn status_is_the_first_push_and_duplicates_are_listed() {
        let l = Ledger::new(Duration::from_secs(70), Duration::ZERO);
        l.accept(order("A", 1_000, "0811000000"), Some("first".into()));
        let Accepted::Done(dup) = l.accept(order("A", 2_000, "0811000000"), Some("dup".into()))
        else {
            panic!("duplicate held")
        };
        assert_eq!(dup.outcome.response_code, "40");
        let st = l.status("A").unwrap();
        assert_eq!((st.status, st.amount), ("PENDING", 1_000));
        l.settle("A", Action::Decline).unwrap();
        let st = l.status("A").unwrap();
        assert_eq!(
            (st.status, st.response_code, st.amount),
            ("FAILED", "17", 1_000)
        );
        assert_eq!(st.original_request_id.as_deref(), Some("first"));
        let recent = l.recent(10);
        let codes: Vec<_> = recent.iter().map(|f| f.outcome.response_code).collect();
        assert_eq!(codes, ["17", "40"], "newest first");
        assert!(l.status("B").is_none());
    }

    #[test]
    fn recent_is_bounded_and_held_sorted_by_deadline() {
        let l = Ledger::new(Duration::from_secs(70), Duration::ZERO);
        for i in 0..RECENT_MAX + 20 {
            l.accept(order(&format!("F{i}"), 1_000, "089900000026"), None);
        }
        let recent = l.recent(usize::MAX);
        assert_eq!(recent.len(), RECENT_MAX);
        let newest = format!("F{}", RECENT_MAX + 19);
        assert_eq!(recent[0].outcome.order.invoice_number, newest);
        for inv in ["H1", "H2", "H3"] {
            l.accept(order(inv, 1_000, "0811000000"), None);
        }
        let held: Vec<_> = l.held().into_iter().map(|p| p.invoice_number).collect();
        assert_eq!(held, ["H1", "H2", "H3"]);
    }

    #[test]
    fn every_change_bumps_the_version() {
        let l = Ledger::new(Duration::from_secs(70), Duration::ZERO);
        let rx = l.subscribe();
        let v0 = *rx.borrow();
        l.accept(order("A", 1_000, "0811000000"), None);
        l.abandon("A");
        l.settle("A", Action::Timeout).unwrap();
        assert_eq!(*rx.borrow(), v0 + 3);
    }
}
