//! The end-to-end demo: starts the local DOKU sandbox in-process on a free loopback port,
//! pushes a payment to a test wallet that approves after a few seconds, counts down DOKU's
//! 70 s window while the customer decides, and prints the result. Exits 0 when paid.
//!
//! Run: `cargo run --release --example pay`

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use ovo::{Client, ClientConfig, Outcome, ProxySetting};
use ovo_sandbox::{Sandbox, SandboxConfig, DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY};

/// DOKU holds a push request this long while the customer approves in the OVO app.
const HOLD: Duration = Duration::from_secs(70);
/// The test wallet that approves with OVO Cash after the sandbox's approve delay.
const WALLET: &str = "081211111111";

fn main() -> ExitCode {
    let sandbox = match Sandbox::start(SandboxConfig {
        hold: HOLD,
        approve_delay: Duration::from_secs(4),
        ..SandboxConfig::default()
    }) {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("cannot start the local sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("local DOKU sandbox listening at {}", sandbox.base_url());

    let config = ClientConfig {
        base_url: Some(sandbox.base_url().to_owned()),
        proxy: ProxySetting::None,
        ..ClientConfig::default()
    };
    let client = match Client::new(DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY, &config) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("cannot create the client: {e}");
            return ExitCode::FAILURE;
        }
    };
    let invoice = format!("DEMO-{}", std::process::id());
    let amount = 25_000;
    println!(
        "pushing invoice {invoice} for IDR {amount} to OVO {WALLET}; approve it in the OVO app..."
    );

    let (done, result) = mpsc::channel();
    let started = Instant::now();
    let worker = thread::spawn(move || {
        let payment = client.push_payment(&invoice, amount, WALLET);
        let _ = done.send(());
        payment
    });
    let live = std::io::stdout().is_terminal();
    while result.recv_timeout(Duration::from_secs(1)).is_err() {
        let left = HOLD.saturating_sub(started.elapsed()).as_secs_f64().ceil();
        if live {
            print!("\r  waiting for the customer: {left:>2} s left of DOKU's 70 s window ");
            let _ = std::io::stdout().flush();
        } else {
            println!("  waiting for the customer: {left} s left of DOKU's 70 s window");
        }
    }
    if live {
        println!();
    }
    let payment = worker.join().expect("the payment thread does not panic");

    println!("answered after {:.1} s", started.elapsed().as_secs_f64());
    println!("outcome:    {}", payment.outcome.name());
    println!("result:     {}", payment.result.name());
    if let Some(response) = &payment.response {
        let code = ovo::describe(&response.response_code);
        println!("status:     {}", response.status.as_str());
        println!(
            "code:       {} {} ({})",
            response.response_code, code.name, code.description
        );
        println!(
            "customer:   {}",
            response.account_name.as_deref().unwrap_or("-")
        );
        println!("cash used:  {}", response.cash_used.unwrap_or_default());
        println!(
            "approval:   {}",
            response.approval_code.as_deref().unwrap_or("-")
        );
    }
    if let Some(error) = &payment.error {
        println!("error:      {}", error.message);
    }
    println!("request id: {}", payment.request_id);
    sandbox.shutdown();
    if payment.outcome == Outcome::Paid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
