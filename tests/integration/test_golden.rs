//! Every command's output on the seeds, recorded before the "one owner per concern" redesign by
//! `tests/fixtures/golden/commands/record.sh`: a change that is meant to keep behaviour must
//! keep these. JSON is compared as values (numbers to 1e-9 relative, so a different summation
//! order is not a failure); every other output byte for byte.

use crate::common::{fixture, repo, Env};
use serde_json::Value;

/// Split a step's arguments like a shell: words, with "double quotes" around spaces.
fn words(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in args.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

fn same(got: &Value, want: &Value, at: &str) -> Result<(), String> {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            if (g - w).abs() <= 1e-9 * w.abs().max(1e-12) {
                Ok(())
            } else {
                Err(format!("{at}: {g} != {w}"))
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            if g.len() != w.len() {
                return Err(format!("{at}: {} items != {}", g.len(), w.len()));
            }
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                same(g, w, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Object(g), Value::Object(w)) => {
            let (gk, wk): (Vec<_>, Vec<_>) = (g.keys().collect(), w.keys().collect());
            if gk != wk {
                return Err(format!("{at}: keys {gk:?} != {wk:?}"));
            }
            for (k, w) in w {
                same(&g[k], w, &format!("{at}.{k}"))?;
            }
            Ok(())
        }
        (g, w) if g == w => Ok(()),
        (g, w) => Err(format!("{at}: {g} != {w}")),
    }
}

#[test]
fn every_command_prints_what_it_printed_before_the_redesign() {
    let env = Env::new();
    std::process::Command::new("cp")
        .args([
            "-r",
            repo("seeds").to_str().unwrap(),
            env.path("seeds").to_str().unwrap(),
        ])
        .status()
        .expect("cp");
    let dir = fixture("golden/commands");
    let steps = std::fs::read_to_string(dir.join("steps.txt")).unwrap();
    let mut failures = Vec::new();
    for line in steps.lines().filter(|l| !l.trim().is_empty()) {
        let (name, args) = line.split_once('|').unwrap();
        let args = words(args);
        let out = env.cmd().args(&args).output().expect("runs");
        let got = String::from_utf8(out.stdout)
            .expect("utf-8")
            .replace(env.dir.path().to_str().unwrap(), "@WORK@");
        let want = std::fs::read_to_string(dir.join(name)).unwrap();
        if name.ends_with(".json") {
            let parsed: Result<Value, _> = serde_json::from_str(&got);
            match parsed {
                Ok(g) => {
                    if let Err(e) = same(&g, &serde_json::from_str(&want).unwrap(), name) {
                        failures.push(e);
                    }
                }
                Err(e) => failures.push(format!("{name}: not JSON ({e}): {got}")),
            }
        } else if got != want {
            failures.push(format!("{name}: output differs from the recording"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn step_words_split_like_a_shell() {
    assert_eq!(
        words(r#"show "passion shift" --format json"#),
        vec!["show", "passion shift", "--format", "json"]
    );
}
