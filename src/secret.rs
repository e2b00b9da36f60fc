//! A secret key that never shows itself in `Debug`, `Display` or messages, and the redaction
//! that keeps it out of everything libovo hands out, whatever a server echoes back.

use std::borrow::Cow;
use std::fmt;

/// What replaces the key (or a long enough piece of it).
pub const REDACTED: &str = "***";

/// A piece of the key this long at its start is redacted too (a cut-off copy of it).
pub const PREFIX_MIN: usize = 6;

/// The merchant's secret key. Its `Debug` output is `Secret(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    key: String,
    /// What to look for: the key, and the key read as escaped text when that differs (a key
    /// holding `\"` would show that way once a server's JSON is decoded and re-escaped).
    needles: Vec<Vec<u8>>,
}

impl Secret {
    /// Wraps a key (already validated by the caller).
    pub fn new(key: String) -> Self {
        let mut needles = vec![key.as_bytes().to_vec()];
        let decoded = decode(key.as_bytes());
        if decoded != key.as_bytes() && !decoded.is_empty() {
            needles.push(decoded);
        }
        Secret { key, needles }
    }

    /// The key itself, for hashing only.
    pub fn expose(&self) -> &str {
        &self.key
    }

    /// `text` with every copy of the key replaced by `***`: written plainly, JSON-escaped
    /// (`\u002d`, `\"`, `\\`, `\/`), Rust-escaped (`\u{2d}`) or percent-encoded, in any mix,
    /// and also a copy of its first [`PREFIX_MIN`] or more characters (a cut-off copy).
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.redact_bytes(text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            // Only ASCII spans are replaced by ASCII, so the result stays UTF-8.
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8(bytes).expect("UTF-8 kept")),
        }
    }

    /// [`Secret::redact`] for bytes (a response body).
    pub fn redact_bytes<'a>(&self, data: &'a [u8]) -> Cow<'a, [u8]> {
        if self.key.is_empty() {
            return Cow::Borrowed(data);
        }
        let mut out: Option<Vec<u8>> = None;
        let mut copied = 0;
        let mut i = 0;
        while i < data.len() {
            let found = self
                .needles
                .iter()
                .filter_map(|n| match_key(n, &data[i..]))
                .max();
            match found {
                Some(len) => {
                    let out = out.get_or_insert_with(|| Vec::with_capacity(data.len()));
                    out.extend_from_slice(&data[copied..i]);
                    out.extend_from_slice(REDACTED.as_bytes());
                    i += len;
                    copied = i;
                }
                None => i += 1,
            }
        }
        match out {
            None => Cow::Borrowed(data),
            Some(mut out) => {
                out.extend_from_slice(&data[copied..]);
                Cow::Owned(out)
            }
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The length of the longest span at the start of `text` that spells `key` (or its first
/// `PREFIX_MIN`+ characters), each character written plainly or in one of the escapes
/// [`Secret::redact`] lists. Both readings of an escape are tried (a key may hold `\"` itself).
fn match_key(key: &[u8], text: &[u8]) -> Option<usize> {
    let first = *text.first()?;
    if first != key[0] && first != b'\\' && first != b'%' {
        return None; // the common case, decided without a search
    }
    let mut best = None;
    full_match(key, text, 0, 0, &mut best).or(best)
}

/// Depth-first search of the readings of `text[t..]` that spell `key[k..]` (at most one level
/// per key character); notes in `best` the longest span spelling `PREFIX_MIN`+ characters.
fn full_match(
    key: &[u8],
    text: &[u8],
    k: usize,
    t: usize,
    best: &mut Option<usize>,
) -> Option<usize> {
    if k == key.len() {
        return Some(t);
    }
    if k >= PREFIX_MIN && best.is_none_or(|b| t > b) {
        *best = Some(t);
    }
    let here = text.get(t..).filter(|rest| !rest.is_empty())?;
    if here[0] == key[k] {
        if let Some(end) = full_match(key, text, k + 1, t + 1, best) {
            return Some(end);
        }
    }
    match one_char(here) {
        Some((c, len)) if len > 1 && c == key[k] => full_match(key, text, k + 1, t + len, best),
        _ => None,
    }
}

/// `text` with every escape [`one_char`] knows replaced by the character it spells.
fn decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut t = 0;
    while let Some((c, len)) = one_char(&text[t..]) {
        out.push(c);
        t += len;
    }
    out
}

/// The ASCII byte the start of `text` spells and how many bytes spell it.
fn one_char(text: &[u8]) -> Option<(u8, usize)> {
    let hex = |digits: &[u8]| -> Option<u32> {
        let s = std::str::from_utf8(digits).ok()?;
        u32::from_str_radix(s, 16).ok()
    };
    let ascii = |v: u32| u8::try_from(v).ok().filter(u8::is_ascii);
    match text {
        [b'\\', b'u', b'{', rest @ ..] => {
            let end = rest.iter().take(7).position(|&b| b == b'}')?;
            Some((ascii(hex(&rest[..end])?)?, 4 + end))
        }
        [b'\\', b'u', a, b, c, d, ..] => Some((ascii(hex(&[*a, *b, *c, *d])?)?, 6)),
        [b'\\', b'x', a, b, ..] => Some((ascii(hex(&[*a, *b])?)?, 4)),
        [b'\\', c @ (b'"' | b'\\' | b'/' | b'\''), ..] => Some((*c, 2)),
        [b'%', a, b, ..] => Some((ascii(hex(&[*a, *b])?)?, 3)),
        [c, ..] => Some((*c, 1)),
        [] => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_plain_escaped_encoded_and_cut_copies() {
        let s = Secret::new(r#"SK-9s"Cr\J1k/dY"#.to_owned());
        for text in [
            r#"key SK-9s"Cr\J1k/dY end"#,
            r#"key SK\u002d9s\"Cr\\J1k\/dY end"#,
            r#"key SK\u{2d}9s\"Cr\\J1k/dY end"#,
            "key SK%2D9s%22Cr%5CJ1k%2FdY end",
            "key SK-9s\"C",
            r#"key SK\u002D9s\"Cr..."#,
        ] {
            let out = s.redact(text);
            assert!(out.starts_with("key ***"), "{text} -> {out}");
            assert!(!out.contains("9s"), "{text} -> {out}");
        }
        assert_eq!(s.redact("SK-9x nothing here"), "SK-9x nothing here");
        assert!(matches!(s.redact("no key"), Cow::Borrowed(_)));
        assert_eq!(
            &*s.redact_bytes(b"\xff\xfeSK-9s\"Cr\\J1k/dY"),
            b"\xff\xfe***"
        );
    }
}
