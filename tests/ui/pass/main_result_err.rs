// `fn main() -> Result<(), E>` returning Err: the Termination impl prints `Error: <Debug of E>` on stderr and the
#![allow(dead_code)]
// exit code is 1. Destructors of main's locals run before the error is reported.
#[derive(Debug)]
enum AppError {
    Config { line: u32, reason: String },
}

struct Cleanup;
impl Drop for Cleanup {
    fn drop(&mut self) {
        println!("cleanup ran");
    }
}

fn parse_line(n: u32, s: &str) -> Result<i32, AppError> {
    s.trim().parse().map_err(|e: std::num::ParseIntError| AppError::Config { line: n, reason: e.to_string() })
}

fn main() -> Result<(), AppError> {
    let _c = Cleanup;
    let mut total = 0;
    for (i, l) in ["1", " 2 ", "three", "4"].iter().enumerate() {
        total += parse_line(i as u32 + 1, l)?;
        println!("running total {}", total);
    }
    println!("not reached");
    Ok(())
}
