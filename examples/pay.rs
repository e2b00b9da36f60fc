//! The end-to-end demo: starts the local DOKU sandbox in-process on a free loopback port,
//! pushes a payment, counts down DOKU's 70 s window while the customer decides, and prints the
//! result. When the outcome is unknown it follows the cashier's flow: no second charge, check
//! the status with DOKU. Exits 0 when paid.
//!
//! Run: `cargo run --release --example pay -- --help`

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ovo::{CancelToken, Client, ClientConfig, Outcome, Payment, ProxySetting};
use ovo_sandbox::{Sandbox, SandboxConfig, DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY};

/// DOKU holds a push request this long while the customer approves in the OVO app.
const HOLD: Duration = Duration::from_secs(70);
/// How long the sandbox's scripted wallets take to answer on their own.
const APPROVE_DELAY: Duration = Duration::from_secs(4);

const HELP: &str = "\
usage: cargo run --release --example pay -- [OPTIONS]

Pushes one OVO payment to the local DOKU sandbox (started in this process) and prints what
happened. Exit status 0 when paid, 1 otherwise, 2 for bad options.

options:
  --wallet OVO_ID   the customer's OVO phone number (default 081211111111, which approves with
                    OVO Cash after 4 s; 081522222222 pays with points, 081733333333 declines,
                    080012341234 never answers, 089800000500 pays but DOKU's answer is an HTTP
                    500, any other number waits for you on the Payment Simulator page)
  --amount IDR      whole rupiah (default 25000)
  --invoice NUMBER  the invoice number (default DEMO-<pid>-<time>)
  --manual          you play the customer: open the printed Payment Simulator page, find the
                    invoice under Pending pushes, then Inquiry and Pay Now (or Decline) while the
                    countdown runs (the wallet defaults to 081234567890, which waits for you)
  --journal PATH    record every push in the SQLite journal PATH before it is sent; at start,
                    settle what an earlier run left open (kill the demo mid-wait, run it again
                    with the same --journal and --invoice: the invoice is never pushed twice)
  -h, --help        this text

Ctrl-C while waiting cancels the wait (the customer may still pay); the demo then checks the
status with DOKU instead of guessing, as a cashier should.";

struct Options {
    wallet: String,
    amount: i64,
    invoice: String,
    manual: bool,
    journal: Option<std::path::PathBuf>,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut o = Options {
        wallet: String::new(),
        amount: 25_000,
        invoice: format!("DEMO-{}-{now}", std::process::id()),
        manual: false,
        journal: None,
    };
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--manual" => o.manual = true,
            "--wallet" => o.wallet = value()?,
            "--invoice" => o.invoice = value()?,
            "--journal" => o.journal = Some(value()?.into()),
            "--amount" => {
                let v = value()?;
                o.amount = v
                    .parse()
                    .map_err(|_| format!("--amount: {v:?} is not a whole number of rupiah"))?;
            }
            other => return Err(format!("unknown option {other:?} (try --help)")),
        }
    }
    if o.wallet.is_empty() {
        o.wallet = if o.manual {
            "081234567890"
        } else {
            "081211111111"
        }
        .to_owned();
    }
    Ok(Some(o))
}

