//! The connection layer: one accept loop for HTTP and HTTPS, HTTP/1.1 by hyper, and the
//! answers that need the raw connection (closed or reset without any response).
//!
//! A handler asks for such an ending by putting a [`CloseConnection`] into its response's
//! extensions; the connection service then drops the connection instead of writing it.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

/// Longest wait for a client to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A response extension: end the connection without sending this (or any) response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseConnection {
    /// Close it normally (FIN): the client sees end-of-file before any answer.
    Close,
    /// Reset it (RST, `SO_LINGER` 0): the client sees "connection reset by peer".
    Reset,
}

/// Accepts connections forever, serving `router` on each (over TLS when `tls` is set).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> io::Result<()> {
    let acceptor = tls.map(TlsAcceptor::from);
    loop {
        let tcp = match listener.accept().await {
            Ok((tcp, _peer)) => tcp,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                // Like axum::serve: e.g. out of file descriptors; back off, then go on.
                eprintln!("ovo-sandbox: accept error: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let _ = tcp.set_nodelay(true);
        let service = ConnectionService::new(&tcp, router.clone());
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            match acceptor {
                None => serve_connection(tcp, service).await,
                Some(acceptor) => {
                    // A failed or stalled handshake just closes this connection.
                    let handshake = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp));
                    if let Ok(Ok(tls)) = handshake.await {
                        serve_connection(tls, service).await;
                    }
                }
            }
        });
    }
}

async fn serve_connection<IO>(io: IO, service: ConnectionService)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    // An error here is the client's or a deliberate close: nothing to report.
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .await;
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// The error that makes hyper drop a connection without answering.
#[derive(Debug)]
struct Closed;

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection closed on purpose")
    }
}

impl std::error::Error for Closed {}

/// The router for one connection, which can also reset that connection.
#[derive(Clone)]
struct ConnectionService {
    router: TowerToHyperService<Router>,
    #[cfg(unix)]
    fd: std::os::fd::RawFd,
}

impl ConnectionService {
    fn new(tcp: &TcpStream, router: Router) -> ConnectionService {
        ConnectionService {
            router: TowerToHyperService::new(router),
            #[cfg(unix)]
            fd: std::os::fd::AsRawFd::as_raw_fd(tcp),
        }
    }

    /// Makes the coming close of this connection a reset.
    fn arm_reset(&self) {
        #[cfg(unix)]
        {
            let linger = libc::linger {
                l_onoff: 1,
                l_linger: 0,
            };
            // SAFETY: the connection (and so `fd`) is alive while its service runs; the
            // option value is a valid `linger` of the size passed.
            unsafe {
                libc::setsockopt(
                    self.fd,
                    libc::SOL_SOCKET,
                    libc::SO_LINGER,
                    (&linger as *const libc::linger).cast(),
                    std::mem::size_of::<libc::linger>() as libc::socklen_t,
                );
            }
        }
    }
}

impl hyper::service::Service<Request<Incoming>> for ConnectionService {
    type Response = Response;
    type Error = Closed;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Closed>> + Send>>;

    fn call(&self, req: Request<Incoming>) -> Self::Future {
        let answer = self.router.call(req);
        let this = self.clone();
        Box::pin(async move {
            let resp = match answer.await {
                Ok(resp) => resp,
                Err(never) => match never {},
            };
            match resp.extensions().get::<CloseConnection>() {
                None => Ok(resp),
                Some(CloseConnection::Close) => Err(Closed),
                Some(CloseConnection::Reset) => {
                    this.arm_reset();
                    Err(Closed)
                }
            }
        })
    }
}
