//! Tells "the request never left" from "the request may have been received".
//!
//! ureq reports a refused connection and a reset after sending with the same error type.
//! A connector at the end of ureq's chain wraps the finished (TCP/TLS/proxied) transport and
//! records, per calling thread, whether any byte of the HTTP request was handed to it. ureq
//! runs a call on the caller's thread, so the flag is exact for that call.

use std::cell::Cell;

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

/// The last connector of the chain: wraps each transport in [`Tracked`].
#[derive(Debug)]
pub(crate) struct SendTracker;

impl<In: Transport> Connector<In> for SendTracker {
    type Out = Tracked<In>;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(Tracked))
    }
}

/// A transport that marks the thread's flag before writing request bytes.
#[derive(Debug)]
pub(crate) struct Tracked<T>(T);

impl<T: Transport> Transport for Tracked<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if amount > 0 {
            WROTE_REQUEST.with(|w| w.set(true));
        }
        self.0.transmit_output(amount, timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.maybe_await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}
