// Twin of tests/ui/fail/provenance_*: a pointer turned into an integer with `expose_provenance` (or `as`) can
// be turned back with `with_exposed_provenance` (or `as`) and used; strict-provenance APIs (`with_addr`,
// `map_addr`) keep the provenance; and a pointer copied as a pointer keeps it.
fn main() {
    let x = [5u32, 6];
    let p: *const u32 = x.as_ptr();
    let addr = p.expose_provenance();
    let q = std::ptr::with_exposed_provenance::<u32>(addr + 4);
    println!("with_exposed_provenance after expose_provenance: {}", unsafe { *q });

    let y = 9u64;
    let a = &y as *const u64 as usize;
    let r = a as *const u64;
    println!("as-cast round trip: {}", unsafe { *r });

    let tagged = p.map_addr(|a| a | 1);
    let untagged = tagged.map_addr(|a| a & !1);
    println!("map_addr tag and untag: {}", unsafe { *untagged });
    let second = p.with_addr(p.addr() + 4);
    println!("with_addr: {}", unsafe { *second });

    let holder: [*const u32; 1] = [p];
    let copied: *const u32 = unsafe { std::ptr::read(holder.as_ptr()) };
    println!("pointer copied as a pointer: {}", unsafe { *copied });
}
