//@compile-flags: -Zvigil-memory-limit=64M
// A program whose memory grows without bound stops at the memory limit with a resource-exhaustion
// report at the allocation that crossed it (not with a crash of Vigil when the host runs out).
// Twin: tests/ui/pass/vec_basic.rs and the other pass programs, which stay under any limit.
fn main() {
    let mut keep: Vec<Vec<u8>> = Vec::new();
    loop {
        keep.push(Vec::with_capacity(1 << 20)); //~ ERROR: memory limit reached
    }
}
