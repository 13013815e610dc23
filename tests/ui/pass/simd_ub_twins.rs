// Twins of tests/ui/fail/simd_*: the same operations where they are defined (divisors and
// shifts in range, masks of 0 and all ones, floats that fit, lanes in bounds, pointers to live
// and aligned memory, masked accesses as aligned as their mode asks, masked-off lanes never
// touched).
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn arr<T: Copy, const N: usize>(v: V<T, N>) -> [T; N] {
    unsafe { std::mem::transmute_copy(&v) }
}

fn main() {
    unsafe {
        println!("div {:?}", arr(simd_div(V([10i32, 20, 30, 40]), V([1i32, 2, -3, 4]))));
        println!("rem {:?}", arr(simd_rem(V([i16::MIN, 7]), V([1i16, 2]))));
        println!("shl {:?}", arr(simd_shl(V([1u8, 2, 3, 4]), V([1u8, 7, 0, 0]))));
        println!("shr {:?}", arr(simd_shr(V([100i64, -200]), V([3i64, 63]))));
        println!("funnel_shl {:x?}", arr(simd_funnel_shl(V([0x1234u16, 1]), V([0x5678u16, 2]), V([15u16, 0]))));
        let mask = V([0i32, -1, -1, 0]);
        println!("select {:?}", arr(simd_select(mask, V([1u8, 2, 3, 4]), V([5u8, 6, 7, 8]))));
        println!("reduce_all {}", simd_reduce_all(V([-1i8, -1, 0, -1])));
        let b: u8 = simd_bitmask(V([0i64, -1]));
        println!("bitmask {b}");
        let i: V<u32, 2> = simd_cast(V([1.5f64, 4294967295.0]));
        println!("cast {:?}", arr(i));
        let n = std::hint::black_box(3);
        let x: u32 = simd_extract_dyn(V([1u32, 2, 3, 4]), n);
        println!("extract {x}");
        println!("insert {:?}", arr(simd_insert_dyn(V([1u32, 2]), n - 2, 9u32)));

        let data = [1u16, 2, 3];
        let p = data.as_ptr();
        let ptrs = V([p, p.wrapping_add(3)]);
        // The lane past the end is masked off, so it is never read.
        println!("gather {:?}", arr(simd_gather(V([7u16, 7]), ptrs, V([-1i16, 0]))));
        let mut live = [0u32; 2];
        let q = live.as_mut_ptr();
        simd_scatter(V([1u32, 2]), V([q.wrapping_add(1), q]), V([-1i32, -1]));
        println!("scatter {:?}", live);

        let buf = [5u64; 4];
        let mask = V([-1i64, 0]);
        let v = simd_masked_load::<_, _, _, { SimdAlign::Element }>(mask, buf.as_ptr().wrapping_add(1), V([0u64, 0]));
        let u = simd_masked_load::<_, _, _, { SimdAlign::Unaligned }>(mask, buf.as_ptr().cast::<u8>().wrapping_add(4).cast::<u64>(), V([0u64, 0]));
        println!("masked load {:?} {:x?}", arr(v), arr(u));
        #[repr(C, align(16))]
        struct Buf([f32; 8]);
        let mut buf = Buf([0.0; 8]);
        let p = buf.0.as_mut_ptr().wrapping_add(4);
        simd_masked_store::<_, _, _, { SimdAlign::Vector }>(V([0i32, -1, 0, -1]), p, V([1.0f32; 4]));
        println!("masked store {:?}", buf.0);
    }
}
