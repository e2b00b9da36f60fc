//! Shared sandbox state: wallets, held pushes, finished invoices and OVO's numbering.

pub mod records;
pub mod sequence;
pub mod state;

pub use records::{Finished, Outcome, PendingInfo, PushOrder, TransactionStatus};
pub use sequence::{Numbers, Sequence};
pub use state::{Accepted, Action, ControlError, Held, Ledger, RECENT_MAX};
