//! The payment journal across processes: two POS lanes on one file, a lane killed mid-push,
//! a read-only directory and a full disk. Each child is this test binary run again with
//! `OVO_JOURNAL_CHILD` naming its role; children that must overlap wait at a start line.

mod common;
mod journal_support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread::{self, JoinHandle};
use std::time::Duration;
use std::time::Instant;

use ovo::journal::{Begin, Journal, JournalState};
use ovo::ResultCode;

use journal_support::*;

const ROLE: &str = "OVO_JOURNAL_CHILD";
const PATH: &str = "OVO_JOURNAL_PATH";
const PREFIX: &str = "OVO_JOURNAL_PREFIX";
/// Lines of the child protocol start with this (the test harness prints its own lines too).
const MARK: &str = "JOURNAL-CHILD ";

// ---- the parent side ----

/// How long a child may take to reach its start line before the test gives up on it.
const READY_DEADLINE: Duration = Duration::from_secs(60);

/// A running child process; threads drain its output so it never blocks on a full pipe.
struct Child {
    process: std::process::Child,
    said: Receiver<String>,
    stdout: JoinHandle<Vec<String>>,
    stderr: JoinHandle<String>,
}

impl Child {
    /// Starts this binary as a child in `role` on the journal at `path`.
    fn start(role: &str, path: &Path, prefix: &str) -> Child {
        let mut process = Command::new(std::env::current_exe().expect("own path"))
            .args([
                "child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ROLE, role)
            .env(PATH, path)
            .env(PREFIX, prefix)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start a child");
        let (tell, said) = mpsc::channel();
        let out = BufReader::new(process.stdout.take().unwrap());
        let stdout = thread::spawn(move || {
            let mut lines = Vec::new();
            for line in out.lines().map_while(Result::ok) {
                if let Some(text) = protocol(&line) {
                    let _ = tell.send(text.to_owned());
                    lines.push(text.to_owned());
                }
            }
            lines
        });
        let mut err = process.stderr.take().unwrap();
        let stderr = thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        Child {
            process,
            said,
            stdout,
            stderr,
        }
    }

    /// Blocks until the child says it stands at the start line (or fails after a deadline).
    fn wait_ready(&mut self) {
        match self.said.recv_timeout(READY_DEADLINE) {
            Ok(line) if line == "ready" => {}
            other => {
                let _ = self.process.kill();
                panic!("the child did not get ready: {other:?}");
            }
        }
    }

    /// Lets a ready child run.
    fn go(&mut self) {
        let stdin = self.process.stdin.as_mut().unwrap();
        stdin
            .write_all(b"go\n")
            .and_then(|_| stdin.flush())
            .expect("start the child");
    }

    /// Waits for the end: the exit status, the protocol lines (without the mark), stderr.
    fn finish(mut self) -> (ExitStatus, Vec<String>, String) {
        let status = self.process.wait().expect("wait for the child");
        let lines = self.stdout.join().expect("stdout reader");
        let stderr = self.stderr.join().expect("stderr reader");
        (status, lines, stderr)
    }

    /// Waits for a successful end; returns the protocol lines after "ready".
    fn succeed(self) -> Vec<String> {
        let (status, mut lines, stderr) = self.finish();
        assert!(
            status.success(),
            "child failed ({status}): {lines:?}\n{stderr}"
        );
        lines.retain(|l| l != "ready");
        lines
    }
}

/// The protocol part of a child's output line (libtest may print `test child ... ` first).
fn protocol(line: &str) -> Option<&str> {
    line.split_once(MARK).map(|(_, said)| said.trim_end())
}

/// Starts children, holds them at the start line until all are ready, then lets them go.
fn start_together(children: &mut [Child]) {
    for child in children.iter_mut() {
        child.wait_ready();
    }
    for child in children.iter_mut() {
        child.go();
    }
}

fn count(path: &Path, query: &str) -> i64 {
    sql(path).query_row(query, [], |r| r.get(0)).unwrap()
}

#[test]
fn two_lanes_push_500_each_into_one_new_file() {
    let (_dir, path) = scratch("journal-lanes");
    let started = Instant::now();
    let mut lanes = [
        Child::start("push", &path, "LANE1"),
        Child::start("push", &path, "LANE2"),
    ];
    start_together(&mut lanes);
    for lane in lanes {
        assert_eq!(lane.succeed(), ["done"]);
    }
    eprintln!(
        "2 x 500 pushes through one journal: {:?}",
        started.elapsed()
    );
    assert_eq!(integrity(&path), "ok");
    assert_eq!(count(&path, "SELECT count(*) FROM payments"), 1000);
    assert_eq!(
        count(&path, "SELECT count(DISTINCT invoice) FROM payments"),
        1000
    );
    for lane in ["LANE1", "LANE2"] {
        let q = format!("SELECT count(*) FROM payments WHERE invoice LIKE '{lane}-%' AND state = 'PAID' AND attempts = 1");
        assert_eq!(count(&path, &q), 500, "{lane}");
    }
    // Each push has exactly its two events: nothing lost, nothing doubled.
    assert_eq!(count(&path, "SELECT count(*) FROM events"), 2000);
    assert_eq!(
        count(&path, "SELECT count(*) FROM (SELECT invoice FROM events GROUP BY invoice HAVING count(*) != 2)"),
        0
    );
}

#[test]
fn two_lanes_racing_on_the_same_invoices_push_each_exactly_once() {
    let (_dir, path) = scratch("journal-race");
    drop(Journal::open(&path).unwrap());
    let mut lanes = [
        Child::start("race", &path, "SHARED"),
        Child::start("race", &path, "SHARED"),
    ];
    start_together(&mut lanes);
    let [one, two] = lanes;
    let won = |lines: Vec<String>| -> BTreeSet<String> {
        lines
            .iter()
            .filter_map(|l| l.strip_prefix("go ").map(str::to_owned))
            .collect()
    };
    let (one, two) = (won(one.succeed()), won(two.succeed()));
    eprintln!(
        "same 200 invoices: lane one pushed {}, lane two {}; the rest refused",
        one.len(),
        two.len()
    );
    assert!(
        one.is_disjoint(&two),
        "an invoice went out twice: {:?}",
        one.intersection(&two).collect::<Vec<_>>()
    );
    assert_eq!(
        one.len() + two.len(),
        RACE_INVOICES,
        "every invoice went out once"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM payments WHERE state = 'SENDING'"
        ),
        RACE_INVOICES as i64
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM events"),
        RACE_INVOICES as i64
    );
}

#[test]
fn a_lane_killed_mid_push_leaves_an_unsettled_row() {
    let (_dir, path) = scratch("journal-killed");
    let (status, _, stderr) = Child::start("killed", &path, "").finish();
    assert_eq!(status.signal(), Some(libc::SIGKILL), "{stderr}");
    let journal = Journal::open(&path).expect("reopen after the kill");
    let open = journal.unsettled(CLIENT).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        (open[0].invoice.as_str(), open[0].state),
        ("INV-KILLED", JournalState::Sending)
    );
    assert!(matches!(
        journal.begin_push(&push("INV-KILLED", "req-2")).unwrap(),
        Begin::Unsettled(_)
    ));
    assert_eq!(integrity(&path), "ok");
}

