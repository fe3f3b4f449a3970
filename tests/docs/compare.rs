//! JSON values compared as the service would read them: numbers by value (`1`, `1.0`), object
//! keys in any order.

use serde_json::Value;

/// `None` when `a` and `b` are the same JSON value, else the path of the first difference.
pub fn difference(a: &Value, b: &Value) -> Option<String> {
    diff(a, b, &mut String::from("$"))
}

fn diff(a: &Value, b: &Value, path: &mut String) -> Option<String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let same = match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            };
            (!same).then(|| format!("{path}: {x} ≠ {y}"))
        }
        (Value::Object(x), Value::Object(y)) => {
            for (key, value) in x {
                let len = path.len();
                path.push('.');
                path.push_str(key);
                let found = match y.get(key) {
                    Some(other) => diff(value, other, path),
                    None => Some(format!("{path}: missing")),
                };
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| format!("{path}.{k}: added"))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: {} items ≠ {}", x.len(), y.len()));
            }
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = diff(u, v, path);
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        _ => (a != b).then(|| format!("{path}: {a} ≠ {b}")),
    }
}
