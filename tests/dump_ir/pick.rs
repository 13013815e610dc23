// Lowered with -Zvigil-dump-ir=pick by crates/vigil-driver/tests/dump_ir.rs.
fn pick<'a>(v: &'a [u32; 4], s: &[u32]) -> &'a u32 {
    if s.is_empty() { &v[0] } else { &v[1] }
}

fn main() {
    let v = [1, 2, 3, 4];
    std::process::exit(*pick(&v, &[5]) as i32 - 2);
}
