// Under isolation the real-time clock is the host's and refused whatever `-Zmiri-isolation-error` says
// (there is no error code to return): `SystemTime::now()` stops the run. `Instant` (virtual) is fine.
//@compile-flags: -Zmiri-isolation-error=hide
fn main() {
    let start = std::time::Instant::now();
    println!("monotonic: {}", start.elapsed() < std::time::Duration::from_secs(3600));
    let now = std::time::SystemTime::now(); //~ ERROR: `clock_gettime` with `REALTIME` clocks not available when isolation is enabled
    println!("{now:?}");
}
