// A recursive call's argument and its parameter's uses go through MIR's temporaries:
// `_4 = copy _1; _5 = Sub(copy _4, 1)`, `_3 = copy _5; fib(move _3)`.
fn fib_args(n: u32) -> u64 {
    if n < 2 { n as u64 } else { fib_args(n - 1) + fib_args(n - 2) }
}

fn main() {
    println!("{}", fib_args(12));
}
