//! The invocation record: what cargo-vigil writes where cargo expects a binary, and what
//! `vigil run-record` reads to compile and interpret that binary.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The record written in place of a final binary by the RUSTC_WRAPPER, and read by
/// `vigil run-record`.
///
/// On disk it is one JSON object, tagged with a format version so that a stale or foreign file
/// is reported as such instead of being misread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvocationRecord {
    /// Complete rustc arguments (not argv\[0\]), already including `--sysroot` and
    /// [`VIGIL_RUSTC_FLAGS`](crate::VIGIL_RUSTC_FLAGS).
    pub args: Vec<String>,
    /// The environment at compile time (the `CARGO_*` variables, `OUT_DIR`, variables set by
    /// build scripts, ...), sorted by name.
    pub env: Vec<(String, String)>,
    /// The directory rustc ran in: relative paths in `args` are relative to it.
    pub cwd: PathBuf,
    /// The crate's source when rustc was to read it from stdin (`-` in `args`): doctests,
    /// which rustdoc hands to its test builder that way.
    pub source: Option<String>,
}

/// Bumped whenever the meaning of a field changes.
const FORMAT_VERSION: u32 = 1;

/// The JSON shape of a record. Kept separate from [`InvocationRecord`] so that the public
/// struct stays plain data.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    vigil_invocation_record: u32,
    args: Vec<String>,
    env: Vec<(String, String)>,
    cwd: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

impl InvocationRecord {
    /// Reads a record written by [`InvocationRecord::write`].
    pub fn read(path: &Path) -> Result<Self, String> {
        let bytes = fs::read(path).map_err(|e| format!("cannot read invocation record `{}`: {e}", path.display()))?;
        Self::from_json(&bytes).map_err(|e| format!("`{}` {e}", path.display()))
    }

    /// Writes the record as JSON. The file is replaced atomically (written next to `path`, then
    /// renamed), so a concurrent reader never sees half a record.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let json = self.to_json()?;
        let file_name = path.file_name().ok_or_else(|| format!("invalid invocation record path `{}`", path.display()))?;
        let mut tmp_name = file_name.to_os_string();
        tmp_name.push(format!(".vigil-tmp-{}", std::process::id()));
        let tmp = path.with_file_name(tmp_name);
        fs::write(&tmp, json).map_err(|e| format!("cannot write invocation record `{}`: {e}", tmp.display()))?;
        fs::rename(&tmp, path).map_err(|e| {
            let _ = fs::remove_file(&tmp);
            format!("cannot write invocation record `{}`: {e}", path.display())
        })
    }

    fn to_json(&self) -> Result<String, String> {
        let cwd = self.cwd.to_str().ok_or_else(|| format!("working directory `{}` is not UTF-8", self.cwd.display()))?;
        let wire = Wire {
            vigil_invocation_record: FORMAT_VERSION,
            args: self.args.clone(),
            env: self.env.clone(),
            cwd: cwd.to_owned(),
            source: self.source.clone(),
        };
        serde_json::to_string_pretty(&wire).map_err(|e| format!("cannot encode invocation record: {e}"))
    }

    fn from_json(bytes: &[u8]) -> Result<Self, String> {
        // Look at the version first, so that an old record gets a useful message rather than a
        // complaint about a missing field.
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| {
            "is not a Vigil invocation record (not JSON); \
             was it built by `cargo vigil` with this version of Vigil?"
                .to_owned()
        })?;
        match value.get("vigil_invocation_record").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(FORMAT_VERSION) => {}
            Some(v) => {
                return Err(format!(
                    "is an invocation record of format {v}, this Vigil reads format {FORMAT_VERSION}; \
                     rebuild with `cargo vigil` (after `cargo clean --target-dir target/vigil` if needed)"
                ));
            }
            None => return Err("is JSON but not a Vigil invocation record".to_owned()),
        }
        let wire: Wire = serde_json::from_value(value).map_err(|e| format!("is a malformed Vigil invocation record: {e}"))?;
        Ok(InvocationRecord { args: wire.args, env: wire.env, cwd: PathBuf::from(wire.cwd), source: wire.source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> InvocationRecord {
        InvocationRecord {
            args: vec![
                "--crate-name".into(),
                "hello".into(),
                "src/main.rs".into(),
                "--cfg=miri".into(),
                "a \"quoted\" arg with\nnewline and ünïcödé".into(),
            ],
            env: vec![
                ("CARGO_PKG_NAME".into(), "hello".into()),
                ("OUT_DIR".into(), "/tmp/out dir".into()),
                ("EMPTY".into(), String::new()),
            ],
            cwd: PathBuf::from("/some/work space"),
            source: None,
        }
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hello-0123abcd");
        let rec = sample();
        rec.write(&path).unwrap();
        assert_eq!(InvocationRecord::read(&path).unwrap(), rec);
        // Overwriting an existing record works and leaves no temporary file behind.
        let mut rec2 = rec.clone();
        rec2.args.push("--test".into());
        rec2.write(&path).unwrap();
        assert_eq!(InvocationRecord::read(&path).unwrap(), rec2);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        // A doctest's source read from stdin travels with the record.
        let rec3 = InvocationRecord { source: Some("fn main() {}\n".into()), ..rec };
        rec3.write(&path).unwrap();
        assert_eq!(InvocationRecord::read(&path).unwrap(), rec3);
    }

    #[test]
    fn rejects_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        fs::write(&path, b"\x7fELF\x02\x01\x01").unwrap();
        let err = InvocationRecord::read(&path).unwrap_err();
        assert!(err.contains("not a Vigil invocation record"), "{err}");

        fs::write(&path, br#"{"args": []}"#).unwrap();
        let err = InvocationRecord::read(&path).unwrap_err();
        assert!(err.contains("not a Vigil invocation record"), "{err}");

        fs::write(&path, br#"{"vigil_invocation_record": 999, "args": []}"#).unwrap();
        let err = InvocationRecord::read(&path).unwrap_err();
        assert!(err.contains("format 999"), "{err}");

        let err = InvocationRecord::read(&dir.path().join("missing")).unwrap_err();
        assert!(err.contains("cannot read"), "{err}");
    }
}
