// Twin of tests/ui/fail/aliasing_two_phase_tb.rs: two-phase borrows. `v.push(v.len())` reserves `&mut v`,
// then reads `v` for the argument before the borrow is activated; likewise for a user method and for
// compound assignment through an index.
struct Counter {
    n: u32,
}

impl Counter {
    fn add(&mut self, x: u32) {
        self.n += x;
    }

    fn get(&self) -> u32 {
        self.n
    }
}

fn main() {
    let mut v = vec![1usize];
    v.push(v.len());
    v.push(v.len() * 10);
    v.insert(0, v[0] + v[1]);
    println!("vec: {v:?}");

    let mut c = Counter { n: 1 };
    c.add(c.get() + 1);
    c.add(c.n);
    println!("counter: {}", c.n);

    let mut s = String::from("ab");
    s.push_str(&s.clone());
    s.truncate(s.len() - 1);
    println!("string: {s}");

    let mut w = vec![1u32, 2, 3];
    let last = w.len() - 1;
    w[last] += w[0];
    println!("index compound assignment: {w:?}");
}
