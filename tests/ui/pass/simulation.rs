// A realistic program: a small deterministic particle/ecosystem simulation with structs, a seeded LCG, Vec-based
// spatial grid, trait-based behaviours, and statistics printed every few ticks.
use std::collections::BTreeMap;
use std::fmt;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn range(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.range(100) < percent
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Plant,
    Rabbit,
    Fox,
}

#[derive(Debug, Clone)]
struct Creature {
    id: u32,
    kind: Kind,
    x: i32,
    y: i32,
    energy: i32,
    age: u32,
}

const W: i32 = 24;
const H: i32 = 12;

struct World {
    tick: u32,
    next_id: u32,
    creatures: Vec<Creature>,
    rng: Rng,
    log: Vec<String>,
}

impl fmt::Display for World {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let mut grid = vec![vec!['.'; W as usize]; H as usize];
        for c in &self.creatures {
            let ch = match c.kind {
                Kind::Plant => '*',
                Kind::Rabbit => 'r',
                Kind::Fox => 'F',
            };
            let cell = &mut grid[c.y as usize][c.x as usize];
            if *cell == '.' || (*cell == '*' && ch != '*') || ch == 'F' {
                *cell = ch;
            }
        }
        for row in grid {
            writeln!(f, "{}", row.into_iter().collect::<String>())?;
        }
        Ok(())
    }
}

impl World {
    fn new(seed: u64) -> World {
        let mut w = World { tick: 0, next_id: 0, creatures: vec![], rng: Rng(seed), log: vec![] };
        for _ in 0..40 {
            w.spawn(Kind::Plant, None);
        }
        for _ in 0..12 {
            w.spawn(Kind::Rabbit, None);
        }
        for _ in 0..3 {
            w.spawn(Kind::Fox, None);
        }
        w
    }
    fn spawn(&mut self, kind: Kind, at: Option<(i32, i32)>) {
        let (x, y) = at.unwrap_or_else(|| (self.rng.range(W as u64) as i32, self.rng.range(H as u64) as i32));
        let energy = match kind {
            Kind::Plant => 5,
            Kind::Rabbit => 12,
            Kind::Fox => 30,
        };
        self.creatures.push(Creature { id: self.next_id, kind, x, y, energy, age: 0 });
        self.next_id += 1;
    }
    fn step(&mut self) {
        self.tick += 1;
        let n = self.creatures.len();
        for i in 0..n {
            let c = &mut self.creatures[i];
            c.age += 1;
            if c.kind == Kind::Plant {
                c.energy += 1;
                continue;
            }
            let dx = self.rng.range(3) as i32 - 1;
            let dy = self.rng.range(3) as i32 - 1;
            c.x = (c.x + dx).rem_euclid(W);
            c.y = (c.y + dy).rem_euclid(H);
            c.energy -= if c.kind == Kind::Fox { 2 } else { 1 };
        }
        // eating: foxes eat rabbits, rabbits eat plants on the same cell
        let mut eaten = vec![false; n];
        let mut by_cell: BTreeMap<(i32, i32), Vec<usize>> = BTreeMap::new();
        for (i, c) in self.creatures.iter().enumerate() {
            by_cell.entry((c.x, c.y)).or_default().push(i);
        }
        for (_, idxs) in by_cell {
            for &eater in &idxs {
                let prey_kind = match self.creatures[eater].kind {
                    Kind::Fox => Kind::Rabbit,
                    Kind::Rabbit => Kind::Plant,
                    Kind::Plant => continue,
                };
                if eaten[eater] {
                    continue;
                }
                if let Some(&prey) = idxs.iter().find(|&&p| !eaten[p] && self.creatures[p].kind == prey_kind) {
                    eaten[prey] = true;
                    let gain = self.creatures[prey].energy.max(3);
                    self.creatures[eater].energy += gain;
                    self.log.push(format!("t{} #{} {:?} ate #{}", self.tick, self.creatures[eater].id, self.creatures[eater].kind, self.creatures[prey].id));
                }
            }
        }
        let mut births = vec![];
        let mut survivors = Vec::with_capacity(n);
        for (i, c) in std::mem::take(&mut self.creatures).into_iter().enumerate() {
            if eaten[i] || c.energy <= 0 || c.age > 60 {
                continue;
            }
            let threshold = match c.kind {
                Kind::Plant => 12,
                Kind::Rabbit => 20,
                Kind::Fox => 60,
            };
            let mut c = c;
            if c.energy >= threshold {
                c.energy /= 2;
                births.push((c.kind, (c.x + 1).rem_euclid(W), c.y));
            }
            survivors.push(c);
        }
        self.creatures = survivors;
        for (k, x, y) in births {
            self.spawn(k, Some((x, y)));
        }
        if self.rng.chance(30) {
            self.spawn(Kind::Plant, None);
        }
    }
    fn census(&self) -> BTreeMap<Kind, (usize, i32)> {
        let mut m = BTreeMap::new();
        for c in &self.creatures {
            let e = m.entry(c.kind).or_insert((0usize, 0i32));
            e.0 += 1;
            e.1 += c.energy;
        }
        m
    }
}

fn main() {
    let mut world = World::new(2024);
    print!("{}", world);
    for t in 1..=24 {
        world.step();
        if t % 6 == 0 {
            let census = world.census();
            let summary: Vec<String> = census.iter().map(|(k, (n, e))| format!("{:?}={} (avg energy {:.1})", k, n, *e as f64 / *n as f64)).collect();
            println!("tick {:>2}: {}", t, summary.join(", "));
        }
    }
    print!("{}", world);
    println!("events {} first {:?}", world.log.len(), world.log.iter().take(3).collect::<Vec<_>>());
    println!("last event {:?}", world.log.last());
    let oldest = world.creatures.iter().filter(|c| c.kind != Kind::Plant).max_by_key(|c| (c.age, c.id));
    println!("oldest animal {:?}", oldest);
    println!("next id {}", world.next_id);
}
