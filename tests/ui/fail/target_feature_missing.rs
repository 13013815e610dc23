// A function with `#[target_feature(enable = "avx2")]` called from a program compiled without
// avx2 (the default x86_64 target): undefined behavior, whether or not the CPU has the feature.
// Twin: tests/ui/fail/target_feature_enabled.rs (the same call with `-C target-feature=+avx2`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sum_avx2(v: &[u32]) -> u32 {
    v.iter().sum()
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    {
        assert!(!is_x86_feature_detected!("avx2"));
        let v = [1, 2, 3];
        let s = unsafe { sum_avx2(&v) }; //~ ERROR: calling a function that requires unavailable target features: avx2
        println!("{s}");
    }
}
