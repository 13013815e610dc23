//! What the toolchain's rustc says about itself (`rustc -vV`, and where its standard library
//! sources are, from `rustc --print sysroot`), remembered per rustc binary: asking costs two
//! processes, some 30-50 ms on every `vigil run`, and the answers change only when the binary
//! does. The memo sits beside the sysroots (`toolchain-<hash of the path>.txt`) and is used
//! only while the binary's path, size and modification time are those it was written for;
//! otherwise rustc is asked again and the memo rewritten. A memo that cannot be read or
//! written only costs the asking.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The first line of a memo file (a change of format invalidates old ones).
const MAGIC: &str = "vigil-toolchain-facts/1";

/// What rustc answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Facts {
    /// `rustc -vV`, verbatim.
    pub verbose_version: String,
    /// The `library` directory of its rust-src (where `--print sysroot` says it is), or why
    /// it could not be found (such facts are not remembered).
    pub sysroot_src: Result<PathBuf, String>,
}

/// The facts of `rustc`, from the memo in `memo_dir` when it is current, else from `ask`
/// (then remembered).
pub(crate) fn toolchain_facts(rustc: &Path, memo_dir: Option<&Path>, ask: impl FnOnce() -> Result<Facts, String>) -> Result<Facts, String> {
    let (Some(dir), Some(stamp)) = (memo_dir, stamp(rustc)) else {
        return ask();
    };
    let memo = dir.join(memo_name(rustc));
    if let Some(facts) = fs::read_to_string(&memo).ok().and_then(|text| parse(&text, &stamp)) {
        return Ok(facts);
    }
    let facts = ask()?;
    if let Some(text) = render(&stamp, &facts) {
        // Written whole then renamed, so a reader never sees half a memo.
        let tmp = memo.with_extension(format!("tmp{}", std::process::id()));
        if fs::create_dir_all(dir).is_ok() && fs::write(&tmp, text).is_ok() && fs::rename(&tmp, &memo).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
    Ok(facts)
}

/// The memo's file name: a hash of the rustc path.
fn memo_name(rustc: &Path) -> String {
    format!("toolchain-{}.txt", crate::sysroot::fnv_key([rustc.as_os_str().as_encoded_bytes()]))
}

/// Which binary the memo is for: its path, size and modification time (nanoseconds), one
/// per line. `None` when the binary cannot be looked at (rustc is then asked, and says why).
fn stamp(rustc: &Path) -> Option<String> {
    let meta = fs::metadata(rustc).ok()?;
    let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
    let path = rustc.to_str().filter(|p| !p.contains('\n'))?;
    Some(format!("{path}\n{}\n{mtime}", meta.len()))
}

fn render(stamp: &str, facts: &Facts) -> Option<String> {
    let src = facts.sysroot_src.as_ref().ok()?.to_str().filter(|p| !p.contains('\n'))?;
    Some(format!("{MAGIC}\n{stamp}\n{src}\n{}", facts.verbose_version))
}

fn parse(text: &str, stamp: &str) -> Option<Facts> {
    let rest = text.strip_prefix(MAGIC)?.strip_prefix('\n')?.strip_prefix(stamp)?.strip_prefix('\n')?;
    let (src, verbose_version) = rest.split_once('\n')?;
    Some(Facts { verbose_version: verbose_version.to_owned(), sysroot_src: Ok(PathBuf::from(src)) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn facts(vv: &str) -> Facts {
        Facts { verbose_version: vv.to_owned(), sysroot_src: Ok(PathBuf::from("/tc/lib/rustlib/src/rust/library")) }
    }

    #[test]
    fn rustc_is_asked_once_while_the_binary_stays_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let rustc = dir.path().join("rustc");
        fs::write(&rustc, "binary v1").unwrap();
        let asked = Cell::new(0);
        let ask = |vv: &str| {
            asked.set(asked.get() + 1);
            Ok(facts(vv))
        };
        let memo = dir.path().join("memo");
        let vv = "rustc 1.97.0-nightly (e50aa6fba 2026-05-19)\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\n";
        assert_eq!(toolchain_facts(&rustc, Some(&memo), || ask(vv)).unwrap(), facts(vv));
        assert_eq!(toolchain_facts(&rustc, Some(&memo), || ask("other")).unwrap(), facts(vv));
        assert_eq!(asked.get(), 1);
        // A changed binary (another size here) is asked again, and the new answer kept.
        fs::write(&rustc, "binary v2, longer").unwrap();
        assert_eq!(toolchain_facts(&rustc, Some(&memo), || ask("new")).unwrap(), facts("new"));
        assert_eq!(toolchain_facts(&rustc, Some(&memo), || ask("newer")).unwrap(), facts("new"));
        assert_eq!(asked.get(), 2);
    }

    #[test]
    fn a_broken_or_missing_memo_only_costs_the_asking() {
        let dir = tempfile::tempdir().unwrap();
        let rustc = dir.path().join("rustc");
        fs::write(&rustc, "binary").unwrap();
        let memo = dir.path().join("memo");
        assert_eq!(toolchain_facts(&rustc, Some(&memo), || Ok(facts("a"))).unwrap(), facts("a"));
        let file = fs::read_dir(&memo).unwrap().next().unwrap().unwrap().path();
        fs::write(&file, "garbage").unwrap();
        assert_eq!(toolchain_facts(&rustc, Some(&memo), || Ok(facts("b"))).unwrap(), facts("b"));
        // No memo directory, or no binary to stamp: rustc is asked (and its error kept).
        assert_eq!(toolchain_facts(&rustc, None, || Ok(facts("c"))).unwrap(), facts("c"));
        // Facts without the sources' place are not remembered.
        let unsure = Facts { verbose_version: "d".into(), sysroot_src: Err("no rust-src".into()) };
        let memo2 = dir.path().join("memo2");
        assert_eq!(toolchain_facts(&rustc, Some(&memo2), || Ok(unsure.clone())).unwrap(), unsure);
        assert_eq!(toolchain_facts(&rustc, Some(&memo2), || Ok(facts("e"))).unwrap(), facts("e"));
        let gone = dir.path().join("no-rustc");
        assert_eq!(toolchain_facts(&gone, Some(&memo), || Err("cannot run".into())), Err("cannot run".to_owned()));
    }
}
