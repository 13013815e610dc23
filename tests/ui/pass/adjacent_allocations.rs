//@ vigil-flags: -Zmiri-permissive-provenance
// Allocations can be adjacent: the gap Vigil leaves before each new one is random and can be 0, as
// under the reference interpreter, so one allocation's end can be the next one's start. A pointer
// made from such an address acts for whichever exposed allocation its use needs: the next one
// when it reads forward, the previous one when it moves backward or measures a distance back to
// its start. Natively the heap never places two blocks back to back, so that part runs only under
// an interpreter (`cfg(miri)`). Twin: tests/ui/fail/adjacent_allocation_not_exposed.rs.
use std::alloc::{Layout, alloc, dealloc};
use std::ptr;

const PAIR: Layout = Layout::new::<[u64; 2]>();

/// Allocates pairs of blocks until the second starts at the end of the first; frees the others.
fn adjacent_pair() -> Option<(*mut u64, *mut u64)> {
    let mut others = Vec::new();
    let mut found = None;
    for i in 0..1000u64 {
        let (a, b) = unsafe { (alloc(PAIR) as *mut u64, alloc(PAIR) as *mut u64) };
        unsafe {
            a.write(i);
            a.add(1).write(i + 1);
            b.write(i + 2);
            b.add(1).write(i + 3);
        }
        if a.addr() + 16 == b.addr() {
            found = Some((a, b));
            break;
        }
        others.extend([a, b]);
    }
    for p in others {
        unsafe { dealloc(p as *mut u8, PAIR) };
    }
    found
}

fn at_the_seam(a: *mut u64, b: *mut u64) {
    let start_addr = a.expose_provenance();
    let seam = start_addr + 16;

    // Only `a` is exposed: the seam is `a`'s end, and moving back from it stays in `a`.
    let end = ptr::with_exposed_provenance::<u64>(seam);
    let last = unsafe { end.sub(1).read() };
    let len = unsafe { end.offset_from(ptr::with_exposed_provenance::<u64>(start_addr)) };

    // Now `b` is exposed too: the seam reads as `b`'s first word, and still moves back into `a`.
    assert_eq!(b.expose_provenance(), seam);
    let p = ptr::with_exposed_provenance_mut::<u64>(seam);
    let first_of_b = unsafe { p.read() };
    let first_of_a = unsafe { p.sub(2).read() };
    let back = unsafe { p.offset_from(ptr::with_exposed_provenance::<u64>(start_addr)) };

    // Freeing through pointers made from the addresses frees the block starting there.
    unsafe {
        dealloc(p as *mut u8, PAIR);
        dealloc(ptr::with_exposed_provenance_mut::<u8>(start_addr), PAIR);
    }
    assert_eq!((len, back), (2, 2));
    assert_eq!(last + 1, first_of_b);
    assert_eq!(first_of_a + 1, last);
}

fn main() {
    match adjacent_pair() {
        Some((a, b)) => at_the_seam(a, b),
        None => assert!(!cfg!(miri), "an interpreter places allocations back to back now and then"),
    }
    println!("done");
}
