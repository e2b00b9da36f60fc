//! When the OS refuses libovo a thread (address space or thread limits), a payment that cannot
//! start is NOT_SENT, nothing is printed to the host's stderr, and a blocking push that only
//! wanted a resolver thread looks the host name up on the caller's thread instead.
//!
//! The limits are set in a child process (this test binary run again) so they cannot hurt the
//! test runner: its address space is capped a little above what it uses, so no new thread stack
//! fits.

mod common;

use std::ffi::CString;
use std::process::Command;
use std::ptr::null_mut;
use std::time::Duration;

use ovo::ffi::*;
use ovo::ResultCode;
use ovo_sandbox::{Sandbox, SandboxConfig, DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY};

const CHILD: &str = "OVO_THREAD_LIMIT_CHILD";

#[test]
fn refused_threads_mean_not_sent_and_silence() {
    if let Ok(base) = std::env::var(CHILD) {
        return child(&base);
    }
    let sb = Sandbox::start(SandboxConfig {
        approve_delay: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .unwrap();
    let port = sb.local_addr().port();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "refused_threads_mean_not_sent_and_silence",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, format!("http://localhost:{port}"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed: {stdout}\n{stderr}");
    assert!(stdout.contains("async: NOT_SENT"), "{stdout}");
    assert!(stdout.contains("blocking: OK PAID"), "{stdout}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("thread"),
        "libovo wrote to stderr: {stderr}"
    );
    assert_eq!(sb.payment_requests(), 1, "only the blocking push was sent");
}

unsafe extern "C" fn never(_: *mut std::ffi::c_void, payment: *mut OvoPayment) {
    ovo_payment_free(payment);
    println!("async: the callback ran although the push was refused");
}

fn child(base: &str) {
    unsafe {
        let config = ovo_config_new();
        let url = CString::new(base).unwrap();
        ovo_config_set_base_url(config, url.as_ptr());
        ovo_config_set_proxy(config, 1, std::ptr::null());
        let (id, key) = (
            CString::new(DEFAULT_CLIENT_ID).unwrap(),
            CString::new(DEFAULT_SECRET_KEY).unwrap(),
        );
        let mut client = null_mut();
        assert_eq!(
            ovo_client_new(id.as_ptr(), key.as_ptr(), config, &mut client, null_mut()),
            ResultCode::Ok
        );
        ovo_config_free(config);
        cap_address_space(1 << 20);

        let mut error = null_mut();
        let result = ovo_push_payment_async(
            client,
            c"INV-THREADS-1".as_ptr(),
            10_000,
            c"081211111111".as_ptr(),
            Some(never),
            null_mut(),
            null_mut(),
            &mut error,
        );
        let message = std::ffi::CStr::from_ptr(ovo_error_message(error))
            .to_string_lossy()
            .into_owned();
        println!("async: {} ({message})", ResultCode::name(result));
        ovo_error_free(error);

        let mut payment = null_mut();
        let result = ovo_push_payment(
            client,
            c"INV-THREADS-2".as_ptr(),
            10_000,
            c"081211111111".as_ptr(),
            &mut payment,
        );
        println!(
            "blocking: {} {}",
            result.name(),
            ovo::Outcome::name(ovo_payment_outcome(payment))
        );
        ovo_payment_free(payment);
        ovo_client_free(client);
    }
}

/// Caps this process's address space at what it maps now plus `headroom` bytes.
fn cap_address_space(headroom: u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmSize:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    let limit = kib * 1024 + headroom;
    let rlimit = libc::rlimit {
        rlim_cur: limit,
        rlim_max: limit,
    };
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_AS, &rlimit) }, 0);
}
