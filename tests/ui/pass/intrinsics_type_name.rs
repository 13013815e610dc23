// `type_name` of std, generic, reference and function pointer types, as rustc prints them.
// (Called directly, the intrinsic is in tests/ui/fail/intrinsic_nondet_choice.rs: native code
// cannot call it outside a constant.)

use std::collections::HashMap;

struct Local<T>(T);

fn main() {
    println!("{}", std::any::type_name::<Option<i32>>());
    println!("{}", std::any::type_name::<HashMap<String, Vec<u8>>>());
    println!("{}", std::any::type_name::<&'static mut [Local<char>]>());
    println!("{}", std::any::type_name::<(u8, fn(i32) -> bool)>());
}