/// What the wallet does by itself, for the opening line.
fn wallet_note(wallet: &str) -> &'static str {
    match wallet {
        "081211111111" => "a test wallet that approves with OVO Cash after 4 s",
        "081522222222" => "a test wallet that approves with OVO Points after 4 s",
        "081733333333" => "a test wallet that declines after 4 s",
        "080012341234" => "a test wallet that never answers",
        w if w.starts_with("0898000") => "a test wallet that pays, but DOKU's answer goes wrong",
        _ => "a wallet that waits for you on the Payment Simulator page",
    }
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(o)) => o,
        Ok(None) => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("pay: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match Sandbox::start(SandboxConfig {
        hold: HOLD,
        approve_delay: APPROVE_DELAY,
        ..SandboxConfig::default()
    }) {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("cannot start the local sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base = sandbox.base_url().to_owned();
    println!("local DOKU sandbox at {base}");
    println!("Payment Simulator page: {base}/");
    let config = ClientConfig {
        base_url: Some(base.clone()),
        proxy: ProxySetting::None,
        journal: options.journal.clone(),
        ..ClientConfig::default()
    };
    let client = match Client::new(DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY, &config) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("cannot create the client: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &options.journal {
        settle_earlier_runs(&client, path);
    }
    let note = wallet_note(&options.wallet);
    println!(
        "pushing invoice {} for IDR {} to OVO {} ({note})",
        options.invoice, options.amount, options.wallet
    );
    if options.manual {
        println!(
            "you are the customer: open {base}/ , find {} under Pending pushes,",
            options.invoice
        );
        println!("press Inquiry, choose OVO Cash or OVO Points, then Pay Now (or Decline)");
    } else if note.contains("waits for you") {
        println!("approve it on the Payment Simulator page ({base}/) before the window ends");
    }

    let payment = push_with_countdown(&client, &options);
    report("push", &payment);
    let outcome = if payment.outcome == Outcome::Unknown {
        settle(&client, &options.invoice)
    } else {
        payment.outcome
    };
    sandbox.shutdown();
    if outcome == Outcome::Paid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Pushes on a worker thread and prints DOKU's window counting down; Ctrl-C cancels the wait.
fn push_with_countdown(client: &Client, o: &Options) -> Payment {
    // SAFETY: the handler only stores to an atomic.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_sigint as extern "C" fn(libc::c_int) as *const () as libc::sighandler_t,
        )
    };
    let token = CancelToken::new();
    let (done, result) = mpsc::channel();
    let started = Instant::now();
    let worker = {
        let (client, token) = (client.clone(), token.clone());
        let (invoice, amount, wallet) = (o.invoice.clone(), o.amount, o.wallet.clone());
        std::thread::spawn(move || {
            let payment = client.push_payment_with(&invoice, amount, &wallet, Some(&token));
            let _ = done.send(());
            payment
        })
    };
    let live = std::io::stdout().is_terminal();
    while result.recv_timeout(Duration::from_millis(250)).is_err() {
        if INTERRUPTED.swap(false, Ordering::SeqCst) {
            println!("\ninterrupted: cancelling the wait (the customer may still pay)");
            token.cancel();
            continue;
        }
        let left = HOLD.saturating_sub(started.elapsed()).as_secs_f64().ceil();
        if live {
            print!("\r  waiting for the customer: {left:>2} s left of DOKU's 70 s window ");
            let _ = std::io::stdout().flush();
        } else if started.elapsed().subsec_millis() < 250 {
            println!("  waiting for the customer: {left} s left of DOKU's 70 s window");
        }
    }
    if live {
        println!();
    }
    println!(
        "the push ended after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    worker.join().expect("the payment thread does not panic")
}

/// A restarted POS first settles what its journal holds open (a crash, a kill mid-wait).
fn settle_earlier_runs(client: &Client, path: &std::path::Path) {
    println!("journal: {}", path.display());
    let open = match client.unsettled() {
        Ok(open) => open,
        Err(e) => return println!("  cannot list the unsettled invoices: {}", e.message),
    };
    if open.is_empty() {
        return println!("  nothing left open by an earlier run");
    }
    println!(
        "  {} invoice(s) left open by an earlier run; settling them with DOKU:",
        open.len()
    );
    for p in open {
        let settled = client.settle(&p.order.invoice_number);
        println!(
            "  {} (IDR {}): {}{}",
            p.order.invoice_number,
            p.order.amount.unwrap_or_default(),
            settled.outcome.name(),
            if settled.not_found() {
                " (DOKU does not know it: this demo's sandbox starts empty every run)"
            } else {
                ""
            }
        );
    }
}

/// The cashier's flow for an unknown outcome: never charge again; ask DOKU.
fn settle(client: &Client, invoice: &str) -> Outcome {
    println!();
    println!("The outcome is UNKNOWN: the customer may have paid. The cashier's flow:");
    println!("  1. do not hand over the goods and do not push this invoice again;");
    println!("  2. check the status with DOKU (now, and again later while it says PENDING);");
    println!("  3. PAID: done. NOT_PAID: ask for another payment, with a NEW invoice number.");
    println!("checking the status of {invoice} with DOKU...");
    let check = client.check_status(invoice);
    report("status check", &check);
    match check.outcome {
        Outcome::Paid => println!("=> PAID after all: hand over the goods"),
        Outcome::NotPaid | Outcome::Refunded => {
            println!("=> not paid: take another payment with a new invoice number")
        }
        Outcome::Unknown => println!(
            "=> still unknown{}: check again later (DOKU may lag); never push it again",
            if check.not_found() {
                " (DOKU does not know it yet)"
            } else {
                ""
            }
        ),
    }
    check.outcome
}

fn report(what: &str, p: &Payment) {
    println!("{what}:");
    println!("  outcome:    {}", p.outcome.name());
    println!("  result:     {}", p.result.name());
    if let Some(response) = &p.response {
        let code = ovo::describe(&response.response_code);
        println!("  status:     {}", response.status.as_str());
        println!(
            "  code:       {} {} ({})",
            response.response_code, code.name, code.description
        );
        println!(
            "  customer:   {}",
            response.account_name.as_deref().unwrap_or("-")
        );
        println!(
            "  paid with:  cash {}, points {}",
            response.cash_used.unwrap_or_default(),
            response.points_used.unwrap_or_default()
        );
        println!(
            "  approval:   {}",
            response.approval_code.as_deref().unwrap_or("-")
        );
    }
    if let Some(status) = &p.status {
        println!(
            "  DOKU says:  {}",
            status
                .status
                .as_deref()
                .unwrap_or(if status.not_found { "not found" } else { "-" })
        );
    }
    if let Some(message) = p.message() {
        println!("  message:    {message}");
    }
    if !p.request_id.is_empty() {
        println!("  request id: {}", p.request_id);
    }
}
