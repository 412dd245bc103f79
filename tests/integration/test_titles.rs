//! `netgraph title`, `netgraph titles`, `import --titles` and the labels pictures draw with
//! them.

use crate::common::{repo, Env};
use serde_json::Value;

/// Words no title may start or end with (a sample of the stop list).
const STOP: [&str; 24] = [
    "a", "an", "the", "of", "to", "in", "is", "it", "on", "and", "or", "for", "with", "by", "as",
    "at", "be", "from", "that", "this", "their", "your", "its", "our",
];

fn titles(env: &Env) -> Vec<Value> {
    env.json(&["titles", "--format", "json"])
        .as_array()
        .unwrap()
        .clone()
}

fn title_of(env: &Env, id: i64) -> (String, String) {
    let all = titles(env);
    let t = all.iter().find(|t| t["id"] == id).expect("a title");
    (
        t["title"].as_str().unwrap().to_string(),
        t["kind"].as_str().unwrap().to_string(),
    )
}

#[test]
fn the_ten_most_central_seed_insights_get_ten_distinct_readable_titles() {
    let env = Env::with_seeds();
    let top = env.json(&["central", "--top", "10", "--format", "json"]);
    let all = titles(&env);
    assert_eq!(all.len(), 37, "every insight has a title");
    let mut seen = std::collections::HashSet::new();
    for row in top.as_array().unwrap() {
        let (title, kind) = title_of(&env, row["id"].as_i64().unwrap());
        assert_eq!(kind, "auto");
        let words: Vec<String> = title.split_whitespace().map(str::to_lowercase).collect();
        assert!((2..=6).contains(&words.len()), "{title}");
        assert!(title.chars().count() <= 40, "{title}");
        assert!(!STOP.contains(&words[0].as_str()), "{title}");
        assert!(!STOP.contains(&words.last().unwrap().as_str()), "{title}");
        // Taken from the insight's own words.
        let text = row["text"].as_str().unwrap().to_lowercase();
        for w in &words {
            assert!(text.contains(w.as_str()), "{title}: {w} not in {text}");
        }
        assert!(seen.insert(title.to_lowercase()), "{title} twice");
    }
}

#[test]
fn a_persons_title_wins_survives_reimport_and_merge_and_clears() {
    let env = Env::new();
    let notes = env.write(
        "notes/a.md",
        "- Passion shift drives the move from technology to product leadership\n- Business acumen separates product leaders\n",
    );
    env.write(
        "notes/b.md",
        "- Passion shift drives the move from technology to product leadership!\n- Customer insight newsletters prove value\n",
    );
    env.import(&env.path("notes"), &[]);
    env.ok(&[
        "title",
        "Business acumen",
        "Why leaders need business sense",
    ]);
    let id = env.json(&["show", "Business acumen", "--format", "json"])["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        title_of(&env, id),
        ("Why leaders need business sense".into(), "manual".into())
    );
    // Re-import after a change elsewhere in the file: the title stays.
    std::fs::write(
        &notes,
        "- Passion shift drives the move from technology to product leadership\n- Business acumen separates product leaders\n- A third insight about roadmaps\n",
    )
    .unwrap();
    env.import(&env.path("notes"), &[]);
    assert_eq!(title_of(&env, id).1, "manual");
    // A merged variant's title moves to the insight it is merged into.
    let plan = env.json(&["dedupe", "--format", "json"]);
    let group = &plan["groups"][0];
    let kept = group["keep"].as_i64().unwrap();
    let merged = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .find(|&m| m != kept)
        .expect("a variant to merge");
    env.ok(&["title", &merged.to_string(), "Passion shift"]);
    env.ok(&["dedupe", "--apply"]);
    assert_eq!(
        env.json(&["show", &merged.to_string(), "--format", "json"])["id"],
        kept,
        "the variant's id now means the kept insight"
    );
    assert_eq!(
        title_of(&env, kept),
        ("Passion shift".into(), "manual".into())
    );
    env.ok(&["title", &kept.to_string(), "--clear"]);
    assert_eq!(title_of(&env, kept).1, "auto");
    // Bad input: too long, or no title at all.
    let long = "x".repeat(61);
    assert_eq!(env.run(&["title", "1", &long]).status.code(), Some(2));
    assert_eq!(env.run(&["title", "1"]).status.code(), Some(2));
    assert_eq!(
        env.run(&["title", "99999", "Nothing"]).status.code(),
        Some(3)
    );
}

#[test]
fn import_titles_sets_many_and_reports_lines_that_name_no_insight() {
    let env = Env::new();
    let file = env.write(
        "titles.tsv",
        "insight\ttitle\n1\tPassion shift\nno such insight anywhere\tLost\n",
    );
    let out = env.run(&[
        "import",
        repo("seeds").to_str().unwrap(),
        "--titles",
        file.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(
        out.status.code(),
        Some(5),
        "a skipped line is a partial import"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3"), "{stderr}");
    assert_eq!(title_of(&env, 1), ("Passion shift".into(), "manual".into()));
}

#[test]
fn labels_modes_say_what_is_asked() {
    let env = Env::with_seeds();
    env.ok(&["title", "1", "Passion shift"]);
    let dot = |mode: &str| env.ok(&["export", "dot", "--top", "5", "--labels", mode]);
    let text = env.json(&["show", "1", "--format", "json"])["text"]
        .as_str()
        .unwrap()
        .to_string();
    let first_words: Vec<&str> = text.split_whitespace().take(3).collect();
    assert!(dot("title").contains(">Passion shift<"));
    assert!(!dot("words").contains(">Passion shift<"));
    assert!(dot("words").contains(&first_words.join(" ")));
    let full = dot("full");
    let last_word = text.split_whitespace().last().unwrap();
    assert!(full.contains(last_word), "the whole text is drawn");
    let none = dot("none");
    assert!(!none.contains(">Passion shift<") && none.contains("label=\"\""));
    // The hover text keeps the full text in every mode.
    assert!(none.contains(&first_words.join(" ")));
}

/// Verb forms that ended automatic seed titles before titles learnt to tell verbs from nouns
/// ("Expertise serves", "Ideal founder archetype starts").
const FINITE_VERBS: [&str; 10] = [
    "serves",
    "starts",
    "expands",
    "excels",
    "pushes",
    "teaches",
    "automates",
    "felt",
    "drives",
    "requires",
];

#[test]
fn no_title_ends_in_a_finite_verb() {
    let env = Env::with_seeds();
    for t in titles(&env) {
        let title = t["title"].as_str().unwrap();
        let last = title.split_whitespace().last().unwrap().to_lowercase();
        assert!(!FINITE_VERBS.contains(&last.as_str()), "{title}");
        assert!(
            !last.ends_with("ed") || last.contains('-'),
            "{title} ends in a participle"
        );
    }
    let id = env.json(&["show", "ideal founder archetype", "--format", "json"])["id"]
        .as_i64()
        .unwrap();
    assert_eq!(title_of(&env, id).0, "Ideal founder archetype");

    // Titles cut a clause at its verb rather than end in it.
    let notes = env.write(
        "notes.md",
        "- Deep expertise serves a dual purpose for technical product managers\n\
         - Strategic time horizon expands as leaders grow\n\
         - Team empowered by weekly customer calls\n",
    );
    let other = Env::new();
    other.import(&notes, &[]);
    for t in titles(&other) {
        let title = t["title"].as_str().unwrap();
        let last = title.split_whitespace().last().unwrap().to_lowercase();
        assert!(
            !["serves", "expands", "empowered", "grow"].contains(&last.as_str()),
            "{title}"
        );
    }
}
