//! OVO's response codes, as listed in DOKU's OVO guide.

/// What the spec says about one `ovo_payment.response_code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code as DOKU sends it, e.g. `"00"` or `"ER"`.
    pub code: &'static str,
    /// The spec's short name, e.g. `"Transaction Decline"`.
    pub name: &'static str,
    /// The spec's description.
    pub description: &'static str,
    /// False for a code the spec does not list (then `code` is `"??"`).
    pub known: bool,
}

/// Every code in the spec's "OVO Response Code Mapping" table, in its order.
pub const CODES: &[CodeInfo] = &[
    known("00", "Success / Approved", "Success / Approved Transaction"),
    known("14", "Invalid Mobile Number / OVO ID", "Phone number / OVO ID not found in OVO System"),
    known("17", "Transaction Decline", "OVO User canceled payment using OVO Apps"),
    known("25", "Transaction Not Found", "Payment status not found when called by Check Payment Status API"),
    known("26", "Transaction Failed", "Failed push payment confirmation to OVO Apps"),
    known("40", "Transaction Failed", "Failed Push Payment, Error request: Merchant invoice, batch number & reference number already used from previous transactions"),
    known("54", "Transaction Expired (More than 7 days)", "Transaction details already expired when API check payment status called"),
    known("56", "Card Blocked. Please call 1500696", "Card is blocked, unable to process card transaction"),
    known("58", "Transaction Not Allowed", "Transaction module not registered in OVO Systems"),
    known("61", "Exceed Transaction Limit", "Amount / count exceed limit, set by user"),
    known("63", "Security Violation", "Authentication Failed"),
    known("64", "Account Blocked. Please call 1500696", "Account is blocked, unable to process transaction"),
    known("65", "Transaction Failed", "Limit transaction exceeded, limit on count or amount"),
    known("67", "Below Transaction Limit", "The transaction amount is less than the minimum payment"),
    known("68", "Transaction Pending / Timeout", "OVO Wallet late to give respond to OVO JPOS"),
    known("73", "Transaction has been reversed", "Transaction has been reversed by API Reversal Push to Pay in Check Payment Status API"),
    known("96", "Invalid Processing Code", "Invalid Processing Code inputted during Call API Check Payment Status"),
    known("ER", "System Failure", "There is an error in OVO Systems, Credentials not found in OVO Systems"),
    known("EB", "Terminal Blocked", "TID and/or MID not registered in OVO Systems"),
];

/// What `describe` answers for a code the spec does not list.
pub const UNKNOWN_CODE: CodeInfo = CodeInfo {
    code: "??",
    name: "Unknown Response Code",
    description: "This response code is not in DOKU's OVO response code table",
    known: false,
};

const fn known(code: &'static str, name: &'static str, description: &'static str) -> CodeInfo {
    CodeInfo {
        code,
        name,
        description,
        known: true,
    }
}

/// The spec's entry for `code` (exact, case-sensitive match), or [`UNKNOWN_CODE`].
pub fn describe(code: &str) -> &'static CodeInfo {
    CODES
        .iter()
        .find(|info| info.code == code)
        .unwrap_or(&UNKNOWN_CODE)
}
