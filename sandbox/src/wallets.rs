//! The scripted test wallets and their balances.

use serde::Serialize;

/// Opening OVO Cash balance (IDR) of every registered wallet.
pub const OPENING_CASH: u64 = 10_000_000;
/// Opening OVO Points balance of every registered wallet (1 point = 1 IDR).
pub const OPENING_POINTS: u64 = 1_000_000;
/// Account name of wallets that are not in the scripted table.
pub const GENERIC_ACCOUNT_NAME: &str = "OVO Customer";

/// Which balance the simulated customer pays with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PayMethod {
    /// OVO Cash; earns 1 % of the amount (rounded down) as points.
    Cash,
    /// OVO Points, spent 1:1 against the amount; earns nothing.
    Points,
}

impl PayMethod {
    /// Parses `"cash"` or `"points"`.
    pub fn parse(text: &str) -> Option<PayMethod> {
        match text {
            "cash" => Some(PayMethod::Cash),
            "points" => Some(PayMethod::Points),
            _ => None,
        }
    }
}

/// What a wallet does when a push arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Pays with the given method after `approve_delay`.
    ApproveAfterDelay(PayMethod),
    /// Customer declines after `approve_delay` (`FAILED`/`17`).
    DeclineAfterDelay,
    /// Fails at once with this response code.
    FailNow(&'static str),
    /// Never answers: `TIMEOUT`/`68` after `hold`.
    NeverAnswers,
    /// Waits for the control API (the Payment Simulator); `TIMEOUT`/`68` after `hold`.
    Manual,
    /// Pays with OVO Cash after `approve_delay` (recorded as `SUCCESS`), but the held
    /// push's answer is this fault instead of DOKU's JSON.
    PaysButAnswerFails(Fault),
}

/// How the answer to a held push goes wrong for a fault wallet, whatever the outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500 with an HTML body.
    Http500Html,
    /// HTTP 503 with an empty body.
    Http503Empty,
    /// The connection is reset (RST) without any answer.
    ConnectionReset,
    /// HTTP 200 whose JSON body is cut off in the middle.
    TruncatedJson,
    /// No answer at all: the connection stays open and silent until the hold ends, then
    /// it is closed.
    SilentUntilHoldEnds,
}

impl Fault {
    /// Stable short name, as in the payments listing's `fault` field.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Http500Html => "http_500_html",
            Fault::Http503Empty => "http_503_empty",
            Fault::ConnectionReset => "connection_reset",
            Fault::TruncatedJson => "truncated_json",
            Fault::SilentUntilHoldEnds => "silent_until_hold_ends",
        }
    }

    /// Short description for the wallet listing.
    pub fn describe(self) -> &'static str {
        match self {
            Fault::Http500Html => "pays by cash after approve_delay; answer: HTTP 500, HTML body",
            Fault::Http503Empty => "pays by cash after approve_delay; answer: HTTP 503, empty body",
            Fault::ConnectionReset => "pays by cash after approve_delay; answer: connection reset",
            Fault::TruncatedJson => {
                "pays by cash after approve_delay; answer: HTTP 200, truncated JSON"
            }
            Fault::SilentUntilHoldEnds => {
                "pays by cash after approve_delay; answer: none, closed when hold ends"
            }
        }
    }
}

impl Behaviour {
    /// Short description for the wallet listing.
    pub fn describe(self) -> &'static str {
        match self {
            Behaviour::ApproveAfterDelay(PayMethod::Cash) => {
                "approves with OVO Cash after approve_delay"
            }
            Behaviour::ApproveAfterDelay(PayMethod::Points) => {
                "approves with OVO Points after approve_delay"
            }
            Behaviour::DeclineAfterDelay => "declines after approve_delay (FAILED 17)",
            Behaviour::FailNow("14") => "not registered (FAILED 14 at once)",
            Behaviour::FailNow("26") => "push to app fails (FAILED 26 at once)",
            Behaviour::FailNow("56") => "card blocked (FAILED 56 at once)",
            Behaviour::FailNow("64") => "account blocked (FAILED 64 at once)",
            Behaviour::FailNow("61") => "exceeds user limit (FAILED 61 at once)",
            Behaviour::FailNow("65") => "limit exceeded (FAILED 65 at once)",
            Behaviour::FailNow("67") => "below minimum (FAILED 67 at once)",
            Behaviour::FailNow(_) => "fails at once",
            Behaviour::NeverAnswers => "never answers (TIMEOUT 68 after hold)",
            Behaviour::Manual => "waits for /simulator/pay or /simulator/decline, else TIMEOUT 68",
            Behaviour::PaysButAnswerFails(fault) => fault.describe(),
        }
    }
}

