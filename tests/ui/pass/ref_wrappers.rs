// References inside one-field structs (whose layouts add a non-null niche), `Option`s of
// them, fn pointers in structs, and trait objects passed, returned and transmuted between
// identical traits: all valid, retagged where their type says, and used afterwards.
// Twins: tests/ui/fail/aliasing_protector_in_struct.rs, invalid_null_ref_in_struct.rs,
// vtable_wrong_trait_ref.rs.
use std::fmt::{Debug, Display};

struct Shared<'a>(&'a u64);
struct Exclusive<'a>(&'a mut u64);
struct Callback(fn(u64) -> u64);

fn bump(e: Exclusive<'_>, by: u64) -> Exclusive<'_> {
    *e.0 += by;
    e
}

fn read(s: Shared<'_>) -> u64 {
    *s.0
}

fn first(o: Option<Shared<'_>>) -> u64 {
    o.map_or(0, |s| *s.0)
}

fn double(x: u64) -> u64 {
    x * 2
}

fn show(d: &dyn Display) -> String {
    format!("<{d}>")
}

fn debug_of(d: &dyn Debug) -> &dyn Debug {
    d
}

fn main() {
    let mut total = 0u64;
    for i in 0..50 {
        let e = bump(Exclusive(&mut total), i);
        let e = bump(e, 1);
        *e.0 += 1;
    }
    println!("total {}", read(Shared(&total)));
    println!("first {} {}", first(Some(Shared(&total))), first(None));
    let cb = Callback(double);
    println!("callback {}", (cb.0)(21));
    let words: Vec<&dyn Display> = vec![&1u8, &"two", &3.5f64, &'4'];
    let shown: Vec<String> = words.iter().map(|w| show(*w)).collect();
    println!("{}", shown.join(" "));
    let v = vec![1, 2, 3];
    let d: &dyn Debug = debug_of(&v);
    // The same trait under another path: its vtable is the same trait's.
    let again: &dyn std::fmt::Debug = unsafe { std::mem::transmute::<&dyn Debug, &dyn std::fmt::Debug>(d) };
    println!("{again:?}");
    let mut out = String::new();
    let w: &mut dyn std::fmt::Write = &mut out;
    write!(w, "{}-{}", 1, 2).unwrap();
    println!("{out}");
}
