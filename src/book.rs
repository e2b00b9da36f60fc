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
    invoices: Mutex<HashMap<String, (Busy, Order)>>,
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
        if let Some((busy, _)) = invoices.get(&order.invoice_number) {
            return Err(*busy);
        }
        invoices.insert(
            order.invoice_number.clone(),
            (Busy::InFlight, order.clone()),
        );
        Ok(Ticket {
            book: Arc::clone(book),
            order: order.clone(),
            ended: false,
        })
    }

    /// A status check decided `invoice` (its outcome is final): it is no longer open.
    pub(crate) fn settled(&self, invoice: &str) {
        let mut invoices = self.lock();
        if matches!(invoices.get(invoice), Some((Busy::Open, _))) {
            invoices.remove(invoice);
        }
    }

    /// The order of an open invoice, if it is one.
    pub(crate) fn open_order(&self, invoice: &str) -> Option<Order> {
        match self.lock().get(invoice) {
            Some((Busy::Open, order)) => Some(order.clone()),
            _ => None,
        }
    }

    /// Every open invoice's order.
    pub(crate) fn open_orders(&self) -> Vec<Order> {
        let mut open: Vec<Order> = self
            .lock()
            .values()
            .filter(|(busy, _)| *busy == Busy::Open)
            .map(|(_, order)| order.clone())
            .collect();
        open.sort_by(|a, b| a.invoice_number.cmp(&b.invoice_number));
        open
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, (Busy, Order)>> {
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
        let invoice = self.order.invoice_number.clone();
        if open {
            invoices.insert(invoice, (Busy::Open, self.order.clone()));
        } else {
            invoices.remove(&invoice);
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
        Book::begin(&book, &order("B")).unwrap().end(false);
        assert!(book.open_orders().is_empty());
        ticket.end(true);
        assert_eq!(Book::begin(&book, &order("A")).err(), Some(Busy::Open));
        assert_eq!(book.open_orders(), [order("A")]);
        assert_eq!(book.open_order("A"), Some(order("A")));
        book.settled("A");
        let again = Book::begin(&book, &order("A")).unwrap();
        drop(again); // dropped half-way: open
        assert_eq!(Book::begin(&book, &order("A")).err(), Some(Busy::Open));
    }
}
