//@ vigil-flags: -Zmiri-deterministic-floats
// With `-Zmiri-deterministic-floats` every float operation has one answer, run after run: the
// preferred NaN (positive, quiet, payload 0), the first operand of `min`/`max` when they are
// equal, no extra rounding error, `fmuladd` never fused. The preferred NaN itself is checked
// only under an interpreter (`cfg(miri)`): natively x86 passes input payloads on. Twin:
// tests/ui/pass/float_choices.rs.
use std::collections::BTreeSet;
use std::hint::black_box;

fn one_outcome(f: impl Fn() -> u64) -> u64 {
    let seen: BTreeSet<u64> = (0..100).map(|_| f()).collect();
    assert_eq!(seen.len(), 1, "one answer");
    seen.into_iter().next().unwrap()
}

fn main() {
    let zero = black_box(0.0f64);
    let fresh = one_outcome(|| (zero / zero).to_bits());
    let propagated = one_outcome(|| (black_box(1.5f64) + f64::from_bits(0x7ff8_0000_0000_002a)).to_bits());
    if cfg!(miri) {
        assert_eq!((fresh, propagated), (0x7ff8 << 48, 0x7ff8 << 48), "the preferred NaN");
    }
    one_outcome(|| black_box(0.7f64).sin().to_bits());
    one_outcome(|| black_box(1.1f64).powf(3.3).to_bits());
    one_outcome(|| black_box(0.3f64).sinh().to_bits());
    let min = one_outcome(|| black_box(0.0f64).min(black_box(-0.0)).to_bits());
    assert_eq!(f64::from_bits(min), 0.0);
    one_outcome(|| black_box(0.1f64).mul_add(10.0, -1.0).to_bits());
    println!("one answer each");
}
