//! `zhucun evaluate`: the documented example gives the documented result, with the server's
//! engine, from a file or standard input.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/evaluation-example.json");

fn run(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhucun"))
        .arg("evaluate")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_example_ranks_grades_and_explains() {
    let (ok, stdout, stderr) = run(&[EXAMPLE], None);
    assert!(ok, "{stderr}");
    let out: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["rule_set"], "jiaozhou");
    let results = out["results"].as_array().unwrap();
    let grade = |id: i64| results.iter().find(|r| r["id"] == id).unwrap()["grade"].clone();
    // Seven in one category: two excellent, two good, three competent; 李娜's base parts are
    // under 80, so 张伟 takes her excellent place.
    assert_eq!(
        [1, 2, 3, 4, 5, 6, 7].map(grade),
        ["excellent", "good", "excellent", "good", "competent", "competent", "competent"]
    );
    let lina = &results[1];
    assert!(lina["reasons"][0]["zh"].as_str().unwrap().contains("低于80分"));
    assert_eq!(lina["score"]["base_parts"], 78.0);
    // Every point is explained, with its evidence where there is any.
    let wang = &results[0];
    let jobs = wang["score"]["lines"].as_array().unwrap().iter().find(|l| l["code"] == "D5.3").unwrap();
    assert_eq!((jobs["points"].as_f64(), jobs["evidence"][0].as_str()), (Some(10.0), Some("走访记录 0199b5a2-…")));
    assert_eq!(wang["total"], 130.5, "145 × 0.9");
    // Under two thirds voted: no result, and the reason.
    assert!(results[7]["error"]["zh"].as_str().unwrap().contains("不足三分之二"));
    assert!(results[7].get("grade").is_none());
}

#[test]
fn standard_input_and_bad_input() {
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let (ok, from_stdin, _) = run(&["-"], Some(&text));
    let (_, from_file, _) = run(&[EXAMPLE], None);
    assert!(ok);
    assert_eq!(from_stdin, from_file, "the same result, recomputed");
    let (ok, _, stderr) = run(&["-"], Some("{\"secretaries\": 3}"));
    assert!(!ok);
    assert!(stderr.contains("not a valid evaluation input"), "{stderr}");
}
