//@ env: VIGILFLAGS=-Zvigil-strict-provenance
// Twin of tests/ui/fail/provenance_*_strict: under strict provenance, only provenance-preserving operations
// are used: `with_addr` / `map_addr`, pointer-to-integer reads of the address only, and pointers copied as
// pointers (bytes moved by `ptr::copy` keep their provenance).
fn main() {
    let x = [5u32, 6, 7];
    let p = x.as_ptr();
    let addr = p.addr();
    let third = p.with_addr(addr + 8);
    println!("with_addr: {}", unsafe { *third });
    let tagged = p.map_addr(|a| a | 2);
    println!("map_addr tag bits: {}, untagged read: {}", tagged.addr() & 3, unsafe { *tagged.map_addr(|a| a & !3) });

    let src: [*const u32; 1] = [p];
    let mut dst: [*const u32; 1] = [std::ptr::null()];
    unsafe { std::ptr::copy_nonoverlapping(src.as_ptr().cast::<u8>(), dst.as_mut_ptr().cast::<u8>(), 8) };
    println!("pointer bytes copied with ptr::copy: {}", unsafe { *dst[0] });
}
