// `mem::swap` of valid values of types with validity invariants (bools, chars, enums,
// references) and of plain data.
#[derive(Debug)]
#[allow(dead_code)]
enum Shape {
    Dot,
    Line(u8),
}

fn main() {
    let (mut a, mut b) = (true, false);
    std::mem::swap(&mut a, &mut b);
    let (mut c, mut d) = ('x', 'é');
    std::mem::swap(&mut c, &mut d);
    let (mut e, mut f) = (Shape::Dot, Shape::Line(4));
    std::mem::swap(&mut e, &mut f);
    let (x, y) = (1u32, 2u32);
    let (mut g, mut h) = (&x, &y);
    std::mem::swap(&mut g, &mut h);
    let mut v = [5u64, 6, 7];
    v.swap(0, 2);
    println!("{a} {b} {c} {d} {e:?} {f:?} {g} {h} {v:?}");
}
