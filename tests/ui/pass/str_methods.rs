// str and slice methods: split variants, trim variants, find/rfind/contains/starts_with, replace/replacen,
// parse of many types, lines, split_once, char-based patterns, bytes, slice methods (iter, concat, join, chunks,
// split_first/last, contains, fill, copy_from_slice, to_vec, splitn on slices).
fn main() {
    let s = "  alpha, beta,,gamma ;delta  ";
    println!("split ',' {:?}", s.split(',').collect::<Vec<_>>());
    println!("split_terminator {:?}", "a;b;c;".split_terminator(';').collect::<Vec<_>>());
    println!("splitn 2 {:?} rsplitn 2 {:?}", s.splitn(2, ',').collect::<Vec<_>>(), s.rsplitn(2, ',').collect::<Vec<_>>());
    println!("split closure {:?}", s.split(|c: char| c == ',' || c == ';').map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>());
    println!("split_whitespace {:?}", "  a \t b\n\nc  ".split_whitespace().collect::<Vec<_>>());
    println!("split str {:?}", "a--b--c".split("--").collect::<Vec<_>>());
    println!("split_inclusive {:?}", "one\ntwo\nthree".split_inclusive('\n').collect::<Vec<_>>());
    println!("rsplit {:?}", "a/b/c".rsplit('/').collect::<Vec<_>>());
    println!("split_once {:?} {:?} rsplit_once {:?}", "key=val=x".split_once('='), "novalue".split_once('='), "key=val=x".rsplit_once('='));
    println!("trim [{}] trim_start [{}] trim_end [{}]", s.trim(), s.trim_start(), s.trim_end());
    println!("trim_matches {:?} trim_start_matches {:?} trim_end_matches {:?}", "xxhixx".trim_matches('x'), "000120".trim_start_matches('0'), "1.500".trim_end_matches('0'));
    println!("strip_prefix {:?} {:?} strip_suffix {:?}", "prefix-body".strip_prefix("prefix-"), "body".strip_prefix("x"), "file.rs".strip_suffix(".rs"));
    let hay = "the cat sat on the mat";
    println!("find {:?} rfind {:?} find str {:?} none {:?}", hay.find('a'), hay.rfind('a'), hay.find("the"), hay.find("dog"));
    println!("find closure {:?} matches {:?} match_indices {:?}", hay.find(|c: char| c.is_whitespace()), hay.matches("at").count(), hay.match_indices("the").collect::<Vec<_>>());
    println!("contains {} {} starts {} ends {}", hay.contains("sat"), hay.contains('z'), hay.starts_with("the"), hay.ends_with('t'));
    println!("replace {} | replacen {} | char {}", hay.replace("at", "og"), hay.replacen("the", "a", 1), hay.replace(' ', "_"));
    println!("parse: {:?} {:?} {:?} {:?} {:?}", "42".parse::<u8>(), "-17".parse::<i64>(), "2.5e3".parse::<f64>(), "true".parse::<bool>(), "x".parse::<char>());
    println!("parse errors: {:?} {:?} {:?}", "256".parse::<u8>().is_err(), " 1".parse::<i32>().is_err(), "yes".parse::<bool>().is_err());
    let text = "line one\r\nline two\n\nlast";
    for (i, l) in text.lines().enumerate() {
        println!("line {}: {:?}", i, l);
    }
    println!("bytes {:?}", "AZaz".bytes().collect::<Vec<u8>>());
    println!("char_count {} is_empty {} len {}", "héllo".chars().count(), "".is_empty(), "héllo".len());
    println!("get {:?} {:?} {:?}", hay.get(4..7), hay.get(100..), "héllo".get(1..2));
    println!("to_owned+push {}", { let mut o = "abc".to_owned(); o.push_str("def"); o });
    println!("cmp {:?} {:?} eq {}", "apple".cmp("banana"), "b".cmp("B"), "a" == "a");
    println!("chars nth {:?} last {:?}", hay.chars().nth(4), hay.chars().last());
    println!("repeat {} concat {} join {}", "=".repeat(5), ["a", "b"].concat(), ["x", "y", "z"].join("::"));
    println!("escape {}", "tab\t\"q\"".escape_default());
    let csv = "name,age\nann,30\nbob,25\n";
    let rows: Vec<(String, u32)> = csv.lines().skip(1).filter_map(|l| {
        let (n, a) = l.split_once(',')?;
        Some((n.to_string(), a.parse().ok()?))
    }).collect();
    println!("csv {:?}", rows);

    let mut arr = [5, 1, 4, 2, 3];
    println!("first {:?} last {:?} split_first {:?} split_last {:?}", arr.first(), arr.last(), arr.split_first(), arr.split_last());
    println!("iter max {:?} contains {} position {:?}", arr.iter().max(), arr.contains(&4), arr.iter().position(|&x| x == 2));
    arr[1..4].fill(0);
    println!("fill {:?}", arr);
    arr[..2].copy_from_slice(&[9, 8]);
    println!("copy_from_slice {:?}", arr);
    arr.copy_within(0..2, 3);
    println!("copy_within {:?}", arr);
    let parts: Vec<&[i32]> = [1, 0, 2, 3, 0, 4].split(|&x| x == 0).collect();
    println!("slice split {:?}", parts);
    println!("splitn on slice {:?}", [1, 0, 2, 0, 3].splitn(2, |&x| x == 0).collect::<Vec<_>>());
    println!("concat {:?} join {:?}", [[1, 2], [3, 4]].concat(), [vec![1], vec![2, 3]].join(&0));
    println!("to_vec {:?} into_iter sum {}", arr[1..].to_vec(), arr.into_iter().sum::<i32>());
    println!("iter().rev().skip(1) {:?}", arr.iter().rev().skip(1).collect::<Vec<_>>());
    println!("starts_with {} ends_with {}", arr.starts_with(&[9, 0]), arr.ends_with(&[8, 3]));
    let (l, r) = arr.split_at(2);
    println!("split_at {:?} {:?}", l, r);
    let bs = b"bytes\x00\xff";
    println!("byte string {:?} len {} escape {}", bs, bs.len(), bs.escape_ascii());
    println!("swap/reverse {:?}", { let mut v = [1, 2, 3, 4]; v.swap(0, 3); v.reverse(); v });
    println!("chunk words {:?}", "abcdefg".as_bytes().chunks(3).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>());
    println!("char pattern array {:?}", "a1b2c3".split(&['1', '2'][..]).collect::<Vec<_>>());
    println!("to_string on slices {}", ["a", "b"].iter().map(|s| s.to_uppercase()).collect::<String>());
    println!("char::is_numeric pattern {:?}", "ab12cd345".split(char::is_numeric).filter(|s| !s.is_empty()).collect::<Vec<_>>());
}
