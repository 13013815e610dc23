// Twin of tests/ui/fail/tb_wildcard_single_exposed: writes through pointers made from exposed
// addresses, re-exposing a fresh `&mut` after the owner was used directly, and reads through
// the wildcard after the owner's read.
fn main() {
    let mut value: u64 = 0;
    let r = &mut value;
    let wild = r as *mut u64 as usize as *mut u64;
    unsafe { wild.write(1) };
    let first = value;
    println!("{first} {}", unsafe { wild.read() });
    let r2 = &mut value;
    let wild2 = r2 as *mut u64 as usize as *mut u64;
    unsafe { wild2.write(first + 1) };
    unsafe { *wild2 += 1 };
    println!("{value}");
}
