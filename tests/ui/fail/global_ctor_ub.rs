// Undefined behavior in a global constructor is found before `main` runs, and the report
// names the table that listed the constructor. Twin: tests/ui/pass/global_ctors.rs.
extern "C" fn read_past_end() {
    let a = [1u8, 2, 3];
    let p = a.as_ptr();
    let v = unsafe { *p.add(3) }; //~ ERROR: Undefined Behavior
    println!("{v}");
}

#[used]
#[unsafe(link_section = ".init_array")]
static CTOR: extern "C" fn() = read_past_end;

fn main() {
    println!("main is never reached");
}