#[test]
fn a_read_only_directory_or_file_is_a_clear_error_and_stays_unchanged() {
    // Root ignores permission bits, so the child drops to `nobody` first (setuid 65534).
    let scratch = SystemScratch::new("journal-read-only");
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(&scratch.path, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    let lines = Child::start("read-only", &scratch.path, "").succeed();
    assert_eq!(
        lines,
        [
            "new file refused",
            "existing journal refused",
            "read-only file refused"
        ]
    );
}

#[test]
fn a_full_disk_fails_the_push_before_sending_and_leaves_a_sound_file() {
    let (_dir, path) = scratch("journal-full");
    let lines = Child::start("full-disk", &path, "").succeed();
    assert_eq!(lines, ["refused twice"]);
    let journal = Journal::open(&path).expect("the journal still opens");
    assert_eq!(integrity(&path), "ok");
    assert_eq!(
        journal.get(CLIENT, "INV-BEFORE").unwrap().unwrap().state,
        JournalState::Paid
    );
    assert_eq!(
        journal.get(CLIENT, "INV-FULL").unwrap(),
        None,
        "no row for the refused push"
    );
    go(&journal, "INV-FULL", "req-after");
}

#[test]
fn a_journal_locked_past_the_busy_timeout_fails_the_push_before_sending() {
    let (_dir, path) = scratch("journal-locked");
    let journal = Journal::open(&path).unwrap();
    // Another writer (here a second connection; SQLite locks the same way across processes)
    // holds the write lock for longer than the busy timeout.
    let other = sql(&path);
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let error = journal.begin_push(&push("INV-1", "req-1")).unwrap_err();
    assert_eq!(error.code, ResultCode::NotSent, "{error}");
    assert!(
        error.message.contains("locked past the busy timeout"),
        "{error}"
    );
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(journal.get(CLIENT, "INV-1").unwrap(), None);
    go(&journal, "INV-1", "req-1");
}

// ---- the child side ----

const RACE_INVOICES: usize = 200;
const NOBODY: u32 = 65534;

/// Entry point of the child processes; does nothing when run as a test.
#[test]
#[ignore = "child process entry, run by the other tests of this file"]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let path = PathBuf::from(std::env::var_os(PATH).expect("journal path"));
    let prefix = std::env::var(PREFIX).unwrap_or_default();
    match role.as_str() {
        "push" => push_500(&path, &prefix),
        "race" => race(&path, &prefix),
        "killed" => killed(&path),
        "read-only" => read_only(&path),
        "full-disk" => full_disk(&path),
        other => panic!("unknown role {other}"),
    }
}

