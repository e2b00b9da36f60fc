//! libovo: OVO e-wallet push payments through DOKU's Jokul API, with a C ABI.
//!
//! The pure-Rust core (this crate's top-level modules) knows nothing of C. [`ffi`] is a thin
//! skin over it that the generated header `include/ovo.h` describes.
//!
//! ```no_run
//! let client = ovo::Client::new("MCH-0001-10791114622547", "SK-...", &ovo::ClientConfig::default())?;
//! let payment = client.push_payment("INV-20210115-0001", 10_000, "081211111111");
//! match payment.outcome {
//!     ovo::Outcome::Paid => println!("paid"),
//!     ovo::Outcome::NotPaid => println!("not paid"),
//!     ovo::Outcome::Unknown => println!("unknown: check the status before charging again"),
//!     ovo::Outcome::Refunded => println!("refunded"),
//! }
//! # Ok::<(), ovo::Error>(())
//! ```

#![warn(missing_docs)]

mod book;
mod bookkeeping;
pub mod cancel;
mod check;
pub mod checksum;
pub mod client;
pub mod clock;
pub mod codes;
pub mod config;
mod dispatch;
pub mod error;
pub mod ffi;
mod flow;
mod http;
/// The payment journal. Not part of the C ABI, so the header generator skips it:
///
/// cbindgen:ignore
pub mod journal;
pub mod log;
pub mod payment;
mod push;
pub mod reconcile;
mod request;
pub mod response;
pub mod secret;
pub mod status;
mod stored;
mod threads;
pub mod validate;

pub use cancel::CancelToken;
pub use checksum::checksum;
pub use client::Client;
pub use codes::{describe, CodeInfo};
pub use config::{ClientConfig, Environment, ProxySetting, Reconcile};
pub use error::{Error, ResultCode};
pub use http::MAX_BODY_BYTES;
pub use payment::{Kind, Order, Outcome, Payment};
pub use response::{Field, Response, Status};
pub use status::StatusAnswer;
pub use validate::PaymentFields;

/// The library version, from `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
