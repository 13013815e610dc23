// Uncaught panic: integer overflow on `+` with debug assertions (overflow checks) enabled.
fn add(a: u8, b: u8) -> u8 {
    a + b
}

fn main() {
    let mut acc: u8 = 0;
    for step in [100u8, 100, 50, 10] {
        println!("acc {} + {}", acc, step);
        acc = add(acc, step);
    }
    println!("not reached {}", acc);
}
