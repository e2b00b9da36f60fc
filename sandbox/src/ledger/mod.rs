//! Shared sandbox state: wallets, held pushes, finished invoices and OVO's numbering.

pub mod sequence;
pub mod state;

pub use sequence::{Numbers, Sequence};
pub use state::{Accepted, Action, ControlError, Ledger, Outcome, PendingInfo, PushOrder};
