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
];

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
