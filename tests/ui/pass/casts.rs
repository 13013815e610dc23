// Numeric casts of every kind with `as`: widening (zero/sign extension), narrowing (truncation), signed<->unsigned
// reinterpretation, float->int (saturating, NaN -> 0, truncation toward zero), int->float (rounding), f64<->f32,
// bool/char <-> int, u8 as char, enum as int, From/TryFrom conversions, to/from bytes.
use std::convert::TryFrom;
use std::hint::black_box;

fn main() {
    let u8v: u8 = black_box(200);
    let i8v: i8 = black_box(-56);
    println!("u8 200 -> i8 {} u16 {} i16 {} u32 {} i64 {} u64 {}", u8v as i8, u8v as u16, u8v as i16, u8v as u32, u8v as i64, u8v as u64);
    println!("i8 -56 -> u8 {} u16 {} i16 {} u32 {} i32 {} u64 {} i128 {}", i8v as u8, i8v as u16, i8v as i16, i8v as u32, i8v as i32, i8v as u64, i8v as i128);
    let big: u64 = black_box(0x1234_5678_9abc_def0);
    println!("u64 -> u8 {:#x} u16 {:#x} u32 {:#x} i8 {} i16 {} i32 {}", big as u8, big as u16, big as u32, big as i8, big as i16, big as i32);
    let neg: i64 = black_box(-1);
    println!("i64 -1 -> u8 {} u16 {} u32 {} u64 {} usize {}", neg as u8, neg as u16, neg as u32, neg as u64, neg as usize);
    let m32: i32 = black_box(i32::MIN);
    println!("i32::MIN -> u32 {} i16 {} i64 {} u64 {}", m32 as u32, m32 as i16, m32 as i64, m32 as u64);
    let u16v: u16 = black_box(0xff80);
    println!("u16 0xff80 -> i16 {} i8 {} u8 {} i32 {}", u16v as i16, u16v as i8, u16v as u8, u16v as i16 as i32);

    let floats = [0.0f64, -0.0, 1.9, -1.9, 2.5, -2.5, 255.5, 256.0, -129.0, 1e10, -1e10, 4294967295.9, 1e20, f64::MAX, f64::MIN, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, f64::MIN_POSITIVE];
    for f in floats {
        let f = black_box(f);
        println!(
            "{:e} -> u8 {} i8 {} u16 {} i16 {} u32 {} i32 {} u64 {} i64 {}",
            f, f as u8, f as i8, f as u16, f as i16, f as u32, f as i32, f as u64, f as i64
        );
    }
    let f32s = [3.99f32, -3.99, 1e9, 3e9, -3e9, f32::MAX, f32::NAN];
    for f in f32s {
        let f = black_box(f);
        println!("f32 {:?} -> i32 {} u32 {} i64 {} u8 {}", f, f as i32, f as u32, f as i64, f as u8);
    }
    let ints: [i64; 6] = [0, 1, -1, 9007199254740993, i64::MAX, i64::MIN];
    for i in ints {
        let i = black_box(i);
        println!("{} -> f64 {:?} f32 {:?}", i, i as f64, i as f32);
    }
    println!("u64::MAX -> f64 {:?} f32 {:?}; u32::MAX -> f32 {:?}", black_box(u64::MAX) as f64, black_box(u64::MAX) as f32, black_box(u32::MAX) as f32);
    println!("16777217 -> f32 {:?}; 16777219 -> f32 {:?}", black_box(16777217i32) as f32, black_box(16777219i32) as f32);
    let d: f64 = black_box(0.1);
    println!("f64 0.1 -> f32 {:?} -> f64 {:?}", d as f32, d as f32 as f64);
    println!("f64 big -> f32 {:?} {:?} tiny -> f32 {:?}", black_box(1e300f64) as f32, black_box(-1e300f64) as f32, black_box(1e-300f64) as f32);
    println!("f32 NaN -> f64 is_nan {}", (black_box(f32::NAN) as f64).is_nan());
    println!("bool -> {} {} {}", true as u8, false as i32, true as u64);
    println!("char -> {} {} {} {}", 'A' as u8, 'é' as u32, '€' as u8, '🎉' as u16);
    println!("u8 -> char {:?} {:?} {:?}", 65u8 as char, black_box(233u8) as char, black_box(0u8) as char);
    #[derive(Clone, Copy)]
    enum E {
        A = -3,
        B = 10,
        C,
    }
    println!("enum -> {} {} {} as u8 {}", E::A as i32, E::B as i64, E::C as u8, E::A as u8);
    println!("TryFrom: {:?} {:?} {:?} {:?}", u8::try_from(255i32), u8::try_from(256i32), i8::try_from(-129i64), u32::try_from(-1i8));
    println!("From: {} {} {} {}", u32::from(7u8), i64::from(-5i32), f64::from(1.5f32), u32::from('x'));
    println!("char::try_from {:?} {:?}", char::try_from(0x41u32), char::try_from(0xD800u32).is_err());
    let n: u32 = black_box(0xAABBCCDD);
    println!("to_le_bytes {:x?} to_be_bytes {:x?} from_be {:#x}", n.to_le_bytes(), n.to_be_bytes(), u32::from_be_bytes([1, 2, 3, 4]));
    println!("f64 bits {:#018x} from_bits {}", 1.0f64.to_bits(), f64::from_bits(0x4000000000000000));
    println!("f32 bits {:#010x} {:#010x}", 1.0f32.to_bits(), (-0.0f32).to_bits());
    println!("usize/isize {} {} {}", black_box(-1isize) as usize == usize::MAX, black_box(usize::MAX) as isize, black_box(300usize) as u8);
    println!("chain u8->i8->i32->u64 {}", black_box(255u8) as i8 as i32 as u64);
    println!("ptr -> usize roundtrip ok {}", {
        let v = 5u32;
        let p = &v as *const u32;
        let a = p as usize;
        a == p as usize && a % 4 == 0
    });
}
