//@check-pass
// Twin of tests/ui/fail/exported_symbol_defined_twice.rs: a symbol defined twice links when
// all but one definition are weak; the strong one wins, and a weak one alone is used. (Not a
// ui pass test: rustc's own codegen refuses two definitions of one symbol in one crate, so
// there is no native run to compare with.)
#![feature(linkage)]

mod defaults {
    #[unsafe(no_mangle)]
    #[linkage = "weak"]
    extern "C" fn vigil_only_weak() -> i32 {
        1
    }

    #[unsafe(no_mangle)]
    #[linkage = "weak"]
    extern "C" fn vigil_overridden() -> i32 {
        2
    }
}

mod strong {
    #[unsafe(no_mangle)]
    extern "C" fn vigil_overridden() -> i32 {
        3
    }
}

mod decls {
    unsafe extern "C" {
        pub fn vigil_only_weak() -> i32;
        pub fn vigil_overridden() -> i32;
    }
}

fn main() {
    let (a, b) = unsafe { (decls::vigil_only_weak(), decls::vigil_overridden()) };
    println!("{a} {b}");
}
