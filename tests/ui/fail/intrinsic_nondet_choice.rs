//@check-pass
// `is_val_statically_known` may answer either way, and a program must not rely on one answer:
// Vigil picks each answer at random (from the seed), as the reference interpreter does, so both
// turn up. (Natively a debug build always answers `false`, so this is not a native comparison.)
// Also the `type_name` intrinsic called directly, which native code cannot do outside a constant.
#![feature(core_intrinsics)]
#![allow(internal_features)]

fn main() {
    let answers: Vec<bool> = (0..64).map(|i| std::intrinsics::is_val_statically_known(i)).collect();
    println!("true seen: {}, false seen: {}", answers.contains(&true), answers.contains(&false));
    println!("{}", std::intrinsics::type_name::<(u8, dyn Fn(i32) -> bool)>());
}
