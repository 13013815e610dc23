// The environment as the program changes it: set_var/remove_var/var/vars stay consistent (setenv, unsetenv,
// getenv and `environ`), under isolation as natively.
use std::env;

fn main() {
    let key = "VIGIL_ENV_SET_REMOVE_KEY";
    println!("before: {:?}", env::var(key));
    unsafe { env::set_var(key, "one") };
    println!("set: {:?}", env::var(key));
    unsafe { env::set_var(key, "two, longer") };
    println!("overwritten: {:?}", env::var(key));
    let listed: Vec<(String, String)> = env::vars().filter(|(k, _)| k.starts_with("VIGIL_ENV_SET_REMOVE")).collect();
    println!("listed: {listed:?}");
    unsafe { env::set_var("VIGIL_ENV_SET_REMOVE_OTHER", "x") };
    unsafe { env::remove_var(key) };
    println!("removed: {:?}", env::var(key));
    let mut listed: Vec<String> = env::vars().map(|(k, _)| k).filter(|k| k.starts_with("VIGIL_ENV_SET_REMOVE")).collect();
    listed.sort();
    println!("listed: {listed:?}");
    println!("empty value: {:?}", {
        unsafe { env::set_var(key, "") };
        env::var(key)
    });
}
