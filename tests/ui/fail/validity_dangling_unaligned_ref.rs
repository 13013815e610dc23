// A reference that is both dangling (its allocation is freed) and unaligned is reported as
// dangling: whether the pointee is there is checked before its alignment, as Miri does.
// Twin: tests/ui/pass/validity_nested_enums.rs (references checked while live and aligned).
fn main() {
    let b = Box::new([0u8; 8]);
    let p = unsafe { (&*b as *const u8).add(1) };
    drop(b);
    let _r: &i32 = unsafe { std::mem::transmute(p) }; //~ ERROR: dangling reference (use-after-free)
}
