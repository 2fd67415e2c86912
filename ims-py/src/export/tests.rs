//! The columns written from serde calls against the reading they replace:
//! the answer made a JSON value, its rows exploded and flattened, each
//! column typed from the values (the form `query_table` gave before).

use std::collections::{BTreeMap, HashMap};

use ims_core::{Answer, Engine, JsonAnswer, Query};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};

use super::{is_decimal_key, Columns, Encoded};

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                match x {
                    Value::Object(_) => flatten(&name, x, out),
                    _ => out.push((name, x.clone())),
                }
            }
        }
        other => out.push((prefix.to_owned(), other.clone())),
    }
}

fn explode(v: &Value, path: &[String], from: &str) -> Vec<Value> {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let Some((head, rest)) = path.split_first() else {
        return items.into_iter().cloned().collect();
    };
    let parent = from.strip_suffix('s').unwrap_or(from);
    let mut rows = Vec::new();
    for item in items {
        let Some(children) = item.get(head) else { continue };
        for mut row in explode(children, rest, head) {
            if let (false, Value::Object(m), Value::Object(p)) = (parent.is_empty(), &mut row, item) {
                for (k, x) in p {
                    if k != head && !x.is_array() {
                        m.insert(format!("{parent}.{k}"), x.clone());
                    }
                }
            }
            rows.push(row);
        }
    }
    rows
}

/// The reference: explode, flatten, and type each column from its values.
fn reference(answer: &Value, path: &[String]) -> Vec<Encoded> {
    let rows = explode(answer, path, "");
    let mut names: Vec<String> = Vec::new();
    let mut cols: Vec<Vec<Option<Value>>> = Vec::new();
    let mut index = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let mut flat = Vec::new();
        flatten("", r, &mut flat);
        for (name, v) in flat {
            let c = *index.entry(name.clone()).or_insert_with(|| {
                names.push(name);
                cols.push(vec![None; rows.len()]);
                names.len() - 1
            });
            cols[c][i] = (!v.is_null()).then_some(v);
        }
    }
    names.into_iter().zip(cols).map(|(name, vals)| typed(name, &vals)).collect()
}

fn typed(name: String, vals: &[Option<Value>]) -> Encoded {
    let validity = vals.iter().map(|v| v.is_some() as u8).collect();
    let present = || vals.iter().flatten();
    let col =
        |kind, values, extra| Encoded { name: name.clone(), kind, values, validity: Vec::clone(&validity), extra };
    if present().all(Value::is_boolean) {
        return col(
            "bool",
            vals.iter().map(|v| v.as_ref().and_then(Value::as_bool).unwrap_or(false) as u8).collect(),
            vec![],
        );
    }
    if present().all(Value::is_i64) {
        let v = vals.iter().flat_map(|v| v.as_ref().and_then(Value::as_i64).unwrap_or(0).to_le_bytes()).collect();
        return col("i64", v, vec![]);
    }
    if present().all(Value::is_number) {
        let v = vals.iter().flat_map(|v| v.as_ref().and_then(Value::as_f64).unwrap_or(0.0).to_le_bytes()).collect();
        return col("f64", v, vec![]);
    }
    if is_decimal_key(&name) {
        let parsed: Option<Vec<Decimal>> = vals
            .iter()
            .map(|v| match v {
                None => Some(Decimal::ZERO),
                Some(v) => v.as_str()?.parse().ok(),
            })
            .collect();
        if let Some(parsed) = parsed {
            let scale = parsed.iter().map(Decimal::scale).max().unwrap_or(0);
            let v = parsed
                .into_iter()
                .flat_map(|mut d| {
                    d.rescale(scale);
                    d.mantissa().to_le_bytes()
                })
                .collect();
            return col("dec", v, vec![scale as u8]);
        }
    }
    let mut offsets = 0i64.to_le_bytes().to_vec();
    let mut data = Vec::new();
    for v in vals {
        match v {
            Some(Value::String(s)) => data.extend_from_slice(s.as_bytes()),
            Some(other) => data.extend_from_slice(other.to_string().as_bytes()),
            None => {}
        }
        offsets.extend_from_slice(&(data.len() as i64).to_le_bytes());
    }
    col("str", offsets, data)
}

