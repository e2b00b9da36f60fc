//! The invoices a client is pushing or has left open, so it never pushes one twice while its
//! outcome is not known (kept in memory; the journal keeps the same across processes).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::payment::Order;

/// Why a push may not start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Busy {
    /// A push of the invoice is running on this client.
    InFlight,
    /// A push of the invoice ended with an unknown outcome that no status check settled yet.
    Open,
}

/// A client's invoices in flight or open, with their orders.
#[derive(Default)]
pub(crate) struct Book {
    invoices: Mutex<Invoices>,
}

#[derive(Default)]
struct Invoices {
    by_number: HashMap<String, Entry>,
    next: u64,
}

/// One invoice in flight or open.
struct Entry {
    busy: Busy,
    order: Order,
    /// The push's `Request-Id` once it ended open.
    request_id: String,
    /// Order of arrival (oldest first in listings).
    seq: u64,
}

/// An open push as the book remembers it.
pub(crate) struct OpenPush {
    pub order: Order,
    pub request_id: String,
}

/// A push's claim on its invoice. Dropping it without [`Ticket::end`] leaves the invoice open
/// (a push that stopped half-way has an unknown outcome).
pub(crate) struct Ticket {
    book: Arc<Book>,
    order: Order,
    ended: bool,
}

impl Book {
    /// Claims the invoice of `order` for a push, unless it is in flight or open.
    pub(crate) fn begin(book: &Arc<Book>, order: &Order) -> Result<Ticket, Busy> {
        let mut invoices = book.lock();
        if let Some(entry) = invoices.by_number.get(&order.invoice_number) {
            return Err(entry.busy);
        }
        invoices.put(order, Busy::InFlight, String::new());
        Ok(Ticket {
            book: Arc::clone(book),
            order: order.clone(),
            ended: false,
        })
    }

    /// A status check decided `invoice` (its outcome is final): it is no longer open.
    pub(crate) fn settled(&self, invoice: &str) {
        let mut invoices = self.lock();
        if invoices
            .by_number
            .get(invoice)
            .is_some_and(|e| e.busy == Busy::Open)
        {
            invoices.by_number.remove(invoice);
        }
    }

    /// The order of an open invoice, if it is one.
    pub(crate) fn open_order(&self, invoice: &str) -> Option<Order> {
        self.lock()
            .by_number
            .get(invoice)
            .filter(|e| e.busy == Busy::Open)
            .map(|e| e.order.clone())
    }

    /// Every open push, oldest first.
    pub(crate) fn open_pushes(&self) -> Vec<OpenPush> {
        let invoices = self.lock();
        let mut open: Vec<&Entry> = invoices
            .by_number
            .values()
            .filter(|e| e.busy == Busy::Open)
            .collect();
        open.sort_by_key(|e| e.seq);
        open.into_iter()
            .map(|e| OpenPush {
                order: e.order.clone(),
                request_id: e.request_id.clone(),
            })
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, Invoices> {
        self.invoices.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Invoices {
    fn put(&mut self, order: &Order, busy: Busy, request_id: String) {
        self.next += 1;
        let entry = Entry {
            busy,
            order: order.clone(),
            request_id,
            seq: self.next,
        };
        self.by_number.insert(order.invoice_number.clone(), entry);
    }
}

impl Ticket {
    /// The push (sent as `request_id`) is over: `open` when its outcome is unknown.
    pub(crate) fn end(mut self, open: bool, request_id: &str) {
        self.ended = true;
        self.release(open, request_id);
    }

    fn release(&self, open: bool, request_id: &str) {
        let mut invoices = self.book.lock();
        if open {
            invoices.put(&self.order, Busy::Open, request_id.to_owned());
        } else {
            invoices.by_number.remove(&self.order.invoice_number);
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if !self.ended {
            self.release(true, "");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(invoice: &str) -> Order {
        Order {
            invoice_number: invoice.to_owned(),
            amount: Some(1),
            ovo_id: None,
        }
    }

    #[test]
    fn one_push_per_invoice_until_settled() {
        let book = Arc::new(Book::default());
        let ticket = Book::begin(&book, &order("A")).unwrap();
        assert_eq!(Book::begin(&book, &order("A")).err(), Some(Busy::InFlight));
        Book::begin(&book, &order("B")).unwrap().end(false, "rid-b");
        assert!(book.open_pushes().is_empty());
        ticket.end(true, "rid-a");
        assert_eq!(Book::begin(&book, &order("A")).err(), Some(Busy::Open));
        let open = book.open_pushes();
        assert_eq!(
            (open.len(), &open[0].order, open[0].request_id.as_str()),
            (1, &order("A"), "rid-a")
        );
        assert_eq!(book.open_order("A"), Some(order("A")));
        book.settled("A");
        let again = Book::begin(&book, &order("A")).unwrap();
        drop(again); // dropped half-way: open
        assert_eq!(Book::begin(&book, &order("A")).err(), Some(Busy::Open));
    }
}
