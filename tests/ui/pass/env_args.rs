//@ args: first --flag=value "two words" 42
//@ env: VIGIL_TEST_GREETING=hello from env
//@ env: VIGIL_TEST_NUMBER=17
//@ vigil-flags: -Zmiri-env-forward=VIGIL_TEST_GREETING -Zmiri-env-forward=VIGIL_TEST_NUMBER -Zmiri-env-forward=RUST_BACKTRACE
// Program arguments (std::env::args, skipping argv[0] whose form differs between runners) and environment variables
// set by the test harness (forwarded through isolation), plus a variable that is not set.
use std::env;

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    println!("argc (without argv[0]) = {}", args.len());
    for (i, a) in args.iter().enumerate() {
        println!("arg[{}] = {:?}", i + 1, a);
    }
    let flag = args.iter().find_map(|a| a.strip_prefix("--flag="));
    println!("flag = {:?}", flag);
    let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    println!("numeric args {:?}", nums);
    println!("args_os count {}", env::args_os().count());

    println!("VIGIL_TEST_GREETING = {:?}", env::var("VIGIL_TEST_GREETING"));
    let n: u32 = env::var("VIGIL_TEST_NUMBER").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    println!("VIGIL_TEST_NUMBER * 2 = {}", n * 2);
    match env::var("VIGIL_TEST_SURELY_MISSING_VARIABLE") {
        Ok(v) => println!("unexpectedly set: {}", v),
        Err(e) => println!("missing variable: {:?} / {}", e, e),
    }
    println!("var_os missing is_none {}", env::var_os("VIGIL_TEST_SURELY_MISSING_VARIABLE").is_none());
    let mut vigil_vars: Vec<(String, String)> = env::vars().filter(|(k, _)| k.starts_with("VIGIL_TEST_")).collect();
    vigil_vars.sort();
    println!("VIGIL_TEST_* vars {:?}", vigil_vars);
    println!("RUST_BACKTRACE = {:?}", env::var("RUST_BACKTRACE"));
}