fn paths(p: &[&[&str]]) -> Vec<Vec<String>> {
    p.iter().map(|p| p.iter().map(|s| s.to_string()).collect()).collect()
}

/// Asserts the columns of `v` under `path` equal the reference's.
fn same<T: Serialize>(v: &T, path: &[String]) {
    let mine = Columns { path }.answer(v).map(|t| t.encoded());
    let answer = JsonAnswer.answer(v).map(|a| reference(&a, path));
    assert!(mine.is_ok() && answer.is_ok(), "path {path:?}");
    assert_eq!(
        mine.as_ref().ok(),
        answer.as_ref().ok(),
        "path {path:?}: {}",
        serde_json::to_string(v).unwrap_or_default()
    );
}

#[derive(Serialize)]
enum Shape {
    Unit,
    New(u32),
    Pair(i8, String),
    Named { a: Option<Decimal>, b: Vec<u8> },
}

#[derive(Serialize)]
struct Row {
    item: &'static str,
    qty: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    sometimes: Option<i64>,
    ratio: f64,
    big: u64,
    shape: Shape,
    tags: BTreeMap<u32, bool>,
    flag: Option<bool>,
}

#[test]
fn typed_rows_read_as_their_json() {
    let rows = vec![
        Row {
            item: "A",
            qty: Decimal::new(15, 1),
            sometimes: None,
            ratio: 0.5,
            big: 1,
            shape: Shape::Unit,
            tags: BTreeMap::new(),
            flag: None,
        },
        Row {
            item: "B-1",
            qty: Decimal::new(2, 0),
            sometimes: Some(-3),
            ratio: f64::NAN,
            big: u64::MAX,
            shape: Shape::New(7),
            tags: [(3, true), (10, false)].into(),
            flag: Some(true),
        },
        Row {
            item: "é",
            qty: Decimal::new(-125, 3),
            sometimes: Some(4),
            ratio: 2.0,
            big: 2,
            shape: Shape::Pair(-1, "x".into()),
            tags: BTreeMap::new(),
            flag: None,
        },
        Row {
            item: "",
            qty: Decimal::ZERO,
            sometimes: None,
            ratio: f64::INFINITY,
            big: 3,
            shape: Shape::Named { a: Some(Decimal::ONE), b: vec![1, 2] },
            tags: [(1, false)].into(),
            flag: Some(false),
        },
    ];
    same(&rows, &[]);
    same(&json!({"total": "3", "rows": serde_json::to_value(&rows).ok()}), &paths(&[&["rows"]])[0]);
    same(&rows[1], &[]);
    // Variants walked through: `{"Named": {...}}`, `{"Pair": [...]}`.
    let shapes = vec![
        Shape::Named { a: None, b: vec![3] },
        Shape::Pair(2, "y".into()),
        Shape::New(1),
        Shape::Unit,
        Shape::Named { a: Some(Decimal::TEN), b: vec![] },
    ];
    for p in paths(&[&[], &["Named"], &["Pair"], &["New"], &["Named", "b"]]) {
        same(&shapes, &p);
    }
}

/// A value no column can hold is refused as the JSON reading refuses it,
/// `INVALID_COMMAND`.
#[test]
fn values_past_64_bits_are_refused() {
    let wide = vec![json!({"a": 1}), json!({"a": 2})];
    assert!(Columns { path: &[] }.answer(&wide).is_ok());
    for v in [(1u128 << 64) + 1, u128::MAX] {
        let rows = vec![v];
        assert!(JsonAnswer.answer(&rows).is_err());
        assert_eq!(Columns { path: &[] }.answer(&rows).err().map(|e| e.name()), Some("INVALID_COMMAND"), "{v}");
    }
    let row = BTreeMap::from([("big", i128::MIN)]);
    assert_eq!(Columns { path: &[] }.answer(&row).err().map(|e| e.name()), Some("INVALID_COMMAND"));
}

