//! `netgraph communities name`: a person's name for a theme, shown wherever the theme is, kept
//! through incremental imports, and reported when its theme splits or is gone.

use crate::common::Env;
use serde_json::Value;

/// JSONL lines: one page (source) holding all of `texts`.
fn page(source: &str, texts: &[String]) -> String {
    texts
        .iter()
        .map(|t| format!("{}\n", serde_json::json!({ "source": source, "text": t })))
        .collect()
}

fn insights(prefix: &str, n: usize) -> Vec<String> {
    ["one", "two", "three", "four", "five", "six"][..n]
        .iter()
        .map(|w| format!("{prefix} insight {w}"))
        .collect()
}

/// Three themes, each a clique of insights said together on three pages: alpha (6 insights),
/// beta (5), gamma (4). Leiden finds each one.
fn three_themes() -> Env {
    let env = Env::new();
    let mut jsonl = String::new();
    for i in 0..3 {
        jsonl += &page(&format!("a{i}"), &insights("Alpha pricing", 6));
        jsonl += &page(&format!("b{i}"), &insights("Beta hiring", 5));
        jsonl += &page(&format!("g{i}"), &insights("Gamma roadmap", 4));
    }
    let base = env.write("base.jsonl", jsonl);
    env.import(&base, &[]);
    env
}

/// Import a fourth theme, unrelated to the three: delta (3 insights on three pages).
fn import_delta(env: &Env) {
    let mut jsonl = String::new();
    for i in 0..3 {
        jsonl += &page(&format!("d{i}"), &insights("Delta gardening", 3));
    }
    let extra = env.write("extra.jsonl", jsonl);
    env.import(&extra, &[]);
}

fn communities(env: &Env) -> Value {
    env.json(&["communities", "--format", "json"])
}

