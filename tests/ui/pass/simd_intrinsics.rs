// The `core::intrinsics::simd` operations directly, in the shapes `std::simd` does not use:
// funnel shifts, run-time lane indices, shuffles to more or fewer lanes, bitmasks as
// byte arrays, padded and packed vectors of three lanes, pointer lanes (casts, exposed
// provenance, offsets), masked loads and stores in every alignment mode, and the reductions.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features, non_camel_case_types)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

/// The lanes as an array (fields of SIMD types cannot be projected to).
fn arr<T: Copy, const N: usize>(v: V<T, N>) -> [T; N] {
    unsafe { std::mem::transmute_copy(&v) }
}

impl<T: Copy + std::fmt::Debug, const N: usize> std::fmt::Debug for V<T, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        arr(*self).fmt(f)
    }
}

#[repr(simd, packed)]
#[derive(Copy, Clone)]
struct Packed<T, const N: usize>([T; N]);

type i32x4 = V<i32, 4>;
type f32x4 = V<f32, 4>;
type f64x2 = V<f64, 2>;
type ptrx2 = V<*const i32, 2>;

fn lanes() {
    unsafe {
        let a = V::<u32, 4>([0x1234_5678, 1, 0x8000_0000, 0xffff_ffff]);
        let b = V::<u32, 4>([0xdead_beef, 2, 3, 4]);
        println!("funnel_shl {:x?}", simd_funnel_shl(a, b, V::<u32, 4>([4, 0, 31, 16])));
        println!("funnel_shr {:x?}", simd_funnel_shr(a, b, V::<u32, 4>([4, 0, 31, 16])));
        let x: u32 = simd_extract(a, 2);
        let i = std::hint::black_box(3);
        let y: u32 = simd_extract_dyn(a, i);
        println!("extract {x:x} {y:x}");
        println!("insert {:x?}", simd_insert(a, 1, 77u32));
        println!("insert_dyn {:x?}", simd_insert_dyn(a, i, 88u32));
        let s: i32x4 = simd_splat(-7);
        println!("splat {s:?}");
        const IDX6: V<u32, 6> = V([7, 0, 6, 1, 5, 2]);
        let sh: V<u32, 6> = simd_shuffle(a, b, IDX6);
        println!("shuffle to more lanes {:x?}", sh);
        const IDXV: V<u32, 2> = V([3, 4]);
        let sh: V<u32, 2> = simd_shuffle(a, b, IDXV);
        println!("shuffle by vector {:x?}", sh);
        println!("ctlz {:?} cttz {:?} ctpop {:?}", simd_ctlz(a), simd_cttz(a), simd_ctpop(a));
        println!("bswap {:x?} bitreverse {:x?}", simd_bswap(a), simd_bitreverse(a));
        println!("saturating {:?}", simd_saturating_sub(V::<u8, 4>([1, 200, 3, 4]), V::<u8, 4>([2, 100, 3, 5])));
        println!("shl/shr {:?} {:?}", simd_shl(V::<i32, 4>([1, -1, 3, 4]), V::<i32, 4>([31, 1, 0, 2])), simd_shr(V::<i32, 4>([-8, 8, 3, 4]), V::<i32, 4>([1, 3, 0, 2])));
        let f = V::<f32, 4>([1.5, -2.0, f32::INFINITY, 2.0]);
        let g = V::<f32, 4>([1.5, 0.0, 1.0, f32::NAN]);
        let eq: i32x4 = simd_eq(f, g);
        let lt: i32x4 = simd_lt(g, f);
        let ne: i32x4 = simd_ne(f, g);
        println!("float compare {eq:?} {lt:?} {ne:?}");
        println!("fma {:?}", simd_fma(V::<f64, 2>([2.0, 0.5]), V::<f64, 2>([3.0, 4.0]), V::<f64, 2>([1.0, -2.0])));
        println!("fsqrt {:?} fabs {:?}", simd_fsqrt(V::<f64, 2>([9.0, 2.25])), simd_fabs(V::<f32, 4>([-1.0, 2.0, -0.0, -3.5])));
        println!("round_ties_even {:?}", simd_round_ties_even(V::<f64, 2>([2.5, 3.5])));
        println!("minimum/maximum {:?} {:?}", simd_minimum_number_nsz(f, g), simd_maximum_number_nsz(g, f));
        println!("neg {:?}", simd_neg(V::<i64, 2>([i64::MIN, 5])));
    }
}

fn odd_sizes() {
    unsafe {
        // Three lanes padded to four (the padding is never initialized) and packed.
        let x = V([1u32, 2, 3]);
        let z = simd_add(x, V([10, 20, 30]));
        println!("padded {:?}", arr(z));
        let p = Packed([1.5f32, 2.5, 3.5]);
        let q = simd_mul(p, Packed([2.0, 2.0, 2.0]));
        println!("packed {:?}", std::mem::transmute_copy::<_, [f32; 3]>(&q));
        let m: V<i16, 3> = simd_ge(x, V([2, 2, 2]));
        println!("mask of three {:?}", arr(m));
        let r: u32 = simd_reduce_add_ordered(x, 100);
        println!("reduce {r}");
    }
}

