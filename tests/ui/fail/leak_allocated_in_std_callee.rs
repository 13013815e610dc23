// A leak of memory that `Vec::with_capacity` allocated. That function, of the standard
// library and protecting nothing, is inlined into `main` with its own small callees; the
// allocation (a call made from the inlined code) is still named at the call in `main`,
// the innermost point in the user's code, as it would be with the callees' own frames.
fn main() {
    let v: Vec<u32> = Vec::with_capacity( //~ ERROR: memory leaked
        4,
    );
    std::mem::forget(v);
}
