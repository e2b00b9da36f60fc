//! An HTTP/1.1 response read incrementally: head (httparse), then a body framed by
//! `Content-Length`, `chunked` or the end of the connection, bounded in size.

use std::io::Read;

/// Largest response head accepted.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// A response as far as it has arrived.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    /// Bytes not yet consumed (head bytes until the head is complete, then body framing).
    pending: Vec<u8>,
    head: Option<Head>,
    body: Vec<u8>,
    limit: usize,
}

#[derive(Debug)]
struct Head {
    status: u16,
    keep_alive: bool,
    gzip: bool,
    framing: Framing,
}

#[derive(Debug)]
enum Framing {
    /// `Content-Length`: bytes still to come.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked(Chunk),
    /// Until the server closes the connection.
    UntilClose,
}

#[derive(Debug)]
enum Chunk {
    /// Waiting for a chunk-size line.
    Size,
    /// Inside a chunk: bytes still to come, then CRLF.
    Data(u64),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// Trailer lines after the last chunk, until an empty line.
    Trailers,
}

/// What the response looks like once complete.
#[derive(Debug)]
pub(crate) struct Complete {
    /// HTTP status.
    pub status: u16,
    /// The (decoded) body.
    pub body: Vec<u8>,
    /// Whether the connection can carry another request.
    pub keep_alive: bool,
}

/// Why a response cannot be read; the text completes "the answer ...".
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ParseError(pub String);

impl Parser {
    /// A parser accepting bodies up to `limit` bytes (decoded).
    pub(crate) fn new(limit: usize) -> Parser {
        Parser {
            limit,
            ..Parser::default()
        }
    }

    /// The status code, once the head has arrived.
    pub(crate) fn status(&self) -> Option<u16> {
        self.head.as_ref().map(|h| h.status)
    }

    /// Takes newly received bytes; `Ok(true)` once the response is complete (then call
    /// [`Parser::finish`], not `feed` or `eof` again).
    pub(crate) fn feed(&mut self, data: &[u8]) -> Result<bool, ParseError> {
        self.pending.extend_from_slice(data);
        if self.head.is_none() && !self.parse_head()? {
            return Ok(false);
        }
        self.parse_body()
    }

    /// The server closed the connection; `Ok(true)` when that completes the response.
    pub(crate) fn eof(&mut self) -> Result<bool, ParseError> {
        match &self.head {
            Some(Head {
                framing: Framing::UntilClose,
                ..
            }) => Ok(true),
            Some(_) => Err(ParseError(
                "was cut off: the connection closed before the body was complete".into(),
            )),
            None => Err(ParseError(
                "never came: the connection closed before a complete response head".into(),
            )),
        }
    }

    /// The complete response (after `feed` or `eof` returned `true`).
    pub(crate) fn finish(self) -> Result<Complete, ParseError> {
        let head = self.head.expect("finish after the head");
        let body = if head.gzip {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&self.body[..])
                .take(self.limit as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| ParseError(format!("is gzip-encoded but does not decode ({e})")))?;
            if out.len() > self.limit {
                return Err(too_big(self.limit));
            }
            out
        } else {
            self.body
        };
        let keep_alive = head.keep_alive && !matches!(head.framing, Framing::UntilClose);
        Ok(Complete {
            status: head.status,
            body,
            keep_alive,
        })
    }

    fn parse_head(&mut self) -> Result<bool, ParseError> {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut response = httparse::Response::new(&mut headers);
            let len = match response.parse(&self.pending) {
                Ok(httparse::Status::Complete(len)) => len,
                Ok(httparse::Status::Partial) if self.pending.len() > MAX_HEAD_BYTES => {
                    return Err(ParseError(format!(
                        "has a head larger than {MAX_HEAD_BYTES} bytes"
                    )))
                }
                Ok(httparse::Status::Partial) => return Ok(false),
                Err(e) => return Err(ParseError(format!("is not valid HTTP ({e})"))),
            };
            let status = response.code.unwrap_or(0);
            if (100..200).contains(&status) && status != 101 {
                // An informational head (100 Continue, 103 Early Hints): the real one follows.
                self.pending.drain(..len);
                continue;
            }
            let head = head_of(status, response.version == Some(1), response.headers)?;
            self.pending.drain(..len);
            self.head = Some(head);
            return Ok(true);
        }
    }

    fn parse_body(&mut self) -> Result<bool, ParseError> {
        let limit = self.limit;
        let head = self.head.as_mut().expect("head parsed");
        loop {
            match &mut head.framing {
                Framing::Length(0) => {
                    if !self.pending.is_empty() {
                        head.keep_alive = false;
                    }
                    return Ok(true);
                }
                Framing::Length(left) => {
                    let take = (*left).min(self.pending.len() as u64) as usize;
                    if take == 0 {
                        return Ok(false);
                    }
                    push_limited(&mut self.body, &self.pending[..take], limit)?;
                    self.pending.drain(..take);
                    *left -= take as u64;
                }
                Framing::UntilClose => {
                    push_limited(&mut self.body, &self.pending, limit)?;
                    self.pending.clear();
                    return Ok(false);
                }
                Framing::Chunked(chunk) => match chunk {
                    Chunk::Size => match httparse::parse_chunk_size(&self.pending) {
                        Ok(httparse::Status::Complete((len, 0))) => {
                            self.pending.drain(..len);
                            *chunk = Chunk::Trailers;
                        }
                        Ok(httparse::Status::Complete((len, size))) => {
                            self.pending.drain(..len);
                            *chunk = Chunk::Data(size);
                        }
                        Ok(httparse::Status::Partial) if self.pending.len() > 1024 => {
                            return Err(ParseError("has a chunk-size line that never ends".into()))
                        }
                        Ok(httparse::Status::Partial) => return Ok(false),
                        Err(_) => return Err(ParseError("has a malformed chunk size".into())),
                    },
                    Chunk::Data(left) => {
                        let take = (*left).min(self.pending.len() as u64) as usize;
                        if take == 0 {
                            return Ok(false);
                        }
                        push_limited(&mut self.body, &self.pending[..take], limit)?;
                        self.pending.drain(..take);
                        *left -= take as u64;
                        if *left == 0 {
                            *chunk = Chunk::DataEnd;
                        }
                    }
                    Chunk::DataEnd => {
                        if self.pending.len() < 2 {
                            return Ok(false);
                        }
                        if &self.pending[..2] != b"\r\n" {
                            return Err(ParseError("has a chunk without its CRLF".into()));
                        }
                        self.pending.drain(..2);
                        *chunk = Chunk::Size;
                    }
                    Chunk::Trailers => {
                        let Some(end) = self.pending.windows(2).position(|w| w == b"\r\n") else {
                            if self.pending.len() > MAX_HEAD_BYTES {
                                return Err(ParseError("has trailers that never end".into()));
                            }
                            return Ok(false);
                        };
                        self.pending.drain(..end + 2);
                        if end == 0 {
                            head.framing = Framing::Length(0);
                        }
                    }
                },
            }
        }
    }
}

