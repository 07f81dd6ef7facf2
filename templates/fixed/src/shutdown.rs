// Do not edit: set SHUTDOWN_TIMEOUT_SECS in the environment.
use std::time::Duration;

use tokio::sync::watch;

/// Resolves on Ctrl-C, or on SIGTERM on Unix, for a graceful shutdown.
pub async fn signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = terminate() => {}
    }
    tracing::info!("shutting down");
}

/// Resolves `timeout` after `stopping` turns true: the bound of a graceful shutdown.
pub async fn deadline(mut stopping: watch::Receiver<bool>, timeout: Duration) {
    if stopping.wait_for(|stopping| *stopping).await.is_err() {
        // The server ended on its own: nothing to bound.
        std::future::pending::<()>().await;
    }
    tokio::time::sleep(timeout).await;
}

#[cfg(unix)]
async fn terminate() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut sigterm) => {
            sigterm.recv().await;
        }
        Err(err) => {
            tracing::error!(error = %err, "cannot listen for SIGTERM");
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending::<()>().await;
}
