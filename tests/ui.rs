//! Compile-time behaviour of `#[qf_endpoint]`.
//!
//! `tests/ui/fail/*.rs` must not compile, and each must fail with exactly the
//! diagnostics in the `.stderr` beside it, pointing at the offending token.
//! `tests/ui/pass/*.rs` must compile and run. Both share one build.
//!
//! After an intended change of a message, `TRYBUILD=overwrite cargo test
//! --test ui` rewrites the `.stderr` files; review the diff before committing.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}

// The pass cases once more, as modules of this crate. trybuild only runs
// rustc on them; here `cargo clippy --all-targets -- -D warnings` also lints
// the code the macro generates for them, as it would in a strict user crate.
#[path = "ui/pass/attributes_kept.rs"]
mod attributes_kept;
#[path = "ui/pass/builder_false.rs"]
mod builder_false;
#[path = "ui/pass/deny_warnings.rs"]
mod deny_warnings;
#[path = "ui/pass/lifetime_generic.rs"]
mod lifetime_generic;
#[path = "ui/pass/mchid_false.rs"]
mod mchid_false;
#[path = "ui/pass/raw_identifiers.rs"]
mod raw_identifiers;
#[path = "ui/pass/response_types.rs"]
mod response_types;
#[path = "ui/pass/runtime_names.rs"]
mod runtime_names;
#[path = "ui/pass/setters.rs"]
mod setters;
#[path = "ui/pass/user_result_alias.rs"]
mod user_result_alias;

#[test]
fn pass_cases_run_in_process() {
    attributes_kept::main();
    builder_false::main();
    deny_warnings::main();
    lifetime_generic::main();
    mchid_false::main();
    raw_identifiers::main();
    response_types::main();
    runtime_names::main();
    setters::main();
    user_result_alias::main();
}
