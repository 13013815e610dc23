// Control flow and patterns: matches!, if let / else if let, let else, while let, labeled break/continue with values,
// loop-break values, slice patterns ([first, .., last], [x, rest @ ..], [a, b]), binding @, ranges in patterns,
// match guards, or-patterns, nested destructuring of structs/tuples/references, if-let chains avoided (edition 2021).
#[derive(Debug)]
enum Cmd {
    Move { dx: i32, dy: i32 },
    Say(String),
    Repeat(u32, Box<Cmd>),
    Quit,
}

struct Point3 {
    x: i32,
    y: i32,
    z: i32,
}

fn classify(n: i64) -> &'static str {
    match n {
        i64::MIN..=-1 => "negative",
        0 => "zero",
        1 | 2 | 3 => "small",
        4..=9 => "digit",
        x if x % 2 == 0 => "even",
        _ => "odd",
    }
}

fn slice_desc(s: &[i32]) -> String {
    match s {
        [] => "empty".to_string(),
        [x] => format!("one: {}", x),
        [a, b] => format!("two: {} {}", a, b),
        [first, .., last] if first == last => format!("bookends {}", first),
        [first, mid @ .., last] => format!("first {} mid {:?} last {}", first, mid, last),
    }
}

fn head_tail(s: &[&str]) -> String {
    if let [head, tail @ ..] = s {
        format!("{} + {} more", head, tail.len())
    } else {
        "nothing".into()
    }
}

fn parse_kv(s: &str) -> Option<(String, i32)> {
    let Some((k, v)) = s.split_once('=') else {
        return None;
    };
    let Ok(n) = v.trim().parse::<i32>() else {
        println!("  bad value in {:?}", s);
        return None;
    };
    Some((k.trim().to_string(), n))
}

fn run(cmd: &Cmd, pos: &mut (i32, i32), out: &mut Vec<String>) -> bool {
    match cmd {
        Cmd::Move { dx: 0, dy: 0 } => out.push("no-op move".into()),
        Cmd::Move { dx, dy } => {
            pos.0 += dx;
            pos.1 += dy;
        }
        Cmd::Say(s) if s.is_empty() => out.push("silence".into()),
        Cmd::Say(s) => out.push(s.clone()),
        Cmd::Repeat(0, _) => {}
        Cmd::Repeat(n, inner) => {
            for _ in 0..*n {
                if !run(inner, pos, out) {
                    return false;
                }
            }
        }
        Cmd::Quit => return false,
    }
    true
}

fn main() {
    for n in [-5, 0, 2, 7, 12, 13] {
        println!("{} is {}", n, classify(n));
    }
    for s in [&[][..], &[1], &[1, 2], &[3, 9, 3], &[1, 2, 3, 4]] {
        println!("{:?} -> {}", s, slice_desc(s));
    }
    println!("{} / {}", head_tail(&["a", "b", "c"]), head_tail(&[]));
    for kv in ["a = 1", "b=x", "noeq", " c= -7 "] {
        println!("parse_kv({:?}) = {:?}", kv, parse_kv(kv));
    }
    let c = 'q';
    println!("matches! {} {} {}", matches!(c, 'a'..='z'), matches!(Some(3), Some(x) if x > 5), matches!(Cmd::Quit, Cmd::Quit | Cmd::Say(_)));
    let opt: Option<Result<i32, String>> = Some(Err("e".into()));
    if let Some(Ok(v)) = opt {
        println!("ok {}", v);
    } else if let Some(Err(ref e)) = opt {
        println!("err {}", e);
    } else {
        println!("none");
    }
    let mut stack = vec![1, 2, 3];
    while let Some(top) = stack.pop() {
        print!("{} ", top);
    }
    println!();
    let found = 'outer: loop {
        for i in 1.. {
            for j in 1..i {
                if i * j == 42 && j > 3 {
                    break 'outer (i, j);
                }
            }
            if i > 100 {
                break 'outer (0, 0);
            }
        }
    };
    println!("labeled break value {:?}", found);
    let mut count = 0;
    'rows: for r in 0..5 {
        for c in 0..5 {
            if c > r {
                continue 'rows;
            }
            if r == 4 {
                break 'rows;
            }
            count += 1;
        }
    }
    println!("labeled continue count {}", count);
    let v = {
        let mut i = 0;
        loop {
            i += 3;
            if i > 10 {
                break i * 2;
            }
        }
    };
    println!("loop value {}", v);
    let block_val = 'blk: {
        if v > 20 {
            break 'blk "big";
        }
        "small"
    };
    println!("labeled block {}", block_val);
    let msg = match v {
        n @ 0..=9 => format!("single digit {}", n),
        n @ (10 | 20 | 30) => format!("round {}", n),
        n => format!("other {}", n),
    };
    println!("{}", msg);
    let p = Point3 { x: 1, y: -2, z: 3 };
    let Point3 { x, y: py, .. } = p;
    println!("destructured x {} y {} z {}", x, py, p.z);
    let ((a, b), [c1, _, c3]) = ((1, "two"), ['x', 'y', 'z']);
    println!("nested {} {} {} {}", a, b, c1, c3);
    let pairs = vec![(1, 'a'), (2, 'b')];
    for &(n, ch) in &pairs {
        print!("{}{} ", n, ch);
    }
    println!();
    let refs = [&5, &6];
    let sum: i32 = refs.iter().map(|&&x| x).sum();
    println!("ref pattern sum {}", sum);
    let cmds = vec![
        Cmd::Say("hi".into()),
        Cmd::Move { dx: 2, dy: 3 },
        Cmd::Move { dx: 0, dy: 0 },
        Cmd::Repeat(3, Box::new(Cmd::Move { dx: 1, dy: -1 })),
        Cmd::Say(String::new()),
        Cmd::Repeat(2, Box::new(Cmd::Say("again".into()))),
        Cmd::Quit,
        Cmd::Say("unreachable".into()),
    ];
    let mut pos = (0, 0);
    let mut out = vec![];
    for cmd in &cmds {
        if !run(cmd, &mut pos, &mut out) {
            println!("quit at {:?}", cmd);
            break;
        }
    }
    println!("pos {:?} out {:?}", pos, out);
    let arr = [10, 20, 30, 40, 50];
    if let [first, second, rest @ ..] = &arr[..] {
        println!("first {} second {} rest {:?}", first, second, rest);
    }
    let [.., penult, _] = arr;
    println!("penultimate {}", penult);
    let t = (1, 2, 3, 4);
    let (head, .., tail) = t;
    println!("tuple head {} tail {}", head, tail);
    let x = 5u8;
    let kind = if x < 3 { "low" } else if x < 7 { "mid" } else { "high" };
    println!("if-else chain {}", kind);
    let mut n = 27u64;
    let mut steps = 0;
    while n != 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    println!("collatz 27 steps {}", steps);
}
