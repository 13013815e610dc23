// Uncaught panic with a custom message built from formatting arguments: exit code 101, message on stderr.
struct Noisy;
impl Drop for Noisy {
    fn drop(&mut self) {
        println!("Noisy dropped while unwinding");
    }
}

fn check(values: &[i32], limit: i32) {
    let _n = Noisy;
    let total: i32 = values.iter().sum();
    println!("total = {}", total);
    if total > limit {
        panic!("total {} exceeds limit {} (values: {:?}, {:>6.2})", total, limit, values, 1.0f64 / 3.0);
    }
    println!("not reached");
}

fn main() {
    println!("starting");
    check(&[10, 20, 30], 50);
}
