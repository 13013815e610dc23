// The loader calls a constructor as `extern "C" fn()`; one that returns a value is called with
// the wrong signature. Twin: tests/ui/pass/global_ctors.rs.
extern "C" fn returns_a_value() -> u32 { //~ ERROR: calling a function with return type u32 passing return place of type ()
    7
}

#[used]
#[unsafe(link_section = ".init_array")]
static CTOR: extern "C" fn() -> u32 = returns_a_value;

fn main() {}
