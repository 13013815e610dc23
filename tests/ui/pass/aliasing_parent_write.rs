// Twin of tests/ui/fail/aliasing_parent_write.rs: a reborrow (`child`) is used only while its parent is
// not; after the parent is used again the child is never touched. Raw pointers derived from one `&mut`
// may be interleaved freely.
fn main() {
    let mut v = 1u32;
    let parent = &mut v;
    let child = unsafe { &mut *(parent as *mut u32) };
    *child = 2;
    *parent += 1;
    println!("child then parent: {}", *parent);

    let mut w = 10u32;
    let r = &mut w;
    let p1 = r as *mut u32;
    let p2 = p1;
    unsafe {
        *p1 += 1;
        *p2 += 1;
        *p1 += 1;
    }
    *r += 1;
    println!("interleaved raw pointers, then the reference: {w}");
}
