//! Helpers shared by the integration tests that compare two runs of the same program.

/// `alloc123` as `ALLOC`: allocation numbers differ between runs that lower functions in
/// another order (inlining lowers small callees ahead), and nothing else should.
pub fn without_alloc_ids(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let mut out = String::new();
    let mut rest = &*text;
    while let Some(i) = rest.find("alloc") {
        out.push_str(&rest[..i]);
        let digits = rest[i + 5..].bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(if digits > 0 { "ALLOC" } else { "alloc" });
        rest = &rest[i + 5 + digits..];
    }
    out.push_str(rest);
    out
}

/// `without_alloc_ids`, and `<123>` as `<TAG>`: a run that moves other locals out of memory
/// (inlining lets `vigil_ir::promote_locals` take more) also makes other tags.
#[allow(dead_code)]
pub fn without_alloc_and_tag_ids(text: &[u8]) -> String {
    let text = without_alloc_ids(text);
    let mut out = String::new();
    let mut rest = &*text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with('>') {
            out.push_str("TAG");
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}
