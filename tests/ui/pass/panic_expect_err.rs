// Uncaught panic: `expect` on an Err carrying a Debug-printed error.
#![allow(dead_code)]
#[derive(Debug)]
enum LoadError {
    NotFound { path: String, tried: u32 },
}

fn load(path: &str) -> Result<String, LoadError> {
    if path.ends_with(".cfg") {
        Ok(format!("contents of {}", path))
    } else {
        Err(LoadError::NotFound { path: path.to_string(), tried: 3 })
    }
}

fn main() {
    println!("{}", load("app.cfg").expect("app config"));
    let s = load("missing.txt").expect("failed to load the data file");
    println!("not reached {}", s);
}
