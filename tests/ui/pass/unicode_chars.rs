// char and Unicode: char::from_u32 (valid, surrogate, too large), to_uppercase of ß (multi-char), to_lowercase,
// chars().rev(), char_indices, len_utf8/len_utf16, encode_utf8, is_alphabetic/is_numeric/is_whitespace on non-ASCII,
// byte vs char lengths, to_digit/from_digit, escape_unicode/escape_debug, str::is_char_boundary.
fn main() {
    for cp in [0x41u32, 0xE9, 0x3B1, 0x1F600, 0xD800, 0x110000, 0x10FFFF, 0] {
        println!("from_u32({:#x}) = {:?}", cp, char::from_u32(cp));
    }
    println!("from_digit {:?} {:?} to_digit {:?} {:?} {:?}", char::from_digit(7, 10), char::from_digit(11, 16), 'f'.to_digit(16), 'z'.to_digit(36), '9'.to_digit(8));
    let up: String = 'ß'.to_uppercase().collect();
    println!("ß upper {:?} len {} count {}", up, 'ß'.to_uppercase().len(), up.chars().count());
    println!("strasse upper {} lower {}", "straße".to_uppercase(), "ΣΊΣΥΦΟΣ".to_lowercase());
    println!("ǅ lower {} upper {} | İ lower {:?}", 'ǅ'.to_lowercase(), 'ǅ'.to_uppercase(), 'İ'.to_lowercase().collect::<String>());
    let s = "héllo, wörld! 日本語 🎉";
    println!("bytes {} chars {}", s.len(), s.chars().count());
    println!("rev {}", s.chars().rev().collect::<String>());
    for (i, c) in s.char_indices().filter(|(_, c)| !c.is_ascii()) {
        println!("  byte {} {:?} U+{:04X} utf8 {} utf16 {}", i, c, c as u32, c.len_utf8(), c.len_utf16());
    }
    println!("alphabetic: {}", s.chars().filter(|c| c.is_alphabetic()).count());
    for c in ['é', 'ß', '日', 'Ω', '٣', '½', '\u{a0}', '\u{3000}', '🎉', 'ǅ'] {
        println!(
            "{:?}: alpha {} num {} alnum {} ws {} upper {} lower {} ascii {} control {}",
            c,
            c.is_alphabetic(),
            c.is_numeric(),
            c.is_alphanumeric(),
            c.is_whitespace(),
            c.is_uppercase(),
            c.is_lowercase(),
            c.is_ascii(),
            c.is_control()
        );
    }
    let mut buf = [0u8; 4];
    let enc = '€'.encode_utf8(&mut buf);
    println!("€ utf8 {:?} bytes {:x?}", enc, enc.as_bytes());
    let mut b16 = [0u16; 2];
    println!("🎉 utf16 {:x?}", '🎉'.encode_utf16(&mut b16));
    let utf16: Vec<u16> = "a🎉".encode_utf16().collect();
    println!("encode_utf16 {:x?} back {:?}", utf16, String::from_utf16(&utf16));
    println!("escape_unicode {} escape_debug {} escape_default {}", 'é'.escape_unicode(), "a\tb\u{301}".escape_debug(), "ü\n".escape_default());
    println!("is_char_boundary 1 {} 2 {} 3 {}", s.is_char_boundary(1), s.is_char_boundary(2), s.is_char_boundary(3));
    println!("slice {:?} get(1..2) {:?}", &s[0..3], s.get(1..2));
    println!("ascii ops {} {} {}", "Hello".to_ascii_uppercase(), "MiXeD ß".to_ascii_lowercase(), "abc".eq_ignore_ascii_case("ABC"));
    let combined = "e\u{301}";
    println!("combining: bytes {} chars {}", combined.len(), combined.chars().count());
    println!("char cmp {} {} max char {:?}", 'a' < 'b', 'Z' < 'a', char::MAX);
    println!("char arithmetic {:?} {:?}", (b'a' + 3) as char, char::from_u32('a' as u32 + 25));
    let rng: String = ('α'..='ε').collect();
    println!("range {}", rng);
    println!("from utf8 {:?} err {:?}", std::str::from_utf8(&[0xe6, 0x97, 0xa5]), std::str::from_utf8(std::hint::black_box(&[0xe6, 0x97])).map_err(|e| e.valid_up_to()));
    println!("lossy {}", String::from_utf8_lossy(b"ok\xF0\x90\x80bad"));
    println!("split by non-ascii {:?}", "a→b→c".split('→').collect::<Vec<_>>());
    println!("find {:?} rfind {:?}", s.find('ö'), s.rfind(char::is_whitespace));
    println!("title: {}", "hello wörld".split(' ').map(|w| {
        let mut cs = w.chars();
        match cs.next() {
            Some(f) => f.to_uppercase().collect::<String>() + cs.as_str(),
            None => String::new(),
        }
    }).collect::<Vec<_>>().join(" "));
}
