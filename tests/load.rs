//! Load through the C ABI: many threads sharing one client, and 1,000 callback payments held
//! at once by the sandbox. Every callback runs exactly once, every result is its own request's,
//! and memory stays bounded.

mod common;

use std::ffi::{c_void, CStr, CString};
use std::ptr::{null, null_mut};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

use common::{invoice, CLIENT_ID, SECRET};
use ovo::ffi::*;
use ovo::{Field, Outcome, ResultCode};
use ovo_sandbox::{Sandbox, SandboxConfig};

/// A client pointer that may be shared: the ABI promises clients are thread-safe.
#[derive(Clone, Copy)]
struct Shared(*const OvoClient);
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

fn new_client(base_url: &str) -> Shared {
    let url = CString::new(base_url).unwrap();
    let (id, secret) = (
        CString::new(CLIENT_ID).unwrap(),
        CString::new(SECRET).unwrap(),
    );
    unsafe {
        let config = ovo_config_new();
        ovo_config_set_base_url(config, url.as_ptr());
        ovo_config_set_proxy(config, 1, null());
        let mut client = null_mut();
        assert_eq!(
            ovo_client_new(
                id.as_ptr(),
                secret.as_ptr(),
                config,
                &mut client,
                null_mut()
            ),
            ResultCode::Ok
        );
        ovo_config_free(config);
        Shared(client)
    }
}

unsafe fn text(payment: *const OvoPayment, field: Field) -> String {
    let p = ovo_payment_text(payment, field as u32);
    assert!(!p.is_null(), "{field:?} present");
    CStr::from_ptr(p).to_str().unwrap().to_owned()
}

unsafe fn number(payment: *const OvoPayment, field: Field) -> i64 {
    let mut n = 0;
    assert!(
        ovo_payment_number(payment, field as u32, &mut n),
        "{field:?} present"
    );
    n
}

/// The peak resident set of this process, from /proc (kB).
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn sixty_four_threads_share_one_client() {
    const THREADS: usize = 64;
    const EACH: usize = 100;
    let sandbox = Sandbox::start(SandboxConfig {
        approve_delay: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .unwrap();
    let client = new_client(sandbox.base_url());
    thread::scope(|s| {
        for t in 0..THREADS {
            s.spawn(move || {
                let client = client;
                for i in 0..EACH {
                    let inv = CString::new(invoice(&format!("load{t}"))).unwrap();
                    let amount = 1 + ((t * EACH + i) % 997) as i64; // stays within the wallet's balance
                    unsafe {
                        let mut p = null_mut();
                        let code = ovo_push_payment(
                            client.0,
                            inv.as_ptr(),
                            amount,
                            c"081211111111".as_ptr(),
                            &mut p,
                        );
                        assert_eq!(code, ResultCode::Ok);
                        assert_eq!(ovo_payment_outcome(p), Outcome::Paid);
                        assert_eq!(text(p, Field::InvoiceNumber), inv.to_str().unwrap());
                        assert_eq!(number(p, Field::Amount), amount);
                        ovo_payment_free(p);
                    }
                }
            });
        }
    });
    assert_eq!(
        sandbox.payment_requests(),
        (THREADS * EACH) as u64,
        "each payment sent once"
    );
    unsafe { ovo_client_free(client.0 as *mut OvoClient) };
}

/// What the callbacks report: how often each payment's callback ran, and mismatches.
struct Board {
    state: Mutex<(Vec<u32>, usize, Vec<String>)>,
    done: Condvar,
}

struct Ticket {
    board: *const Board,
    index: usize,
    invoice: String,
    amount: i64,
}

unsafe extern "C" fn on_payment(userdata: *mut c_void, payment: *mut OvoPayment) {
    let ticket = Box::from_raw(userdata.cast::<Ticket>());
    let board = &*ticket.board;
    let problem = if ovo_payment_outcome(payment) != Outcome::Paid {
        Some(format!("{}: not paid", ticket.invoice))
    } else if text(payment, Field::InvoiceNumber) != ticket.invoice
        || number(payment, Field::Amount) != ticket.amount
    {
        Some(format!("{}: someone else's answer", ticket.invoice))
    } else {
        None
    };
    ovo_payment_free(payment);
    let mut state = board.state.lock().unwrap();
    state.0[ticket.index] += 1;
    state.1 += 1;
    state.2.extend(problem);
    board.done.notify_all();
}

#[test]
fn a_thousand_callback_payments_held_at_once() {
    const N: usize = 1_000;
    let sandbox = Sandbox::start(SandboxConfig {
        approve_delay: Duration::from_secs(5),
        ..SandboxConfig::default()
    })
    .unwrap();
    let client = new_client(sandbox.base_url());
    let board = Board {
        state: Mutex::new((vec![0; N], 0, Vec::new())),
        done: Condvar::new(),
    };
    for index in 0..N {
        let ticket = Box::new(Ticket {
            board: &board,
            index,
            invoice: invoice("cb"),
            amount: 100 + index as i64,
        });
        let inv = CString::new(ticket.invoice.clone()).unwrap();
        let amount = ticket.amount;
        let userdata = Box::into_raw(ticket).cast::<c_void>();
        let code = unsafe {
            ovo_push_payment_async(
                client.0,
                inv.as_ptr(),
                amount,
                c"081211111111".as_ptr(),
                Some(on_payment),
                userdata,
                null_mut(),
                null_mut(),
            )
        };
        assert_eq!(code, ResultCode::Ok);
    }
    // Freeing the client while payments are in flight is allowed.
    unsafe { ovo_client_free(client.0 as *mut OvoClient) };
    let mut state = board.state.lock().unwrap();
    while state.1 < N {
        state = board.done.wait(state).unwrap();
    }
    assert!(state.2.is_empty(), "{:?}", &state.2[..state.2.len().min(5)]);
    assert!(
        state.0.iter().all(|&n| n == 1),
        "every callback exactly once"
    );
    drop(state);
    assert_eq!(sandbox.payment_requests(), N as u64);
    let peak = peak_rss_kb();
    println!("peak RSS {peak} kB");
    assert!(peak < 512 * 1_024, "peak RSS {peak} kB stays under 512 MiB");
}
