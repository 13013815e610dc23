// Bench (e): naive recursive fib(30) (2,692,537 calls), a call-heavy workload.
fn fib(n: u32) -> u64 {
    if n < 2 { n as u64 } else { fib(n - 1) + fib(n - 2) }
}

fn main() {
    println!("fib(30) = {}", fib(30));
}