#[test]
fn odd_answers_read_as_their_json() {
    let cases = [
        json!(null),
        json!(3),
        json!([]),
        json!([1, "two", null, [3], {"qty": "1.50"}]),
        json!([[1, 2], [3]]),
        json!({"a": {"b": {"c": 1}}, "d": {}}),
        json!([{"qty": "1.5"}, {"qty": "x"}]),
        json!([{"qty": "1.5"}, {"qty": 2}]),
        json!([{"on_hand": "1"}, {}, {"on_hand": null}, {"z": 1, "on_hand": "2.25"}]),
        json!([{"a-1": {"x": 1}, "a": {"x": 2}, "a.x": 3}]),
        json!([{"": {"x": 1, "": 2}}, {"": 3}]),
        json!({"7": {"": {"b": true}}}),
    ];
    for c in &cases {
        for p in paths(&[&[], &["x"], &["a", "b"]]) {
            same(c, &p);
        }
    }
    let nested = json!({
        "top": 1,
        "proposals": [
            {"id": "P1", "why": {"pos": "3"}, "tags": [1], "lines": [{"item": "A", "qty": "1"}, {"item": "B", "qty": "2.5"}, 7]},
            {"id": "P2", "lines": []},
            {"id": "P3"},
            {"lines": {"item": "C", "qty": "4"}, "zz": null},
            [{"lines": [{"item": "D"}]}],
            {"id": "P5", "lines": [{"item": "E", "proposal.id": "own", "sub": [{"k": 1}]}]}
        ]
    });
    for p in paths(&[&[], &["proposals"], &["proposals", "lines"], &["proposals", "lines", "sub"], &["nope"]]) {
        same(&nested, &p);
    }
    // A parent's field lands in rows written before a later row made its
    // column; lists of the same name at several levels.
    let late = json!({"proposals": [{"id": "P1", "lines": [{"item": "A"}, {"a": 1, "proposal.id": "own"}, {"proposal": {"id": "x"}}]}]});
    same(&late, &paths(&[&["proposals", "lines"]])[0]);
    let parts = json!({"parts": [{"parts": [{"parts": [{"k": 1}]}, {"id": "in", "parts": [{"k": 2}]}]}, {"id": "out", "parts": [{"parts": [{"k": 3}]}]}]});
    for p in paths(&[&["parts"], &["parts", "parts"], &["parts", "parts", "parts"]]) {
        same(&parts, &p);
    }
}

/// Every query of the conformance scenarios, over the paths its answer's
/// lists give (and the paths of lists in their first elements).
#[test]
fn conformance_answers_read_as_their_json() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/scenarios");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    assert!(files.len() > 100, "scenarios in {dir:?}");
    let mut asked = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let sc: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let mut e = Engine::new();
        for step in sc["steps"].as_array().into_iter().flatten() {
            if let Some(c) = step.get("command") {
                let _ = e.execute_json(&c.to_string());
            }
            for c in step["batch"]["commands"].as_array().into_iter().flatten() {
                let _ = e.execute_json(&c.to_string());
            }
            let Some(q) = step.get("query").and_then(|q| Query::from_value(q.clone()).ok()) else { continue };
            let Ok(answer) = e.query(&q) else { continue };
            let mut ps = vec![vec![]];
            for (k, v) in answer.as_object().into_iter().flatten() {
                if let Some(first) = v.as_array().and_then(|a| a.first()) {
                    ps.push(vec![k.clone()]);
                    for (k2, v2) in first.as_object().into_iter().flatten() {
                        if v2.is_array() {
                            ps.push(vec![k.clone(), k2.clone()]);
                        }
                    }
                }
            }
            for p in ps {
                let mine = e.query_with(&q, Columns { path: &p }).map(|t| t.encoded());
                assert_eq!(mine.ok(), Some(reference(&answer, &p)), "{f:?}: {q:?} under {p:?}");
                asked += 1;
            }
        }
    }
    assert!(asked > 200, "{asked} answers compared");
}
