// Drop + mem::forget + ManuallyDrop + mem::replace/take/swap + MaybeUninit: destructors skipped or run manually,
// drop counts checked through a Cell counter. Everything forgotten or leaked on the heap is reclaimed before exit
// (the program must be leak-free: Miri-class tools report leaks).
use std::cell::Cell;
use std::mem::{self, ManuallyDrop, MaybeUninit};

thread_local! {
    static DROPS: Cell<u32> = const { Cell::new(0) };
}

struct Res {
    id: u32,
}
impl Drop for Res {
    fn drop(&mut self) {
        DROPS.with(|d| d.set(d.get() + 1));
        println!("drop Res {}", self.id);
    }
}

fn drops() -> u32 {
    DROPS.with(|d| d.get())
}

fn main() {
    let a = Res { id: 1 };
    mem::forget(a);
    println!("after forget: drops {}", drops());

    let mut md = ManuallyDrop::new(Res { id: 2 });
    md.id += 100;
    println!("manually drop id {} drops {}", md.id, drops());
    unsafe { ManuallyDrop::drop(&mut md) };
    println!("after ManuallyDrop::drop: drops {}", drops());

    let md2 = ManuallyDrop::new(Res { id: 3 });
    let inner = ManuallyDrop::into_inner(md2);
    println!("into_inner id {}", inner.id);
    drop(inner);
    println!("drops {}", drops());

    // never dropped: fine because nothing here owns heap memory (a leaked heap allocation would be reported)
    let never = ManuallyDrop::new([Res { id: 4 }, Res { id: 5 }]);
    println!("ManuallyDrop array len {} (never dropped)", never.len());

    let mut slot = Res { id: 6 };
    let old = mem::replace(&mut slot, Res { id: 7 });
    println!("replace: old {} new {}", old.id, slot.id);
    drop(old);
    let mut x = Res { id: 8 };
    let mut y = Res { id: 9 };
    mem::swap(&mut x, &mut y);
    println!("swap: x {} y {}", x.id, y.id);
    let mut v = vec![Res { id: 10 }];
    let taken = mem::take(&mut v);
    println!("take: taken len {} left len {}", taken.len(), v.len());
    drop(taken);

    let mut mu: MaybeUninit<Res> = MaybeUninit::uninit();
    mu.write(Res { id: 11 });
    let r = unsafe { mu.assume_init() };
    println!("MaybeUninit init id {}", r.id);
    drop(r);
    let mut arr: [MaybeUninit<u32>; 4] = [MaybeUninit::uninit(); 4];
    for (i, slot) in arr.iter_mut().enumerate() {
        slot.write(i as u32 * 3);
    }
    let arr: [u32; 4] = unsafe { mem::transmute(arr) };
    println!("MaybeUninit array {:?}", arr);

    let b = Box::new(Res { id: 12 });
    let raw = Box::into_raw(b);
    unsafe {
        (*raw).id += 1;
        println!("raw box id {}", (*raw).id);
        drop(Box::from_raw(raw));
    }
    let leaked: &'static mut Res = Box::leak(Box::new(Res { id: 14 }));
    leaked.id += 1;
    println!("leaked id {}", leaked.id);
    // reclaim the leaked box so that the program ends without leaks
    drop(unsafe { Box::from_raw(leaked as *mut Res) });

    let mut s = String::from("forgotten string");
    let (sp, slen, scap) = (s.as_mut_ptr(), s.len(), s.capacity());
    mem::forget(s);
    println!("forgot a String of len {}", slen);
    let s2 = unsafe { String::from_raw_parts(sp, slen, scap) };
    println!("rebuilt forgotten string {:?}", s2);
    let v2 = vec![1u8, 2, 3];
    let mut v2 = ManuallyDrop::new(v2);
    let (p, l, c) = (v2.as_mut_ptr(), v2.len(), v2.capacity());
    let rebuilt = unsafe { Vec::from_raw_parts(p, l, c) };
    println!("rebuilt vec {:?}", rebuilt);
    println!("needs_drop Res {} u32 {} String {}", mem::needs_drop::<Res>(), mem::needs_drop::<u32>(), mem::needs_drop::<String>());
    println!("end: drops {}", drops());
}
