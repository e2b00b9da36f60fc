//! Generates `include/ovo.h` from the Rust sources with cbindgen.
//!
//! The header is committed; the test suite fails when the committed copy is stale.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");

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
