// Closures: Fn/FnMut/FnOnce bounds, boxed closures in a Vec, returning closures (impl Fn and Box<dyn Fn>), move capture,
// capturing by ref/mut ref, closures as fn pointers, recursion through a fn pointer, closure drop of captured values.
fn apply<F: Fn(i32) -> i32>(f: F, x: i32) -> i32 {
    f(x)
}
fn apply_mut<F: FnMut() -> u32>(mut f: F, times: usize) -> Vec<u32> {
    (0..times).map(|_| f()).collect()
}
fn apply_once<F: FnOnce() -> String>(f: F) -> String {
    f()
}
fn make_adder(n: i32) -> impl Fn(i32) -> i32 {
    move |x| x + n
}
fn make_counter() -> impl FnMut() -> u32 {
    let mut c = 0;
    move || {
        c += 1;
        c
    }
}
fn make_op(name: &str) -> Box<dyn Fn(i64, i64) -> i64> {
    match name {
        "add" => Box::new(|a, b| a + b),
        "mul" => Box::new(|a, b| a * b),
        _ => {
            let k = name.len() as i64;
            Box::new(move |a, b| a - b + k)
        }
    }
}
fn compose<A, B, C>(f: impl Fn(A) -> B, g: impl Fn(B) -> C) -> impl Fn(A) -> C {
    move |x| g(f(x))
}
fn twice(f: fn(u64) -> u64, x: u64) -> u64 {
    f(f(x))
}
fn dyn_call(f: &dyn Fn(&str) -> usize) -> usize {
    f("hello")
}

struct Noisy(&'static str);
impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

fn main() {
    let k = 10;
    println!("apply {}", apply(|x| x * k, 4));
    println!("apply fn item {}", apply(i32::abs, -9));
    let counter = make_counter();
    println!("apply_mut {:?}", apply_mut(counter, 4));
    let s = String::from("owned");
    println!("apply_once {}", apply_once(move || s + "!"));
    let add5 = make_adder(5);
    println!("adder {} {}", add5(1), add5(-5));
    for name in ["add", "mul", "other"] {
        println!("op {} -> {}", name, make_op(name)(6, 7));
    }
    let f = compose(|x: i32| x + 1, |y: i32| format!("<{}>", y));
    println!("compose {}", f(41));
    println!("twice {}", twice(|x| x * x, 3));
    let sq: fn(u64) -> u64 = |x| x + 100;
    println!("fn ptr {}", twice(sq, 1));
    println!("dyn ref {}", dyn_call(&|s| s.len() * 2));

    let mut total = 0;
    let mut add = |x: i32| total += x;
    add(3);
    add(4);
    println!("captured mut total {}", total);

    let mut fns: Vec<Box<dyn Fn(i32) -> i32>> = Vec::new();
    for i in 1..=3 {
        fns.push(Box::new(move |x| x * i));
    }
    fns.push(Box::new(|x| -x));
    println!("boxed vec {:?}", fns.iter().map(|f| f(10)).collect::<Vec<_>>());
    let mut muts: Vec<Box<dyn FnMut() -> usize>> = Vec::new();
    for i in 0..2 {
        let mut v = vec![i];
        muts.push(Box::new(move || {
            v.push(0);
            v.len()
        }));
    }
    for m in muts.iter_mut() {
        m();
    }
    println!("boxed FnMut {:?}", muts.iter_mut().map(|m| m()).collect::<Vec<_>>());
    let once: Box<dyn FnOnce() -> Vec<u8>> = Box::new({
        let data = vec![1u8, 2, 3];
        move || data
    });
    println!("boxed FnOnce {:?}", once());

    let n = Noisy("captured");
    let consume = move || {
        let whole = &n;
        println!("closure sees {}", whole.0);
    };
    consume();
    println!("closure still alive");
    drop(consume);
    println!("after drop closure");

    let n2 = Noisy("once-moved");
    let c2 = move || n2;
    let back = c2();
    println!("got back {}", back.0);
    drop(back);

    fn fact(n: u64) -> u64 {
        if n == 0 { 1 } else { n * fact(n - 1) }
    }
    let table: Vec<(&str, fn(u64) -> u64)> = vec![("fact", fact), ("double", |x| x * 2)];
    for (name, f) in &table {
        println!("{} 10 = {}", name, f(10));
    }
    let v = vec![3, 1, 2];
    let by_ref = || v.len();
    println!("by ref {} then v {:?}", by_ref(), v);
    let mut memo = std::collections::HashMap::new();
    fn fib(n: u64, memo: &mut std::collections::HashMap<u64, u64>) -> u64 {
        if n < 2 {
            return n;
        }
        if let Some(&r) = memo.get(&n) {
            return r;
        }
        let r = fib(n - 1, memo) + fib(n - 2, memo);
        memo.insert(n, r);
        r
    }
    println!("memo fib 80 = {}", fib(80, &mut memo));
    // edition 2021 disjoint capture: only `n3.0` (a &str) is moved into the closure, n3 itself drops at end of main
    let n3 = Noisy("disjoint");
    let only_field = move || n3.0.len();
    println!("disjoint capture len {}", only_field());
    let curry = |a: i32| move |b: i32| move |c: i32| a * 100 + b * 10 + c;
    println!("curry {}", curry(1)(2)(3));
}
