// A realistic program: word-frequency counter over a constant text using HashMap<String, usize>, normalizing case and
// punctuation, then sorted output (by count desc, then word), top-N, per-letter histogram with BTreeMap, bigrams,
// longest words, and sentence statistics.
use std::collections::{BTreeMap, HashMap, HashSet};

const TEXT: &str = "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of \
foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, it was the \
season of Darkness, it was the spring of hope, it was the winter of despair, we had everything before us, we had \
nothing before us, we were all going direct to Heaven, we were all going direct the other way -- in short, the \
period was so far like the present period, that some of its noisiest authorities insisted on its being received, \
for good or for evil, in the superlative degree of comparison only. There were a king with a large jaw and a queen \
with a plain face, on the throne of England; there were a king with a large jaw and a queen with a fair face, on \
the throne of France. In both countries it was clearer than crystal to the lords of the State preserves of loaves \
and fishes, that things in general were settled for ever.";

fn main() {
    let mut freq: HashMap<String, usize> = HashMap::new();
    let mut total = 0;
    for raw in TEXT.split_whitespace() {
        let w: String = raw.chars().filter(|c| c.is_alphanumeric() || *c == '\'').collect::<String>().to_lowercase();
        if w.is_empty() {
            continue;
        }
        total += 1;
        *freq.entry(w).or_insert(0) += 1;
    }
    println!("total words {} distinct {}", total, freq.len());
    let mut sorted: Vec<(&String, &usize)> = freq.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    println!("top 12:");
    for (w, c) in sorted.iter().take(12) {
        println!("  {:>10} {:>3} {}", w, c, "#".repeat(**c));
    }
    let singletons = sorted.iter().filter(|(_, &c)| c == 1).count();
    println!("words seen once: {}", singletons);
    println!("lookups: was={:?} dickens={:?} the={:?}", freq.get("was"), freq.get("dickens"), freq.get("the"));

    let mut letters: BTreeMap<char, usize> = BTreeMap::new();
    for c in TEXT.chars().filter(|c| c.is_alphabetic()) {
        *letters.entry(c.to_ascii_lowercase()).or_default() += 1;
    }
    let line: Vec<String> = letters.iter().map(|(c, n)| format!("{}{}", c, n)).collect();
    println!("letters {}", line.join(" "));
    let most = letters.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).unwrap();
    println!("most common letter {:?}", most);

    let words: Vec<String> = TEXT
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let mut bigrams: HashMap<(&str, &str), u32> = HashMap::new();
    for pair in words.windows(2) {
        *bigrams.entry((pair[0].as_str(), pair[1].as_str())).or_default() += 1;
    }
    let mut bv: Vec<_> = bigrams.into_iter().filter(|(_, c)| *c >= 3).collect();
    bv.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("frequent bigrams {:?}", bv);

    let mut by_len: Vec<&String> = freq.keys().collect();
    by_len.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    println!("longest words {:?}", &by_len[..5]);
    let lens: BTreeMap<usize, usize> = words.iter().fold(BTreeMap::new(), |mut m, w| {
        *m.entry(w.len()).or_insert(0) += 1;
        m
    });
    println!("length histogram {:?}", lens);

    let sentences: Vec<&str> = TEXT.split(|c| c == '.' || c == ';').map(str::trim).filter(|s| !s.is_empty()).collect();
    for (i, s) in sentences.iter().enumerate() {
        let n = s.split_whitespace().count();
        println!("sentence {} has {} words, starts {:?}", i, n, s.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
    }
    let vowels: HashSet<char> = "aeiou".chars().collect();
    let vowel_count = TEXT.chars().filter(|c| vowels.contains(&c.to_ascii_lowercase())).count();
    println!("vowels {} consonants {}", vowel_count, letters.values().sum::<usize>() - vowel_count);
    let capitalized: Vec<&str> = TEXT.split_whitespace().filter(|w| w.chars().next().map_or(false, char::is_uppercase)).collect();
    println!("capitalized {:?}", capitalized);
}
