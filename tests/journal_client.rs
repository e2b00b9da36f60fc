//! The journal through the client: a POS that dies mid-wait loses no payment, an invoice is
//! pushed at most once across processes, refused journals and a full disk send nothing, and
//! the secret key never reaches the file.
//!
//! Pushing processes are this test binary run again (`OVO_JC_ROLE`), so they can be killed
//! with SIGKILL at any moment while the sandbox (in this process) and the journal file stay.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::scratch::TempDir;
use common::{respond, wait_for, FaultServer, CLIENT_ID, SECRET};
use ovo::journal::journal_file_contains;
use ovo::{Client, ClientConfig, Field, Kind, Outcome, ProxySetting, ResultCode};
use ovo_sandbox::{PayMethod, Sandbox, SandboxConfig};

const ROLE: &str = "OVO_JC_ROLE";
const CASH: &str = "081211111111";
const MANUAL: &str = "081234567890";

fn sandbox(approve_delay: Duration) -> Sandbox {
    Sandbox::start(SandboxConfig {
        hold: Duration::from_secs(60),
        approve_delay,
        ..SandboxConfig::default()
    })
    .expect("sandbox starts")
}

fn config(base_url: &str, journal: &Path) -> ClientConfig {
    ClientConfig {
        base_url: Some(base_url.to_owned()),
        proxy: ProxySetting::None,
        journal: Some(journal.to_owned()),
        timeout: Duration::from_secs(30),
        ..ClientConfig::default()
    }
}

fn client(base_url: &str, journal: &Path) -> Client {
    Client::new(CLIENT_ID, SECRET, &config(base_url, journal)).expect("client with a journal")
}

/// This binary again in `role`, pushing `count` payments (`INVOICE-0`, ...) to `wallet`.
fn pusher(
    role: &str,
    base: &str,
    journal: &Path,
    invoice: &str,
    wallet: &str,
    count: usize,
) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "child_process",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ROLE, role)
        .env("OVO_JC_URL", base)
        .env("OVO_JC_JOURNAL", journal)
        .env("OVO_JC_INVOICE", invoice)
        .env("OVO_JC_WALLET", wallet)
        .env("OVO_JC_COUNT", count.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The child side: push the payments through a client with the journal, blocking.
#[test]
#[ignore = "run as a child process by the other tests"]
fn child_process() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let var = |name: &str| std::env::var(name).unwrap();
    let c = client(&var("OVO_JC_URL"), Path::new(&var("OVO_JC_JOURNAL")));
    if role == "full-disk" {
        fill_the_disk_limit(Path::new(&var("OVO_JC_JOURNAL")));
    }
    let count: usize = var("OVO_JC_COUNT").parse().unwrap();
    for n in 0..count {
        let invoice = format!("{}-{n}", var("OVO_JC_INVOICE"));
        // Small amounts: 1,000 of them stay within a test wallet's balance.
        let p = c.push_payment(&invoice, 100 + n as i64, &var("OVO_JC_WALLET"));
        println!("JC {invoice} {} {}", p.result.name(), p.outcome.name());
    }
}

/// Sets `RLIMIT_FSIZE` just above the journal's write-ahead log (SIGXFSZ ignored): the next
/// writes fail like a full disk.
fn fill_the_disk_limit(journal: &Path) {
    let wal = PathBuf::from(format!("{}-wal", journal.display()));
    let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let limit = libc::rlimit {
            rlim_cur: size + 1,
            rlim_max: size + 1,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
}

fn output(child: Child) -> String {
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "child failed: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[test]
fn a_pos_killed_mid_wait_loses_no_payment() {
    let dir = TempDir::new("jc-crash");
    let journal = dir.join("lane.db");
    let sb = sandbox(Duration::from_millis(20));
    let mut lane = pusher("push", sb.base_url(), &journal, "CRASH", MANUAL, 1);
    let invoice = "CRASH-0";
    wait_for("the push to be held", Duration::from_secs(30), || {
        sb.inquiry(invoice).is_ok()
    });
    lane.kill().unwrap(); // SIGKILL while DOKU holds the request
    lane.wait().unwrap();
    sb.pay(invoice, PayMethod::Cash)
        .expect("the customer pays after the POS died");

    // The restarted POS (this process, a new client on the same file).
    let c = client(sb.base_url(), &journal);
    let open = c.unsettled().unwrap();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0].order.invoice_number, invoice);
    assert_eq!(open[0].text(Field::JournalState), Some("SENDING"));
    assert_eq!(open[0].outcome, Outcome::Unknown);
    let settled = c.settle(invoice);
    assert_eq!(
        (settled.kind, settled.outcome),
        (Kind::StatusCheck, Outcome::Paid),
        "{:?}",
        settled.error
    );
    assert!(c.unsettled().unwrap().is_empty());
    let sent = sb.payment_requests();
    let again = c.push_payment(invoice, 10_000, MANUAL);
    assert_eq!(
        (again.result, again.outcome),
        (ResultCode::AlreadyPaid, Outcome::Paid)
    );
    assert_eq!(again.text(Field::JournalState), Some("PAID"));
    assert_eq!(sb.payment_requests(), sent, "nothing was sent");
    // Settling a final row asks nobody.
    let checks = sb.status_requests();
    assert_eq!(c.settle(invoice).outcome, Outcome::Paid);
    assert_eq!(sb.status_requests(), checks);
}

