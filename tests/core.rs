//! Pure core: checksum and signature vectors, field rules, response codes, response parsing.
//! Known answers were computed independently with Python's hashlib/hmac and recorded here.

use ovo::response::Field;
use ovo::{checksum, describe, Error, Outcome, PaymentFields, Response, ResultCode, Status};

const CLIENT: &str = "MCH-0001-10791114622547";
const SECRET: &str = "SK-9sCrJ1kdYUJAYlsJKlqz";

fn fields<'a>(
    client_id: &'a str,
    invoice: &'a str,
    amount: i64,
    ovo_id: &'a str,
) -> PaymentFields<'a> {
    PaymentFields {
        client_id,
        invoice_number: invoice,
        amount,
        ovo_id,
    }
}

#[test]
fn checksum_known_answers() {
    let long_invoice = "x".repeat(64);
    let cases: [(PaymentFields<'_>, &str, &str); 4] = [
        (
            fields(CLIENT, "INV-20210115-0001", 10000, "081211111111"),
            SECRET,
            "5f1f8428d5bb8c624b4893d0d16064d9a7a80de9ab1fa93c6a716d7bb775de78",
        ),
        (
            fields("C", "I", 1, "081211111"),
            "S",
            "3bd595284bad6443ff4b8c3ea973466b0bcee84d581a7d9dc1d4ee00811199e0",
        ),
        (
            fields(
                "BRN-0201-1234567890123",
                "inv 2024/07 #9 (a)",
                999_999_999_999,
                "628123456789012",
            ),
            "SK-abc!@#",
            "ab528ee9277d4d50a9230d8a822511af12d6bd8261da7833368366520b351a7a",
        ),
        (
            fields(CLIENT, &long_invoice, 150000, "089900000014"),
            SECRET,
            "d4a7df4e18df678e80fc94f6174ee52efbab0101008b68fa230a8510a8fd5438",
        ),
    ];
    for (f, secret, expected) in cases {
        assert_eq!(checksum(&f, secret).unwrap(), expected, "{f:?}");
    }
}

#[test]
fn signature_known_answer() {
    let secret = ovo::checksum::sign(
        CLIENT,
        "fd3f2d6c-5d5c-4b6b-9b1a-0c3e2f1a7b9d",
        "2020-10-14T09:29:28Z",
        "/ovo-emoney/v1/payment",
        Some(br#"{"a":1}"#),
        &secret_for_test(),
    );
    assert_eq!(
        secret.digest,
        "AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX+GI="
    );
    assert_eq!(
        secret.signature,
        "HMACSHA256=bJe5Hs2YXhUHkLaWtCNRmZcGg442ISxnQTPJBgfEBNg="
    );
}

#[test]
fn get_signature_has_no_digest_line() {
    // Independently computed with Python's hmac over the four lines, no Digest, no trailing \n.
    let signed = ovo::checksum::sign(
        CLIENT,
        "fd3f2d6c-5d5c-4b6b-9b1a-0c3e2f1a7b9d",
        "2020-10-14T09:29:28Z",
        "/orders/v1/status/INV-20210115-0001",
        None,
        &secret_for_test(),
    );
    assert_eq!(
        signed.signature,
        "HMACSHA256=elQrOxomsw7DBof6gNI2FDkE0FBzZFn0zW9TgVomc1w="
    );
    assert_eq!(signed.digest, "");
}

fn secret_for_test() -> ovo::secret::Secret {
    ovo::secret::Secret::new(SECRET.to_owned())
}

#[test]
fn request_timestamp_format() {
    assert_eq!(
        ovo::clock::format_utc(1_602_667_768),
        "2020-10-14T09:29:28Z"
    );
    assert_eq!(ovo::clock::format_utc(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(ovo::clock::format_utc(0), "1970-01-01T00:00:00Z");
    let now = ovo::clock::request_timestamp();
    assert_eq!(now.len(), 20, "{now}");
}

/// (field values, expected field at fault or None when valid)
#[test]
fn validation_table() {
    let ok = "081211111111";
    let (nines64, nines65) = ("9".repeat(64), "9".repeat(65));
    let table: Vec<(PaymentFields<'_>, Option<&str>)> = vec![
        (fields(CLIENT, "INV-1", 1, ok), None),
        (fields(CLIENT, "INV-1", 999_999_999_999, ok), None),
        (
            fields(CLIENT, "a b ~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./", 10, ok),
            None,
        ),
        (fields(CLIENT, &nines64, 10, ok), None),
        (fields(CLIENT, "INV", 10, "123456789"), None),
        (fields(CLIENT, "INV", 10, "123456789012345"), None),
        (fields(CLIENT, "INV", 0, ok), Some("order.amount")),
        (fields(CLIENT, "INV", -5, ok), Some("order.amount")),
        (
            fields(CLIENT, "INV", 1_000_000_000_000, ok),
            Some("order.amount"),
        ),
        (fields(CLIENT, "INV", i64::MAX, ok), Some("order.amount")),
        (fields(CLIENT, "", 10, ok), Some("order.invoice_number")),
        (
            fields(CLIENT, &nines65, 10, ok),
            Some("order.invoice_number"),
        ),
        (
            fields(CLIENT, "INV\n1", 10, ok),
            Some("order.invoice_number"),
        ),
        (
            fields(CLIENT, "INV\t1", 10, ok),
            Some("order.invoice_number"),
        ),
        (
            fields(CLIENT, "INV-é", 10, ok),
            Some("order.invoice_number"),
        ),
        (
            fields(CLIENT, "INV\u{7f}", 10, ok),
            Some("order.invoice_number"),
        ),
        (fields(CLIENT, "INV", 10, ""), Some("ovo_info.ovo_id")),
        (
            fields(CLIENT, "INV", 10, "12345678"),
            Some("ovo_info.ovo_id"),
        ),
        (
            fields(CLIENT, "INV", 10, "1234567890123456"),
            Some("ovo_info.ovo_id"),
        ),
        (
            fields(CLIENT, "INV", 10, "+6281211111"),
            Some("ovo_info.ovo_id"),
        ),
        (
            fields(CLIENT, "INV", 10, "0812 1111 1111"),
            Some("ovo_info.ovo_id"),
        ),
        (
            fields(CLIENT, "INV", 10, "٠٨١٢١١١١١١١١"),
            Some("ovo_info.ovo_id"),
        ),
        (fields("", "INV", 10, ok), Some("client.id")),
        (fields("MCH 1", "INV", 10, ok), Some("client.id")),
        (fields("MCH\r\nX-Evil: 1", "INV", 10, ok), Some("client.id")),
    ];
    for (f, expected) in table {
        let got = f.validate().err();
        assert_eq!(got.as_ref().and_then(|e| e.field), expected, "{f:?}");
        if let Some(e) = got {
            assert_eq!(e.code, ResultCode::InvalidArgument);
            assert!(e.message.starts_with(expected.unwrap()), "{}", e.message);
        }
    }
}

#[test]
fn secret_key_rules_never_echo_the_key() {
    let f = fields(CLIENT, "INV", 10, "081211111111");
    for bad in ["", "has space", "tab\tkey", &"k".repeat(257)] {
        let e = checksum(&f, bad).unwrap_err();
        assert_eq!(e.field, Some("secret_key"));
        if !bad.is_empty() {
            assert!(!e.message.contains(bad), "{}", e.message);
        }
    }
}

#[test]
fn every_code_of_the_spec_is_described() {
    let spec = [
        ("00", "Success / Approved"),
        ("14", "Invalid Mobile Number / OVO ID"),
        ("17", "Transaction Decline"),
        ("25", "Transaction Not Found"),
        ("26", "Transaction Failed"),
        ("40", "Transaction Failed"),
        ("54", "Transaction Expired (More than 7 days)"),
        ("56", "Card Blocked. Please call 1500696"),
        ("58", "Transaction Not Allowed"),
        ("61", "Exceed Transaction Limit"),
        ("63", "Security Violation"),
        ("64", "Account Blocked. Please call 1500696"),
        ("65", "Transaction Failed"),
        ("67", "Below Transaction Limit"),
        ("68", "Transaction Pending / Timeout"),
        ("73", "Transaction has been reversed"),
        ("96", "Invalid Processing Code"),
        ("ER", "System Failure"),
        ("EB", "Terminal Blocked"),
    ];
    assert_eq!(ovo::codes::CODES.len(), spec.len());
    for (code, name) in spec {
        let info = describe(code);
        assert!(info.known, "{code}");
        assert_eq!((info.code, info.name), (code, name));
        assert!(!info.description.is_empty());
    }
    for unknown in ["", "99", "0", "000", "er", " 00"] {
        let info = describe(unknown);
        assert!(!info.known, "{unknown:?}");
        assert_eq!(info.code, "??");
    }
}

#[test]
fn zeroed_outcome_is_unknown_and_names_are_stable() {
    assert_eq!(
        Outcome::Unknown as u32,
        0,
        "a zeroed outcome must be the safe one"
    );
}

fn spec_response(amount: i64) -> String {
    format!(
        r#"{{"client":{{"id":"{CLIENT}"}},"order":{{"invoice_number":"INV-20210115-0001","amount":{amount}}},
        "ovo_info":{{"ovo_id":"081211111111","ovo_account_name":"Taufik Ismail"}},
        "ovo_configuration":{{"merchant_id":"00000179","store_code":"000000000000179","mid":"000000000000179","tid":"00000179"}},
        "ovo_payment":{{"date":"20201014162928","batch_number":4,"trace_number":987654,"reference_number":38,
        "approval_code":"19832","response_code":"00","cash_used":10000,"cash_balance":90000,"ovo_points_used":0,
        "ovo_points_balance":100000,"ovo_points_earned":0,"status":"SUCCESS"}},
        "security":{{"check_sum":"5df88427628952ac65fee1d01aa163cdd26a1cf806c7e80d770fa307db180930"}}}}"#
    )
}

fn sent() -> PaymentFields<'static> {
    fields(CLIENT, "INV-20210115-0001", 10000, "081211111111")
}

#[test]
fn parses_every_field_of_the_spec_sample() {
    let r = Response::parse(spec_response(10000).as_bytes(), &sent()).unwrap();
    assert_eq!(r.status, Status::Success);
    let texts = [
        (Field::ClientId, CLIENT),
        (Field::InvoiceNumber, "INV-20210115-0001"),
        (Field::OvoId, "081211111111"),
        (Field::AccountName, "Taufik Ismail"),
        (Field::MerchantId, "00000179"),
        (Field::StoreCode, "000000000000179"),
        (Field::Mid, "000000000000179"),
        (Field::Tid, "00000179"),
        (Field::Date, "20201014162928"),
        (Field::ApprovalCode, "19832"),
        (Field::ResponseCode, "00"),
        (Field::Status, "SUCCESS"),
        (
            Field::CheckSum,
            "5df88427628952ac65fee1d01aa163cdd26a1cf806c7e80d770fa307db180930",
        ),
    ];
    for (field, value) in texts {
        assert_eq!(r.text(field), Some(value), "{field:?}");
        assert_eq!(r.number(field), None, "{field:?}");
    }
    let numbers = [
        (Field::Amount, 10000),
        (Field::BatchNumber, 4),
        (Field::TraceNumber, 987654),
        (Field::ReferenceNumber, 38),
        (Field::CashUsed, 10000),
        (Field::CashBalance, 90000),
        (Field::PointsUsed, 0),
        (Field::PointsBalance, 100000),
        (Field::PointsEarned, 0),
    ];
    for (field, value) in numbers {
        assert_eq!(r.number(field), Some(value), "{field:?}");
        assert_eq!(r.text(field), None, "{field:?}");
    }
}

fn parse_error(body: &str) -> Error {
    Response::parse(body.as_bytes(), &sent()).unwrap_err()
}

#[test]
fn unusable_responses_are_outcome_unknown() {
    let good = spec_response(10000);
    let cases = [
        ("not json", "<html>500</html>".to_owned()),
        ("truncated", good[..good.len() / 2].to_owned()),
        ("array", "[1,2]".to_owned()),
        ("mismatched amount", spec_response(5000)),
        (
            "mismatched invoice",
            good.replace("INV-20210115-0001", "INV-OTHER"),
        ),
        (
            "mismatched ovo_id",
            good.replace("081211111111", "081299999999"),
        ),
        ("mismatched client", good.replace(CLIENT, "MCH-OTHER")),
        ("missing status", good.replace(r#","status":"SUCCESS""#, "")),
        ("odd status", good.replace("SUCCESS", "PENDING")),
        ("status wrong type", good.replace(r#""SUCCESS""#, "1")),
        (
            "amount wrong type",
            good.replace(r#""amount":10000"#, r#""amount":"ten""#),
        ),
        (
            "amount fractional",
            good.replace(r#""amount":10000"#, r#""amount":10000.5"#),
        ),
        (
            "cash_used wrong type",
            good.replace(r#""cash_used":10000"#, r#""cash_used":[]"#),
        ),
        (
            "missing response code",
            good.replace(r#""response_code":"00","#, ""),
        ),
    ];
    for (what, body) in cases {
        let e = parse_error(&body);
        assert_eq!(e.code, ResultCode::OutcomeUnknown, "{what}: {e}");
    }
    let e = parse_error(&spec_response(5000));
    assert!(e.message.contains("order.amount"), "{}", e.message);
}

#[test]
fn failed_and_timeout_answers_parse() {
    let failed = spec_response(10000)
        .replace("SUCCESS", "FAILED")
        .replace(r#""response_code":"00""#, r#""response_code":"17""#);
    let r = Response::parse(failed.as_bytes(), &sent()).unwrap();
    assert_eq!((r.status, r.response_code.as_str()), (Status::Failed, "17"));
    let timeout = spec_response(10000).replace("SUCCESS", "TIMEOUT");
    assert_eq!(
        Response::parse(timeout.as_bytes(), &sent()).unwrap().status,
        Status::Timeout
    );
}

#[test]
fn numbers_sent_as_digit_strings_are_accepted() {
    let body = spec_response(10000).replace(r#""batch_number":4"#, r#""batch_number":"4""#);
    let r = Response::parse(body.as_bytes(), &sent()).unwrap();
    assert_eq!(r.batch_number, Some(4));
}
