//! docs/errors.md is the error catalogue as documentation. This test keeps it
//! equal to `ims_core::catalogue()`; run with `IMS_BLESS=1` to rewrite it
//! after a deliberate change to the catalogue.

use std::fmt::Write;

fn render() -> String {
    let mut s = String::from(
        "# Error catalogue\n\n\
         Generated from `ims_core::catalogue()` (checked by `ims-core/tests/docs_errors.rs`).\n\
         Codes and names are stable and never reused. Precedence: a command is checked for form \
         (codes, signs) first, then references (item, location, lot, reservation), then the form \
         that depends on the item (units, scale), then state; only the first applicable error is \
         returned. Retryable errors may succeed if the same command is sent again later.\n\n\
         | code | name | retryable | meaning |\n| --- | --- | --- | --- |\n",
    );
    for e in ims_core::catalogue() {
        let _ = writeln!(
            s,
            "| {} | `{}` | {} | {} |",
            e.code,
            e.name,
            if e.retryable { "yes" } else { "no" },
            e.description
        );
    }
    s
}

#[test]
fn errors_doc_matches_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/errors.md");
    let want = render();
    if std::env::var_os("IMS_BLESS").is_some() {
        std::fs::write(path, &want).expect("write docs/errors.md");
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(have, want, "docs/errors.md is stale: rerun this test with IMS_BLESS=1 and review the diff");
}
