//! The listener: accepts connections, caps how many are open, and times out the ones that
//! send nothing, so that a few hundred half-open sockets (Slowloris) cannot keep anyone else
//! out.
//!
//! - A request's head must arrive within [`Limits::header_timeout`]; hyper's timer counts it
//!   from the connection's start and from the end of each answer, so it also ends idle
//!   keep-alive connections. A TLS handshake has the same time.
//! - At most [`Limits::max_connections`] are served at once. Beyond that a few more are
//!   answered 503 with `Retry-After` and closed ("load shedding"), and the rest are closed
//!   at once: an answer rather than a hang.
//! - On shutdown the listener stops accepting, open connections finish what they are doing,
//!   and whatever is still open after [`Limits::grace`] is dropped.

use super::edge::{self, Connection, Policy};
use axum::{Router, body::Body, extract::Request, http::StatusCode, response::Response};
use hyper::server::conn::{http1, http2};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::graceful::{GracefulShutdown, Watcher},
};
use std::{convert::Infallible, future::Future, sync::Arc, time::Duration};
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore},
};
use tokio_rustls::TlsAcceptor;

/// Connections answered 503 at once while the server is full; beyond these, closed.
const SHED_MAX: usize = 64;
/// How long a shed connection may take to send its request head and read the 503.
const SHED_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub grace: Duration,
}

/// Everything a connection's task needs, shared by all of them.
struct Shared {
    router: Router,
    policy: Policy,
    tls: Option<TlsAcceptor>,
    limits: Limits,
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains as [`Limits`] says.
pub async fn run(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    router: Router,
    policy: Policy,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let shared = Arc::new(Shared {
        router,
        policy,
        tls,
        limits,
    });
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let shedding = Arc::new(Semaphore::new(SHED_MAX));
    let graceful = GracefulShutdown::new();
    let mut failures = AcceptFailures::default();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    failures.wait(&error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().unwrap_or(peer);
        let connection = Connection::new(peer, local, shared.tls.is_some());
        match Arc::clone(&open).try_acquire_owned() {
            Ok(permit) => {
                let watcher = graceful.watcher();
                tokio::spawn(serve(
                    Arc::clone(&shared),
                    stream,
                    connection,
                    permit,
                    watcher,
                ));
            }
            Err(_) => {
                if let Ok(permit) = Arc::clone(&shedding).try_acquire_owned() {
                    tokio::spawn(shed(Arc::clone(&shared), stream, permit));
                }
            }
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.grace) => {
            tracing::warn!(grace = ?limits.grace, "connections still open at shutdown were dropped");
        }
    }
}

/// Accept errors (too many open files, mostly) are logged once per burst and waited out
/// briefly, rather than spinning.
#[derive(Default)]
struct AcceptFailures {
    last_logged: Option<tokio::time::Instant>,
}

impl AcceptFailures {
    async fn wait(&mut self, error: &std::io::Error) {
        let now = tokio::time::Instant::now();
        if self
            .last_logged
            .is_none_or(|at| now.duration_since(at) > Duration::from_secs(60))
        {
            tracing::warn!(%error, "accepting a connection failed");
            self.last_logged = Some(now);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One connection, from its TLS handshake to its last answer; `permit` is its place under
/// the cap.
async fn serve(
    shared: Arc<Shared>,
    stream: TcpStream,
    connection: Connection,
    permit: OwnedSemaphorePermit,
    watcher: Watcher,
) {
    let _permit = permit;
    let router = shared.router.clone();
    let policy = shared.policy.clone();
    let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
        let mut request = request.map(Body::new);
        edge::admit(&mut request, &connection, &policy);
        let router = router.clone();
        async move { tower::ServiceExt::oneshot(router, request).await }
    });
    let limits = shared.limits;
    match &shared.tls {
        None => {
            let io = TokioIo::new(stream);
            let _ = watcher
                .watch(http1(limits.header_timeout).serve_connection(io, service))
                .await;
        }
        Some(acceptor) => {
            let accepted = tokio::time::timeout(limits.header_timeout, acceptor.accept(stream));
            let Ok(Ok(stream)) = accepted.await else {
                return;
            };
            let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2");
            let io = TokioIo::new(stream);
            if h2 {
                let mut builder = http2::Builder::new(TokioExecutor::new());
                builder
                    .timer(TokioTimer::new())
                    .keep_alive_interval(Some(Duration::from_secs(30)))
                    .keep_alive_timeout(Duration::from_secs(10))
                    .max_concurrent_streams(64);
                let _ = watcher.watch(builder.serve_connection(io, service)).await;
            } else {
                let connection = http1(limits.header_timeout).serve_connection(io, service);
                let _ = watcher.watch(connection).await;
            }
        }
    }
}

/// HTTP/1.1 with the head of each request due within `header_timeout`.
fn http1(header_timeout: Duration) -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    builder
}

/// A connection beyond the cap: one 503 with `Retry-After`, then closed.
async fn shed(shared: Arc<Shared>, stream: TcpStream, permit: OwnedSemaphorePermit) {
    let _permit = permit;
    let busy = hyper::service::service_fn(|_request: Request<hyper::body::Incoming>| async {
        Ok::<_, Infallible>(busy())
    });
    let answered = async {
        match &shared.tls {
            None => one_answer(TokioIo::new(stream), busy).await,
            Some(acceptor) => {
                if let Ok(stream) = acceptor.accept(stream).await {
                    one_answer(TokioIo::new(stream), busy).await;
                }
            }
        }
    };
    let _ = tokio::time::timeout(SHED_TIMEOUT, answered).await;
}

async fn one_answer<I, S>(io: TokioIo<I>, service: S)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: hyper::service::HttpService<hyper::body::Incoming, ResBody = Body>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut builder = http1(SHED_TIMEOUT);
    builder.keep_alive(false);
    let _ = builder.serve_connection(io, service).await;
}

/// The answer of a server with no room: plain text, as no page can be rendered for it.
fn busy() -> Response {
    let mut response = Response::new(Body::from(
        "Busy: too many connections. Please try again in a moment.\n",
    ));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from_static("5"),
    );
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    for (name, value) in crate::site::security::HEADERS {
        headers.insert(name, axum::http::HeaderValue::from_static(value));
    }
    response
}

/// The cap on open connections: what was asked, kept below the open-file limit (raised to
/// its hard limit first) with room for the database, the site's files and shed connections.
pub fn connection_cap(asked: usize) -> usize {
    const RESERVED: u64 = 256 + SHED_MAX as u64;
    let limit = raise_open_file_limit();
    let room = usize::try_from(limit.saturating_sub(RESERVED)).unwrap_or(usize::MAX);
    asked.min(room).max(16)
}

/// Raises the soft open-file limit to the hard one; the soft limit in effect afterwards.
fn raise_open_file_limit() -> u64 {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current != limit.maximum {
        let raised = rustix::process::Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            limit = raised;
        }
    }
    limit.current.unwrap_or(u64::MAX)
}
