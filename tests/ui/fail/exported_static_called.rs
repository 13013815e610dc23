// A symbol the program exports as a static is not a function: calling it through an
// `extern` declaration is undefined behavior.
#[no_mangle]
static TABLE: [u8; 4] = [1, 2, 3, 4];

fn main() {
    extern "C" {
        #[link_name = "TABLE"]
        fn table() -> u8;
    }
    let v = unsafe { table() }; //~ ERROR: attempt to call an exported symbol that is not defined as a function
    println!("{v}");
}
