//! Reading and rewriting the rustc command lines cargo hands to the wrapper.
//!
//! rustc accepts most valued options both as `--opt value` and `--opt=value`, and codegen
//! options as `-C key=value`, `-Ckey=value` or `--codegen key=value`; every helper here accepts
//! all spellings, because cargo's own spelling is not a stable interface.

use std::fs;

/// Expands `@file` arguments (one argument per line), which cargo uses when a command line
/// gets too long for the OS.
pub fn expand_argfiles(args: Vec<String>) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(args.len());
    for arg in args {
        match arg.strip_prefix('@') {
            Some(path) if !path.is_empty() => {
                let text = fs::read_to_string(path).map_err(|e| format!("cannot read rustc argument file `{path}`: {e}"))?;
                out.extend(text.lines().map(str::to_owned));
            }
            _ => out.push(arg),
        }
    }
    Ok(out)
}

/// All values of a valued option `name` (such as `--crate-type`), in order.
pub fn values<'a>(args: &'a [String], name: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == name {
            if let Some(v) = args.get(i + 1) {
                found.push(v.as_str());
            }
            i += 2;
            continue;
        }
        if let Some(v) = arg.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')) {
            found.push(v);
        }
        i += 1;
    }
    found
}

/// The last value of a valued option (rustc lets the last one win).
pub fn value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    values(args, name).pop()
}

/// Whether the flag `name` (without value, such as `--test`) is present.
pub fn has_flag(args: &[String], name: &str) -> bool {
    args.iter().any(|a| a == name)
}

/// The value of codegen option `key` (`-C key=value` and its other spellings).
pub fn codegen_value<'a>(args: &'a [String], key: &str) -> Option<&'a str> {
    let mut found = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let setting = if arg == "-C" || arg == "--codegen" {
            i += 1;
            args.get(i).map(String::as_str)
        } else {
            arg.strip_prefix("-C").or_else(|| arg.strip_prefix("--codegen="))
        };
        if let Some(v) = setting.and_then(|s| s.strip_prefix(key)).and_then(|s| s.strip_prefix('=')) {
            found = Some(v);
        }
        i += 1;
    }
    found
}

/// The crate types being built: every `--crate-type` value, split on commas.
pub fn crate_types(args: &[String]) -> Vec<&str> {
    values(args, "--crate-type").into_iter().flat_map(|v| v.split(',')).map(str::trim).collect()
}

/// One rustc argument, or a valued option with its value, as a unit that can be kept,
/// dropped or replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `--name value` (two arguments) or `--name=value` (one argument); `joined` remembers which.
    Opt { name: String, value: String, joined: bool },
    /// `-C key=value` (two arguments) or `-Ckey=value` (one argument).
    Codegen { setting: String, joined: bool },
    /// Anything else, kept verbatim.
    Plain(String),
}

/// The valued options the rewriting code needs to see as units.
const VALUED: &[&str] = &["--emit", "--extern", "--sysroot", "--error-format", "--json", "-o", "--out-dir", "--target"];

/// Splits a command line into [`Item`]s.
pub fn items(args: &[String]) -> Vec<Item> {
    let mut out = Vec::with_capacity(args.len());
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "-C" || arg == "--codegen" {
            match it.next() {
                Some(setting) => out.push(Item::Codegen { setting: setting.clone(), joined: false }),
                None => out.push(Item::Plain(arg.clone())),
            }
            continue;
        }
        if let Some(setting) = arg.strip_prefix("-C").filter(|s| !s.is_empty()) {
            out.push(Item::Codegen { setting: setting.to_owned(), joined: true });
            continue;
        }
        if let Some(&name) = VALUED.iter().find(|&&n| n == arg) {
            match it.next() {
                Some(value) => out.push(Item::Opt { name: name.to_owned(), value: value.clone(), joined: false }),
                None => out.push(Item::Plain(arg.clone())),
            }
            continue;
        }
        let joined = VALUED
            .iter()
            .filter(|n| n.starts_with("--"))
            .find_map(|&n| arg.strip_prefix(n).and_then(|r| r.strip_prefix('=')).map(|v| (n, v)));
        match joined {
            Some((name, value)) => out.push(Item::Opt { name: name.to_owned(), value: value.to_owned(), joined: true }),
            None => out.push(Item::Plain(arg.clone())),
        }
    }
    out
}

/// Turns [`Item`]s back into a command line.
pub fn unparse(items: &[Item]) -> Vec<String> {
    let mut out = Vec::with_capacity(items.len() + 8);
    for item in items {
        match item {
            Item::Opt { name, value, joined: true } => out.push(format!("{name}={value}")),
            Item::Opt { name, value, joined: false } => {
                out.push(name.clone());
                out.push(value.clone());
            }
            Item::Codegen { setting, joined: true } => out.push(format!("-C{setting}")),
            Item::Codegen { setting, joined: false } => {
                out.push("-C".to_owned());
                out.push(setting.clone());
            }
            Item::Plain(a) => out.push(a.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn values_in_all_spellings() {
        let args = v(&["--crate-type", "lib", "--crate-type=rlib,cdylib", "--test", "--target=x"]);
        assert_eq!(crate_types(&args), ["lib", "rlib", "cdylib"]);
        assert_eq!(value(&args, "--target"), Some("x"));
        assert_eq!(value(&args, "--crate-name"), None);
        assert!(has_flag(&args, "--test"));
        assert!(!has_flag(&args, "--print"));
    }

    #[test]
    fn codegen_values() {
        let args = v(&["-C", "opt-level=0", "-Cextra-filename=-abc", "--codegen", "incremental=/x"]);
        assert_eq!(codegen_value(&args, "extra-filename"), Some("-abc"));
        assert_eq!(codegen_value(&args, "incremental"), Some("/x"));
        assert_eq!(codegen_value(&args, "opt-level"), Some("0"));
        assert_eq!(codegen_value(&args, "extra"), None);
    }

    #[test]
    fn items_round_trip() {
        let args = v(&[
            "--crate-name",
            "foo",
            "src/lib.rs",
            "--error-format=json",
            "--emit=dep-info,link",
            "-C",
            "extra-filename=-1",
            "-Cincremental=/i",
            "--extern",
            "a=/d/liba.rlib",
            "--extern=b=/d/libb.rlib",
            "-o",
            "out",
            "--target",
            "t",
            "--test",
        ]);
        let items = items(&args);
        assert_eq!(unparse(&items), args);
        assert!(items.contains(&Item::Opt { name: "--extern".into(), value: "b=/d/libb.rlib".into(), joined: true }));
        assert!(items.contains(&Item::Codegen { setting: "incremental=/i".into(), joined: true }));
        assert!(items.contains(&Item::Opt { name: "--emit".into(), value: "dep-info,link".into(), joined: true }));
    }

    #[test]
    fn argfiles_are_expanded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("args");
        fs::write(&file, "--crate-name\nfoo\n--test\n").unwrap();
        let args = expand_argfiles(v(&["-vV", &format!("@{}", file.display()), "x.rs"])).unwrap();
        assert_eq!(args, ["-vV", "--crate-name", "foo", "--test", "x.rs"]);
    }
}
