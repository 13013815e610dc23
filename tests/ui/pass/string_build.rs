// String building: push/push_str, write!/writeln! into String, format!, to_string, Display impls, capacity, insert/remove.
use std::fmt::{self, Write};

struct Matrix {
    rows: Vec<Vec<i32>>,
}

impl fmt::Display for Matrix {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "[")?;
            for (j, x) in row.iter().enumerate() {
                if j > 0 {
                    write!(f, " ")?;
                }
                write!(f, "{:>3}", x)?;
            }
            write!(f, "]")?;
        }
        Ok(())
    }
}

struct Money(i64);
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let s = format!("{}${}.{:02}", sign, self.0.abs() / 100, self.0.abs() % 100);
        f.pad(&s)
    }
}

fn main() {
    let mut s = String::new();
    s.push('a');
    s.push_str("bc");
    s += "def";
    s = s + "!";
    println!("{} len {}", s, s.len());
    let mut out = String::new();
    for i in 0..5 {
        write!(out, "{}-", i).unwrap();
    }
    writeln!(out, "end").unwrap();
    writeln!(&mut out, "{:>8.3}", 3.14159).unwrap();
    print!("{}", out);
    let m = Matrix { rows: vec![vec![1, -20, 300], vec![4, 5, 6]] };
    println!("{}", m);
    let ms = m.to_string();
    println!("matrix string has {} lines", ms.lines().count());
    println!("[{}] [{:>10}] [{:<10}] [{:^11}]", Money(-1234), Money(5), Money(99999), Money(-7));
    let nums: Vec<String> = (1..=5).map(|i| i.to_string()).collect();
    println!("{}", nums.join(", "));
    let c: String = vec!['h', 'é', 'l', 'l', 'o'].into_iter().collect();
    println!("{} bytes {} chars {}", c, c.len(), c.chars().count());
    let mut t = String::from("hello world");
    t.insert(0, '>');
    t.insert_str(1, "> ");
    println!("{}", t);
    println!("removed {:?} -> {}", t.remove(0), t);
    t.truncate(7);
    println!("truncated {:?} pop {:?} -> {:?}", t.clone(), t.pop(), t);
    t.replace_range(0..2, "HE");
    println!("replace_range {}", t);
    t.retain(|c| c != 'l');
    println!("retain {}", t);
    let repeated = "ab".repeat(4);
    println!("{} upper {} lower {}", repeated, repeated.to_uppercase(), "MiXeD".to_lowercase());
    let big: String = (0..200).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    println!("big len {} tail {}", big.len(), &big[190..]);
    let mut cap = String::with_capacity(4);
    for _ in 0..100 {
        cap.push_str("xyz");
    }
    assert!(cap.capacity() >= 300);
    println!("cap len {}", cap.len());
    let fmt_in_fmt = format!("{:>w$}|{:<w$}|", format!("{}+{}", 1, 2), "x", w = 6);
    println!("{}", fmt_in_fmt);
    let args = format_args!("{} {}", 1, 2).to_string();
    println!("format_args {}", args);
    let bytes = String::from_utf8(vec![82, 117, 115, 116]).unwrap();
    let lossy = String::from_utf8_lossy(&[72, 105, 0xff, 33]);
    println!("{} {} err {}", bytes, lossy, String::from_utf8(vec![0xc3]).is_err());
    let split = s.split_off(3);
    println!("split_off {} | {}", s, split);
    let chars_rev: String = "stressed".chars().rev().collect();
    println!("{}", chars_rev);
    println!("{}", 'x'.to_string() + &5.to_string() + &true.to_string() + &2.5f32.to_string());
}
