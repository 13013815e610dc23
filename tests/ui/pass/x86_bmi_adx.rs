//@ compile-flags: -C target-feature=+bmi1,+bmi2,+adx
// Scalar x86 bit manipulation through core::arch: bmi1's bextr, bmi2's bzhi, pdep and pext
// (32 and 64 bits, out-of-range controls), and adx's carry chains (addcarry, subborrow).
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    unsafe fn bmi() {
        for (start, len) in [(0, 8), (4, 12), (28, 8), (31, 1), (32, 4), (0, 40), (200, 1), (8, 0)] {
            println!("bextr32({start},{len}) = {:#x}", _bextr_u32(0xdead_beef, start, len));
        }
        println!("bextr64 {:#x} {:#x}", _bextr_u64(0x0123_4567_89ab_cdef, 36, 16), _bextr2_u64(u64::MAX, 0xff_00));
        println!("bextr2_32 {:#x}", _bextr2_u32(0xffff_0000, 0x1010));
        for n in [0, 1, 16, 31, 32, 255, 256] {
            println!("bzhi32({n}) = {:#x} bzhi64({n}) = {:#x}", _bzhi_u32(0xffff_ffff, n), _bzhi_u64(u64::MAX, n));
        }
        println!("pdep32 {:#x} pext32 {:#x}", _pdep_u32(0b1011, 0xf0f0_0f0f), _pext_u32(0xdead_beef, 0xf0f0_0f0f));
        println!("pdep64 {:#x} pext64 {:#x}", _pdep_u64(u64::MAX, 0x8000_0000_0000_0001), _pext_u64(0x0123_4567_89ab_cdef, 0xff00_0000_0000_00ff));
    }

    unsafe fn adx() {
        // A 96-bit addition as a carry chain.
        let (a, b) = ([u32::MAX, u32::MAX, 1], [1u32, 0, 2]);
        let mut out = [0u32; 3];
        let mut c = 0;
        for i in 0..3 {
            c = _addcarry_u32(c, a[i], b[i], &mut out[i]);
        }
        println!("sum {out:?} carry {c}");
        let mut r = 0u64;
        println!("addcarry64 carry {} value {r:#x}", _addcarry_u64(7, u64::MAX, 0, &mut r));
        println!("after {r:#x}");
        let mut s = 0u32;
        let b1 = _subborrow_u32(0, 0, 1, &mut s);
        println!("subborrow32 {b1} {s:#x}");
        let b2 = _subborrow_u32(1, 5, 5, &mut s);
        println!("subborrow32 {b2} {s:#x}");
        let mut t = 0u64;
        let b3 = _subborrow_u64(1, 10, 3, &mut t);
        println!("subborrow64 {b3} {t}");
        let b4 = _addcarryx_u32(1, 0x8000_0000, 0x7fff_ffff, &mut s);
        println!("addcarryx32 {b4} {s:#x}");
    }

    pub fn main() {
        unsafe {
            bmi();
            adx();
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::main();
}
