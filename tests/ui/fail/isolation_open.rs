// Isolation (the default) refuses to open a host file: the run stops with an unsupported-operation error
// that names `open` and the flags that allow it. Twin: tests/ui/pass/fs_roundtrip.rs (isolation off).
fn main() {
    let r = std::fs::File::open("Cargo.toml"); //~ ERROR: `open` not available when isolation is enabled
    println!("{}", r.is_ok());
}
