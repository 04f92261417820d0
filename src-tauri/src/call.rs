//! How a command reaches the core: on a blocking thread, so the window never freezes; through
//! the workstation, which keeps the lock and the idle time; with the time of the call; and with
//! any error turned into the `{ code, message, fields }` the UI branches on.

use bridger::error::{ErrorCode, ErrorReport};
use bridger::site::Workstation;
use bridger::{Store, WriteCtx};
use std::sync::{Arc, Mutex};

pub(crate) type Reply<T> = Result<T, ErrorReport>;

/// The workstation this window is: its site's files and, while someone is signed in, the store.
pub(crate) struct AppState {
    pub workstation: Arc<Mutex<Workstation>>,
}

fn stopped() -> ErrorReport {
    ErrorReport {
        code: ErrorCode::Database,
        message: "the action stopped unexpectedly: nothing further was saved, try again".into(),
        message_es: "la acción se detuvo de forma inesperada: no se guardó nada más, inténtelo de nuevo".into(),
        fields: vec![],
    }
}

/// Runs core work on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> bridger::Result<T> + Send + 'static) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(move || work().map_err(ErrorReport::from)).await.map_err(|_| stopped())?
}

/// Runs work on the workstation (signing in and out, locking, first run) at the time of the call.
pub(crate) async fn on_workstation<T: Send + 'static>(
    state: tauri::State<'_, AppState>,
    work: impl FnOnce(&mut Workstation, &WriteCtx) -> bridger::Result<T> + Send + 'static,
) -> Reply<T> {
    let workstation = state.workstation.clone();
    blocking(move || {
        let ctx = WriteCtx::now();
        let mut guard = match workstation.lock() {
            Ok(guard) => guard,
            Err(poisoned) => {
                // A call stopped in the middle while it held the workstation: what it left is not
                // to be trusted, so the session ends and the person signs in again.
                let mut guard = poisoned.into_inner();
                workstation.clear_poison();
                let _ = guard.sign_out(&ctx);
                return Err(bridger::Error::NotSignedIn);
            }
        };
        work(&mut guard, &ctx)
    })
    .await
}

/// Runs work on the signed-in store; refused while nobody is signed in, while the screen is
/// locked, and once the idle time has passed.
pub(crate) async fn with_store<T: Send + 'static>(state: tauri::State<'_, AppState>, work: impl FnOnce(&mut Store, &WriteCtx) -> bridger::Result<T> + Send + 'static) -> Reply<T> {
    on_workstation(state, move |w, ctx| work(w.store(ctx)?, ctx)).await
}
