//@ compile-flags: -C target-feature=+sse4.1
// x86 float-lane intrinsics of sse, sse2 and sse4.1: min/max with NaN and signed zeros,
// comparisons by predicate, comi, conversions (with the integer-indefinite value), rounding
// modes, dot products, insertps, and the error bound of the approximate rcp/rsqrt.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;
    use std::mem::transmute;

    fn ps(v: [f32; 4]) -> __m128 {
        unsafe { transmute(v) }
    }
    fn pd(v: [f64; 2]) -> __m128d {
        unsafe { transmute(v) }
    }
    fn f32s(v: __m128) -> [f32; 4] {
        unsafe { transmute(v) }
    }
    fn bits(v: __m128) -> [u32; 4] {
        unsafe { transmute(v) }
    }
    fn f64s(v: __m128d) -> [f64; 2] {
        unsafe { transmute(v) }
    }
    fn i32s(v: __m128i) -> [i32; 4] {
        unsafe { transmute(v) }
    }

    unsafe fn min_max() {
        let a = ps([1.0, f32::NAN, 0.0, -3.0]);
        let b = ps([2.0, 5.0, -0.0, f32::NAN]);
        println!("min_ps {:?}", bits(_mm_min_ps(a, b)));
        println!("max_ps {:?}", bits(_mm_max_ps(a, b)));
        println!("min_ps swapped {:?}", bits(_mm_min_ps(b, a)));
        println!("min_ss {:?}", f32s(_mm_min_ss(ps([7.0, 1.0, 2.0, 3.0]), ps([4.0, 9.0, 9.0, 9.0]))));
        println!("max_ss {:?}", f32s(_mm_max_ss(ps([7.0, 1.0, 2.0, 3.0]), ps([4.0, 9.0, 9.0, 9.0]))));
        let c = pd([f64::NAN, -0.0]);
        let d = pd([1.5, 0.0]);
        println!("min_pd {:?}", f64s(_mm_min_pd(c, d)));
        println!("max_pd {:?}", f64s(_mm_max_pd(d, c)).map(f64::to_bits));
        println!("min_sd {:?}", f64s(_mm_min_sd(pd([3.0, 8.0]), pd([-1.0, 0.5]))));
    }

    unsafe fn compare() {
        let a = ps([1.0, 2.0, f32::NAN, 4.0]);
        let b = ps([1.0, 3.0, 0.0, 3.0]);
        println!("cmpeq {:x?}", bits(_mm_cmpeq_ps(a, b)));
        println!("cmplt {:x?}", bits(_mm_cmplt_ps(a, b)));
        println!("cmple {:x?}", bits(_mm_cmple_ps(a, b)));
        println!("cmpunord {:x?}", bits(_mm_cmpunord_ps(a, b)));
        println!("cmpneq {:x?}", bits(_mm_cmpneq_ps(a, b)));
        println!("cmpnlt {:x?}", bits(_mm_cmpnlt_ps(a, b)));
        println!("cmpord {:x?}", bits(_mm_cmpord_ps(a, b)));
        println!("cmplt_ss {:x?}", bits(_mm_cmplt_ss(ps([0.5, 1.0, 2.0, 3.0]), b)));
        let c: [u64; 2] = transmute(_mm_cmpnle_pd(pd([2.0, f64::NAN]), pd([1.0, 1.0])));
        println!("cmpnle_pd {c:x?}");
        for (x, y) in [(1.0f32, 2.0f32), (2.0, 2.0), (f32::NAN, 1.0)] {
            let (x, y) = (ps([x, 0.0, 0.0, 0.0]), ps([y, 0.0, 0.0, 0.0]));
            println!(
                "comi eq{} lt{} le{} gt{} ge{} neq{} ucomieq{} ucomineq{}",
                _mm_comieq_ss(x, y),
                _mm_comilt_ss(x, y),
                _mm_comile_ss(x, y),
                _mm_comigt_ss(x, y),
                _mm_comige_ss(x, y),
                _mm_comineq_ss(x, y),
                _mm_ucomieq_ss(x, y),
                _mm_ucomineq_ss(x, y)
            );
        }
        println!("comilt_sd {} ucomige_sd {}", _mm_comilt_sd(pd([1.0, 0.0]), pd([2.0, 0.0])), _mm_ucomige_sd(pd([f64::NAN, 0.0]), pd([2.0, 0.0])));
    }

    unsafe fn convert() {
        for x in [2.5f32, -2.5, 3.7, -3.7, f32::NAN, 3e9, -3e9, f32::INFINITY] {
            let v = ps([x, 0.0, 0.0, 0.0]);
            println!("{x}: cvtss2si {} cvttss2si {} cvtss2si64 {} cvttss2si64 {}", _mm_cvtss_si32(v), _mm_cvttss_si32(v), _mm_cvtss_si64(v), _mm_cvttss_si64(v));
        }
        for x in [0.5f64, 1.5, -7.9, 1e300, f64::NAN] {
            let v = pd([x, 0.0]);
            println!("{x}: cvtsd2si {} cvttsd2si {} cvtsd2si64 {} cvttsd2si64 {}", _mm_cvtsd_si32(v), _mm_cvttsd_si32(v), _mm_cvtsd_si64(v), _mm_cvttsd_si64(v));
        }
        let v = ps([1.5, 2.5, -1e10, f32::NAN]);
        println!("cvtps2dq {:?} cvttps2dq {:?}", i32s(_mm_cvtps_epi32(v)), i32s(_mm_cvttps_epi32(v)));
        let v = pd([-0.5, 1e12]);
        println!("cvtpd2dq {:?} cvttpd2dq {:?}", i32s(_mm_cvtpd_epi32(v)), i32s(_mm_cvttpd_epi32(v)));
        println!("cvtsd2ss {:?}", f32s(_mm_cvtsd_ss(ps([9.0, 8.0, 7.0, 6.0]), pd([1.0000001, 5.0]))));
    }

    unsafe fn rounding() {
        let v = ps([1.5, -1.5, 2.5, -0.2]);
        println!("nearest {:?}", f32s(_mm_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(v)));
        println!("down {:?}", f32s(_mm_round_ps::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(v)));
        println!("up {:?}", f32s(_mm_round_ps::<{ _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC }>(v)));
        println!("zero {:?}", f32s(_mm_round_ps::<{ _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC }>(v)));
        println!("current {:?}", f32s(_mm_round_ps::<_MM_FROUND_CUR_DIRECTION>(v)));
        println!("floor {:?} ceil {:?}", f32s(_mm_round_ps::<_MM_FROUND_FLOOR>(v)), f32s(_mm_round_ps::<_MM_FROUND_CEIL>(v)));
        let d = pd([2.5, -3.5]);
        println!("round_pd {:?} floor_pd {:?}", f64s(_mm_round_pd::<_MM_FROUND_TO_NEAREST_INT>(d)), f64s(_mm_round_pd::<_MM_FROUND_FLOOR>(d)));
        println!("round_ss {:?}", f32s(_mm_round_ss::<_MM_FROUND_TO_POS_INF>(ps([9.0, 8.0, 7.0, 6.0]), ps([1.1, 0.0, 0.0, 0.0]))));
        println!("floor_sd {:?}", f64s(_mm_floor_sd(pd([9.0, 8.0]), pd([-1.1, 0.0]))));
    }

    unsafe fn dot_and_insert() {
        let a = ps([1.0, 2.0, 3.0, 4.0]);
        let b = ps([5.0, 6.0, 7.0, 8.0]);
        println!("dp 0xff {:?}", f32s(_mm_dp_ps::<0xff>(a, b)));
        println!("dp 0x53 {:?}", f32s(_mm_dp_ps::<0x53>(a, b)));
        println!("dp 0x0f {:?}", f32s(_mm_dp_ps::<0x0f>(a, b)));
        let big = ps([1e8, 1.0, -1e8, 1.0]);
        println!("dp rounding {:?}", f32s(_mm_dp_ps::<0xf1>(big, ps([1.0; 4]))));
        println!("dppd {:?}", f64s(_mm_dp_pd::<0x31>(pd([1.5, 2.0]), pd([4.0, 0.25]))));
        println!("insert_ps {:?}", f32s(_mm_insert_ps::<0b10_01_0100>(a, b)));
    }

    unsafe fn approximations() {
        let x = [4.0f32, 0.25, 3.0, 1e-3];
        let rcp = f32s(_mm_rcp_ps(ps(x)));
        let rsqrt = f32s(_mm_rsqrt_ps(ps(x)));
        let bound = 1.0 / 4096.0 * 1.5;
        for i in 0..4 {
            let (er, es) = (1.0 / x[i], 1.0 / x[i].sqrt());
            println!("rcp {} within bound {}, rsqrt {} within bound {}", x[i], ((rcp[i] - er) / er).abs() <= bound, x[i], ((rsqrt[i] - es) / es).abs() <= bound);
        }
        let s = f32s(_mm_rcp_ss(ps([2.0, 7.0, 8.0, 9.0])));
        println!("rcp_ss upper lanes {:?} lane 0 close {}", &s[1..], (s[0] - 0.5).abs() < 0.001);
        println!("rcp of zero {:?}", f32s(_mm_rcp_ps(ps([0.0, -0.0, f32::INFINITY, 1.0])))[..3].to_vec());
    }

    pub fn main() {
        unsafe {
            min_max();
            compare();
            convert();
            rounding();
            dot_and_insert();
            approximations();
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::main();
}
