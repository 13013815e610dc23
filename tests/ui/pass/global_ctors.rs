// Global constructors: function pointers in `.init_array` sections run before `main`, the
// prioritized sections (`.init_array.N`, ascending, as the `ctor` crate emits them) before the
// plain one, and an array of pointers in its order. Twins: tests/ui/fail/global_ctor_ub.rs,
// tests/ui/fail/global_ctor_signature.rs.
use std::sync::atomic::{AtomicUsize, Ordering};

static ORDER: AtomicUsize = AtomicUsize::new(0);

// Appends digit `N` to ORDER.
extern "C" fn record<const N: usize>() {
    let _ = ORDER.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| Some(v * 10 + N));
}

#[used]
#[unsafe(link_section = ".init_array")]
static PLAIN: [extern "C" fn(); 2] = [record::<5>, record::<6>];

#[used]
#[unsafe(link_section = ".init_array.00200")]
static LATE: extern "C" fn() = record::<3>;

#[used]
#[unsafe(link_section = ".init_array.101")]
static EARLY: extern "C" fn() = record::<1>;

fn main() {
    let order = ORDER.load(Ordering::SeqCst);
    println!("constructors ran in the order {order}");
    assert_eq!(order, 1356);
}
