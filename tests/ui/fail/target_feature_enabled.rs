//@check-pass
//@compile-flags: -C target-feature=+avx2
// Twin of tests/ui/fail/target_feature_missing.rs: compiled with avx2, the `#[target_feature]`
// function may be called, the feature is detected, and the avx2 intrinsics its wrappers call run.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sum_avx2(v: &[u32]) -> u32 {
    v.iter().sum()
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        assert!(is_x86_feature_detected!("avx2") && cfg!(target_feature = "avx2"));
        assert!(!is_x86_feature_detected!("avx512f"));
        let v = [1, 2, 3];
        println!("{}", unsafe { sum_avx2(&v) });
        let a: __m256i = unsafe { std::mem::transmute([1u8; 32]) };
        let s: [u64; 4] = unsafe { std::mem::transmute(_mm256_sad_epu8(a, _mm256_setzero_si256())) };
        println!("{s:?}");
    }
}
