//! Embeds an rpath to the toolchain's lib directory so `vigil` finds librustc_driver
//! without LD_LIBRARY_PATH.
use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).args(["--print", "sysroot"]).output().expect("running rustc --print sysroot");
    let sysroot = String::from_utf8(out.stdout).expect("sysroot path is UTF-8");
    println!("cargo:rustc-link-arg-bins=-Wl,-rpath,{}/lib", sysroot.trim());
    println!("cargo:rerun-if-changed=build.rs");
}
