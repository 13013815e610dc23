// Valid unsafe raw-pointer code: ptr::read/write, copy/copy_nonoverlapping, slices from raw parts, pointer
// arithmetic (add/offset/sub/offset_from), read_unaligned/write_unaligned, NonNull, swap, null checks, casts between
// pointer types, byte views of integers, raw pointers to struct fields via addr_of!, ptr::eq, Vec::from_raw_parts.
use std::ptr::{self, NonNull};

#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
struct Header {
    tag: u8,
    len: u16,
    value: u32,
}

fn main() {
    let mut x = 10i32;
    let p = &mut x as *mut i32;
    unsafe {
        *p += 5;
        ptr::write(p, ptr::read(p) * 2);
    }
    println!("x = {}", x);

    let mut arr = [1u32, 2, 3, 4, 5, 6, 7, 8];
    let base = arr.as_mut_ptr();
    unsafe {
        ptr::copy(base, base.add(2), 4); // overlapping copy
    }
    println!("after overlapping copy {:?}", arr);
    let src = [9u32, 9, 9];
    unsafe {
        ptr::copy_nonoverlapping(src.as_ptr(), arr.as_mut_ptr().add(5), 3);
    }
    println!("after copy_nonoverlapping {:?}", arr);
    let s = unsafe { std::slice::from_raw_parts(arr.as_ptr().add(1), 4) };
    println!("from_raw_parts {:?}", s);
    let sm = unsafe { std::slice::from_raw_parts_mut(arr.as_mut_ptr().add(4), 2) };
    sm[0] = 100;
    sm[1] = 200;
    println!("from_raw_parts_mut wrote {:?}", arr);
    let start = arr.as_ptr();
    let end = unsafe { start.add(arr.len()) };
    let mut cur = start;
    let mut total = 0u32;
    while cur != end {
        unsafe {
            total += *cur;
            cur = cur.offset(1);
        }
    }
    println!("pointer walk total {} offset_from {}", total, unsafe { end.offset_from(start) });
    println!("sub {}", unsafe { *end.sub(1) });

    let bytes = [0u8, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    let unaligned = unsafe { ptr::read_unaligned(bytes.as_ptr().add(1) as *const u32) };
    println!("read_unaligned {:#x}", unaligned);
    let mut buf = [0u8; 7];
    unsafe { ptr::write_unaligned(buf.as_mut_ptr().add(3) as *mut u32, 0xdeadbeef) };
    println!("write_unaligned {:x?}", buf);

    let mut h = Header::default();
    let hp = &mut h as *mut Header;
    unsafe {
        ptr::addr_of_mut!((*hp).len).write(513);
        (*hp).tag = 7;
        let vp = ptr::addr_of_mut!((*hp).value);
        vp.write(vp.read() + 42);
    }
    println!("header {:?} size {} align {}", h, std::mem::size_of::<Header>(), std::mem::align_of::<Header>());
    println!("field offsets tag {} len {} value {}", std::mem::offset_of!(Header, tag), std::mem::offset_of!(Header, len), std::mem::offset_of!(Header, value));

    let mut a = String::from("left");
    let mut b = String::from("right");
    unsafe { ptr::swap(&mut a, &mut b) };
    println!("swapped {} {}", a, b);
    let nn = NonNull::new(&mut x as *mut i32).unwrap();
    println!("NonNull read {} null is none {}", unsafe { *nn.as_ptr() }, NonNull::new(ptr::null_mut::<i32>()).is_none());
    let dangling: NonNull<u64> = NonNull::dangling();
    println!("dangling aligned {}", dangling.as_ptr() as usize % std::mem::align_of::<u64>() == 0);
    let null: *const u8 = ptr::null();
    println!("null is_null {} ref is_null {}", null.is_null(), { let xp: *const i32 = &x; xp.is_null() });

    let n: u32 = 0x0403_0201;
    let np = &n as *const u32 as *const u8;
    let view: Vec<u8> = (0..4).map(|i| unsafe { *np.add(i) }).collect();
    println!("byte view (little endian host) {:?} to_ne_bytes {:?}", view, n.to_ne_bytes());
    let words = [0x1111u16, 0x2222, 0x3333];
    let wp = words.as_ptr() as *const u8;
    println!("u16 bytes {:x?}", unsafe { std::slice::from_raw_parts(wp, 6) });

    let v = vec![1.5f64, 2.5, 3.5];
    let mut v = std::mem::ManuallyDrop::new(v);
    let (vp, len, cap) = (v.as_mut_ptr(), v.len(), v.capacity());
    unsafe { *vp.add(1) = -2.5 };
    let back = unsafe { Vec::from_raw_parts(vp, len, cap) };
    println!("vec from_raw_parts {:?}", back);
    let r1 = &arr[0];
    let r2 = &arr[0];
    println!("ptr::eq {} {}", ptr::eq(r1, r2), ptr::eq(&arr[0], &arr[1]));
    let s_ptr: *const str = "hello";
    println!("str ptr len {}", unsafe { (&*s_ptr).len() });
    let slice_ptr: *const [u32] = &arr[2..5];
    println!("slice ptr {:?}", unsafe { &*slice_ptr });
    let mut boxed = Box::new([0u8; 16]);
    let bp = boxed.as_mut_ptr();
    unsafe {
        ptr::write_bytes(bp, 0xab, 8);
    }
    println!("write_bytes {:x?}", &boxed[6..10]);
    let mut m = 5u64;
    let mp: *mut u64 = &mut m;
    let cp = mp as *const u64;
    let old = unsafe { ptr::replace(mp, 6) };
    println!("replace old {} new {}", old, unsafe { *cp });
    let addr_diff = unsafe { (arr.as_ptr().add(3) as *const u8).offset_from(arr.as_ptr() as *const u8) };
    println!("byte distance {}", addr_diff);
}
