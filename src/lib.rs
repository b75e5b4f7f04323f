//! The workspace's own tests and examples live in `tests/` and `examples/`;
//! this library only runs the README's Rust blocks as doctests, so that the
//! README's DSL and notification snippets compile (and pass) as written.
#![doc = include_str!("../README.md")]
