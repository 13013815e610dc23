// A panic escaping a function that cannot unwind aborts, also when it is called from a
// function whose reference argument is protected for the call (small enough to inline).
extern "C" fn callback(x: &mut i32) {
    *x += 1;
    panic!("escaping"); //~ ERROR: abnormal termination: the program aborted execution
}

fn bump(x: &mut i32) {
    callback(x);
}

fn main() {
    let mut v = 0;
    bump(&mut v);
    println!("{v}");
}
