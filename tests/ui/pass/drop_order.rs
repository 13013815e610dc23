// Drop order: locals in reverse declaration order, struct fields in declaration order, tuple/array/Vec elements in
// order, temporaries at end of statement vs. extended by `let`, shadowing, moves out of scope, match/if-let
// scrutinee temporaries, Option::take, reassignment dropping the old value, Box<T> contents, nested scopes.
struct D(&'static str);
impl Drop for D {
    fn drop(&mut self) {
        println!("  drop {}", self.0);
    }
}
impl D {
    fn name(&self) -> &'static str {
        self.0
    }
}

struct Pair {
    _first: D,
    _second: D,
}

struct WithDrop {
    _inner: D,
    tag: &'static str,
}
impl Drop for WithDrop {
    fn drop(&mut self) {
        println!("  drop WithDrop {} (before its fields)", self.tag);
    }
}

fn make(name: &'static str) -> D {
    println!("  make {}", name);
    D(name)
}

fn consume(d: D) {
    println!("  consume {}", d.0);
}

fn main() {
    println!("locals:");
    {
        let _a = make("a");
        let _b = make("b");
        let _c = make("c");
    }
    println!("fields:");
    {
        let _p = Pair { _second: make("second-init-first"), _first: make("first-init-second") };
    }
    println!("struct with Drop and fields:");
    {
        let _w = WithDrop { _inner: D("inner"), tag: "w" };
    }
    println!("tuple, array, vec:");
    {
        let _t = (D("t0"), D("t1"));
        let _arr = [D("arr0"), D("arr1")];
        let _v = vec![D("v0"), D("v1"), D("v2")];
    }
    println!("temporaries:");
    {
        let n = make("temp").name();
        println!("  after statement with temp, got {}", n);
        let kept = &make("extended");
        println!("  extended lives until scope end: {}", kept.0);
        let len = vec![D("vec-temp")].len();
        println!("  len {}", len);
    }
    println!("shadowing:");
    {
        let x = D("x1");
        let x = D(if x.0 == "x1" { "x2" } else { "?" });
        println!("  shadowed, current {}", x.0);
    }
    println!("moves:");
    {
        let m = D("moved");
        let kept = D("kept");
        consume(m);
        println!("  after consume, kept {}", kept.0);
    }
    println!("reassignment:");
    {
        let mut r = D("old");
        println!("  assigning over {}", r.0);
        r = D("new");
        println!("  assigned {}", r.0);
    }
    println!("option take:");
    {
        let mut o = Some(D("opt"));
        let t = o.take();
        println!("  taken is_some {} remaining is_none {}", t.is_some(), o.is_none());
        drop(t);
        println!("  after drop(t)");
    }
    println!("match scrutinee temporary:");
    {
        match make("scrutinee").name() {
            "scrutinee" => println!("  in match arm"),
            _ => println!("  other"),
        }
        println!("  after match");
        if let Some(n) = Some(make("iflet")).map(|d| d.0) {
            println!("  in if-let {}", n);
        }
        println!("  after if-let");
    }
    println!("box and nested:");
    {
        let _outer = Box::new(Pair { _first: D("box-first"), _second: D("box-second") });
        {
            let _inner = D("inner-scope");
        }
        println!("  inner scope done");
    }
    println!("partial move:");
    {
        let p = Pair { _first: D("pm-first"), _second: D("pm-second") };
        let Pair { _first: f, .. } = p;
        println!("  moved out {}", f.0);
    }
    println!("loop iteration drops:");
    for name in ["l0", "l1"] {
        let _d = D(name);
        println!("  body {}", name);
    }
    println!("vec truncate / clear:");
    {
        let mut v = vec![D("e0"), D("e1"), D("e2"), D("e3")];
        v.truncate(2);
        println!("  truncated");
        v.remove(0);
        println!("  removed");
        v.clear();
        println!("  cleared");
    }
    println!("end of main");
    let _last = D("main-local");
}
