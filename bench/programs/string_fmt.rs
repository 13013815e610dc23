// Bench (c): string formatting and building: format! with width/precision/hex, write! into a String, integer
// and float to_string, push_str, and parsing back; prints lengths and a checksum of the produced text.
use std::fmt::Write;

fn main() {
    let mut out = String::new();
    let mut total_len = 0usize;
    let mut check: u64 = 0;
    for i in 0..2_000u32 {
        let f = i as f64 / 7.0;
        let s = format!("{:>6}|{:<8.3}|{:#x}|{:+}", i, f, i * 31, i as i64 - 2500);
        total_len += s.len();
        write!(out, "{};", i.to_string()).unwrap();
        if i % 100 == 0 {
            out.push_str(&format!("[{:08b}]", i % 256));
        }
        let back: u32 = s[..6].trim().parse().unwrap();
        check = check.wrapping_mul(131).wrapping_add(back as u64 + s.len() as u64);
    }
    for b in out.bytes() {
        check = check.wrapping_mul(31).wrapping_add(b as u64);
    }
    println!("formatted bytes {} built len {} checksum {}", total_len, out.len(), check);
}