/// One row of the scripted wallet table.
#[derive(Clone, Copy, Debug)]
pub struct ScriptedWallet {
    /// Phone number used as `ovo_info.ovo_id`.
    pub ovo_id: &'static str,
    /// `ovo_info.ovo_account_name` (empty for the unregistered number).
    pub account_name: &'static str,
    /// What it does.
    pub behaviour: Behaviour,
}

/// The scripted test wallets; any other valid number behaves as [`Behaviour::Manual`].
pub const SCRIPTED: &[ScriptedWallet] = &[
    w(
        "081211111111",
        "Taufik Ismail",
        Behaviour::ApproveAfterDelay(PayMethod::Cash),
    ),
    w(
        "081522222222",
        "Dewi Lestari",
        Behaviour::ApproveAfterDelay(PayMethod::Points),
    ),
    w("081733333333", "Budi Santoso", Behaviour::DeclineAfterDelay),
    w("089900000014", "", Behaviour::FailNow("14")),
    w("089900000026", "Rina Wijaya", Behaviour::FailNow("26")),
    w("089900000056", "Agus Salim", Behaviour::FailNow("56")),
    w("089900000064", "Sri Mulyani", Behaviour::FailNow("64")),
    w("089900000061", "Joko Susilo", Behaviour::FailNow("61")),
    w("089900000065", "Putri Ayu", Behaviour::FailNow("65")),
    w("089900000067", "Hendra Gunawan", Behaviour::FailNow("67")),
    w("080012341234", "Andi Pratama", Behaviour::NeverAnswers),
    w("089800000500", "Fajar Nugroho", fault(Fault::Http500Html)),
    w("089800000503", "Lina Marlina", fault(Fault::Http503Empty)),
    w("089800000104", "Yusuf Hakim", fault(Fault::ConnectionReset)),
    w("089800000200", "Maya Sari", fault(Fault::TruncatedJson)),
    w(
        "089800000408",
        "Rudi Hartono",
        fault(Fault::SilentUntilHoldEnds),
    ),
];

const fn fault(f: Fault) -> Behaviour {
    Behaviour::PaysButAnswerFails(f)
}

const fn w(
    ovo_id: &'static str,
    account_name: &'static str,
    behaviour: Behaviour,
) -> ScriptedWallet {
    ScriptedWallet {
        ovo_id,
        account_name,
        behaviour,
    }
}

/// Looks up the scripted row for `ovo_id`, if any.
pub fn scripted(ovo_id: &str) -> Option<&'static ScriptedWallet> {
    SCRIPTED.iter().find(|s| s.ovo_id == ovo_id)
}

/// Whether `ovo_id` is a registered OVO account (everything except the `14` number).
pub fn is_registered(ovo_id: &str) -> bool {
    !matches!(scripted(ovo_id), Some(s) if s.behaviour == Behaviour::FailNow("14"))
}

/// A wallet's live state.
#[derive(Clone, Debug, Serialize)]
pub struct Wallet {
    /// Phone number.
    pub ovo_id: String,
    /// Account holder name.
    pub account_name: String,
    /// What the wallet does with a push.
    pub behaviour: &'static str,
    /// OVO Cash balance (IDR).
    pub cash_balance: u64,
    /// OVO Points balance.
    pub ovo_points_balance: u64,
}

impl Wallet {
    /// A fresh wallet with the opening balances (zero for the unregistered number).
    pub fn open(ovo_id: &str) -> Wallet {
        let (name, behaviour) = match scripted(ovo_id) {
            Some(s) => (s.account_name, s.behaviour),
            None => (GENERIC_ACCOUNT_NAME, Behaviour::Manual),
        };
        let registered = is_registered(ovo_id);
        Wallet {
            ovo_id: ovo_id.to_owned(),
            account_name: name.to_owned(),
            behaviour: behaviour.describe(),
            cash_balance: if registered { OPENING_CASH } else { 0 },
            ovo_points_balance: if registered { OPENING_POINTS } else { 0 },
        }
    }
}

/// Behaviour of `ovo_id`: its scripted row or [`Behaviour::Manual`].
pub fn behaviour_of(ovo_id: &str) -> Behaviour {
    scripted(ovo_id).map_or(Behaviour::Manual, |s| s.behaviour)
}

/// The fault of a fault wallet, `None` for every other number.
pub fn fault_of(ovo_id: &str) -> Option<Fault> {
    match behaviour_of(ovo_id) {
        Behaviour::PaysButAnswerFails(f) => Some(f),
        _ => None,
    }
}
