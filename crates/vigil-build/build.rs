//! Records which toolchain built Vigil: the `vigil` driver is linked against that toolchain's
//! `librustc_driver`, so every crate it loads (the sysroot, the user's dependencies) must be
//! compiled by that same rustc, whatever toolchain is active where `cargo vigil` is run.
use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    println!("cargo:rustc-env=VIGIL_BUILD_TOOLCHAIN_SYSROOT={sysroot}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
}
