// Invalid value: a struct around a reference, holding null. Its layout's non-null niche
// and the reference's own check both refuse it; the reference's check reports.
// Twin: tests/ui/pass/ref_wrappers.rs.
#![allow(invalid_value)]
struct Wrap<'a>(#[allow(dead_code)] &'a u8);

fn main() {
    let _w: Wrap<'_> = unsafe { std::mem::transmute(0usize) }; //~ ERROR: encountered a null reference
}
