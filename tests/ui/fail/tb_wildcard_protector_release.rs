//@compile-flags: -Zmiri-tree-borrows -Zmiri-permissive-provenance
// When a protector ends, the protected reference's writes become a foreign write for every tag
// that cannot be below it. A reference made inside the call from an exposed address cannot be:
// no tag below the protected one is exposed. So its tree sees the write, which disables it on
// the protected reference's bytes.
fn write_then_alias(first: &mut u32, second_addr: usize) -> *mut u32 {
    *first = 1;
    let second = unsafe { &mut *(second_addr as *mut u32) };
    // Points to `first`'s bytes, with `second`'s provenance.
    (second as *mut u32).wrapping_sub(1)
}

fn main() {
    let mut pair = [0u32; 2];
    let whole = &mut pair;
    let addr = whole as *mut [u32; 2] as usize;
    let p = write_then_alias(&mut whole[0], addr + 4);
    let _x = unsafe { *p }; //~ ERROR: /read access through .* is forbidden/
}
