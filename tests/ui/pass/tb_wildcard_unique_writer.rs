// Twin of tests/ui/fail/tb_wildcard_unique_writer.rs: a write through a wildcard pointer that
// only the exposed mutable reference could make leaves that reference usable.
fn main() {
    let mut value = 0u32;
    let base = &mut value;
    let raw = base as *mut u32;
    let shared = unsafe { &*raw };
    let shared_addr = shared as *const u32 as usize;
    let unique = unsafe { &mut *raw };
    let _unique_addr = unique as *mut u32 as usize;
    let wild = shared_addr as *mut u32;
    unsafe { wild.write(5) };
    *unique += 1;
    println!("{}", *unique);
}
