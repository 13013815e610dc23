// Spawning a process is not something Vigil can do: an unsupported operation that names the call.
//@normalize-stderr-test: "`(gnu_get_libc_version|posix_spawn[a-z_]*|fork|pipe2?)`" -> "`SPAWN_CALL`"
fn main() {
    let out = std::process::Command::new("true").status(); //~ ERROR: can't call foreign function
    println!("{out:?}");
}
