//@compile-flags: -Zmiri-permissive-provenance
// A pointer made from an address whose allocation was never exposed has no provenance to use:
// reading through it is UB, even though the address is right. Twin:
// tests/ui/pass/provenance_exposed.rs.
fn main() {
    let x = 7u64;
    let addr = (&x as *const u64).addr();
    let p = std::ptr::with_exposed_provenance::<u64>(addr);
    let v = unsafe { *p }; //~ ERROR: Undefined Behavior: memory access failed
    println!("{v}");
}