/// A tiny deterministic generator (no dependency): the kill moments are the same every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// A loopback port whose accept queue is full and never drained: a connect to it hangs (the
/// kernel drops the SYN), so a push to it stays "written to the journal, not sent" for long.
struct BlackHole {
    fd: libc::c_int,
    port: u16,
    _queued: Vec<std::net::TcpStream>,
}

impl BlackHole {
    fn new() -> BlackHole {
        unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
            let mut addr: libc::sockaddr_in = std::mem::zeroed();
            addr.sin_family = libc::AF_INET as libc::sa_family_t;
            addr.sin_addr.s_addr = u32::from(std::net::Ipv4Addr::LOCALHOST).to_be();
            let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
            assert_eq!(
                libc::bind(fd, (&addr as *const libc::sockaddr_in).cast(), len),
                0
            );
            assert_eq!(libc::listen(fd, 0), 0);
            let mut bound: libc::sockaddr_in = std::mem::zeroed();
            let mut bound_len = len;
            libc::getsockname(
                fd,
                (&mut bound as *mut libc::sockaddr_in).cast(),
                &mut bound_len,
            );
            let port = u16::from_be(bound.sin_port);
            // Fill the queue (nobody ever accepts).
            let queued = (0..2)
                .filter_map(|_| {
                    std::net::TcpStream::connect_timeout(
                        &([127, 0, 0, 1], port).into(),
                        Duration::from_millis(200),
                    )
                    .ok()
                })
                .collect();
            BlackHole {
                fd,
                port,
                _queued: queued,
            }
        }
    }
}

impl Drop for BlackHole {
    fn drop(&mut self) {
        unsafe { libc::close(self.fd) };
    }
}

