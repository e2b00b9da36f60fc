//! The I/O thread of async payments: one epoll loop (mio) drives every exchange in flight,
//! with their deadlines, cancels and the timers of reconcile pauses.
//!
//! An exchange waiting for DOKU's answer costs a socket and a few hundred bytes here, not a
//! thread. Completions are handed to their `done` functions, which must be quick (they queue
//! work for the dispatcher thread); no host code runs on this thread.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::thread::{JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use mio::{Events, Interest, Poll, Token};

use super::conn::Conn;
use super::exchange::{Exchange, Progress};
use super::{Answer, Failure};
use crate::cancel::{CancelToken, Registration, Waker};

/// What to do with an exchange's end: the result and, when reusable, the connection.
pub(crate) type Done = Box<dyn FnOnce(Result<Answer, Failure>, Option<Conn>) + Send>;
/// What to do when a timer ends: `true` when it ended by a cancel.
pub(crate) type TimerJob = Box<dyn FnOnce(bool) + Send>;

const WAKE: Token = Token(usize::MAX);
const STACK: usize = 512 * 1024;
const SCRATCH: usize = 16 * 1024;

/// A running I/O thread. Dropping it stops the thread (nothing is in flight by then: every
/// exchange's `done` keeps the client, and so this reactor, alive).
///
/// However the loop ends (`Stop`, epoll failing, a panic in it), it first ends every exchange
/// and timer it holds; from then on commands are answered at once on the sender's thread
/// (see [`Shared::send`]), so no `done` or timer job is ever left waiting.
pub(crate) struct Reactor {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    id: ThreadId,
}

struct Shared {
    queue: Mutex<Queue>,
    waker: mio::Waker,
}

#[derive(Default)]
struct Queue {
    commands: Vec<Command>,
    /// Why the loop ended, once it has: commands are not queued any more.
    stopped: Option<String>,
}

enum Command {
    Start(Box<Task>),
    Cancel(usize, u64),
    After(Instant, Option<CancelToken>, TimerJob),
    CancelTimer(u64),
    Stop,
    /// Makes the loop panic, as a bug in it would.
    #[cfg(test)]
    Panic,
}

struct Task {
    generation: u64,
    exchange: Exchange,
    cancel: Option<CancelToken>,
    done: Option<Done>,
    /// What epoll watches: the exchange's connection serial and the interest registered for it.
    registered: Option<(u64, Interest)>,
    deadline: Option<Instant>,
    _cancel_wake: Option<Registration>,
}

struct Timer {
    job: TimerJob,
    _cancel_wake: Option<Registration>,
}

impl Reactor {
    /// Starts the I/O thread.
    pub(crate) fn start() -> io::Result<Reactor> {
        let poll = Poll::new()?;
        let waker = mio::Waker::new(poll.registry(), WAKE)?;
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            waker,
        });
        let looped = Arc::clone(&shared);
        let thread = crate::threads::spawn("ovo-io", STACK, move || {
            Loop::new(poll, looped).run();
        })?;
        Ok(Reactor {
            shared,
            id: thread.thread().id(),
            thread: Some(thread),
        })
    }

    /// Drives `exchange` to its end and hands the result to `done` (on the I/O thread; once
    /// the loop has ended, a NOT_SENT failure on the caller's thread before this returns).
    pub(crate) fn submit(&self, exchange: Exchange, cancel: Option<CancelToken>, done: Done) {
        self.shared.send(Command::Start(Box::new(Task {
            generation: 0,
            exchange,
            cancel,
            done: Some(done),
            registered: None,
            deadline: None,
            _cancel_wake: None,
        })));
    }

    /// Calls `job(false)` after `delay`, or `job(true)` as soon as `cancel` is cancelled (or,
    /// once the loop has ended, on the caller's thread before this returns).
    pub(crate) fn after(&self, delay: Duration, cancel: Option<CancelToken>, job: TimerJob) {
        self.shared
            .send(Command::After(Instant::now() + delay, cancel, job));
    }
}

impl Drop for Reactor {
    fn drop(&mut self) {
        self.shared.send(Command::Stop);
        if let Some(thread) = self.thread.take() {
            if std::thread::current().id() != self.id {
                let _ = thread.join();
            }
        }
    }
}

impl Shared {
    /// Queues `command` for the loop, or, once the loop has ended, carries it out here: a
    /// `Start` fails NOT_SENT (its exchange never ran), an `After` ends as by a cancel.
    fn send(&self, command: Command) {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let Some(why) = queue.stopped.clone() else {
            queue.commands.push(command);
            drop(queue);
            let _ = self.waker.wake();
            return;
        };
        drop(queue); // `done` and jobs may send again
        refuse(command, &why);
    }
}

