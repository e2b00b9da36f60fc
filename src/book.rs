//! The invoices a client is pushing or has left open, so it never pushes one twice while its
//! outcome is not known (kept in memory; the journal keeps the same across processes).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Why a push may not start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Busy {
    /// A push of the invoice is running on this client.
    InFlight,
    /// A push of the invoice ended with an unknown outcome that no status check settled yet.
    Open,
}

/// A client's invoices in flight or open.
#[derive(Default)]
pub(crate) struct Book {
    invoices: Mutex<HashMap<String, Busy>>,
}

/// A push's claim on its invoice. Dropping it without [`Ticket::end`] leaves the invoice open
/// (a push that stopped half-way has an unknown outcome).
pub(crate) struct Ticket {
    book: Arc<Book>,
    invoice: String,
    ended: bool,
}

impl Book {
    /// Claims `invoice` for a push, unless it is in flight or open.
    pub(crate) fn begin(book: &Arc<Book>, invoice: &str) -> Result<Ticket, Busy> {
        let mut invoices = book.lock();
        if let Some(&busy) = invoices.get(invoice) {
            return Err(busy);
        }
        invoices.insert(invoice.to_owned(), Busy::InFlight);
        Ok(Ticket {
            book: Arc::clone(book),
            invoice: invoice.to_owned(),
            ended: false,
        })
    }

    /// A status check decided `invoice` (its outcome is final): it is no longer open.
    pub(crate) fn settled(&self, invoice: &str) {
        let mut invoices = self.lock();
        if invoices.get(invoice) == Some(&Busy::Open) {
            invoices.remove(invoice);
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Busy>> {
        self.invoices.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Ticket {
    /// The push is over: `open` when its outcome is unknown.
    pub(crate) fn end(mut self, open: bool) {
        self.ended = true;
        self.release(open);
    }

    fn release(&self, open: bool) {
        let mut invoices = self.book.lock();
        if open {
            invoices.insert(self.invoice.clone(), Busy::Open);
        } else {
            invoices.remove(&self.invoice);
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if !self.ended {
            self.release(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_push_per_invoice_until_settled() {
        let book = Arc::new(Book::default());
        let ticket = Book::begin(&book, "A").unwrap();
        assert_eq!(Book::begin(&book, "A").err(), Some(Busy::InFlight));
        assert!(Book::begin(&book, "B").is_ok_and(|t| {
            t.end(false);
            true
        }));
        ticket.end(true);
        assert_eq!(Book::begin(&book, "A").err(), Some(Busy::Open));
        book.settled("A");
        let again = Book::begin(&book, "A").unwrap();
        drop(again); // dropped half-way: open
        assert_eq!(Book::begin(&book, "A").err(), Some(Busy::Open));
    }
}
