//@ vigil-flags: -Zmiri-disable-isolation
// What the process can learn about its system with isolation off: uname, the local time of a fixed
// timestamp in the host's time zone, and io::Error messages (strerror_r).
#[repr(C)]
struct Utsname {
    fields: [[u8; 65]; 6],
}

#[repr(C)]
struct Tm {
    ints: [i32; 9],
    gmtoff: i64,
    zone: *const i8,
}

unsafe extern "C" {
    fn uname(buf: *mut Utsname) -> i32;
    fn localtime_r(t: *const i64, tm: *mut Tm) -> *mut Tm;
}

fn field(f: &[u8; 65]) -> String {
    String::from_utf8_lossy(&f[..f.iter().position(|&b| b == 0).unwrap()]).into_owned()
}

fn main() {
    let mut u = Utsname { fields: [[0; 65]; 6] };
    assert_eq!(unsafe { uname(&mut u) }, 0);
    println!("system {} on {}", field(&u.fields[0]), field(&u.fields[4]));
    let t: i64 = 1_000_000_000;
    let mut tm = Tm { ints: [0; 9], gmtoff: 0, zone: std::ptr::null() };
    assert!(!unsafe { localtime_r(&t, &mut tm) }.is_null());
    let zone = unsafe { std::ffi::CStr::from_ptr(tm.zone) }.to_string_lossy().into_owned();
    println!("local time: year {} day {} offset {}s zone {zone}", tm.ints[5] + 1900, tm.ints[7], tm.gmtoff);
    println!("{}", std::io::Error::from_raw_os_error(2));
    println!("{}", std::fs::File::open("/no/such/file").unwrap_err());
}
