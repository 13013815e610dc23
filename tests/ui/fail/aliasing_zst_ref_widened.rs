// A reference to a zero-sized value (whose retag the lowering may make as just its access)
// cast to a pointer to a byte and written through: the zero-sized tag grants no byte.
// Twin: tests/ui/pass/unobserved_retags_zst_closure.rs.
fn main() {
    let mut x = [0u8; 4];
    let z: &mut [u8; 0] = unsafe { &mut *(x.as_mut_ptr() as *mut [u8; 0]) };
    let p = z as *mut [u8; 0] as *mut u8;
    unsafe { *p = 1 };
    //~^ ERROR: /attempting a write access using .* but that tag does not exist/
    println!("{}", x[0]);
}
