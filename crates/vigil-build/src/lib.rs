//! Shared by cargo-vigil and the vigil driver: sysroot building, rustc flags, invocation records.
