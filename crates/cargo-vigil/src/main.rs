//! The `cargo vigil` subcommand.
fn main() {}
