//! Load through the C ABI: many threads sharing one client, and 1,000 callback payments held
//! at once by the sandbox. Every callback runs exactly once, every result is its own request's,
//! and memory stays within 32 KiB per payment in flight.

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

const HELD: usize = 1_000;
const CHILD: &str = "OVO_LOAD_CHILD";
/// The published bound: KiB of memory per payment in flight (measured: a few KiB).
const MAX_KIB_PER_PAYMENT: u64 = 32;

/// Resident set of this process now, from /proc (kB).
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// 1,000 callback payments held at once by a sandbox in this process, pushed by a child
/// process (this test binary again) so its memory is the library's alone. Every callback runs
/// exactly once with its own answer, within a deadline (a lost callback fails, never hangs).
#[test]
fn a_thousand_callback_payments_held_at_once() {
    if let Ok(base) = std::env::var(CHILD) {
        return held_child(&base);
    }
    let sandbox = Sandbox::start(SandboxConfig {
        hold: Duration::from_secs(120),
        ..SandboxConfig::default()
    })
    .unwrap();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_thousand_callback_payments_held_at_once",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, sandbox.base_url())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The child's lines arrive on a channel, so every wait below has a deadline.
    let (tx, lines) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut out = String::new();
    let mut next_line = |what: &str| -> String {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("no line from the child while waiting for {what}: {out}")
            });
        out.push_str(&line);
        out.push('\n');
        line
    };
    while !next_line("the pushes to be held").contains("KiB per payment in flight") {}
    assert_eq!(
        sandbox.pending(),
        HELD,
        "the sandbox holds every push at once"
    );
    // The customer pays them all (manual wallets wait for this).
    for held in sandbox.held() {
        sandbox
            .pay(&held.invoice_number, ovo_sandbox::PayMethod::Cash)
            .unwrap();
    }
    while !next_line("the callbacks").contains("callbacks exactly once") {}
    let status = child.wait().unwrap();
    print!("{out}");
    assert!(status.success(), "{out}");
    assert!(
        out.contains("all 1000 callbacks exactly once, each with its own answer"),
        "{out}"
    );
    assert_eq!(sandbox.payment_requests(), HELD as u64);
}

/// The child: submits the pushes to manual wallets, measures its memory once all are held,
/// then waits (bounded) for every callback.
fn held_child(base: &str) {
    let client = new_client(base);
    let board = Board {
        state: Mutex::new((vec![0; HELD], 0, Vec::new())),
        done: Condvar::new(),
    };
    let before = rss_kb();
    for index in 0..HELD {
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
                c"081234567890".as_ptr(),
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
    // Memory once every push is out (the sandbox counts them; the parent pays them only once
    // all 1,000 are held, so none has answered yet).
    common::wait_for("every push to be sent", Duration::from_secs(60), || {
        stats_pending(base) == HELD
    });
    let per_payment = rss_kb().saturating_sub(before) / HELD as u64;
    println!("{per_payment} KiB per payment in flight");
    assert!(
        per_payment <= MAX_KIB_PER_PAYMENT,
        "{per_payment} KiB per payment in flight"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(50);
    let mut state = board.state.lock().unwrap();
    while state.1 < HELD {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        assert!(
            !left.is_zero(),
            "{} of {HELD} callbacks after the deadline",
            state.1
        );
        state = board.done.wait_timeout(state, left).unwrap().0;
    }
    assert!(state.2.is_empty(), "{:?}", &state.2[..state.2.len().min(5)]);
    assert!(
        state.0.iter().all(|&n| n == 1),
        "every callback exactly once"
    );
    println!("all {HELD} callbacks exactly once, each with its own answer");
}

/// `pending` from the sandbox's `GET /simulator/stats`.
fn stats_pending(base: &str) -> usize {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let Ok(mut s) = std::net::TcpStream::connect(addr) else {
        return 0;
    };
    let _ = write!(
        s,
        "GET /simulator/stats HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("{}");
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["pending"].as_u64())
        .unwrap_or(0) as usize
}