/// The theme (JSON object) holding the insight whose text is `text`.
fn theme_of(env: &Env, json: &Value, text: &str) -> Value {
    let id = env.json(&["show", text, "--format", "json"])["id"].clone();
    json["communities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["members"].as_array().unwrap().contains(&id))
        .expect("a theme holds every insight")
        .clone()
}

fn id(theme: &Value) -> String {
    theme["id"].as_u64().unwrap().to_string()
}

/// The stderr of a successful run.
fn stderr(env: &Env, args: &[&str]) -> String {
    let out = env.run(args);
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_name_is_shown_in_every_output_and_cleared() {
    let env = three_themes();
    let before = communities(&env);
    let alpha = theme_of(&env, &before, "Alpha pricing insight one");
    assert_eq!(alpha["named"], false);
    let auto = alpha["label"].as_str().unwrap().to_string();
    assert!(auto.contains("alpha"), "{auto}");

    env.ok(&["communities", "name", &id(&alpha), "AI  and the PM role "]);
    let named = communities(&env);
    let theme = theme_of(&env, &named, "Alpha pricing insight one");
    assert_eq!(
        theme["label"], "AI and the PM role",
        "white space collapsed"
    );
    assert_eq!(theme["named"], true);
    assert_eq!(named["name_changes"], serde_json::json!([]));
    // The other themes keep their automatic labels.
    let beta = theme_of(&env, &named, "Beta hiring insight one");
    assert_eq!(beta["named"], false);
    assert!(beta["label"].as_str().unwrap().contains("beta"));

    let table = env.ok(&["communities"]);
    assert!(table.contains("AI and the PM role"), "{table}");
    let csv = env.ok(&["communities", "--format", "csv"]);
    assert_eq!(csv.matches(",AI and the PM role,").count(), 6, "{csv}");
    // Exports and pictures read the same partition: the legend and node attributes.
    let export = env.json(&["export", "json"]);
    let labels: Vec<&str> = export["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "insight")
        .filter_map(|n| n["community_label"].as_str())
        .collect();
    assert_eq!(
        labels
            .iter()
            .filter(|l| **l == "AI and the PM role")
            .count(),
        6
    );
    let dot = env.ok(&["export", "dot"]);
    assert!(dot.contains("AI and the PM role (6)"), "legend: {dot}");
    let map = env.ok(&["export", "dot", "--level", "themes"]);
    assert!(map.contains("AI and the PM role"), "theme map: {map}");
    let show = env.json(&["show", "Alpha pricing insight two", "--format", "json"]);
    assert_eq!(show["community"]["label"], "AI and the PM role");

    // Cleared: the automatic label again, everywhere.
    let said = stderr(&env, &["communities", "name", &id(&alpha), "--clear"]);
    assert!(said.contains("removed"), "{said}");
    let cleared = communities(&env);
    let theme = theme_of(&env, &cleared, "Alpha pricing insight one");
    assert_eq!(
        (theme["label"].as_str().unwrap(), &theme["named"]),
        (auto.as_str(), &Value::Bool(false))
    );
    assert!(!env.ok(&["export", "dot"]).contains("AI and the PM role"));
    // Clearing again is no error.
    let said = stderr(&env, &["communities", "name", &id(&alpha), "--clear"]);
    assert!(said.contains("had no name"), "{said}");
}

#[test]
fn a_name_stays_with_its_theme_through_an_unrelated_import() {
    let env = three_themes();
    let before = communities(&env);
    let alpha = theme_of(&env, &before, "Alpha pricing insight one");
    env.ok(&["communities", "name", &id(&alpha), "Pricing"]);
    import_delta(&env);

    let after = communities(&env);
    assert_eq!(after["count"], 4, "the new file makes a theme of its own");
    let theme = theme_of(&env, &after, "Alpha pricing insight one");
    assert_eq!(theme["id"], alpha["id"], "stable id");
    assert_eq!(theme["label"], "Pricing");
    assert_eq!(theme["members"], alpha["members"]);
    assert_eq!(after["name_changes"], serde_json::json!([]));
    let delta = theme_of(&env, &after, "Delta gardening insight one");
    assert_eq!(delta["named"], false);
    assert_ne!(delta["id"], alpha["id"]);
}

#[test]
fn a_split_and_a_theme_gone_are_reported_until_the_person_acts() {
    let env = three_themes();
    let before = communities(&env);
    let alpha = theme_of(&env, &before, "Alpha pricing insight one");
    let gamma = theme_of(&env, &before, "Gamma roadmap insight one");
    let beta = theme_of(&env, &before, "Beta hiring insight one");
    env.ok(&["communities", "name", &id(&alpha), "Pricing"]);
    env.ok(&["communities", "name", &id(&gamma), "Roadmaps"]);

    // Alpha's first and last three insights are now said apart, often.
    let mut jsonl = String::new();
    let alpha_insights = insights("Alpha pricing", 6);
    for i in 0..10 {
        jsonl += &page(&format!("s{i}"), &alpha_insights[..3]);
        jsonl += &page(&format!("t{i}"), &alpha_insights[3..]);
    }
    let split = env.write("split.jsonl", jsonl);
    env.import(&split, &[]);
    let said = stderr(&env, &["communities"]);
    let after = communities(&env);
    let first = theme_of(&env, &after, "Alpha pricing insight one");
    let second = theme_of(&env, &after, "Alpha pricing insight six");
    assert_eq!(first["id"], alpha["id"], "the named theme continues");
    assert_eq!(first["label"], "Pricing");
    assert_ne!(second["id"], alpha["id"]);
    assert_eq!(second["named"], false, "the name stays with one part");
    let expected = format!(
        "theme {} 'Pricing' split into {} and {}",
        id(&alpha),
        id(&alpha),
        id(&second)
    );
    assert!(said.contains(&expected), "{said}");
    assert_eq!(
        after["name_changes"],
        serde_json::json!([{
            "id": alpha["id"], "name": "Pricing", "change": "split",
            "into": [alpha["id"], second["id"]]
        }])
    );
    // Said again while the partition stands (kept, not recomputed)...
    assert!(stderr(&env, &["communities"]).contains(&expected));
    // ...until the person names the theme again.
    env.ok(&["communities", "name", &id(&alpha), "Pricing, first half"]);
    assert_eq!(communities(&env)["name_changes"], serde_json::json!([]));

    // Gamma's insights now go with beta's: gamma's theme is gone.
    let mut jsonl = String::new();
    let mut both = insights("Beta hiring", 5);
    both.extend(insights("Gamma roadmap", 4));
    for i in 0..10 {
        jsonl += &page(&format!("m{i}"), &both);
    }
    let merge = env.write("merge.jsonl", jsonl);
    env.import(&merge, &[]);
    let said = stderr(&env, &["communities"]);
    let after = communities(&env);
    let merged = theme_of(&env, &after, "Gamma roadmap insight one");
    assert_eq!(merged["id"], beta["id"]);
    assert_eq!(
        merged["label"], beta["label"],
        "the name does not pass to the theme that took its insights"
    );
    let expected = format!(
        "theme {} 'Roadmaps' no longer exists; its insights are now mostly in theme {}",
        id(&gamma),
        id(&beta)
    );
    assert!(said.contains(&expected), "{said}");
    let change = &after["name_changes"][0];
    assert_eq!(
        (&change["id"], &change["change"]),
        (&gamma["id"], &Value::from("gone"))
    );
    assert!(said.contains(&expected), "{said}");

    // A later theme never takes a gone theme's id, so the name cannot pass to it.
    let mut jsonl = String::new();
    for i in 0..3 {
        jsonl += &page(&format!("e{i}"), &insights("Epsilon travel", 3));
    }
    let extra = env.write("extra.jsonl", jsonl);
    env.import(&extra, &[]);
    let after = communities(&env);
    let epsilon = theme_of(&env, &after, "Epsilon travel insight one");
    assert_ne!(epsilon["id"], gamma["id"]);
    assert_eq!(epsilon["named"], false);
    assert!(stderr(&env, &["communities"]).contains("'Roadmaps' no longer exists"));
    // The name of a gone theme can still be cleared; then nothing is reported.
    env.ok(&["communities", "name", &id(&gamma), "--clear"]);
    assert_eq!(communities(&env)["name_changes"], serde_json::json!([]));
}

#[test]
fn unknown_themes_and_bad_names_are_clear_errors() {
    let env = three_themes();
    // No partition kept yet: no theme can be named.
    let out = env.run(&["communities", "name", "0", "Too early"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    communities(&env);
    let out = env.run(&["communities", "name", "99", "Nowhere"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no theme 99"), "{err}");
    for (args, code) in [
        (vec!["communities", "name", "0", "  "], 2),
        (vec!["communities", "name", "0", &"x".repeat(61)], 2),
        (vec!["communities", "name", "zero", "Name"], 2),
        (vec!["communities", "name", "0"], 2),
        (vec!["communities", "name", "0", "Name", "--clear"], 2),
        (vec!["communities", "--seed", "3", "name", "0", "Name"], 2),
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {out:?}");
    }
    assert!(communities(&env)["communities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["named"] == false));
}

#[test]
fn automatic_labels_stay_with_continuing_themes_and_new_themes_get_their_own() {
    let env = three_themes();
    let before = communities(&env);
    let label = |json: &Value, text: &str| theme_of(&env, json, text)["label"].clone();
    let alpha = label(&before, "Alpha pricing insight one");
    assert!(alpha.as_str().unwrap().contains("alpha"), "{alpha}");
    import_delta(&env);

    // A new theme: labels are computed, and the new theme gets its own.
    let after = communities(&env);
    assert_eq!(after["count"], 4);
    assert_eq!(label(&after, "Alpha pricing insight one"), alpha);
    let delta = label(&after, "Delta gardening insight one");
    assert!(delta.as_str().unwrap().contains("gardening"), "{delta}");
    // Computed again with every theme continuing: every label is the one kept.
    let again = env.json(&["communities", "--recompute", "--format", "json"]);
    for text in [
        "Alpha pricing insight one",
        "Beta hiring insight one",
        "Delta gardening insight one",
    ] {
        assert_eq!(label(&again, text), label(&after, text), "{text}");
    }
}

/// Pictures made before and after an import can be set side by side: a theme keeps its colour
/// though a larger new theme now ranks first, and the new theme takes a colour no other has.
#[test]
fn themes_keep_their_colours_when_a_larger_theme_arrives() {
    let env = three_themes();
    let colour = |json: &Value, text: &str| theme_of(&env, json, text)["colour"].clone();
    let before = communities(&env);
    let first = [
        "Alpha pricing insight one",
        "Beta hiring insight one",
        "Gamma roadmap insight one",
    ];
    let colours: Vec<Value> = first.iter().map(|t| colour(&before, t)).collect();
    // A first run colours by size: alpha (6 insights) gets the palette's first colour.
    assert_eq!(colours[0], "#0072B2");
    let mut jsonl = String::new();
    for i in 0..3 {
        let texts: Vec<String> = (0..9)
            .map(|k| format!("Epsilon travel insight {k}"))
            .collect();
        jsonl += &page(&format!("e{i}"), &texts);
    }
    env.import(&env.write("epsilon.jsonl", jsonl), &[]);

    let after = communities(&env);
    assert_eq!(after["count"], 4);
    let epsilon = theme_of(&env, &after, "Epsilon travel insight 0");
    assert_eq!(
        after["communities"][0]["id"], epsilon["id"],
        "the new theme is the largest"
    );
    for (text, was) in first.iter().zip(&colours) {
        assert_eq!(&colour(&after, text), was, "{text}");
    }
    assert!(epsilon["colour"].is_string());
    assert!(
        !colours.contains(&epsilon["colour"]),
        "{}",
        epsilon["colour"]
    );
    // The pictures draw the same colours: the theme map names each theme in its colour.
    crate::common::require_graphviz();
    let svg = env.path("themes.svg");
    env.ok(&["render", "--level", "themes", "-o", svg.to_str().unwrap()]);
    // Graphviz writes colours in lower case.
    let drawn = std::fs::read_to_string(&svg).unwrap().to_lowercase();
    for c in colours.iter().chain([&epsilon["colour"]]) {
        let c = c.as_str().unwrap().to_lowercase();
        assert!(drawn.contains(&format!("fill=\"{c}\"")), "{c} not drawn");
    }
}
