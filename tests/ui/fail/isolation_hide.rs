//@check-pass
//@compile-flags: -Zmiri-isolation-error=hide -Zmiri-env-forward=VIGIL_FORWARDED -Zmiri-env-set=VIGIL_SET=from-flag
//@rustc-env: VIGIL_FORWARDED=forwarded
//@rustc-env: VIGIL_HIDDEN=hidden
// With `-Zmiri-isolation-error=hide` the calls isolation refuses return "permission denied" to the program,
// silently; the program sees only the environment variables forwarded or set by flags; its process id is
// fixed. Twins: isolation_open.rs (the default stops) and isolation_warn.rs (a warning per call).
use std::env;
use std::fs;

fn main() {
    println!("open: {:?}", fs::File::open("Cargo.toml").map_err(|e| e.kind()));
    println!("create: {:?}", fs::File::create("vigil-isolation-hide.txt").map_err(|e| e.kind()));
    println!("metadata: {:?}", fs::metadata("Cargo.toml").map_err(|e| e.kind()));
    println!("read_dir: {:?}", fs::read_dir(".").map(|_| ()).map_err(|e| e.kind()));
    println!("create_dir: {:?}", fs::create_dir("vigil-isolation-hide").map_err(|e| e.kind()));
    println!("remove_file: {:?}", fs::remove_file("Cargo.toml").map_err(|e| e.kind()));
    println!("current_dir: {:?}", env::current_dir().map_err(|e| e.kind()));
    println!("set_current_dir: {:?}", env::set_current_dir("/").map_err(|e| e.kind()));
    println!("VIGIL_FORWARDED: {:?}", env::var("VIGIL_FORWARDED"));
    println!("VIGIL_HIDDEN: {:?}", env::var("VIGIL_HIDDEN"));
    println!("VIGIL_SET: {:?}", env::var("VIGIL_SET"));
    println!("PATH is hidden: {}", env::var_os("PATH").is_none());
    let mut all: Vec<String> = env::vars().map(|(k, _)| k).collect();
    all.sort();
    println!("all variables: {all:?}");
    println!("pid: {}", std::process::id());
}
