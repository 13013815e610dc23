// A reference whose length makes its pointee larger than any object can be (more than
// `isize::MAX` bytes) is invalid for its metadata, before anything is said of the memory it
// points to. Twin: tests/ui/pass/validity_nested_enums.rs (references of fitting sizes).
fn main() {
    let words = [1u32, 2, 3];
    let len = isize::MAX as usize / 2;
    let _r: &[u32] = unsafe { std::mem::transmute((words.as_ptr(), len)) }; //~ ERROR: slice is bigger than largest supported object
}
