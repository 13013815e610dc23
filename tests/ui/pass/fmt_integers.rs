// Integer formatting: width, fill, alignment, sign, zero padding, hex/octal/binary, `#`, named/positional args.
fn main() {
    let n = 42i32;
    let m = -42i32;
    println!("[{}] [{:5}] [{:<5}] [{:^5}] [{:>5}]", n, n, n, n, n);
    println!("[{:05}] [{:+}] [{:+05}] [{:05}] [{:+}]", n, n, n, m, m);
    println!("[{:*^9}] [{:-<7}] [{:#>6}]", n, m, n);
    println!("[{:x}] [{:X}] [{:#x}] [{:#X}] [{:08x}] [{:#010x}]", 255, 255, 255, 255, 3054, 3054);
    println!("[{:o}] [{:#o}] [{:b}] [{:#b}] [{:#018b}]", 8, 8, 5, 5, 0x55aau16);
    println!("[{:x}] [{:b}] [{:o}]", -1i8, -2i16, -8i32);
    println!("[{:e}] [{:E}] [{:e}]", 1234567u32, 1200u64, 0u8);
    let w = 7;
    let p = 3;
    println!("[{:w$}] [{:>1$}] [{:>width$}]", n, 6, 7, width = w);
    println!("[{:.*}] [{:w$.p$}] [{0}-{0}-{1}]", 2, 1.23456, 9.87654, w = w, p = p);
    println!("[{n}] [{n:>4}] [{m:+}]");
    println!("{} {} {} {}", u8::MAX, i8::MIN, u64::MAX, i64::MIN);
    println!("{} {}", usize::MAX, isize::MIN);
    println!("{:?} {:?} {:#?}", 7u16, -7i64, 3);
    println!("{:5?}|{:<5?}|{:05?}|{:x?}|{:X?}|{:#x?}", 1, 2, 3, 255, 255, 255);
    println!("{{literal braces}} {}%", 50);
    let v = vec![1u8, 10, 255];
    println!("{:02x?}", v);
    println!("{:#04x?}", v);
    let s = format!("{:>3}|{:<3}|{:^3}", 1, 2, 3);
    assert_eq!(s, "  1|2  | 3 ");
    println!("{}", s);
    for i in [0u32, 1, 9, 10, 99, 100, 12345678] {
        println!("{:>10}|{:<10}|{:^10}|{:010}|{:+010}", i, i, i, i, i);
    }
}
