// `ptr.add(n)` takes an unsigned count: a count above `isize::MAX` bytes overflows pointer
// arithmetic even though, read as signed, it would be a small step backwards.
fn main() {
    let words = [0u32; 2];
    let p = words.as_ptr().wrapping_add(1);
    let _back = unsafe { p.byte_offset(-4) };
    let _q = unsafe { p.byte_add(usize::MAX - 3) }; //~ ERROR: does not fit in an `isize`
}
