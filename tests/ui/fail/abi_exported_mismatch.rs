// Calling an exported Rust-ABI function through a declaration with the C calling convention is
// undefined behavior. Twin: tests/ui/pass/exported_symbols.rs.
#[unsafe(no_mangle)]
fn vigil_rust_abi() -> u32 {
    1
}

unsafe extern "C" {
    #[link_name = "vigil_rust_abi"]
    fn as_c() -> u32;
}

fn main() {
    let v = unsafe { as_c() }; //~ ERROR: calling a function with calling convention "Rust" using calling convention "C"
    println!("{v}");
}
