// rustc supports alignments up to 2^29: a larger one is an unsupported operation (not UB).
use std::alloc::{Layout, alloc};

fn main() {
    let layout = unsafe { Layout::from_size_align_unchecked(8, 1 << 30) };
    let p = unsafe { alloc(layout) }; //~ ERROR: exceeding rustc's maximum supported value
    println!("{p:?}");
}
