//! The accept loop: one task per connection until shutdown, then up to 5 s
//! for the requests in flight.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::sync::watch;

use crate::connection::Conn;
use crate::state::Shared;

pub(crate) async fn accept_loop(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    // Every connection task holds a clone of `done`; when all are gone the
    // receiver sees the channel closed.
    let (done, mut all_done) = tokio::sync::mpsc::channel::<()>(1);
    let conn = Conn::new(shared, router, shutdown.clone(), done);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of file descriptors and the like: back off briefly.
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(conn.clone().serve(stream));
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    drop(conn);
    let _ = tokio::time::timeout(Duration::from_secs(5), all_done.recv()).await;
}