fn say(line: &str) {
    println!("{MARK}{line}");
}

/// Says "ready", then waits for the parent's start line.
fn ready() {
    say("ready");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .expect("the start line");
}

fn push_500(path: &Path, lane: &str) {
    ready();
    let journal = Journal::open(path).expect("open");
    for i in 0..500 {
        let (invoice, request_id) = (format!("{lane}-{i}"), format!("{lane}-req-{i}"));
        go(&journal, &invoice, &request_id);
        journal
            .record_push(&answer(&invoice, &request_id, JournalState::Paid))
            .expect("record");
    }
    say("done");
}

fn race(path: &Path, prefix: &str) {
    let journal = Journal::open(path).expect("open");
    let request_id = format!("req-{}", std::process::id());
    ready();
    for i in 0..RACE_INVOICES {
        match journal.begin_push(&push(&format!("{prefix}-{i}"), &request_id)) {
            Ok(Begin::Go) => say(&format!("go {i}")),
            Ok(Begin::Unsettled(entry)) => assert_ne!(entry.request_id, request_id),
            other => panic!("{i}: {other:?}"),
        }
    }
}

fn killed(path: &Path) {
    let journal = Journal::open(path).expect("open");
    go(&journal, "INV-KILLED", "req-1");
    // Killed between the journal write and the answer, like a POS losing power.
    unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn read_only(base: &Path) {
    if unsafe { libc::geteuid() } == 0 {
        unsafe {
            assert_eq!(libc::setgroups(0, std::ptr::null()), 0);
            assert_eq!(libc::setgid(NOBODY), 0);
            assert_eq!(libc::setuid(NOBODY), 0);
        }
    }
    let (new_dir, old_dir, file_dir) = (base.join("new"), base.join("old"), base.join("file"));
    for dir in [&new_dir, &old_dir, &file_dir] {
        std::fs::create_dir(dir).unwrap();
    }
    for dir in [&old_dir, &file_dir] {
        row_in_state(
            &Journal::open(&dir.join("journal.db")).unwrap(),
            "INV-1",
            JournalState::Paid,
        );
    }
    chmod(&new_dir, 0o555);
    chmod(&old_dir, 0o555);
    chmod(&file_dir.join("journal.db"), 0o444);
    // The setting really is read-only for this process.
    assert!(
        std::fs::write(new_dir.join("probe"), b"x").is_err(),
        "the directory is writable"
    );

    assert_refused_unchanged(&new_dir.join("journal.db"), "cannot open or create");
    say("new file refused");
    assert_refused_unchanged(&old_dir.join("journal.db"), "read-only");
    say("existing journal refused");
    assert_refused_unchanged(&file_dir.join("journal.db"), "read-only");
    say("read-only file refused");
    chmod(&new_dir, 0o755);
    chmod(&old_dir, 0o755);
}

fn full_disk(path: &Path) {
    // A process over RLIMIT_FSIZE gets SIGXFSZ (default: die); ignored, the write fails EFBIG.
    unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
    let journal = Journal::open(path).expect("open");
    row_in_state(&journal, "INV-BEFORE", JournalState::Paid);
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    let limit = std::fs::metadata(&wal)
        .expect("the WAL holds the commits")
        .len()
        + 1;
    let rlimit = libc::rlimit {
        rlim_cur: limit,
        rlim_max: libc::RLIM_INFINITY,
    };
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) }, 0);
    // No file may grow past the WAL's current size now.
    let probe = path.with_extension("probe");
    assert!(
        std::fs::write(&probe, vec![0; limit as usize + 1]).is_err(),
        "the limit holds"
    );

    for _ in 0..2 {
        let error = journal
            .begin_push(&push("INV-FULL", "req-full"))
            .unwrap_err();
        assert_eq!(error.code, ResultCode::NotSent, "{error}");
        assert!(
            error.message.starts_with("journal: cannot record the push"),
            "{error}"
        );
        assert!(
            error.message.contains(
                "(writing to the disk failed: disk full or a file size limit); nothing was sent"
            ),
            "{error}"
        );
        assert_eq!(journal.get(CLIENT, "INV-FULL").unwrap(), None);
    }
    say("refused twice");
}
