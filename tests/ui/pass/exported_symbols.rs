// Functions the program exports (`#[no_mangle]`, `#[export_name]`, also associated functions)
// called through `extern` declarations, as C code or another crate would reach them. Twin:
// tests/ui/fail/abi_exported_mismatch.rs.
#[unsafe(no_mangle)]
extern "C" fn vigil_answer() -> i32 {
    42
}

#[unsafe(export_name = "vigil_twice")]
fn twice(x: u64) -> u64 {
    x * 2
}

struct Counter;

impl Counter {
    #[unsafe(no_mangle)]
    extern "C" fn vigil_counter_start() -> u8 {
        7
    }
}

unsafe extern "C" {
    #[link_name = "vigil_answer"]
    fn answer() -> i32;
    #[link_name = "vigil_counter_start"]
    fn counter_start() -> u8;
}

unsafe extern "Rust" {
    #[link_name = "vigil_twice"]
    fn twice_by_symbol(x: u64) -> u64;
}

fn main() {
    for _ in 0..2 {
        println!("{}", unsafe { answer() });
        println!("{}", unsafe { twice_by_symbol(21) });
        println!("{}", unsafe { counter_start() });
    }
    println!("{} {}", vigil_answer(), twice(1));
    let _ = Counter;
}
