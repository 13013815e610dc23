// Error handling with `?`: Box<dyn Error>, custom error enums with Display + Error + source(), From conversions,
// Option `?`, map_err, and_then chains, error downcasting from Box<dyn Error>.
use std::error::Error;
use std::fmt;
use std::num::ParseIntError;

#[derive(Debug)]
enum ConfigError {
    Missing(String),
    BadNumber { key: String, source: ParseIntError },
    OutOfRange(i64),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ConfigError::Missing(k) => write!(f, "missing key {}", k),
            ConfigError::BadNumber { key, .. } => write!(f, "bad number for {}", key),
            ConfigError::OutOfRange(v) => write!(f, "value {} out of range", v),
        }
    }
}

impl Error for ConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ConfigError::BadNumber { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[derive(Debug)]
struct AppError(String);
impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "app error: {}", self.0)
    }
}
impl Error for AppError {}
impl From<ConfigError> for AppError {
    fn from(e: ConfigError) -> Self {
        AppError(e.to_string())
    }
}

fn lookup<'a>(cfg: &'a [(&'a str, &'a str)], key: &str) -> Result<&'a str, ConfigError> {
    cfg.iter().find(|(k, _)| *k == key).map(|(_, v)| *v).ok_or_else(|| ConfigError::Missing(key.to_string()))
}

fn get_num(cfg: &[(&str, &str)], key: &str) -> Result<i64, ConfigError> {
    let raw = lookup(cfg, key)?;
    let n: i64 = raw.trim().parse().map_err(|e| ConfigError::BadNumber { key: key.to_string(), source: e })?;
    if !(0..=1000).contains(&n) {
        return Err(ConfigError::OutOfRange(n));
    }
    Ok(n)
}

fn app(cfg: &[(&str, &str)]) -> Result<i64, AppError> {
    let a = get_num(cfg, "a")?;
    let b = get_num(cfg, "b")?;
    Ok(a + b)
}

fn dynamic(input: &str) -> Result<u32, Box<dyn Error>> {
    if input.is_empty() {
        return Err("empty input".into());
    }
    if input == "custom" {
        return Err(Box::new(AppError("from dynamic".into())));
    }
    let n: u32 = input.parse()?;
    let half = n.checked_div(2).ok_or("div")?;
    if half > 100 {
        Err(format!("too big: {}", half))?;
    }
    Ok(half)
}

fn first_even_doubled(v: &[i32]) -> Option<i32> {
    let e = v.iter().find(|x| *x % 2 == 0)?;
    Some(e.checked_mul(2)?)
}

fn chain(e: &dyn Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(" <- ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn main() {
    let good = [("a", "5"), ("b", " 7 ")];
    let missing = [("a", "5")];
    let bad = [("a", "5x"), ("b", "1")];
    let range = [("a", "5000"), ("b", "1")];
    println!("good {:?}", app(&good).map_err(|e| e.to_string()));
    println!("missing {:?}", app(&missing).map_err(|e| e.to_string()));
    println!("bad {}", app(&bad).unwrap_err());
    println!("range {}", app(&range).unwrap_err());
    let e = get_num(&bad, "a").unwrap_err();
    println!("chain: {}", chain(&e));
    println!("debug: {:?}", e);
    for input in ["84", "", "abc", "custom", "1000", "-1", "4294967295"] {
        match dynamic(input) {
            Ok(v) => println!("dynamic({:?}) = {}", input, v),
            Err(e) => {
                let kind = if e.downcast_ref::<AppError>().is_some() {
                    "AppError"
                } else if e.is::<ParseIntError>() {
                    "ParseIntError"
                } else {
                    "other"
                };
                println!("dynamic({:?}) failed [{}]: {}", input, kind, e);
            }
        }
    }
    println!("option ? {:?} {:?} {:?}", first_even_doubled(&[1, 3, 4]), first_even_doubled(&[1, 3]), first_even_doubled(&[i32::MAX - 1]));
    let r: Result<i32, String> = "12".parse::<i32>().map_err(|e| e.to_string()).and_then(|x| if x > 10 { Ok(x * 2) } else { Err("small".into()) });
    println!("and_then {:?}", r);
    println!("unwrap_or {} unwrap_or_default {} ok {:?}", "x".parse::<u8>().unwrap_or(7), "y".parse::<u8>().unwrap_or_default(), "300".parse::<u8>().ok());
    println!("parse errors: {} | {} | {}", "".parse::<i32>().unwrap_err(), "999".parse::<u8>().unwrap_err(), "-1".parse::<u8>().unwrap_err());
    let boxed: Box<dyn Error + Send + Sync> = From::from("plain string");
    println!("boxed str error {} / {:?}", boxed, boxed.to_string());
    let res: Result<(), Box<dyn Error>> = (|| {
        let v: Vec<i32> = "1,2,x".split(',').map(|s| s.parse()).collect::<Result<_, _>>()?;
        println!("unreachable {:?}", v);
        Ok(())
    })();
    println!("closure ? -> {}", res.unwrap_err());
}
