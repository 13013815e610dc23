// Twin of tests/ui/fail/aliasing_two_mut_args.rs: two `&mut` passed to one call point to disjoint memory
// (two fields, the halves of `split_at_mut`, two elements reached through raw pointers).
struct Pair {
    a: u32,
    b: u32,
}

fn add_both(a: &mut u32, b: &mut u32) {
    *a += 1;
    *b += 2;
}

fn swap_halves(left: &mut [u32], right: &mut [u32]) {
    left.swap_with_slice(right);
}

fn main() {
    let mut p = Pair { a: 1, b: 10 };
    add_both(&mut p.a, &mut p.b);
    println!("fields: {} {}", p.a, p.b);

    let mut v = [1u32, 2, 3, 4];
    let (l, r) = v.split_at_mut(2);
    swap_halves(l, r);
    println!("split_at_mut: {v:?}");

    let mut w = [5u32, 6];
    let base = w.as_mut_ptr();
    unsafe { add_both(&mut *base, &mut *base.add(1)) };
    println!("elements through raw pointers: {w:?}");
}
