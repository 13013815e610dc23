//@ vigil-flags: -Zmiri-permissive-provenance
// Pointers made from exposed addresses (wildcard provenance) act for whichever exposed allocation
// their address is in when they are used: one made from an out-of-bounds address and moved back in
// bounds, one made from one allocation's address and moved to another's, and references made from
// them. Also pointer-to-integer casts to narrower types. Twin: tests/ui/fail/provenance_not_exposed.rs.
use std::ptr;

fn main() {
    let x: i32 = 3;
    let far = (&x as *const i32).wrapping_offset(128).expose_provenance();
    let back = ptr::with_exposed_provenance::<i32>(far).wrapping_offset(-128);
    println!("back in bounds: {}", unsafe { *back });

    let a = [1u8, 2, 3, 4];
    let b = [5u8, 6, 7, 8];
    let (pa, pb) = (a.as_ptr().expose_provenance(), b.as_ptr().expose_provenance());
    let p = ptr::with_exposed_provenance::<u8>(pa);
    let q = p.wrapping_add(pb.wrapping_sub(pa)).wrapping_add(2);
    println!("moved to the other allocation: {}", unsafe { *q });
    let r: &u8 = unsafe { &*q };
    println!("a reference from it: {r}");

    let low = &x as *const i32 as u8;
    println!("low byte of the address matches: {}", low == (far.wrapping_sub(128 * 4) as u8));
}
