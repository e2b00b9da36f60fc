//! The states a journal row moves through, and the one rule for moving between them.

use std::fmt;

/// Where one invoice stands in the journal.
///
/// `SENDING` and `UNKNOWN` are open (someone must settle them); every other state is final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JournalState {
    /// Written before the first byte went out; the push's answer is not recorded yet.
    Sending,
    /// The request provably never left this machine (recorded durably). A new push may follow.
    NotSent,
    /// DOKU refused the request (HTTP 4xx): not processed, not paid. A new push may follow.
    Rejected,
    /// DOKU says the customer paid.
    Paid,
    /// DOKU says the payment failed. DOKU needs a new invoice number for another try.
    NotPaid,
    /// DOKU says the payment was refunded.
    Refunded,
    /// Sent, but nobody knows the outcome yet: check the status with DOKU.
    Unknown,
}

impl JournalState {
    /// Every state, in declaration order.
    pub const ALL: [JournalState; 7] = [
        JournalState::Sending,
        JournalState::NotSent,
        JournalState::Rejected,
        JournalState::Paid,
        JournalState::NotPaid,
        JournalState::Refunded,
        JournalState::Unknown,
    ];

    /// The stored upper-case name, e.g. `"NOT_PAID"`.
    pub fn as_str(self) -> &'static str {
        match self {
            JournalState::Sending => "SENDING",
            JournalState::NotSent => "NOT_SENT",
            JournalState::Rejected => "REJECTED",
            JournalState::Paid => "PAID",
            JournalState::NotPaid => "NOT_PAID",
            JournalState::Refunded => "REFUNDED",
            JournalState::Unknown => "UNKNOWN",
        }
    }

    /// The state stored as `name`, if it is one.
    pub fn parse(name: &str) -> Option<JournalState> {
        JournalState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the outcome is settled (everything but `SENDING` and `UNKNOWN`).
    pub fn is_final(self) -> bool {
        !matches!(self, JournalState::Sending | JournalState::Unknown)
    }

    /// Whether the invoice may be pushed again: only when DOKU never processed it.
    pub fn allows_new_push(self) -> bool {
        matches!(self, JournalState::NotSent | JournalState::Rejected)
    }

    /// The state a row in `self` takes when an answer reports `reported`.
    ///
    /// A `SENDING` row takes whatever its first answer says. An `UNKNOWN` row can only be
    /// settled by DOKU's word on the payment (paid, not paid, refunded), never by "not sent" or
    /// "rejected" (it was sent and accepted). A final row never moves, except `PAID` to
    /// `REFUNDED`; any other disagreement keeps the row as it is (the caller logs it).
    pub fn settle(self, reported: JournalState) -> JournalState {
        use JournalState::*;
        match (self, reported) {
            (Sending, Sending) => Sending,
            (Sending, r) => r,
            (Unknown, r @ (Paid | NotPaid | Refunded | Unknown)) => r,
            (Paid, Refunded) => Refunded,
            (current, _) => current,
        }
    }
}

impl fmt::Display for JournalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::JournalState::{self, *};

    #[test]
    fn names_round_trip() {
        for state in JournalState::ALL {
            assert_eq!(JournalState::parse(state.as_str()), Some(state));
        }
        assert_eq!(JournalState::parse("paid"), None);
        assert_eq!(JournalState::parse(""), None);
    }

    #[test]
    fn only_sending_and_unknown_are_open() {
        let open: Vec<_> = JournalState::ALL
            .into_iter()
            .filter(|s| !s.is_final())
            .collect();
        assert_eq!(open, [Sending, Unknown]);
    }

    #[test]
    fn only_never_processed_invoices_may_be_pushed_again() {
        let again: Vec<_> = JournalState::ALL
            .into_iter()
            .filter(|s| s.allows_new_push())
            .collect();
        assert_eq!(again, [NotSent, Rejected]);
    }

    #[test]
    fn sending_takes_its_first_answer() {
        for reported in JournalState::ALL {
            assert_eq!(Sending.settle(reported), reported);
        }
    }

    #[test]
    fn unknown_is_settled_only_by_dokus_word_on_the_payment() {
        assert_eq!(Unknown.settle(Paid), Paid);
        assert_eq!(Unknown.settle(NotPaid), NotPaid);
        assert_eq!(Unknown.settle(Refunded), Refunded);
        assert_eq!(Unknown.settle(Unknown), Unknown);
        for sent_anyway in [NotSent, Rejected, Sending] {
            assert_eq!(Unknown.settle(sent_anyway), Unknown);
        }
    }

    #[test]
    fn a_final_row_never_moves_back() {
        for current in JournalState::ALL.into_iter().filter(|s| s.is_final()) {
            for reported in JournalState::ALL {
                let next = current.settle(reported);
                if (current, reported) == (Paid, Refunded) {
                    assert_eq!(next, Refunded);
                } else {
                    assert_eq!(next, current, "{current} moved by {reported}");
                }
            }
        }
    }
}
