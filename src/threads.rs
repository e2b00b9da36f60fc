//! Every thread libovo starts: named, with a bounded stack, and silent when it panics.
//!
//! A library must never write to its host's stderr. Rust's default panic hook does, so the
//! first thread libovo starts (and the first call through the C ABI) installs a hook that stays
//! quiet for panics on libovo's own threads and inside C ABI calls, and hands every other panic
//! to the hook that was there before (a Rust host keeps its own behaviour).

use std::cell::Cell;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::thread::JoinHandle;

thread_local! {
    /// Depth of libovo frames that want panics kept quiet on this thread.
    static QUIET: Cell<u32> = const { Cell::new(0) };
}

/// Installs the quiet panic hook once per process (a no-op afterwards).
pub(crate) fn install_quiet_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `body` with panics kept quiet (they still unwind, to be caught by the caller).
pub(crate) fn quietly<T>(body: impl FnOnce() -> T) -> T {
    install_quiet_panic_hook();
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            QUIET.with(|q| q.set(q.get().saturating_sub(1)));
        }
    }
    QUIET.with(|q| q.set(q.get() + 1));
    let _leave = Leave;
    body()
}

/// Starts a libovo thread named `name` with a `stack`-byte stack. A panic inside `body` is
/// caught and kept quiet (the thread then just ends). Fails when the OS refuses a thread.
pub(crate) fn spawn(
    name: &str,
    stack: usize,
    body: impl FnOnce() + Send + 'static,
) -> io::Result<JoinHandle<()>> {
    install_quiet_panic_hook();
    std::thread::Builder::new()
        .name(name.to_owned())
        .stack_size(stack)
        .spawn(move || {
            quietly(|| {
                let _ = panic::catch_unwind(AssertUnwindSafe(body));
            })
        })
}
