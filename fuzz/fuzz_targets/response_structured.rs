//! `ovo::Response::parse` on valid-looking DOKU answers built from the input, checked against
//! an independent model of the spec's response rules.
//!
//! Input: one line per response field, in the spec's order (client.id, order.invoice_number,
//! order.amount, ovo_info.ovo_id, ovo_info.ovo_account_name, ovo_configuration.merchant_id,
//! .store_code, .mid, .tid, ovo_payment.date, .batch_number, .trace_number, .reference_number,
//! .approval_code, .response_code, .cash_used, .cash_balance, .ovo_points_used,
//! .ovo_points_balance, .ovo_points_earned, .status, security.check_sum); a missing line is
//! `=`. Each line is `=` (the spec sample's value), empty (field absent), `null`, `r:RAW`
//! (RAW pasted verbatim: numbers, arrays, broken JSON...), `s:TEXT` or plain TEXT (a JSON
//! string). A 23rd line is pasted raw as extra top-level members (duplicate keys, a section
//! that is not an object...).
//!
//! Asserts: parse succeeds exactly when the model says so (JSON object; status SUCCESS, FAILED
//! or TIMEOUT; required fields present; text fields are strings; number fields are JSON
//! integers in i64 or non-empty digit strings that fit; the four echoed fields equal the
//! request), and then every field has the model's value; errors are `OutcomeUnknown`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "common.rs"]
mod common;

/// (section, key, number?, required?, the spec sample's value as JSON)
const FIELDS: [(&str, &str, bool, bool, &str); 22] = [
    ("client", "id", false, true, r#""MCH-0001-10791114622547""#),
    ("order", "invoice_number", false, true, r#""INV-20210115-0001""#),
    ("order", "amount", true, true, "10000"),
    ("ovo_info", "ovo_id", false, true, r#""081211111111""#),
    ("ovo_info", "ovo_account_name", false, false, r#""Taufik Ismail""#),
    ("ovo_configuration", "merchant_id", false, false, r#""00000179""#),
    ("ovo_configuration", "store_code", false, false, r#""000000000000179""#),
    ("ovo_configuration", "mid", false, false, r#""000000000000179""#),
    ("ovo_configuration", "tid", false, false, r#""00000179""#),
    ("ovo_payment", "date", false, false, r#""20201014162928""#),
    ("ovo_payment", "batch_number", true, false, "4"),
    ("ovo_payment", "trace_number", true, false, "987654"),
    ("ovo_payment", "reference_number", true, false, "38"),
    ("ovo_payment", "approval_code", false, false, r#""19832""#),
    ("ovo_payment", "response_code", false, true, r#""00""#),
    ("ovo_payment", "cash_used", true, false, "10000"),
    ("ovo_payment", "cash_balance", true, false, "90000"),
    ("ovo_payment", "ovo_points_used", true, false, "0"),
    ("ovo_payment", "ovo_points_balance", true, false, "100000"),
    ("ovo_payment", "ovo_points_earned", true, false, "0"),
    ("ovo_payment", "status", false, true, r#""SUCCESS""#),
    ("security", "check_sum", false, false, r#""5df88427628952ac65fee1d01aa163cdd26a1cf806c7e80d770fa307db180930""#),
];

/// The JSON text the input describes.
fn build(data: &[u8]) -> String {
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let mut out = String::from("{");
    let mut section = "";
    let mut first_in_section = true;
    for (i, &(sec, key, _, _, sample)) in FIELDS.iter().enumerate() {
        if sec != section {
            if !section.is_empty() {
                out.push_str("},");
            }
            out.push_str(&format!("{sec:?}:{{"));
            section = sec;
            first_in_section = true;
        }
        let line = String::from_utf8_lossy(lines.get(i).copied().unwrap_or(b"="));
        let value = match &*line {
            "" => continue,
            "=" => sample.to_owned(),
            "null" => "null".to_owned(),
            l if l.starts_with("r:") => l[2..].to_owned(),
            l => serde_json::to_string(l.strip_prefix("s:").unwrap_or(l)).expect("a string"),
        };
        if !first_in_section {
            out.push(',');
        }
        first_in_section = false;
        out.push_str(&format!("{key:?}:{value}"));
    }
    out.push('}');
    if let Some(extra) = lines.get(FIELDS.len()).filter(|l| !l.is_empty()) {
        out.push(',');
        out.push_str(&String::from_utf8_lossy(extra));
    }
    out.push('}');
    out
}

#[derive(Debug, PartialEq)]
enum Model {
    Text(String),
    Number(i64),
}

/// The model of one field: `Ok(None)` absent, `Err(())` present with the wrong type.
fn model(json: &Value, sec: &str, key: &str, number: bool) -> Result<Option<Model>, ()> {
    let value = match json.get(sec).and_then(|s| s.get(key)) {
        None | Some(Value::Null) => return Ok(None),
        Some(v) => v,
    };
    match (number, value) {
        (false, Value::String(s)) => Ok(Some(Model::Text(s.clone()))),
        (true, Value::Number(n)) => n.as_i64().map(|n| Some(Model::Number(n))).ok_or(()),
        (true, Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().map(|n| Some(Model::Number(n))).map_err(|_| ())
        }
        _ => Err(()),
    }
}

/// What `parse` must give: `None` for an error, else each field's value.
fn expected(text: &str, request: &ovo::PaymentFields<'_>) -> Option<Vec<Option<Model>>> {
    let json: Value = serde_json::from_str(text).ok()?;
    json.as_object()?;
    let values = FIELDS
        .iter()
        .map(|&(sec, key, number, _, _)| model(&json, sec, key, number))
        .collect::<Result<Vec<_>, ()>>()
        .ok()?;
    for (value, &(_, _, _, required, _)) in values.iter().zip(&FIELDS) {
        if required && value.is_none() {
            return None;
        }
    }
    let text_at = |i: usize| match &values[i] {
        Some(Model::Text(s)) => s.as_str(),
        _ => unreachable!("required text"),
    };
    if !matches!(text_at(20), "SUCCESS" | "FAILED" | "TIMEOUT")
        || text_at(0) != request.client_id
        || text_at(1) != request.invoice_number
        || values[2] != Some(Model::Number(request.amount))
        || text_at(3) != request.ovo_id
    {
        return None;
    }
    Some(values)
}

fuzz_target!(|data: &[u8]| {
    let request = common::sample_request();
    let text = build(data);
    let got = ovo::Response::parse(text.as_bytes(), &request);
    match (expected(&text, &request), got) {
        (Some(values), Ok(response)) => {
            common::check_parsed(&response, &request);
            for (n, want) in (1..=22).zip(values) {
                let field = common::field(n).expect("22 fields");
                let have = match (response.text(field), response.number(field)) {
                    (Some(t), None) => Some(Model::Text(t.to_owned())),
                    (None, Some(n)) => Some(Model::Number(n)),
                    (None, None) => None,
                    (Some(_), Some(_)) => unreachable!("checked by check_parsed"),
                };
                assert_eq!(have, want, "{field:?} in {text}");
            }
        }
        (None, Err(error)) => common::check_parse_error(&error),
        (Some(_), Err(error)) => panic!("model accepts, parse refuses ({error}): {text}"),
        (None, Ok(response)) => panic!("model refuses, parse accepts {response:?}: {text}"),
    }
});
