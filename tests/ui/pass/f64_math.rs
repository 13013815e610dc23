// f64/f32 math: sqrt (exact), powi/powf, sin/cos/tan/atan2, exp/ln/log10/log2, hypot, cbrt, fract, rem, clamp,
// to_degrees, numeric integration and Newton's method; transcendental results printed with limited precision ({:.6})
// because the platform libm may differ in the last ulp (and Miri-class interpreters may add a few ulp of error on
// purpose); only IEEE basic operations (+ - * / sqrt mul_add) are printed exactly.
fn newton_sqrt(x: f64) -> f64 {
    let mut g = x / 2.0;
    for _ in 0..30 {
        g = 0.5 * (g + x / g);
    }
    g
}

fn integrate<F: Fn(f64) -> f64>(f: F, a: f64, b: f64, n: usize) -> f64 {
    let h = (b - a) / n as f64;
    let mut s = 0.5 * (f(a) + f(b));
    for i in 1..n {
        s += f(a + i as f64 * h);
    }
    s * h
}

fn main() {
    for x in [0.0f64, 1.0, 2.0, 9.0, 1e-10, 12345.678] {
        println!("sqrt({}) = {} exact-check {}", x, x.sqrt(), (x.sqrt() * x.sqrt() - x).abs() <= x * 1e-15);
    }
    println!("sqrt(-1) is_nan {} sqrt(inf) {}", (-1.0f64).sqrt().is_nan(), f64::INFINITY.sqrt());
    println!("f32 sqrt(2) = {} ", 2.0f32.sqrt());
    println!("powi: {:.6} {:.6} {:.6} {:.6}", 2.0f64.powi(10), 1.5f64.powi(-2), (-3.0f64).powi(3), 10.0f64.powi(0));
    println!("powf: {:.6} {:.6} {:.6} {:.6}", 2.0f64.powf(0.5), 8.0f64.powf(1.0 / 3.0), 10.0f64.powf(-1.5), 2.0f64.powf(10.0));
    let pi = std::f64::consts::PI;
    for deg in [0.0f64, 30.0, 45.0, 90.0, 180.0, 270.0, 1000.0] {
        let r = deg.to_radians();
        println!("deg {:>6}: sin {:>9.6} cos {:>9.6} tan {:>12.6}", deg, r.sin(), r.cos(), if (deg % 180.0 - 90.0).abs() < 1e-9 { f64::NAN } else { r.tan() });
    }
    println!("asin {:.6} acos {:.6} atan {:.6} atan2 {:.6} {:.6}", 0.5f64.asin(), 0.5f64.acos(), 1.0f64.atan(), 1.0f64.atan2(-1.0), (-1.0f64).atan2(-1.0));
    println!("sinh {:.6} cosh {:.6} tanh {:.6}", 1.0f64.sinh(), 1.0f64.cosh(), 0.5f64.tanh());
    println!("exp {:.6} {:.6} {:.6} exp2 {:.6} exp_m1 {:.6e}", 1.0f64.exp(), (-1.0f64).exp(), 10.0f64.exp(), 0.5f64.exp2(), 1e-10f64.exp_m1());
    println!("ln {:.6} {:.6} log10 {:.6} log2 {:.6} log {:.6} ln_1p {:.6e}", 2.0f64.ln(), 10.0f64.ln(), 1000.0f64.log10(), 1024.0f64.log2(), 81.0f64.log(3.0), 1e-10f64.ln_1p());
    println!("ln(0) {} ln(-1) is_nan {} exp(1000) {}", 0.0f64.ln(), (-1.0f64).ln().is_nan(), 1000.0f64.exp());
    println!("hypot {:.6} cbrt {:.6} {:.6}", 3.0f64.hypot(4.0), 27.0f64.cbrt(), (-8.0f64).cbrt());
    println!("fract {:.6} {:.6} rem {} {} {}", 3.75f64.fract(), (-3.75f64).fract(), 7.5f64 % 2.0, -7.5f64 % 2.0, 7.5f64.rem_euclid(-2.0));
    println!("clamp {} {} {} min {} max {}", 5.5f64.clamp(0.0, 1.0), (-2.0f64).clamp(-1.0, 1.0), 0.3f64.clamp(0.0, 1.0), 2.0f64.min(-0.5), 2.0f64.max(3.0));
    println!("to_degrees {:.6} consts PI {:.10} E {:.10} SQRT_2 {:.10} LN_2 {:.10}", pi.to_degrees(), pi, std::f64::consts::E, std::f64::consts::SQRT_2, std::f64::consts::LN_2);
    println!("newton sqrt(2) {:.12} vs sqrt {:.12}", newton_sqrt(2.0), 2.0f64.sqrt());
    println!("integral x^2 0..3 = {:.6}", integrate(|x| x * x, 0.0, 3.0, 1000));
    println!("integral sin 0..pi = {:.6}", integrate(f64::sin, 0.0, pi, 1000));
    let mut x = 0.0f64;
    for i in 0..1000 {
        x += 0.001 * (i as f64).sqrt();
    }
    println!("accumulated {:.9}", x);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let data = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
    let m = mean(&data);
    let var = data.iter().map(|d| (d - m) * (d - m)).sum::<f64>() / data.len() as f64;
    println!("mean {} variance {} stddev {}", m, var, var.sqrt());
    println!("f32 math: {:.4} {:.4} {:.4} {}", 1.0f32.exp(), 2.0f32.ln(), 0.5f32.sin(), 16.0f32.sqrt());
    println!("mul_add {} {}", 0.1f64.mul_add(10.0, -1.0), 2.0f32.mul_add(3.0, 4.0));
    println!("recip {} {}", 4.0f64.recip(), 0.0f64.recip());
    let compound = (1.0f64 + 0.05 / 12.0).powi(120);
    println!("compound interest factor {:.6}", compound);
    println!("powi exactness not relied on: 3^5 ~ {:.3}", 3.0f64.powi(5));
    println!("float eq tolerance {}", ((0.1f64 + 0.2) - 0.3).abs() < f64::EPSILON);
    println!("next_up-ish {:e}", f64::from_bits(1.0f64.to_bits() + 1) - 1.0);
}
