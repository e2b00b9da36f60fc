//! `ovo::Response::parse` on arbitrary bytes, answering a fixed request (the spec's sample).
//!
//! Asserts: no panic, whatever the body; an error is always `OutcomeUnknown` with no field;
//! a parsed response echoes the request exactly, its status is one of the three the spec
//! lists and agrees with the JSON, and every field reads as text or as a number, never both.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|body: &[u8]| {
    let request = common::sample_request();
    match ovo::Response::parse(body, &request) {
        Ok(response) => {
            common::check_parsed(&response, &request);
            // Only a JSON object can parse; the status DOKU sent is the one reported.
            let json: serde_json::Value = serde_json::from_slice(body).expect("parsed, so JSON");
            assert_eq!(
                json["ovo_payment"]["status"].as_str(),
                Some(response.status.as_str())
            );
        }
        Err(error) => common::check_parse_error(&error),
    }
});
