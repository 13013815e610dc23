// Lowered with -Zvigil-dump-ir=countdown by crates/vigil-driver/tests/dump_ir.rs.
fn countdown(mut n: u32) -> u32 {
    let mut steps = 0;
    while n > 0 {
        n -= 1;
        steps += 1;
    }
    steps
}

fn main() {
    std::process::exit(countdown(3) as i32 - 3);
}
