// A realistic program: tokenizer + recursive-descent parser + evaluator for arithmetic expressions with variables,
// unary minus, exponent (right assoc), function calls and let-bindings; errors reported as values, not panics.
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(char),
    LParen,
    RParen,
    Comma,
    Eq,
}

#[derive(Debug)]
enum Ast {
    Num(f64),
    Var(String),
    Neg(Box<Ast>),
    Bin(char, Box<Ast>, Box<Ast>),
    Call(String, Vec<Ast>),
}

#[derive(Debug, PartialEq)]
enum EvalError {
    Lex(usize, char),
    Parse(String),
    Unbound(String),
    DivZero,
    Arity { name: String, expected: usize, got: usize },
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            EvalError::Lex(pos, c) => write!(f, "unexpected character {:?} at {}", c, pos),
            EvalError::Parse(m) => write!(f, "parse error: {}", m),
            EvalError::Unbound(v) => write!(f, "unbound variable `{}`", v),
            EvalError::DivZero => write!(f, "division by zero"),
            EvalError::Arity { name, expected, got } => write!(f, "{} expects {} args, got {}", name, expected, got),
        }
    }
}

fn lex(src: &str) -> Result<Vec<Tok>, EvalError> {
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push(Tok::Num(s.parse().map_err(|_| EvalError::Parse(format!("bad number {}", s)))?));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            out.push(match c {
                '+' | '-' | '*' | '/' | '^' | '%' => Tok::Op(c),
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' => Tok::Comma,
                '=' => Tok::Eq,
                _ => return Err(EvalError::Lex(i, c)),
            });
            i += 1;
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn expect(&mut self, t: Tok) -> Result<(), EvalError> {
        match self.next() {
            Some(ref got) if *got == t => Ok(()),
            other => Err(EvalError::Parse(format!("expected {:?}, found {:?}", t, other))),
        }
    }
    fn expr(&mut self) -> Result<Ast, EvalError> {
        let mut lhs = self.term()?;
        while let Some(Tok::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            let rhs = self.term()?;
            lhs = Ast::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }
    fn term(&mut self) -> Result<Ast, EvalError> {
        let mut lhs = self.unary()?;
        while let Some(Tok::Op(op @ ('*' | '/' | '%'))) = self.peek().cloned() {
            self.pos += 1;
            let rhs = self.unary()?;
            lhs = Ast::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }
    fn unary(&mut self) -> Result<Ast, EvalError> {
        if let Some(Tok::Op('-')) = self.peek() {
            self.pos += 1;
            return Ok(Ast::Neg(Box::new(self.unary()?)));
        }
        self.power()
    }
    fn power(&mut self) -> Result<Ast, EvalError> {
        let base = self.atom()?;
        if let Some(Tok::Op('^')) = self.peek() {
            self.pos += 1;
            let exp = self.unary()?;
            return Ok(Ast::Bin('^', Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }
    fn atom(&mut self) -> Result<Ast, EvalError> {
        match self.next() {
            Some(Tok::Num(n)) => Ok(Ast::Num(n)),
            Some(Tok::Ident(name)) => {
                if let Some(Tok::LParen) = self.peek() {
                    self.pos += 1;
                    let mut args = Vec::new();
                    if let Some(Tok::RParen) = self.peek() {
                        self.pos += 1;
                    } else {
                        loop {
                            args.push(self.expr()?);
                            match self.next() {
                                Some(Tok::Comma) => continue,
                                Some(Tok::RParen) => break,
                                t => return Err(EvalError::Parse(format!("expected , or ) but found {:?}", t))),
                            }
                        }
                    }
                    Ok(Ast::Call(name, args))
                } else {
                    Ok(Ast::Var(name))
                }
            }
            Some(Tok::LParen) => {
                let e = self.expr()?;
                self.expect(Tok::RParen)?;
                Ok(e)
            }
            t => Err(EvalError::Parse(format!("unexpected token {:?}", t))),
        }
    }
}

fn eval(ast: &Ast, env: &HashMap<String, f64>) -> Result<f64, EvalError> {
    Ok(match ast {
        Ast::Num(n) => *n,
        Ast::Var(v) => *env.get(v).ok_or_else(|| EvalError::Unbound(v.clone()))?,
        Ast::Neg(e) => -eval(e, env)?,
        Ast::Bin(op, a, b) => {
            let (x, y) = (eval(a, env)?, eval(b, env)?);
            match op {
                '+' => x + y,
                '-' => x - y,
                '*' => x * y,
                '/' if y == 0.0 => return Err(EvalError::DivZero),
                '/' => x / y,
                '%' => x % y,
                '^' => x.powf(y),
                _ => unreachable!(),
            }
        }
        Ast::Call(name, args) => {
            let vals = args.iter().map(|a| eval(a, env)).collect::<Result<Vec<_>, _>>()?;
            let want = |n: usize| {
                if vals.len() == n {
                    Ok(())
                } else {
                    Err(EvalError::Arity { name: name.clone(), expected: n, got: vals.len() })
                }
            };
            match name.as_str() {
                "max" => vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                "min" => vals.iter().copied().fold(f64::INFINITY, f64::min),
                "abs" => {
                    want(1)?;
                    vals[0].abs()
                }
                "sqrt" => {
                    want(1)?;
                    vals[0].sqrt()
                }
                "avg" => vals.iter().sum::<f64>() / vals.len() as f64,
                _ => return Err(EvalError::Unbound(format!("{}()", name))),
            }
        }
    })
}

fn run_line(line: &str, env: &mut HashMap<String, f64>) -> Result<Option<f64>, EvalError> {
    let toks = lex(line)?;
    let (target, body) = match toks.as_slice() {
        [Tok::Ident(name), Tok::Eq, rest @ ..] => (Some(name.clone()), rest.to_vec()),
        _ => (None, toks),
    };
    let mut p = Parser { toks: body, pos: 0 };
    let ast = p.expr()?;
    if p.pos != p.toks.len() {
        return Err(EvalError::Parse(format!("trailing input at token {}", p.pos)));
    }
    let v = eval(&ast, env)?;
    Ok(match target {
        Some(name) => {
            env.insert(name, v);
            None
        }
        None => Some(v),
    })
}

/// Prints a result rounded to 9 decimals (trailing zeros trimmed): `^` uses powf, whose last ulp is not portable.
fn show(v: f64) -> String {
    let s = format!("{:.9}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

fn main() {
    let program = [
        "1 + 2 * 3",
        "(1 + 2) * 3",
        "2 ^ 3 ^ 2",
        "-2 ^ 2",
        "10 / 4 - 7 % 3",
        "x = 5",
        "y = x * 2 + 1",
        "x * y - 3",
        "max(1, y, x * 3, 4)",
        "avg(1, 2, 3, 4)",
        "sqrt(abs(-16)) + min(3, 2)",
        "abs(1, 2)",
        "z + 1",
        "1 / (x - 5)",
        "3 $ 4",
        "(1 + 2",
        "1 2",
        "foo(1)",
        "0.1 + 0.2",
        "r = 2.5",
        "3.14159 * r ^ 2",
    ];
    let mut env = HashMap::new();
    for line in program {
        match run_line(line, &mut env) {
            Ok(Some(v)) => println!("{:<28} => {}", line, show(v)),
            Ok(None) => println!("{:<28} (bound)", line),
            Err(e) => println!("{:<28} !! {}", line, e),
        }
    }
    let mut vars: Vec<_> = env.into_iter().collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    println!("final env {:?}", vars.iter().map(|(k, v)| format!("{}={}", k, show(*v))).collect::<Vec<_>>());
    let deep = format!("{}1{}", "(".repeat(50), ")".repeat(50));
    println!("deep nesting {:?}", run_line(&deep, &mut HashMap::new()).map(|v| v.map(show)));
    let long: String = (1..=200).map(|i| i.to_string()).collect::<Vec<_>>().join(" + ");
    println!("long sum {:?}", run_line(&long, &mut HashMap::new()).map(|v| v.map(show)));
}
