//! Comparing JSON values as the service reads them.

use serde_json::Value;

/// `None` when `a` and `b` are the same JSON value — numbers by value (`1`, `1.0`), object keys
/// in any order — else the path of the first difference: `$.value[0].state: "Running" ≠ "running"`.
pub fn json_difference(a: &Value, b: &Value) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_by_value_and_keys_in_any_order() {
        let a: Value = serde_json::from_str(r#"{"a": 1, "b": [1.0, {"c": null}]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"b": [1, {"c": null}], "a": 1.0}"#).unwrap();
        assert_eq!(json_difference(&a, &b), None);
        assert_eq!(json_difference(&json!({"a": [1, 2]}), &json!({"a": [1, 3]})), Some("$.a[1]: 2 ≠ 3".into()));
        assert_eq!(json_difference(&json!({"a": 1}), &json!({})), Some("$.a: missing".into()));
        assert_eq!(json_difference(&json!({}), &json!({"z": 1})), Some("$.z: added".into()));
        assert_eq!(json_difference(&json!("Running"), &json!("running")), Some("$: \"Running\" ≠ \"running\"".into()));
        assert!(json_difference(&json!(9007199254740993_u64), &json!(9007199254740992_u64)).is_some());
    }
}