fn bitmasks() {
    unsafe {
        let m = V::<i8, 12>([-1, 0, 0, -1, 0, -1, -1, 0, -1, 0, 0, -1]);
        let as_int: u16 = simd_bitmask(m);
        let as_bytes: [u8; 2] = simd_bitmask(m);
        println!("bitmask {as_int:#b} {as_bytes:?}");
        let yes = V::<u8, 12>([1; 12]);
        let no = V::<u8, 12>([0; 12]);
        println!("select_bitmask int {:?}", simd_select_bitmask(0b1010_0101_1100u16, yes, no));
        let (yes, no) = (V::<u8, 16>([1; 16]), V::<u8, 16>([0; 16]));
        println!("select_bitmask bytes {:?}", simd_select_bitmask([0x0fu8, 0x98], yes, no));
        let mask = V::<i32, 4>([0, -1, -1, 0]);
        println!("select {:?}", simd_select(mask, V::<f32, 4>([1.0, 2.0, 3.0, 4.0]), V::<f32, 4>([-1.0, -2.0, -3.0, -4.0])));
        println!("any {} all {}", simd_reduce_any(mask), simd_reduce_all(mask));
        println!("reduce xor {}", simd_reduce_xor::<_, i32>(V::<i32, 4>([1, 2, 4, 1])));
        println!("reduce mul {}", simd_reduce_mul_ordered(V::<f64, 2>([1.5, -2.0]), 3.0));
        println!("reduce min/max {} {}", simd_reduce_min::<_, i32>(V::<i32, 4>([3, -1, 2, 8])), simd_reduce_max::<_, u8>(V::<u8, 4>([3, 250, 2, 8])));
    }
}

fn casts() {
    unsafe {
        let f = V::<f32, 4>([1.9, -1.9, 1e10, f32::NAN]);
        let sat: i32x4 = simd_as(f);
        println!("as saturating {sat:?}");
        let exact: i32x4 = simd_cast(V::<f32, 4>([1.9, -1.9, 2e9, -2e9]));
        println!("cast {exact:?}");
        let wide: f64x2 = simd_cast(V::<f32, 2>([0.1, 3.0]));
        println!("to f64 {wide:?}");
        let ints: V<u8, 4> = simd_cast(V::<i32, 4>([256, -1, 65, 127]));
        println!("to u8 {:?}", ints);
        let fl: f32x4 = simd_cast(V::<u32, 4>([u32::MAX, 0, 1 << 24 | 1, 7]));
        println!("u32 to f32 {fl:?}");
    }
}

fn pointers() {
    let data = [10i32, 20, 30, 40];
    let base = data.as_ptr();
    unsafe {
        let ptrs = V::<*const i32, 2>([base, base]);
        let moved = simd_arith_offset(ptrs, V::<usize, 2>([3, 1]));
        let vals = simd_gather(V([0i32, 0]), moved, V([-1i64, -1]));
        println!("gather {:?}", vals);
        let as_u8: V<*const u8, 2> = simd_cast_ptr(moved);
        let addrs: V<usize, 2> = simd_expose_provenance(as_u8);
        println!("distance {}", arr(addrs)[0] - arr(addrs)[1]);
        let back: ptrx2 = simd_with_exposed_provenance(addrs);
        println!("through exposed {:?}", simd_gather(V([0i32, 0]), back, V([-1i8, 0])));
        let mut out = [0i32; 4];
        let o = out.as_mut_ptr();
        let dst = V::<*mut i32, 2>([o.add(3), o]);
        simd_scatter(V([7i32, 8]), dst, V([-1i32, -1]));
        println!("scatter {:?}", out);
    }
}

fn masked() {
    use std::intrinsics::simd::SimdAlign;
    #[repr(C, align(16))]
    struct Aligned([i32; 8]);
    let mut buf = Aligned([1, 2, 3, 4, 5, 6, 7, 8]);
    let mask = V::<i32, 4>([-1, 0, -1, -1]);
    unsafe {
        let p = buf.0.as_ptr();
        let v = simd_masked_load::<_, _, _, { SimdAlign::Vector }>(mask, p, V::<i32, 4>([0; 4]));
        let e = simd_masked_load::<_, _, _, { SimdAlign::Element }>(mask, p.add(1), V::<i32, 4>([-9; 4]));
        let u = simd_masked_load::<_, _, _, { SimdAlign::Unaligned }>(mask, p.cast::<u8>().add(2).cast::<i32>(), V::<i32, 4>([-9; 4]));
        println!("masked loads {v:?} {e:?} {u:x?}");
        let q = buf.0.as_mut_ptr();
        simd_masked_store::<_, _, _, { SimdAlign::Vector }>(mask, q.add(4), V::<i32, 4>([40, 50, 60, 70]));
        simd_masked_store::<_, _, _, { SimdAlign::Unaligned }>(V::<i32, 4>([0, 0, 0, -1]), q.cast::<u8>().add(1).cast::<i32>(), V::<i32, 4>([0; 4]));
    }
    println!("after stores {:x?}", buf.0);
}

fn main() {
    lanes();
    odd_sizes();
    bitmasks();
    casts();
    pointers();
    masked();
}
