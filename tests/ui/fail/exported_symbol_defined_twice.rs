// One symbol exported by two functions cannot be linked: which one a call reaches is not
// defined. (The twin, one definition per symbol, is tests/ui/pass/exported_symbols.rs.)
#[unsafe(no_mangle)]
fn vigil_twice() -> u32 {
    1
}

#[unsafe(export_name = "vigil_twice")]
fn also_twice() -> u32 {
    2
}

fn main() {
    unsafe extern "Rust" {
        fn vigil_twice() -> u32;
    }
    let _ = unsafe { vigil_twice() }; //~ ERROR: multiple definitions of symbol `vigil_twice`
}
