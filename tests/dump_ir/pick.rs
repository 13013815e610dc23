// Lowered with -Zvigil-dump-ir=pick by crates/vigil-driver/tests/dump_ir.rs.
fn pick<'a>(v: &'a [u32; 4], s: &[u32], t: (&u32, u8), first: bool) -> Option<&'a u32> {
    if s.is_empty() {
        None
    } else if *t.0 == t.1 as u32 || first {
        Some(&v[0])
    } else {
        Some(&v[1])
    }
}

fn main() {
    let v = [1, 2, 3, 4];
    std::process::exit(*pick(&v, &[5], (&7, 8), false).unwrap() as i32 - 2);
}
