// A panic escaping a function that cannot unwind (`extern "C"`) aborts the program.
extern "C" fn callback() {
    panic!("escaping"); //~ ERROR: abnormal termination: the program aborted execution
}

fn main() {
    callback();
}
