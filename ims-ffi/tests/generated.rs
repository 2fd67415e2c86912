//! The generated files are current: `src/codes.rs` (the catalogue as C
//! constants) and `include/ims.h` (cbindgen over the sources). Run with
//! `IMS_BLESS=1` to rewrite them, then review the diff: a changed header is
//! a changed ABI.

#![allow(clippy::unwrap_used)]

use std::path::Path;

fn check(path: &Path, want: &str) {
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have != want && std::env::var_os("IMS_BLESS").is_some() {
        std::fs::write(path, want).unwrap();
        return;
    }
    assert!(have == want, "{} is stale: rerun with IMS_BLESS=1 and review the diff", path.display());
}

fn codes_rs() -> String {
    let mut s = String::from(
        "//! The status codes: the core's error catalogue as C constants.\n\
         //! Generated from `ims_core::catalogue()` by `tests/generated.rs`\n\
         //! (`IMS_BLESS=1 cargo test -p ims-ffi --test generated`): do not edit.\n\n\
         use std::ffi::CStr;\n\nuse crate::status::ims_status;\n\n",
    );
    let cat = ims_core::catalogue();
    for e in cat {
        let mut d = e.description.to_owned();
        d[..1].make_ascii_uppercase();
        s.push_str(&format!("/// {d}.\npub const IMS_{}: ims_status = {};\n", e.name, e.code));
    }
    s.push_str("\n/// Each status with its name, for `ims_status_name`.\npub(crate) static NAMES: &[(ims_status, &CStr)] = &[\n");
    for e in cat {
        s.push_str(&format!("    (IMS_{0}, c\"{0}\"),\n", e.name));
    }
    s.push_str("];\n");
    s
}

#[test]
fn codes_and_header_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    check(&dir.join("src/codes.rs"), &codes_rs());
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    let mut header = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen parses the crate")
        .write(&mut header);
    check(&dir.join("include/ims.h"), &String::from_utf8(header).unwrap());
}
