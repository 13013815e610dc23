// `std::simd` as programs use it: lane-wise arithmetic on integer and float vectors, masks,
// comparisons, selects, reductions, swizzles, casts, gathers and scatters, masked loads and
// stores, bit counting, and the `StdFloat` rounding and math functions.
#![feature(portable_simd)]
use std::simd::prelude::*;
use std::simd::{StdFloat, Swizzle};

fn integers() {
    let a = i32x8::from_array([1, -2, 3, -4, 5, -6, i32::MAX, i32::MIN]);
    let b = i32x8::splat(3);
    println!("add {:?}", a + b);
    println!("sub {:?}", a - b);
    println!("mul {:?}", a * b);
    println!("div {:?}", a / b);
    println!("rem {:?}", a % b);
    println!("neg {:?}", -i32x4::from_array([1, -1, 0, 7]));
    println!("and/or/xor {:?} {:?} {:?}", a & b, a | b, a ^ b);
    println!("not {:?}", !a);
    println!("shl {:?}", u8x16::splat(0x81) << u8x16::splat(3));
    println!("shr signed {:?}", a >> Simd::splat(1));
    println!("shr unsigned {:?}", u16x8::from_array([0x8000, 1, 2, 3, 0xffff, 5, 6, 7]) >> u16x8::splat(2));
    println!("sat add {:?}", u8x8::from_array([250, 1, 2, 3, 4, 5, 6, 255]).saturating_add(u8x8::splat(10)));
    println!("sat sub {:?}", i8x8::from_array([-120, 1, 2, 3, 4, 5, 6, 127]).saturating_sub(i8x8::splat(10)));
    println!("abs {:?}", i16x4::from_array([-3, 3, i16::MIN, 0]).abs());
    println!("min/max {:?} {:?}", a.simd_min(b), a.simd_max(b));
    println!("clamp {:?}", a.simd_clamp(Simd::splat(-3), Simd::splat(4)));
    println!("sum {} product {}", a.reduce_sum(), i64x4::from_array([2, 3, 4, 5]).reduce_product());
    println!("reduce min/max {} {}", a.reduce_min(), a.reduce_max());
    println!("reduce and/or/xor {} {} {}", a.reduce_and(), a.reduce_or(), a.reduce_xor());
    let u = u32x4::from_array([0, 1, 0x8000_0000, 0x00f0_0f00]);
    println!("count_ones {:?}", u.count_ones());
    println!("leading_zeros {:?}", u.leading_zeros());
    println!("trailing_zeros {:?}", u.trailing_zeros());
    println!("swap_bytes {:x?}", u.swap_bytes());
    println!("reverse_bits {:x?}", u.reverse_bits());
    println!("wide lanes {:?}", u64x2::from_array([u64::MAX, 1]) + u64x2::splat(2));
}

fn floats() {
    let a = f32x4::from_array([1.5, -2.25, 3.0, -0.5]);
    let b = f32x4::from_array([0.5, 4.0, -1.0, 8.0]);
    println!("f32 add {:?}", a + b);
    println!("f32 sub {:?}", a - b);
    println!("f32 mul {:?}", a * b);
    println!("f32 div {:?}", a / b);
    println!("f32 rem {:?}", a % b);
    println!("f32 neg {:?}", -a);
    println!("f32 abs {:?}", a.abs());
    println!("f32 min/max {:?} {:?}", a.simd_min(b), a.simd_max(b));
    println!("f32 nan min {:?}", f32x2::from_array([f32::NAN, 1.0]).simd_min(f32x2::from_array([2.0, f32::NAN])));
    println!("f32 sum/product {} {}", a.reduce_sum(), a.reduce_product());
    println!("f32 reduce min/max {} {}", a.reduce_min(), a.reduce_max());
    let c = f64x4::from_array([2.5, -2.5, 0.49999999999999994, 1e300]);
    println!("round {:?}", c.round());
    println!("floor {:?}", c.floor());
    println!("ceil {:?}", c.ceil());
    println!("trunc {:?}", c.trunc());
    println!("fract {:?}", f64x2::from_array([2.75, -1.25]).fract());
    println!("sqrt {:?}", f64x4::from_array([4.0, 2.0, 0.0, 1e-300]).sqrt());
    println!("mul_add {:?}", f64x2::splat(0.1).mul_add(f64x2::splat(10.0), f64x2::splat(-1.0)));
    println!("recip {:?}", f32x4::from_array([2.0, 4.0, 0.5, -8.0]).recip());
    println!("signum {:?}", f32x4::from_array([-3.0, 0.0, 7.0, -0.0]).signum());
    println!("copysign {:?}", a.copysign(b));
    println!("is_nan {:?}", f32x4::from_array([f32::NAN, 0.0, f32::INFINITY, 1.0]).is_nan());
    println!("is_finite {:?}", f32x4::from_array([f32::NAN, 0.0, f32::INFINITY, 1.0]).is_finite());
    println!("to_bits {:x?}", f32x2::from_array([1.0, -0.0]).to_bits());
}

