// Array repeat expressions (`[x; N]`): every element gets the operand's bytes, their
// initialization and their provenance, whatever the element's size, and the array is
// usable as a whole afterwards. Twin of tests/ui/fail/uninit_repeat_element.rs.
use std::mem::MaybeUninit;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Padded {
    a: u8,
    b: u32,
}

#[inline(never)]
fn sum(xs: &[u64]) -> u64 {
    xs.iter().sum()
}

fn main() {
    // One-byte elements, in memory (a large array) and small.
    let big = [7u8; 4096];
    println!("big: {} {}", big.iter().map(|&b| b as u32).sum::<u32>(), big[4095]);
    let small = [3u8; 3];
    println!("small: {:?}", small);

    // Wider elements, and an element computed at run time.
    let n = std::env::args().count() as u64 + 40;
    let words = [n; 100];
    println!("words: {} {}", sum(&words), words[99]);

    // Pointers keep their provenance in every copy.
    let x = 11u32;
    let refs = [&x; 8];
    println!("refs: {}", refs.iter().map(|r| **r).sum::<u32>());
    let boxed = Box::new(5u64);
    let raw = [&*boxed as *const u64; 5];
    println!("raw: {}", raw.iter().map(|&p| unsafe { *p }).sum::<u64>());
    let none: [Option<Box<u8>>; 6] = [const { None }; 6];
    println!("none: {}", none.iter().filter(|o| o.is_none()).count());

    // Structs with padding, nested arrays.
    let p = Padded { a: 1, b: 0xdead };
    let ps = [p; 9];
    println!("padded: {:?} {}", ps[8], ps.iter().map(|q| q.b as u64 + q.a as u64).sum::<u64>());
    let grid = [[2u16; 3]; 5];
    println!("grid: {}", grid.iter().flatten().map(|&v| v as u32).sum::<u32>());

    // Uninitialized elements, then written one by one before they are read.
    let mut buf = [MaybeUninit::<u8>::uninit(); 39];
    for (i, slot) in buf.iter_mut().enumerate().skip(20) {
        slot.write(i as u8);
    }
    let tail: u32 = buf[20..].iter().map(|b| unsafe { b.assume_init() } as u32).sum();
    println!("tail: {}", tail);

    // Zero-sized elements, one element, no element.
    let units = [(); 1000];
    let one = [n; 1];
    let empty: [u64; 0] = [n; 0];
    println!("units: {} one: {:?} empty: {:?}", units.len(), one, empty);

    // Overwriting an array that held pointers with plain integers leaves no provenance.
    let mut mixed = [&x as *const u32 as usize; 4];
    mixed = [mixed[0] & 0; 4];
    println!("mixed: {:?}", mixed);
}
