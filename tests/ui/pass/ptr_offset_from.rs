// Twin of tests/ui/fail/offset_from_* and offset_unsigned_overflow: `offset_from` inside one
// allocation (both directions, one past the end), equal pointers (even without provenance), and
// `add`/`sub` with counts that stay in bounds.
fn main() {
    let v: Vec<u64> = (0..8).collect();
    let start = v.as_ptr();
    let end = unsafe { start.add(v.len()) };
    println!("{} {}", unsafe { end.offset_from(start) }, unsafe { start.offset_from(end) });
    let mid = unsafe { start.add(3) };
    println!("{}", unsafe { mid.offset_from_unsigned(start) });
    let nowhere = std::ptr::without_provenance::<u16>(40);
    println!("{}", unsafe { nowhere.offset_from(nowhere) });
    let back = unsafe { end.sub(2) };
    println!("{}", unsafe { *back });
    let bytes = [1u8, 2, 3, 4];
    let p = bytes.as_ptr();
    println!("{}", unsafe { *p.byte_add(3) });
}
