//@ vigil-flags: -Zmiri-disable-isolation
// std::fs with isolation off: create, write, read back, seek, metadata, truncate, rename, directory listing,
// copy, symlinks, hard links, permissions, errors, removal of a whole tree; reads and writes may be short.
use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};

fn main() {
    let dir = std::env::temp_dir().join(format!("vigil-fs-roundtrip-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("sub/deeper")).unwrap();
    let p = dir.join("a.txt");
    {
        let mut f = fs::File::create(&p).unwrap();
        f.write_all(b"hello, world\n").unwrap();
        writeln!(f, "line {}", 2).unwrap();
        f.sync_all().unwrap();
    }
    print!("{}", fs::read_to_string(&p).unwrap());
    let m = fs::metadata(&p).unwrap();
    println!("len {} file {} dir {}", m.len(), m.is_file(), m.is_dir());
    let mut f = fs::OpenOptions::new().read(true).write(true).open(&p).unwrap();
    f.seek(SeekFrom::Start(7)).unwrap();
    let mut buf = [0u8; 5];
    f.read_exact(&mut buf).unwrap();
    println!("{}", std::str::from_utf8(&buf).unwrap());
    println!("via handle: len {}", f.metadata().unwrap().len());
    f.set_len(5).unwrap();
    drop(f);
    println!("{:?}", fs::read(&p).unwrap());
    let mut a = fs::OpenOptions::new().append(true).open(&p).unwrap();
    a.write_all(b"!?").unwrap();
    drop(a);
    println!("appended {:?}", fs::read_to_string(&p).unwrap());
    let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    fs::write(dir.join("big.bin"), &big).unwrap();
    println!("big read back equal: {}", fs::read(dir.join("big.bin")).unwrap() == big);
    fs::rename(&p, dir.join("sub/b.txt")).unwrap();
    fs::write(dir.join("c.txt"), b"c").unwrap();
    let mut names: Vec<(String, bool)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().into_string().unwrap(), e.file_type().unwrap().is_dir())
        })
        .collect();
    names.sort();
    println!("{names:?}");
    fs::copy(dir.join("c.txt"), dir.join("d.txt")).unwrap();
    println!("copied {:?}", fs::read_to_string(dir.join("d.txt")).unwrap());
    println!("canonical is absolute: {}", fs::canonicalize(dir.join("sub/../c.txt")).unwrap().is_absolute());
    std::os::unix::fs::symlink("c.txt", dir.join("link")).unwrap();
    println!("link -> {:?}", fs::read_link(dir.join("link")).unwrap());
    println!("through link {:?}", fs::read_to_string(dir.join("link")).unwrap());
    println!("link is symlink {}", fs::symlink_metadata(dir.join("link")).unwrap().file_type().is_symlink());
    fs::hard_link(dir.join("c.txt"), dir.join("hard")).unwrap();
    let mut perms = fs::metadata(dir.join("c.txt")).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(dir.join("c.txt"), perms).unwrap();
    println!("readonly {}", fs::metadata(dir.join("c.txt")).unwrap().permissions().readonly());
    println!("missing: {:?}", fs::read_to_string(dir.join("missing")).map_err(|e| e.kind()));
    println!("create_new twice: {:?}", fs::File::create_new(dir.join("d.txt")).map_err(|e| e.kind()));
    println!("remove non-empty dir: {}", fs::remove_dir(dir.join("sub")).is_err());
    fs::remove_file(dir.join("d.txt")).unwrap();
    fs::remove_dir_all(&dir).unwrap();
    println!("exists after remove_dir_all: {}", dir.exists());
}
