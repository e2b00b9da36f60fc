//! The defaults a payment library must not drift from: a push waits longer than DOKU's 70 s
//! hold, never forever; no reconcile, no journal and no proxy surprise unless asked for.

use std::time::Duration;

use ovo::ffi::{
    ovo_config_connect_timeout_ms, ovo_config_free, ovo_config_new, ovo_config_set_environment,
    ovo_config_set_timeout_ms, ovo_config_status_timeout_ms, ovo_config_timeout_ms,
};
use ovo::{ClientConfig, Environment, ProxySetting};

#[test]
fn rust_defaults() {
    let c = ClientConfig::default();
    assert_eq!(
        c.timeout,
        Duration::from_secs(90),
        "longer than DOKU's 70 s hold"
    );
    assert!(c.timeout > Duration::from_secs(70));
    assert_eq!(c.connect_timeout, Duration::from_secs(10));
    assert_eq!(c.status_timeout, Duration::from_secs(30));
    assert_eq!(c.environment, Environment::Sandbox);
    assert_eq!(c.base_url, None);
    assert_eq!(c.proxy, ProxySetting::FromEnvironment);
    assert_eq!((c.reconcile, c.journal, c.ca_file), (None, None, None));
}

#[test]
fn c_defaults_are_the_same() {
    unsafe {
        let config = ovo_config_new();
        assert_eq!(ovo_config_timeout_ms(config), 90_000);
        assert_eq!(ovo_config_connect_timeout_ms(config), 10_000);
        assert_eq!(ovo_config_status_timeout_ms(config), 30_000);
        ovo_config_set_timeout_ms(config, 5_000);
        assert_eq!(ovo_config_timeout_ms(config), 5_000);
        ovo_config_free(config);
        assert_eq!(ovo_config_timeout_ms(std::ptr::null()), 0);
    }
}

#[test]
fn c_defaults_do_not_depend_on_the_other_settings() {
    unsafe {
        let config = ovo_config_new();
        ovo_config_set_environment(config, 7); // refused later by ovo_client_new
        ovo_config_set_timeout_ms(config, 5_000);
        assert_eq!(ovo_config_timeout_ms(config), 5_000);
        assert_eq!(ovo_config_connect_timeout_ms(config), 10_000);
        assert_eq!(ovo_config_status_timeout_ms(config), 30_000);
        ovo_config_free(config);
    }
}
