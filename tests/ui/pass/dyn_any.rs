// dyn Any: downcast_ref/downcast_mut/Box<dyn Any>::downcast, type_id comparisons, Any in a heterogeneous Vec, type_name.
use std::any::{Any, TypeId};
use std::collections::BTreeMap;

#[derive(Debug, PartialEq)]
struct Custom {
    id: u32,
}

fn describe(v: &dyn Any) -> String {
    if let Some(i) = v.downcast_ref::<i32>() {
        format!("i32 {}", i)
    } else if let Some(s) = v.downcast_ref::<String>() {
        format!("String {:?}", s)
    } else if let Some(s) = v.downcast_ref::<&str>() {
        format!("&str {:?}", s)
    } else if let Some(c) = v.downcast_ref::<Custom>() {
        format!("Custom {:?}", c)
    } else if v.is::<Vec<u8>>() {
        "some Vec<u8>".to_string()
    } else {
        "unknown".to_string()
    }
}

fn type_name_of<T>(_: &T) -> &'static str {
    std::any::type_name::<T>()
}

fn main() {
    let items: Vec<Box<dyn Any>> = vec![
        Box::new(5i32),
        Box::new(String::from("hi")),
        Box::new("static"),
        Box::new(Custom { id: 9 }),
        Box::new(vec![1u8, 2]),
        Box::new(5i64),
        Box::new(()),
    ];
    for it in &items {
        println!("{}", describe(it.as_ref()));
    }
    let mut boxed: Box<dyn Any> = Box::new(Custom { id: 1 });
    if let Some(c) = boxed.downcast_mut::<Custom>() {
        c.id += 41;
    }
    match boxed.downcast::<String>() {
        Ok(_) => println!("unexpected"),
        Err(back) => {
            println!("not a String, still {}", describe(back.as_ref()));
            let c: Box<Custom> = back.downcast().unwrap();
            println!("downcast ok id {}", c.id);
        }
    }
    println!("type ids equal {} {}", TypeId::of::<i32>() == TypeId::of::<i32>(), TypeId::of::<i32>() == TypeId::of::<u32>());
    println!("typeid of value {}", 5u8.type_id() == TypeId::of::<u8>());
    let mut registry: BTreeMap<&'static str, Box<dyn Any>> = BTreeMap::new();
    registry.insert("count", Box::new(3usize));
    registry.insert("label", Box::new("lbl".to_string()));
    if let Some(c) = registry.get_mut("count").and_then(|b| b.downcast_mut::<usize>()) {
        *c *= 10;
    }
    println!("registry count {:?}", registry["count"].downcast_ref::<usize>());
    println!("registry label as usize {:?}", registry["label"].downcast_ref::<usize>());
    println!("type names: {} | {} | {}", type_name_of(&1.5f32), std::any::type_name::<Option<Vec<String>>>(), type_name_of(&Custom { id: 0 }).rsplit("::").next().unwrap());
    let r: &(dyn Any + Send) = &42u16;
    println!("send any {:?}", r.downcast_ref::<u16>());
}
