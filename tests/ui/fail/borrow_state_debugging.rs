//@revisions: stack tree
//@[tree]compile-flags: -Zmiri-tree-borrows
//@check-pass
//@normalize-stderr-test: "<[0-9]+" -> "<TAG"
//@normalize-stderr-test: "alloc[0-9]+" -> "ALLOC"
// Miri's debugging hooks for the aliasing models, as test code calls them under `cfg(miri)`:
// the allocation id of a pointer, names for tags (and, under Tree Borrows, for a tag's parent),
// the printed borrow state (a tag tree or the stacks, on stderr), an explicit collection of dead
// tags, and a leak-check root that keeps a leaked `Box` from being reported.
extern "Rust" {
    fn miri_get_alloc_id(ptr: *const ()) -> u64;
    fn miri_pointer_name(ptr: *const (), nth_parent: u8, name: &[u8]);
    fn miri_print_borrow_state(alloc_id: u64, show_unnamed: bool);
    fn miri_static_root(ptr: *const u8);
    fn miri_run_provenance_gc();
}

fn name(p: *const u8, name: &str) {
    unsafe { miri_pointer_name(p as *const (), 0, name.as_bytes()) }
}

fn main() {
    unsafe {
        let mut bytes = [0u8; 4];
        let base = &mut bytes as *mut [u8; 4];
        let id = miri_get_alloc_id(base as *const ());
        name(base as *const u8, "base");
        let whole = &mut *base;
        name(whole as *mut [u8; 4] as *const u8, "whole");
        let third = &(*base)[2];
        name(third, "third");
        whole[0] = 1;
        miri_print_borrow_state(id, false);
        miri_run_provenance_gc();

        let kept = Box::into_raw(Box::new(5u32));
        miri_static_root(kept as *const u8);
        println!("done");
    }
}
