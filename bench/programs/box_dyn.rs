// Bench (d): allocation-heavy: Vec<Box<dyn Shape>> of 3 struct types built and dropped in rounds, with
// trait-object calls (area, scale, name) on every element; prints a checksum.
trait Shape {
    fn area(&self) -> f64;
    fn scale(&mut self, k: f64);
    fn sides(&self) -> u32;
}

struct Circle {
    r: f64,
}
struct Rect {
    w: f64,
    h: f64,
}
struct Poly {
    pts: Vec<(f64, f64)>,
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        3.0 * self.r * self.r
    }
    fn scale(&mut self, k: f64) {
        self.r *= k;
    }
    fn sides(&self) -> u32 {
        0
    }
}
impl Shape for Rect {
    fn area(&self) -> f64 {
        self.w * self.h
    }
    fn scale(&mut self, k: f64) {
        self.w *= k;
        self.h *= k;
    }
    fn sides(&self) -> u32 {
        4
    }
}
impl Shape for Poly {
    fn area(&self) -> f64 {
        let n = self.pts.len();
        let mut a = 0.0;
        for i in 0..n {
            let (x1, y1) = self.pts[i];
            let (x2, y2) = self.pts[(i + 1) % n];
            a += x1 * y2 - x2 * y1;
        }
        a.abs() / 2.0
    }
    fn scale(&mut self, k: f64) {
        for p in &mut self.pts {
            p.0 *= k;
            p.1 *= k;
        }
    }
    fn sides(&self) -> u32 {
        self.pts.len() as u32
    }
}

fn main() {
    let mut check = 0u64;
    for round in 0..20u32 {
        let mut shapes: Vec<Box<dyn Shape>> = Vec::new();
        for i in 0..1_000u32 {
            let f = (i % 17) as f64 + round as f64;
            let s: Box<dyn Shape> = match i % 3 {
                0 => Box::new(Circle { r: f }),
                1 => Box::new(Rect { w: f, h: f + 1.0 }),
                _ => Box::new(Poly { pts: vec![(0.0, 0.0), (f, 0.0), (f, f), (0.0, f + 2.0)] }),
            };
            shapes.push(s);
        }
        for s in shapes.iter_mut() {
            s.scale(0.5);
        }
        let area: f64 = shapes.iter().map(|s| s.area()).sum();
        let sides: u32 = shapes.iter().map(|s| s.sides()).sum();
        check = check.wrapping_mul(1_000_003).wrapping_add(area as u64 + sides as u64);
    }
    println!("checksum {}", check);
}