fn masks_and_selects() {
    let a = i32x8::from_array([5, 1, 8, 3, 9, 2, 7, 4]);
    let m = a.simd_gt(Simd::splat(4));
    println!("mask {:?}", m);
    println!("bitmask {:#b}", m.to_bitmask());
    println!("from bitmask {:?}", mask32x8::from_bitmask(0b1010_0110));
    println!("any {} all {}", m.any(), m.all());
    println!("select {:?}", m.select(a, Simd::splat(0)));
    println!("eq/ne {:?} {:?}", a.simd_eq(Simd::splat(8)), a.simd_ne(Simd::splat(8)));
    println!("lt/le/ge {:?} {:?} {:?}", a.simd_lt(Simd::splat(5)), a.simd_le(Simd::splat(5)), a.simd_ge(Simd::splat(5)));
    let f = f64x4::from_array([1.0, f64::NAN, -3.0, 2.0]);
    println!("float lt {:?}", f.simd_lt(f64x4::splat(1.5)));
    println!("float eq {:?}", f.simd_eq(f));
    println!("mask ops {:?} {:?}", m & !m, m | !m);
    let wide = mask8x32::from_bitmask(0xdead_beef);
    println!("wide mask {:#x} {}", wide.to_bitmask(), wide.all());
    println!("first set {:?}", m.first_set());
}

fn shuffles_and_casts() {
    let a = i32x4::from_array([10, 20, 30, 40]);
    let b = i32x4::from_array([50, 60, 70, 80]);
    println!("reverse {:?}", a.reverse());
    println!("rotate {:?}", a.rotate_elements_left::<1>());
    println!("interleave {:?}", a.interleave(b));
    println!("deinterleave {:?}", a.deinterleave(b));
    struct Pick;
    impl Swizzle<6> for Pick {
        const INDEX: [usize; 6] = [3, 0, 0, 2, 1, 3];
    }
    println!("swizzle {:?}", Pick::swizzle(a));
    println!("resize {:?}", a.resize::<6>(-1));
    println!("cast i32->f32 {:?}", a.cast::<f32>());
    println!("cast f32->u8 (saturating) {:?}", f32x4::from_array([-5.0, 300.0, f32::NAN, 7.9]).cast::<u8>());
    println!("cast i32->i8 {:?}", i32x4::from_array([300, -129, 127, -1]).cast::<i8>());
    println!("cast u8->i64 {:?}", u8x4::from_array([255, 0, 1, 128]).cast::<i64>());
    println!("cast f64->f32 {:?}", f64x2::from_array([1e40, 0.1]).cast::<f32>());
    println!("to_int_unchecked {:?}", unsafe { f32x4::from_array([1.9, -2.9, 100.0, 0.0]).to_int_unchecked::<i32>() });
    println!("extract {} {}", a[2], b.as_array()[3]);
}

fn memory() {
    let data = [10u32, 11, 12, 13, 14, 15, 16, 17];
    let idx = usizex4::from_array([7, 0, 3, 9]);
    println!("gather_or {:?}", Simd::gather_or(&data, idx, Simd::splat(99)));
    println!("gather_or_default {:?}", Simd::<u32, 4>::gather_or_default(&data, idx));
    let mut out = [0u8; 6];
    u8x4::from_array([1, 2, 3, 4]).scatter(&mut out, usizex4::from_array([5, 0, 0, 7]));
    println!("scatter {:?}", out);
    let short = [1i16, 2, 3];
    println!("load_or {:?}", i16x8::load_or(&short, Simd::splat(-1)));
    println!("load_or_default {:?}", i16x8::load_or_default(&short));
    let mut buf = [0i16; 5];
    i16x8::from_array([9, 8, 7, 6, 5, 4, 3, 2]).store_select(&mut buf, Mask::from_bitmask(0b1011_0101));
    println!("store_select {:?}", buf);
    println!("from_slice {:?}", f32x4::from_slice(&[1.0, 2.0, 3.0, 4.0, 5.0]));
    let mut target = [0.0f64; 4];
    f64x4::splat(2.5).copy_to_slice(&mut target);
    println!("copy_to_slice {:?}", target);
}

fn pointers() {
    let data = [1u64, 2, 3, 4];
    let base: Simd<*const u64, 4> = Simd::splat(data.as_ptr());
    let ptrs = base.wrapping_add(usizex4::from_array([3, 2, 1, 0]));
    let vals = unsafe { Simd::gather_select_ptr(ptrs, Mask::splat(true), Simd::splat(0)) };
    println!("through pointers {:?}", vals);
    let addrs = ptrs.addr() - Simd::splat(data.as_ptr().addr());
    println!("offsets {:?}", addrs);
    println!("null {:?}", Simd::<*const u8, 2>::splat(std::ptr::null()).is_null());
}

fn main() {
    integers();
    floats();
    masks_and_selects();
    shuffles_and_casts();
    memory();
    pointers();
}