/// Ends `command` without the loop, for `why`.
fn refuse(command: Command, why: &str) {
    match command {
        Command::Start(mut task) => {
            let failure = task.exchange.abort(why); // never advanced: nothing was written
            if let Some(done) = task.done.take() {
                done(Err(failure), None);
            }
        }
        Command::After(_, _, job) => job(true),
        Command::Cancel(..) | Command::CancelTimer(_) | Command::Stop => {}
        #[cfg(test)]
        Command::Panic => {}
    }
}

struct Loop {
    poll: Poll,
    shared: Arc<Shared>,
    tasks: Vec<Option<Task>>,
    free: Vec<usize>,
    deadlines: BinaryHeap<Reverse<(Instant, usize, u64)>>,
    timers: BinaryHeap<Reverse<(Instant, u64)>>,
    timer_jobs: HashMap<u64, Timer>,
    next_id: u64,
    scratch: Vec<u8>,
    /// Commands taken from the queue and not applied yet.
    batch: VecDeque<Command>,
    /// The task whose exchange is doing I/O (still set after a panic there).
    advancing: Option<usize>,
}

impl Loop {
    fn new(poll: Poll, shared: Arc<Shared>) -> Loop {
        Loop {
            poll,
            shared,
            tasks: Vec::new(),
            free: Vec::new(),
            deadlines: BinaryHeap::new(),
            timers: BinaryHeap::new(),
            timer_jobs: HashMap::new(),
            next_id: 0,
            scratch: vec![0; SCRATCH],
            batch: VecDeque::new(),
            advancing: None,
        }
    }

    /// Runs the loop until `Stop`, epoll failing or a panic, then ends what it still holds.
    /// The panic is caught here rather than the clean-up run while unwinding: a panic in a
    /// `done` then would abort the host's process.
    fn run(mut self) {
        // After a panic, the loop's state is only used to end what it holds.
        let why = match panic::catch_unwind(AssertUnwindSafe(|| self.turn())) {
            Ok(Ok(())) => "libovo's I/O thread stopped (the client was closed)".to_owned(),
            Ok(Err(e)) => format!("libovo's I/O thread stopped: epoll failed: {e}"),
            Err(_) => "libovo's I/O thread stopped on an internal error".to_owned(),
        };
        self.stop(&why);
    }

