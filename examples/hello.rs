fn main() {
    println!("Hello from Vigil!");
    let v: Vec<u32> = (1..=10).collect();
    println!("sum of {:?} = {}", v, v.iter().sum::<u32>());
}
