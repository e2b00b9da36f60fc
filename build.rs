//! Generates `include/ovo.h` from the Rust sources with cbindgen.
//!
//! The header is committed; the test suite fails when the committed copy is stale.
//! On Linux it also gives `libovo.so` its SONAME, `libovo.so.0`.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");

    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        soname();
    }

    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut config =
        cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml is valid");
    let version = |part: &str| env::var(format!("CARGO_PKG_VERSION_{part}")).expect("set by cargo");
    config.after_includes = Some(format!(
        "\n/** libovo version this header belongs to (see ovo_version()). */\n\
         #define OVO_VERSION_MAJOR {}\n#define OVO_VERSION_MINOR {}\n#define OVO_VERSION_PATCH {}\n\
         #define OVO_VERSION_STRING \"{}\"",
        version("MAJOR"),
        version("MINOR"),
        version("PATCH"),
        env::var("CARGO_PKG_VERSION").expect("set by cargo"),
    ));
    match cbindgen::Builder::new()
        .with_crate(&root)
        .with_config(config)
        .generate()
    {
        Ok(bindings) => {
            bindings.write_to_file(root.join("include/ovo.h"));
        }
        Err(e) => panic!("cbindgen could not generate include/ovo.h: {e}"),
    }
}

/// Programs linked with `-lovo` record `libovo.so.0` (ABI major 0), the name `make install`
/// installs. A `libovo.so.0 -> libovo.so` link beside cargo's output keeps programs linked
/// against `target/<profile>/` (the C tests, `LD_LIBRARY_PATH=target/release`) loading.
fn soname() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libovo.so.0");
    // OUT_DIR is <target dir>/<profile>/build/ovo-<hash>/out.
    #[cfg(unix)]
    if let Some(profile_dir) = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"))
        .ancestors()
        .nth(3)
    {
        let link = profile_dir.join("libovo.so.0");
        if link.symlink_metadata().is_err() {
            // Best effort: without it only programs run from target/ miss the library.
            let _ = std::os::unix::fs::symlink("libovo.so", link);
        }
    }
}
