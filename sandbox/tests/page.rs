//! The Payment Simulator page is served by the sandbox itself (the browser tests in
//! tests/browser/ exercise it in Chromium).

mod common;

use std::time::Duration;

use common::*;

fn fetch(url: &str) -> (u16, Option<String>, Option<String>, String) {
    let mut resp = agent().get(url).call().expect("request completes");
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let (ct, extra) = (
        header("content-type"),
        header("location").or(header("content-security-policy")),
    );
    let status = resp.status().as_u16();
    let body = resp.body_mut().read_to_string().unwrap();
    (status, ct, extra, body)
}

#[test]
fn root_redirects_to_the_page_and_assets_are_served() {
    let sb = sandbox();
    let base = sb.base_url();
    let (status, _, location, _) = fetch(&format!("{base}/"));
    assert_eq!((status, location.as_deref()), (303, Some("/simulator/ovo")));

    let (status, ct, csp, html) = fetch(&format!("{base}/simulator/ovo"));
    assert_eq!(status, 200);
    assert_eq!(ct.as_deref(), Some("text/html; charset=utf-8"));
    let csp = csp.expect("a Content-Security-Policy");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe"),
        "{csp}"
    );
    assert!(html.contains("<title>OVO Payment Simulator"));
    for (path, ty) in [
        ("/simulator/ovo/app.js", "text/javascript; charset=utf-8"),
        ("/simulator/ovo/style.css", "text/css; charset=utf-8"),
    ] {
        assert!(html.contains(path), "the page links {path}");
        let (status, ct, _, body) = fetch(&format!("{base}{path}"));
        assert_eq!((status, ct.as_deref()), (200, Some(ty)));
        assert!(!body.is_empty());
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no CDN"
    );
}

#[test]
fn every_element_the_script_uses_is_on_the_page() {
    let html = include_str!("../src/page/index.html");
    let script = include_str!("../src/page/app.js");
    let mut ids = 0;
    for part in script.split("$(\"").skip(1) {
        let id = &part[..part.find('"').unwrap()];
        assert!(html.contains(&format!("id=\"{id}\"")), "#{id} is missing");
        ids += 1;
    }
    assert!(ids > 20, "found {ids} ids");
    // Every control has a label (the browser tests run axe-core as well).
    for part in html.split("<input").skip(1) {
        let id = part
            .split("id=\"")
            .nth(1)
            .map(|s| &s[..s.find('"').unwrap()]);
        let labelled = id.is_some_and(|id| html.contains(&format!("for=\"{id}\"")));
        let wrapped = html
            .split("<label")
            .any(|l| l.contains(&part[..20.min(part.len())]));
        assert!(
            labelled || wrapped,
            "unlabelled input: <input{}",
            &part[..60.min(part.len())]
        );
    }
}

#[test]
fn the_page_only_uses_the_control_api() {
    let script = include_str!("../src/page/app.js");
    let calls: Vec<&str> = script.split("call(\"").skip(1).collect();
    assert!(calls.len() >= 7, "{} calls", calls.len());
    for call in calls {
        // call("GET", "/simulator/...")
        let path = call.split('"').nth(2).unwrap();
        assert!(path.starts_with("/simulator/"), "{call}");
    }
    assert!(!script.contains("/orders/") && !script.contains("/ovo-emoney/"));
    let sb = with(|c| c.hold = Duration::from_secs(5));
    for path in [
        "/simulator/pending",
        "/simulator/payments?limit=20",
        "/simulator/wallets",
        "/simulator/changes",
    ] {
        assert_eq!(get(&sb, path).0, 200, "{path}");
    }
}
