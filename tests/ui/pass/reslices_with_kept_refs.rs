// Reslicing and iterating a vector by reference while references to some of its elements
// are kept (so the elements' borrow stacks differ), then writing to it once the slices are
// dead: windows, chunks, zip, binary search, a remainder resliced step by step, and a write
// through a raw pointer taken before the slices.
fn max_ref(items: &[u64]) -> &u64 {
    let mut best = &items[0];
    for x in items {
        if x > best {
            best = x;
        }
    }
    best
}

fn main() {
    let mut data: Vec<u64> = (0..3_000u64).map(|i| (i * 2_654_435_761) % 100_000).collect();
    let p = data.as_mut_ptr();
    let kept: Vec<&u64> = data.iter().filter(|x| **x % 3 == 0).collect();
    let wsum: u64 = data.windows(4).map(|w| w[0] ^ w[3]).sum();
    let csum: u64 = data.chunks(16).map(|c| *max_ref(c)).sum();
    let zsum: u64 = data.iter().zip(data.iter().skip(1)).map(|(a, b)| a.max(b) - a.min(b)).sum();
    let mut rest: &[u64] = &data;
    let mut steps = 0u64;
    while rest.len() > 1 {
        steps = steps.wrapping_mul(31).wrapping_add(rest[0] ^ rest[rest.len() - 1]);
        rest = &rest[1..];
    }
    let mut sorted = data.clone();
    sorted.sort_unstable();
    let found = data.iter().take(300).filter(|x| sorted.binary_search(x).is_ok()).count();
    println!("kept {} first {} last {}", kept.len(), kept[0], kept[kept.len() - 1]);
    println!("windows {wsum} chunks {csum} zip {zsum} steps {steps} found {found}");
    // The slices are dead: writing through the pointer taken first is allowed.
    unsafe { *p.add(1_500) = 1 };
    data[2_999] += 1;
    println!("after the writes: {} {}", data[1_500], data[2_999]);
}
