//! Tells "the request never left" from "the request may have been received".
//!
//! ureq reports a refused connection and a reset after sending with the same error type.
//! A connector at the end of ureq's chain wraps the finished (TCP/TLS/proxied) transport to
//! DOKU and records, per calling thread, whether any byte of the HTTP request was handed to it.
//! ureq runs a call on the caller's thread, so the flag is exact for that call.
//!
//! ureq's CONNECT proxy support runs the same chain again for the connection to the proxy;
//! that one is not wrapped (its CONNECT line and TLS handshake are not the payment request),
//! which is why the tracker only wraps connections to the target's host and port.

use std::cell::Cell;

use ureq::http::Uri;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

thread_local! {
    static WROTE_REQUEST: Cell<bool> = const { Cell::new(false) };
}

/// Clears the calling thread's "request bytes written" flag before a call.
pub(crate) fn reset_sent() {
    WROTE_REQUEST.with(|w| w.set(false));
}

/// Whether the calling thread's last call handed request bytes to a connection.
pub(crate) fn was_sent() -> bool {
    WROTE_REQUEST.with(|w| w.get())
}

/// The last connector of the chain: wraps transports to the target in [`Tracked`].
#[derive(Debug)]
pub(crate) struct SendTracker {
    /// The target's host, as in its URL.
    host: String,
    /// The target's port (the scheme's default when the URL names none).
    port: u16,
}

impl SendTracker {
    /// A tracker for connections to the host and port of `url`.
    pub(crate) fn new(url: &Uri) -> SendTracker {
        SendTracker {
            host: url.host().unwrap_or_default().to_owned(),
            port: port_of(url),
        }
    }
}

fn port_of(uri: &Uri) -> u16 {
    let default = if uri.scheme_str() == Some("https") {
        443
    } else {
        80
    };
    uri.port_u16().unwrap_or(default)
}

impl<In: Transport> Connector<In> for SendTracker {
    type Out = Tracked<In>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let to_target =
            details.uri.host() == Some(self.host.as_str()) && port_of(details.uri) == self.port;
        Ok(chained.map(|inner| Tracked { inner, to_target }))
    }
}

/// A transport that marks the thread's flag before writing request bytes to the target.
#[derive(Debug)]
pub(crate) struct Tracked<T> {
    inner: T,
    to_target: bool,
}

impl<T: Transport> Transport for Tracked<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if amount > 0 && self.to_target {
            WROTE_REQUEST.with(|w| w.set(true));
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.maybe_await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