fn head_of(
    status: u16,
    http11: bool,
    headers: &[httparse::Header<'_>],
) -> Result<Head, ParseError> {
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let mut close = !http11;
    let mut gzip = false;
    for h in headers {
        let value = String::from_utf8_lossy(h.value);
        let value = value.trim();
        if h.name.eq_ignore_ascii_case("content-length") {
            let n = value
                .parse::<u64>()
                .map_err(|_| ParseError("has an unreadable Content-Length".into()))?;
            if length.is_some_and(|l| l != n) {
                return Err(ParseError(
                    "has two different Content-Length headers".into(),
                ));
            }
            length = Some(n);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            let last = value.rsplit(',').next().unwrap_or("").trim();
            if !last.eq_ignore_ascii_case("chunked") {
                return Err(ParseError(format!(
                    "uses an unsupported Transfer-Encoding ({value})"
                )));
            }
            chunked = true;
        } else if h.name.eq_ignore_ascii_case("connection") {
            let tokens = value.split(',').map(str::trim);
            for token in tokens {
                if token.eq_ignore_ascii_case("close") {
                    close = true;
                } else if token.eq_ignore_ascii_case("keep-alive") && !http11 {
                    close = false;
                }
            }
        } else if h.name.eq_ignore_ascii_case("content-encoding") {
            match value.to_ascii_lowercase().as_str() {
                "" | "identity" => {}
                "gzip" | "x-gzip" => gzip = true,
                other => {
                    return Err(ParseError(format!(
                        "uses an unsupported Content-Encoding ({other})"
                    )))
                }
            }
        }
    }
    if chunked && length.is_some() {
        return Err(ParseError(
            "has both Content-Length and Transfer-Encoding (ambiguous framing)".into(),
        ));
    }
    let framing = if status == 204 || status == 304 {
        Framing::Length(0)
    } else if chunked {
        Framing::Chunked(Chunk::Size)
    } else {
        length.map_or(Framing::UntilClose, Framing::Length)
    };
    Ok(Head {
        status,
        keep_alive: !close,
        gzip,
        framing,
    })
}

fn push_limited(body: &mut Vec<u8>, data: &[u8], limit: usize) -> Result<(), ParseError> {
    if body.len() + data.len() > limit {
        return Err(too_big(limit));
    }
    body.extend_from_slice(data);
    Ok(())
}

fn too_big(limit: usize) -> ParseError {
    ParseError(format!("has a body larger than {limit} bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_in_pieces(raw: &[u8], piece: usize) -> Result<Complete, ParseError> {
        let mut p = Parser::new(1 << 20);
        for part in raw.chunks(piece) {
            if p.feed(part)? {
                return p.finish();
            }
        }
        assert!(p.eof()?, "incomplete");
        p.finish()
    }

    #[test]
    fn every_framing_in_any_pieces() {
        let cases: [(&[u8], &[u8], bool); 4] = [
            (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", b"hello", true),
            (
                b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nhel\r\n2\r\nlo\r\n0\r\nX-T: 1\r\n\r\n",
                b"hello",
                true,
            ),
            (b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello", b"hello", false),
            (b"HTTP/1.0 204 No Content\r\n\r\n", b"", false),
        ];
        for (raw, body, keep_alive) in cases {
            for piece in [1, 2, 7, raw.len()] {
                let c = parse_in_pieces(raw, piece).unwrap();
                assert_eq!(
                    (c.body.as_slice(), c.keep_alive),
                    (body, keep_alive),
                    "piece {piece}"
                );
            }
        }
    }

    #[test]
    fn limits_and_malformed_framing_are_errors() {
        let mut p = Parser::new(4);
        assert!(p
            .feed(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            .is_err());
        for raw in [
            &b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"NOT HTTP\r\n\r\n",
        ] {
            assert!(
                Parser::new(100).feed(raw).is_err(),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        let mut p = Parser::new(100);
        assert_eq!(
            p.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhel"),
            Ok(false)
        );
        assert!(p.eof().is_err(), "a cut body is an error");
        let huge = vec![b'a'; MAX_HEAD_BYTES + 10];
        assert!(Parser::new(100).feed(&huge).is_err());
    }
}
