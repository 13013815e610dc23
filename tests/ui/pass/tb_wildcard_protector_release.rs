// Twin of tests/ui/fail/tb_wildcard_protector_release.rs: the end of a protector disables a
// reference made from an exposed address during the call only on the protected reference's
// bytes; its own bytes stay usable.
fn write_then_alias(first: &mut u32, second_addr: usize) -> *mut u32 {
    *first = 1;
    let second = unsafe { &mut *(second_addr as *mut u32) };
    *second = 2;
    second as *mut u32
}

fn main() {
    let mut pair = [0u32; 2];
    let whole = &mut pair;
    let addr = whole as *mut [u32; 2] as usize;
    let p = write_then_alias(&mut whole[0], addr + 4);
    let second = unsafe { *p };
    println!("{second}");
}
