// Option and Result combinators: map, and_then, or_else, filter, zip, xor, take/replace/insert/get_or_insert_with,
// as_ref/as_mut/as_deref, ok_or, unwrap_or_else, map_or, is_some_and, Result::ok/err/map_err/unwrap_or_default,
// iter over Option, sum/product of Options and Results, copied/cloned, flatten, ? in Option-returning closures.
fn div(a: i32, b: i32) -> Result<i32, String> {
    if b == 0 {
        Err(format!("{}/0", a))
    } else {
        Ok(a / b)
    }
}

fn main() {
    let some: Option<i32> = Some(4);
    let none: Option<i32> = None;
    println!("map {:?} {:?}", some.map(|x| x * 2), none.map(|x| x * 2));
    println!("and_then {:?} {:?}", some.and_then(|x| if x > 3 { Some(x - 3) } else { None }), Some(1).and_then(|x: i32| x.checked_sub(3).filter(|v| *v > 0)));
    println!("or/or_else {:?} {:?} {:?}", none.or(Some(9)), none.or_else(|| Some(10)), some.or(Some(9)));
    println!("filter {:?} {:?}", some.filter(|x| x % 2 == 0), some.filter(|x| x % 2 == 1));
    println!("zip {:?} {:?} xor {:?} {:?}", some.zip(Some('a')), some.zip(None::<char>), some.xor(none), some.xor(Some(1)));
    println!("unwrap_or {} unwrap_or_else {} unwrap_or_default {}", none.unwrap_or(-1), none.unwrap_or_else(|| 5 * 5), none.unwrap_or_default());
    println!("map_or {} map_or_else {} is_some_and {} is_none_or {}", some.map_or(0, |x| x + 1), none.map_or_else(|| -9, |x| x), some.is_some_and(|x| x > 3), none.is_none_or(|x| x > 100));
    println!("ok_or {:?} {:?}", some.ok_or("missing"), none.ok_or_else(|| "missing".to_string()));
    let mut slot: Option<String> = None;
    slot.get_or_insert_with(|| "init".to_string()).push('!');
    println!("get_or_insert_with {:?}", slot);
    let old = slot.replace("new".into());
    println!("replace old {:?} now {:?}", old, slot);
    let taken = slot.take();
    println!("take {:?} left {:?}", taken, slot);
    *slot.insert("inserted".into()) += "?";
    println!("insert {:?} as_deref {:?} len via as_ref {:?}", slot, slot.as_deref(), slot.as_ref().map(|s| s.len()));
    if let Some(s) = slot.as_mut() {
        s.make_ascii_uppercase();
    }
    println!("as_mut {:?}", slot);
    let not_taken = slot.take_if(|s| s.starts_with('X'));
    println!("take_if no match {:?} still {:?}", not_taken, slot);
    let taken = slot.take_if(|s| s.starts_with('I'));
    println!("take_if match {:?} now {:?}", taken, slot);
    let ints = [Some(1), Some(2), Some(3)];
    let with_none = [Some(1), None];
    println!("sum options {:?} {:?}", ints.iter().copied().sum::<Option<i32>>(), with_none.iter().copied().sum::<Option<i32>>());
    println!("iter over option {:?} flatten {:?}", some.iter().chain(none.iter()).collect::<Vec<_>>(), ints.iter().chain(with_none.iter()).flatten().collect::<Vec<_>>());
    println!("nested flatten {:?} copied {:?} cloned {:?}", Some(Some(3)).flatten(), Some(&5).copied(), Some(&String::from("c")).cloned());
    println!("unzip {:?}", Some((1, 'x')).unzip());

    println!("div {:?} {:?}", div(7, 2), div(7, 0));
    println!("map {:?} map_err {:?}", div(9, 3).map(|x| x * 10), div(1, 0).map_err(|e| e.len()));
    println!("and_then {:?} {:?}", div(100, 5).and_then(|x| div(x, 2)), div(100, 5).and_then(|x| div(x, 0)));
    println!("or_else {:?}", div(1, 0).or_else(|_| div(1, 1)));
    println!("ok {:?} err {:?} is_ok {} is_err_and {}", div(4, 2).ok(), div(4, 0).err(), div(4, 2).is_ok(), div(4, 0).is_err_and(|e| e.contains('/')));
    println!("unwrap_or_default {} unwrap_or_else {}", div(1, 0).unwrap_or_default(), div(1, 0).unwrap_or_else(|e| e.len() as i32));
    println!("iter {:?} map_or {}", div(6, 3).iter().collect::<Vec<_>>(), div(6, 0).map_or(-1, |v| v));
    let results = [div(10, 2), div(9, 3), div(8, 4)];
    println!("sum results {:?}", results.iter().cloned().sum::<Result<i32, String>>());
    let bad = [div(10, 2), div(9, 0), div(8, 0)];
    println!("sum with errors (first error wins) {:?}", bad.iter().cloned().sum::<Result<i32, String>>());
    println!("product {:?}", [Ok::<i64, String>(3), Ok(4)].into_iter().product::<Result<i64, String>>());
    let r: Result<Result<i32, String>, String> = Ok(Err("inner".into()));
    println!("flatten result {:?}", r.and_then(|x| x));
    let to_num = |s: &str| -> Option<i32> {
        let v: i32 = s.parse().ok()?;
        Some(v.checked_mul(1000)?)
    };
    println!("closure ? {:?} {:?} {:?}", to_num("12"), to_num("x"), to_num("3000000"));
    println!("as_ref result {:?} copied {:?}", div(3, 1).as_ref().map(|v| *v + 1), Ok::<&i32, ()>(&7).copied());
    println!("inspect {:?}", Some(3).inspect(|v| println!("  inspecting {}", v)).map(|v| v + 1));
    println!("expect ok {}", div(8, 2).expect("should divide"));
    println!("cmp options {} {} {}", Some(1) < Some(2), None < Some(0), Some(5).max(None) == Some(5));
}