    /// The loop itself: until `Stop` (`Ok`) or epoll failing (rather than spin).
    fn turn(&mut self) -> io::Result<()> {
        let mut events = Events::with_capacity(1024);
        loop {
            let timeout = self
                .next_wake()
                .map(|at| at.saturating_duration_since(Instant::now()));
            if let Err(e) = self.poll.poll(&mut events, timeout) {
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
            for event in events.iter() {
                if event.token() != WAKE {
                    self.ready(event.token().0);
                }
            }
            if !self.commands() {
                return Ok(());
            }
            self.expire(Instant::now());
        }
    }

    /// Marks the loop as ended (later commands are answered by [`Shared::send`]) and ends
    /// every exchange (with its own failure: what it sent decides NOT_SENT or unknown) and
    /// timer (as by a cancel) it holds, and every command queued for it.
    fn stop(&mut self, why: &str) {
        let queued = {
            let mut queue = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
            queue.stopped = Some(why.to_owned());
            std::mem::take(&mut queue.commands)
        };
        self.batch.extend(queued);
        for index in 0..self.tasks.len() {
            if let Some(task) = self.tasks[index].as_mut() {
                let mut failure = task.exchange.abort(why);
                // A panic in its I/O may have come before the exchange counted what it wrote.
                failure.sent |= self.advancing == Some(index);
                self.finish(index, Err(failure));
            }
        }
        self.deadlines.clear();
        self.timers.clear();
        for (_, timer) in std::mem::take(&mut self.timer_jobs) {
            (timer.job)(true);
        }
        while let Some(command) = self.batch.pop_front() {
            refuse(command, why);
        }
    }

    fn next_wake(&self) -> Option<Instant> {
        let task = self.deadlines.peek().map(|Reverse((at, _, _))| *at);
        let timer = self.timers.peek().map(|Reverse((at, _))| *at);
        match (task, timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Applies queued commands; false on `Stop`.
    fn commands(&mut self) -> bool {
        let queued = std::mem::take(
            &mut self
                .shared
                .queue
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .commands,
        );
        // Kept here while applied: after a panic, `stop` ends those not applied yet.
        self.batch.extend(queued);
        let mut keep_going = true;
        while let Some(command) = self.batch.pop_front() {
            match command {
                Command::Start(task) => self.start(*task),
                Command::Cancel(index, generation) => {
                    if self.task(index, generation).is_some() {
                        let failure = self.tasks[index].as_mut().expect("live").exchange.cancel();
                        self.finish(index, Err(failure));
                    }
                }
                Command::After(at, cancel, job) => self.add_timer(at, cancel, job),
                Command::CancelTimer(id) => {
                    if let Some(timer) = self.timer_jobs.remove(&id) {
                        (timer.job)(true);
                    }
                }
                Command::Stop => keep_going = false,
                #[cfg(test)]
                Command::Panic => panic!("a test's panic inside the I/O loop"),
            }
        }
        keep_going
    }

    fn task(&self, index: usize, generation: u64) -> Option<&Task> {
        self.tasks
            .get(index)?
            .as_ref()
            .filter(|t| t.generation == generation)
    }

    fn start(&mut self, mut task: Task) {
        self.next_id += 1;
        task.generation = self.next_id;
        let index = self.free.pop().unwrap_or_else(|| {
            self.tasks.push(None);
            self.tasks.len() - 1
        });
        if let Some(token) = task.cancel.clone() {
            let shared = Arc::downgrade(&self.shared);
            let generation = task.generation;
            task._cancel_wake = token.register(Waker::Call(Box::new(move || {
                if let Some(shared) = shared.upgrade() {
                    shared.send(Command::Cancel(index, generation));
                }
            })));
            if task._cancel_wake.is_none() {
                let failure = task.exchange.cancel();
                self.tasks[index] = Some(task);
                self.finish(index, Err(failure));
                return;
            }
        }
        self.tasks[index] = Some(task);
        self.ready(index);
    }

    /// Advances task `index` after readiness (or at its start).
    fn ready(&mut self, index: usize) {
        let Some(Some(task)) = self.tasks.get_mut(index) else {
            return; // a stale event for a task that has ended
        };
        self.advancing = Some(index);
        let progress = task.exchange.advance(&mut self.scratch);
        self.advancing = None;
        let wanted = match progress {
            Progress::Done(result) => return self.finish(index, result),
            Progress::Read => Interest::READABLE,
            Progress::Write => Interest::WRITABLE,
        };
        let registry = self.poll.registry();
        let serial = task.exchange.conn_serial();
        let registered = task.registered;
        let conn = task
            .exchange
            .conn_mut()
            .expect("an exchange waits on a socket");
        // A new socket (the connect to the next address after one failed) is not watched yet:
        // the failed one was closed when dropped, so epoll forgot it.
        let outcome = match registered {
            Some(watched) if watched == (serial, wanted) => Ok(()),
            Some((watched, _)) if watched == serial => {
                registry.reregister(&mut conn.sock, Token(index), wanted)
            }
            _ => registry.register(&mut conn.sock, Token(index), wanted),
        };
        if let Err(e) = outcome {
            let failure = task
                .exchange
                .abort(format!("the I/O loop could not watch the connection: {e}"));
            return self.finish(index, Err(failure));
        }
        task.registered = Some((serial, wanted));
        let deadline = task.exchange.deadline();
        if task.deadline != Some(deadline) {
            task.deadline = Some(deadline);
            self.deadlines
                .push(Reverse((deadline, index, task.generation)));
        }
    }

    fn finish(&mut self, index: usize, result: Result<Answer, Failure>) {
        let Some(mut task) = self.tasks[index].take() else {
            return;
        };
        self.free.push(index);
        let serial = task.exchange.conn_serial();
        if task.registered.map(|(watched, _)| watched) == Some(serial) {
            if let Some(conn) = task.exchange.conn_mut() {
                let _ = self.poll.registry().deregister(&mut conn.sock);
            }
        }
        let conn = if result.is_ok() {
            task.exchange.take_reusable()
        } else {
            None
        };
        if let Some(done) = task.done.take() {
            done(result, conn);
        }
    }

    fn expire(&mut self, now: Instant) {
        while let Some(&Reverse((at, index, generation))) = self.deadlines.peek() {
            if at > now {
                break;
            }
            self.deadlines.pop();
            let Some(task) = self.task(index, generation) else {
                continue;
            };
            if task.exchange.deadline() > now {
                continue; // the deadline moved on; a newer entry is queued
            }
            let failure = self.tasks[index]
                .as_mut()
                .expect("live")
                .exchange
                .time_out();
            self.finish(index, Err(failure));
        }
        while let Some(&Reverse((at, id))) = self.timers.peek() {
            if at > now {
                break;
            }
            self.timers.pop();
            if let Some(timer) = self.timer_jobs.remove(&id) {
                (timer.job)(false);
            }
        }
    }

    fn add_timer(&mut self, at: Instant, cancel: Option<CancelToken>, job: TimerJob) {
        self.next_id += 1;
        let id = self.next_id;
        let wake = match cancel {
            Some(token) => {
                let shared = Arc::downgrade(&self.shared);
                match token.register(Waker::Call(Box::new(move || {
                    if let Some(shared) = shared.upgrade() {
                        shared.send(Command::CancelTimer(id));
                    }
                }))) {
                    Some(registration) => Some(registration),
                    None => return job(true),
                }
            }
            None => None,
        };
        self.timer_jobs.insert(
            id,
            Timer {
                job,
                _cancel_wake: wake,
            },
        );
        self.timers.push(Reverse((at, id)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{target::Target, Route};
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::sync::mpsc;

    /// How long a test waits for what must happen at once (a deadline, not a pause).
    const PATIENCE: Duration = Duration::from_secs(10);

    fn route(timeout: Duration) -> Arc<Route> {
        Arc::new(Route {
            target: Target::parse("http://127.0.0.1").unwrap(),
            proxy: None,
            tls: None,
            connect_timeout: timeout,
        })
    }

    fn get(addr: SocketAddr) -> Exchange {
        let started = Instant::now();
        Exchange::connect(
            route(PATIENCE),
            vec![addr],
            b"GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
            started,
            started + 6 * PATIENCE,
        )
    }

    /// Reads one request head on a connection accepted by `listener`; the connection stays open.
    fn accept_request(listener: TcpListener) -> TcpStream {
        let (mut sock, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && sock.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        sock
    }

    enum Ended {
        Exchange(Result<Answer, Failure>, std::thread::ThreadId),
        Timer(bool, std::thread::ThreadId),
    }

    fn report_exchange(tx: &mpsc::Sender<(&'static str, Ended)>, name: &'static str) -> Done {
        let tx = tx.clone();
        Box::new(move |result, _| {
            let _ = tx.send((name, Ended::Exchange(result, std::thread::current().id())));
        })
    }

    fn report_timer(tx: &mpsc::Sender<(&'static str, Ended)>, name: &'static str) -> TimerJob {
        let tx = tx.clone();
        Box::new(move |cancelled| {
            let _ = tx.send((name, Ended::Timer(cancelled, std::thread::current().id())));
        })
    }

    /// The failure an exchange ended with.
    fn failure(ended: Ended) -> Failure {
        match ended {
            Ended::Exchange(Err(failure), _) => failure,
            Ended::Exchange(Ok(answer), _) => panic!("an answer: {answer:?}"),
            Ended::Timer(..) => panic!("a timer, not an exchange"),
        }
    }

    /// When the loop ends otherwise than by `Stop` (here a panic in it; epoll failing takes the
    /// same way out), what it held ends at once: the exchange that had sent its request with an
    /// unknown outcome, the timer as by a cancel. What comes later is answered on the caller's
    /// thread before `submit` or `after` returns: the exchange never ran, so NOT_SENT. Without
    /// that, those `done`s and jobs would never run and an async payment would hang forever.
    #[test]
    fn a_loop_that_ended_by_a_panic_still_ends_everything_it_is_given() {
        let reactor = Reactor::start().unwrap();
        let (tx, rx) = mpsc::channel();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || accept_request(listener));
        reactor.submit(get(addr), None, report_exchange(&tx, "live exchange"));
        reactor.after(6 * PATIENCE, None, report_timer(&tx, "live timer"));
        // Received, so written: the exchange counted it in the same `advance`, before the
        // loop applies the next command.
        let _open = server.join().unwrap();

        reactor.shared.send(Command::Panic);
        let mut ended = HashMap::new();
        for _ in 0..2 {
            let (name, how) = rx.recv_timeout(PATIENCE).expect("what the loop held ended");
            ended.insert(name, how);
        }
        let live = failure(ended.remove("live exchange").expect("the exchange ended"));
        assert!(live.sent && !live.cancelled, "{live:?}");
        assert!(live.reason.contains("internal error"), "{live:?}");
        assert!(matches!(
            ended.remove("live timer"),
            Some(Ended::Timer(true, _))
        ));

        // The loop is over now; a closed port, as the exchange must not even start.
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let me = std::thread::current().id();
        reactor.submit(get(closed), None, report_exchange(&tx, "later exchange"));
        let (name, how) = rx.try_recv().expect("answered before submit returned");
        assert_eq!(name, "later exchange");
        assert!(matches!(how, Ended::Exchange(_, on) if on == me));
        let later = failure(how);
        assert!(!later.sent && !later.cancelled, "{later:?}");
        assert!(later.reason.contains("I/O thread"), "{later:?}");

        reactor.after(6 * PATIENCE, None, report_timer(&tx, "later timer"));
        let (name, how) = rx.try_recv().expect("answered before after returned");
        assert_eq!(name, "later timer");
        assert!(matches!(how, Ended::Timer(true, on) if on == me));

        reactor.shared.send(Command::Cancel(0, 1)); // ignored
        reactor.shared.send(Command::CancelTimer(1)); // ignored
        drop(reactor); // joins the thread that ended; Stop is ignored
        assert!(rx.try_recv().is_err(), "nothing ended twice");
    }

    /// An exchange whose I/O panicked may have written bytes it did not count yet: `stop`
    /// reports it as maybe sent (unknown outcome), the others as their exchanges say.
    #[test]
    fn the_exchange_whose_io_panicked_may_have_been_sent() {
        let poll = Poll::new().unwrap();
        let waker = mio::Waker::new(poll.registry(), WAKE).unwrap();
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            waker,
        });
        let mut lp = Loop::new(poll, Arc::clone(&shared));
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        for (generation, name) in [(1, "in its I/O"), (2, "waiting")] {
            lp.tasks.push(Some(Task {
                generation,
                exchange: get(closed), // never advanced: it wrote nothing
                cancel: None,
                done: Some(report_exchange(&tx, name)),
                registered: None,
                deadline: None,
                _cancel_wake: None,
            }));
        }
        lp.advancing = Some(0); // as after a panic in that exchange's `advance`
        lp.stop("libovo's I/O thread stopped on an internal error");
        let mut sent = HashMap::new();
        for (name, how) in rx.try_iter() {
            sent.insert(name, failure(how).sent);
        }
        assert_eq!(
            sent,
            HashMap::from([("in its I/O", true), ("waiting", false)])
        );
        assert!(shared.queue.lock().unwrap().stopped.is_some());
    }

    /// A connect that fails after the exchange waited on it (here: its socket is lost, as
    /// `step_connect` drops it on an asynchronous error) is followed by one to the next address
    /// with the same interest, writable: the loop must watch that new socket, or the exchange
    /// waits for its connect deadline and ends NOT_SENT although the next address answers.
    #[test]
    fn a_socket_to_the_next_address_is_watched() {
        let first = TcpListener::bind("127.0.0.1:0").unwrap(); // never answers
        let second = TcpListener::bind("127.0.0.1:0").unwrap();
        let addrs = vec![first.local_addr().unwrap(), second.local_addr().unwrap()];
        let server = std::thread::spawn(move || {
            let (mut sock, _) = second.accept().unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && sock.read(&mut byte).unwrap() == 1 {
                head.push(byte[0]);
            }
            sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                .unwrap();
            head
        });
        let timeout = Duration::from_secs(3);
        let started = Instant::now();
        let exchange = Exchange::connect(
            route(timeout),
            addrs,
            b"GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
            started,
            started + timeout,
        );

        let poll = Poll::new().unwrap();
        let waker = mio::Waker::new(poll.registry(), WAKE).unwrap();
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            waker,
        });
        let mut lp = Loop::new(poll, shared);
        let result = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&result);
        lp.start(Task {
            generation: 0,
            exchange,
            cancel: None,
            done: Some(Box::new(move |r, _| *slot.lock().unwrap() = Some(r))),
            registered: None,
            deadline: None,
            _cancel_wake: None,
        });
        // Watching the socket to the first address; it fails before it connects.
        let task = lp.tasks[0].as_mut().expect("waiting for the connect");
        assert_eq!(task.exchange.conn_serial(), 1);
        task.exchange.lose_connecting_socket();
        lp.ready(0); // as after the event that reported the failure

        let mut events = Events::with_capacity(16);
        while result.lock().unwrap().is_none() && started.elapsed() < 2 * timeout {
            lp.poll
                .poll(&mut events, Some(Duration::from_millis(100)))
                .unwrap();
            for event in events.iter() {
                lp.ready(event.token().0);
            }
            lp.expire(Instant::now());
        }
        let answer = result.lock().unwrap().take().expect("the exchange ended");
        let answer = answer.unwrap_or_else(|f| panic!("failed: {}", f.reason));
        assert_eq!((answer.status, answer.body.as_slice()), (200, &b"ok"[..]));
        assert!(server.join().unwrap().starts_with(b"GET /x "));
    }
}
