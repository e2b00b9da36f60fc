//! A non-blocking connection to DOKU: a TCP socket, optionally with a TLS session on top.

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::time::Instant;

use mio::net::TcpStream;
use rustls::ClientConnection;

/// A connected (or connecting) socket and, for `https`, its TLS session.
pub(crate) struct Conn {
    /// The socket (non-blocking).
    pub sock: TcpStream,
    /// The TLS session, once started.
    pub tls: Option<Box<ClientConnection>>,
    /// When the connection last finished an exchange (for the pool's idle limit).
    pub idle_since: Instant,
}

/// What a non-blocking read produced.
pub(crate) enum Got {
    /// This many plaintext bytes are at the start of the scratch buffer.
    Data(usize),
    /// Nothing now: wait until readable.
    Again,
    /// The peer closed the connection (cleanly, or without TLS close_notify).
    Eof,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Conn(fd {}, tls {})",
            self.sock.as_raw_fd(),
            self.tls.is_some()
        )
    }
}

impl Conn {
    /// Wraps a socket that is connecting or connected.
    pub(crate) fn new(sock: TcpStream) -> Conn {
        Conn {
            sock,
            tls: None,
            idle_since: Instant::now(),
        }
    }

    /// The socket's file descriptor (for poll and cancel).
    pub(crate) fn fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }

    /// Writes plain `data` to the socket (no TLS); `Ok(0)` means "try again when writable".
    pub(crate) fn write_raw(&mut self, data: &[u8]) -> io::Result<usize> {
        match self.sock.write(data) {
            Ok(n) => Ok(n),
            Err(e) if again(&e) => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// Reads plain bytes from the socket (no TLS) into `scratch`.
    pub(crate) fn read_raw(&mut self, scratch: &mut [u8]) -> io::Result<Got> {
        loop {
            match self.sock.read(scratch) {
                Ok(0) => return Ok(Got::Eof),
                Ok(n) => return Ok(Got::Data(n)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if again(&e) => return Ok(Got::Again),
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads plaintext into `scratch`: from the TLS session when there is one, else the socket.
    pub(crate) fn read(&mut self, scratch: &mut [u8]) -> io::Result<Got> {
        if self.tls.is_some() {
            self.read_tls(scratch)
        } else {
            self.read_raw(scratch)
        }
    }

    /// Writes what TLS has queued; `Ok(true)` once nothing is left, with the bytes written
    /// added to `*wrote`.
    pub(crate) fn flush_tls(&mut self, wrote: &mut usize) -> io::Result<bool> {
        let Some(tls) = self.tls.as_mut() else {
            return Ok(true);
        };
        while tls.wants_write() {
            match tls.write_tls(&mut self.sock) {
                Ok(n) => *wrote += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if again(&e) => return Ok(false),
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    /// Reads TLS records until they yield plaintext in `scratch` (or nothing is left to read).
    /// TLS protocol errors come back as `InvalidData` carrying the rustls error.
    pub(crate) fn read_tls(&mut self, scratch: &mut [u8]) -> io::Result<Got> {
        let tls = self.tls.as_mut().expect("TLS session");
        loop {
            match tls.reader().read(scratch) {
                Ok(0) => return Ok(Got::Eof),
                Ok(n) => return Ok(Got::Data(n)),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(Got::Eof),
                Err(e) => return Err(e),
            }
            match tls.read_tls(&mut self.sock) {
                Ok(0) => return Ok(Got::Eof),
                Ok(_) => {
                    tls.process_new_packets()
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if again(&e) => return Ok(Got::Again),
                Err(e) => return Err(e),
            }
        }
    }

    /// Whether an idle connection can carry another request: the peer has not closed it and
    /// sent nothing but TLS housekeeping (e.g. session tickets) since the last answer.
    pub(crate) fn still_usable(&mut self) -> bool {
        let mut byte = 0u8;
        // SAFETY: a one-byte peek into a local, on a socket this connection owns.
        let n = unsafe {
            libc::recv(
                self.fd(),
                (&mut byte as *mut u8).cast(),
                1,
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        if n < 0 {
            return again(&io::Error::last_os_error());
        }
        if n == 0 || self.tls.is_none() {
            return false;
        }
        let mut scratch = [0u8; 512];
        matches!(self.read_tls(&mut scratch), Ok(Got::Again))
    }
}

/// Whether `e` means "not ready now".
fn again(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock
}