#[test]
fn kill_anywhere_200_times() {
    const RUNS: usize = 200;
    let dir = TempDir::new("jc-kill");
    let journal = dir.join("lane.db");
    let sb = sandbox(Duration::from_millis(15));
    // Every third run pushes to a DOKU whose connect never completes, so the random kill also
    // lands between the journal write and the send (that window is microseconds otherwise).
    let hole = BlackHole::new();
    let hole_url = format!("http://127.0.0.1:{}", hole.port);
    let mut random = Lcg(0x0f0f_2026);
    let mut counts = [0usize; 4];
    let settler = {
        // Created once the file exists (the first child creates it).
        let _ = client(sb.base_url(), &journal);
        client(sb.base_url(), &journal)
    };
    for run in 0..RUNS {
        let prefix = format!("KILL{run}");
        let invoice = format!("{prefix}-0");
        let target = if run % 3 == 2 {
            hole_url.as_str()
        } else {
            sb.base_url()
        };
        let mut lane = pusher("push", target, &journal, &prefix, CASH, 1);
        let started = Instant::now();
        let at = Duration::from_micros(random.below(60_000));
        while started.elapsed() < at && lane.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_micros(200)); // paces the kill moment only
        }
        let _ = lane.kill();
        lane.wait().unwrap();

        let received = sb.status(&invoice).is_some();
        if received {
            // The scripted wallet decides on its own (the POS is gone): wait for it.
            wait_for("the sandbox to decide", Duration::from_secs(10), || {
                sb.inquiry(&invoice).is_err()
            });
        }
        let row = settler
            .unsettled()
            .unwrap()
            .into_iter()
            .find(|p| p.order.invoice_number == invoice);
        let stored = settler.settle(&invoice);
        let in_journal = row.is_some()
            || stored.journal.is_some()
            || stored.kind == Kind::StatusCheck && stored.status.is_some();
        if received {
            assert!(
                in_journal,
                "run {run}: {invoice} reached DOKU but is not in the journal"
            );
            assert_eq!(
                stored.outcome,
                Outcome::Paid,
                "run {run}: {invoice} settled {:?}",
                stored.error
            );
        }
        let slot = match (&row, received) {
            (None, false) if stored.journal.is_none() => 0, // killed before the journal write
            (Some(_), false) => 1,                          // after the write, before the send
            (Some(_), true) => 2, // waiting, or before the answer was recorded
            _ => 3,               // after the answer was recorded
        };
        if slot == 1 {
            // Never reached DOKU: the status check finds nothing (yet), so it stays open, never
            // "not paid" on a guess.
            assert!(
                stored.not_found() && stored.outcome == Outcome::Unknown,
                "run {run}: {stored:?}"
            );
        }
        counts[slot] += 1;
    }
    println!(
        "kill anywhere, {RUNS} runs: {} before the journal write, {} between the write and the \
         send, {} while waiting or before the answer was recorded, {} after the answer was recorded",
        counts[0], counts[1], counts[2], counts[3]
    );
    assert_eq!(counts.iter().sum::<usize>(), RUNS);
    let conn = rusqlite::Connection::open(&journal).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn two_lanes_push_500_each_into_one_journal() {
    const EACH: usize = 500;
    let dir = TempDir::new("jc-lanes");
    let journal = dir.join("lanes.db");
    let sb = sandbox(Duration::ZERO);
    drop(client(sb.base_url(), &journal)); // create the file first
    let a = pusher("push", sb.base_url(), &journal, "LANE-A", CASH, EACH);
    let b = pusher("push", sb.base_url(), &journal, "LANE-B", CASH, EACH);
    let (a, b) = (output(a), output(b));
    let paid = |out: &str| out.lines().filter(|l| l.ends_with(" OK PAID")).count();
    assert_eq!((paid(&a), paid(&b)), (EACH, EACH));
    let conn = rusqlite::Connection::open(&journal).unwrap();
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM payments", [], |r| r.get(0))
        .unwrap();
    let distinct: i64 = conn
        .query_row(
            "SELECT count(DISTINCT invoice) FROM payments WHERE state = 'PAID'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!((rows, distinct, check.as_str()), (1000, 1000, "ok"));
    assert_eq!(sb.payment_requests(), 1000, "each exactly once");
}

#[test]
fn the_journal_decides_every_second_push_of_an_invoice() {
    let dir = TempDir::new("jc-refuse");
    let journal = dir.join("refuse.db");
    let sb = sandbox(Duration::from_millis(10));
    let c = client(sb.base_url(), &journal);
    // Paid: refused as already paid, with the stored answer readable.
    let paid = c.push_payment("R-PAID", 5_000, CASH);
    assert_eq!(paid.outcome, Outcome::Paid);
    let again = c.push_payment("R-PAID", 5_000, CASH);
    assert_eq!(
        (again.result, again.outcome),
        (ResultCode::AlreadyPaid, Outcome::Paid)
    );
    assert_eq!(
        again.text(Field::ApprovalCode),
        paid.text(Field::ApprovalCode)
    );
    assert_eq!(again.request_id, paid.request_id);
    // Declined: DOKU never takes the invoice again, so libovo does not try.
    assert_eq!(
        c.push_payment("R-DECL", 5_000, "081733333333").outcome,
        Outcome::NotPaid
    );
    let used = c.push_payment("R-DECL", 5_000, "081733333333");
    assert_eq!(
        (used.result, used.outcome),
        (ResultCode::InvoiceUsed, Outcome::NotPaid)
    );
    assert!(
        used.message().unwrap().contains("new invoice number"),
        "{:?}",
        used.error
    );
    // Never sent (refused connection): the invoice may be pushed again.
    let dead = client("http://127.0.0.1:1", &journal);
    assert_eq!(
        dead.push_payment("R-DEAD", 5_000, CASH).result,
        ResultCode::NotSent
    );
    assert!(
        dead.unsettled().unwrap().is_empty(),
        "a durable NOT_SENT is settled"
    );
    assert_eq!(c.push_payment("R-DEAD", 5_000, CASH).outcome, Outcome::Paid);
    // Unknown (the client gave up): refused as unsettled, also by a new client, until settled.
    let impatient = Client::new(
        CLIENT_ID,
        SECRET,
        &ClientConfig {
            timeout: Duration::from_millis(300),
            ..config(sb.base_url(), &journal)
        },
    )
    .unwrap();
    assert_eq!(
        impatient.push_payment("R-OPEN", 5_000, MANUAL).outcome,
        Outcome::Unknown
    );
    let sent = sb.payment_requests();
    let other_lane = client(sb.base_url(), &journal);
    assert_eq!(
        other_lane.push_payment("R-OPEN", 5_000, MANUAL).result,
        ResultCode::Unsettled
    );
    assert_eq!(sb.payment_requests(), sent);
    assert_eq!(other_lane.settle_all().unwrap().len(), 1);
    sb.decline("R-OPEN").unwrap();
    assert_eq!(other_lane.settle("R-OPEN").outcome, Outcome::NotPaid);
    assert_eq!(
        other_lane.push_payment("R-OPEN", 5_000, MANUAL).result,
        ResultCode::InvoiceUsed
    );
    // The first client left it open in its own memory; the journal knows it is settled now.
    assert_eq!(
        impatient.push_payment("R-OPEN", 5_000, MANUAL).result,
        ResultCode::InvoiceUsed
    );
}

#[test]
fn refused_journals_and_a_full_disk_send_nothing() {
    let dir = TempDir::new("jc-bad");
    let sb = sandbox(Duration::ZERO);
    let corrupt = dir.join("corrupt.db");
    std::fs::write(&corrupt, b"this is not a database, but someone's file").unwrap();
    let foreign = dir.join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE sales (id INTEGER); INSERT INTO sales VALUES (1);")
        .unwrap();
    let newer = dir.join("newer.db");
    drop(client(sb.base_url(), &newer));
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute("UPDATE schema_version SET version = 999", [])
        .unwrap();
    for path in [&corrupt, &foreign, &newer, &dir.join("missing/dir/j.db")] {
        let before = std::fs::read(path).ok();
        let e = Client::new(CLIENT_ID, SECRET, &config(sb.base_url(), path)).unwrap_err();
        assert_eq!(
            (e.code, e.field),
            (ResultCode::InvalidArgument, Some("journal")),
            "{e}"
        );
        assert_eq!(
            std::fs::read(path).ok(),
            before,
            "{} was changed",
            path.display()
        );
    }
    // A full disk: the push cannot be written first, so it is not sent.
    let full = dir.join("full.db");
    drop(client(sb.base_url(), &full));
    let out = output(pusher("full-disk", sb.base_url(), &full, "FULL", CASH, 1));
    assert!(out.contains("FULL-0 NOT_SENT NOT_PAID"), "{out}");
    assert_eq!(sb.payment_requests(), 0, "never a payment without its row");
}

#[test]
fn the_secret_key_never_reaches_the_file() {
    let dir = TempDir::new("jc-secret");
    let journal = dir.join("secret.db");
    let echo = format!(r#"{{"error":{{"message":"bad key {SECRET}"}}}}"#);
    let server = FaultServer::start(move |s, _| {
        respond(s, "401 Unauthorized", "application/json", echo.as_bytes())
    });
    let c = client(&server.base_url, &journal);
    assert_eq!(
        c.push_payment("S-1", 10_000, CASH).result,
        ResultCode::Rejected
    );
    let sb = sandbox(Duration::ZERO);
    let c = client(sb.base_url(), &journal);
    assert_eq!(c.push_payment("S-2", 10_000, CASH).outcome, Outcome::Paid);
    c.settle("S-2");
    for needle in [SECRET, &SECRET[..8]] {
        assert!(
            !journal_file_contains(&journal, needle.as_bytes()).unwrap(),
            "{needle:?} is in the journal"
        );
    }
    assert!(
        journal_file_contains(&journal, b"S-2").unwrap(),
        "the scan does see the file's contents"
    );
}
