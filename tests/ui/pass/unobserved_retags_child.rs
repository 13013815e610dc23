// References reborrowed again and returned (`&*first`, as `slice::Iter::next` returns its
// element), and references read while a local made after them is written (a comparison's
// `&end` of a copy just made): the first retags are made as just their reads, and the
// program behaves as natively.
// Twin: tests/ui/fail/aliasing_reborrow_returned.rs.
struct Cursor {
    ptr: *const u64,
    end: *const u64,
}

impl Cursor {
    fn get<'a>(&self) -> &'a u64 {
        let first: &u64 = unsafe { &*self.ptr };
        &*first
    }

    fn next<'a>(&mut self) -> Option<&'a u64> {
        let end = self.end;
        if self.ptr == end {
            return None;
        }
        let e = self.get();
        self.ptr = unsafe { self.ptr.add(1) };
        Some(e)
    }
}

fn main() {
    let v: Vec<u64> = (0..100).collect();
    let mut c = Cursor { ptr: v.as_ptr(), end: unsafe { v.as_ptr().add(v.len()) } };
    let mut total = 0u64;
    while let Some(x) = c.next() {
        total += *x;
    }
    let mut x = [1u64, 2];
    let raw = x.as_mut_ptr();
    let c = Cursor { ptr: raw, end: raw };
    let e = c.get();
    let before = *e;
    unsafe { *raw = 5 };
    let after = *c.get();
    println!("{total} {before} {after}");
}
