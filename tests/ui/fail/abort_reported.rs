// A program that aborts is stopped with a report of where (not by Vigil ending itself with
// SIGABRT, which would read as a crash of the tool).
fn main() {
    println!("about to abort");
    std::process::abort(); //~ ERROR: abnormal termination: the program aborted execution
}
