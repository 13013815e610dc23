// Uncaught panic: slice index out of bounds with a runtime index.
fn main() {
    let v: Vec<u8> = (0..5).collect();
    let mut idx = 0;
    for x in &v {
        idx += *x as usize;
    }
    println!("len {} idx {}", v.len(), idx);
    let y = v[idx];
    println!("not reached {}", y);
}
