//! The crate's structure, kept: arrows run one way, `cli → report → roll → policy →
//! identity → model` and `ingest → model`, with a few leaf utilities anyone may use. A
//! module that reaches up (the engine importing a reader, a renderer deciding a roll) fails
//! this test with the file and the line.

use std::collections::BTreeMap;
use std::path::Path;

mod common;

/// What each top-level module may import from the crate, besides itself.
fn allowed() -> BTreeMap<&'static str, &'static [&'static str]> {
    let mut map: BTreeMap<&'static str, &'static [&'static str]> = BTreeMap::new();
    map.insert("model", &[]);
    map.insert("digest", &[]);
    map.insert("parallel", &[]);
    map.insert("suggest", &[]);
    map.insert("located_toml", &["model", "suggest"]);
    map.insert(
        "ingest",
        &["model", "located_toml", "digest", "suggest", "keywords"],
    );
    map.insert("identity", &["model"]);
    map.insert(
        "policy",
        &[
            "model",
            "identity",
            "located_toml",
            "digest",
            "suggest",
            "keywords",
            "parallel",
        ],
    );
    map.insert("roll", &["model", "identity", "policy", "suggest"]);
    map.insert(
        "report",
        &[
            "model", "identity", "policy", "roll", "tally", "digest", "parallel",
        ],
    );
    map.insert("tally", &["model", "digest", "suggest"]);
    map.insert("publish", &["digest"]);
    // Fetching acquires inputs: it reads election and governance files (to know what to
    // ask for) and resolves a roll (to know whose membership to look up).
    map.insert(
        "fetch",
        &[
            "model", "ingest", "identity", "policy", "roll", "digest", "publish", "suggest",
        ],
    );
    map
}

/// Files of the CLI that may talk to the readers: the loading step, the progress bar, the
/// command that fetches inputs, and the reading of inputs that are not an election's.
const CLI_LOADING: [&str; 4] = [
    "src/cli/settings.rs",
    "src/cli/progress.rs",
    "src/cli/fetch.rs",
    "src/cli/read.rs",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/roll/compare.rs` → `roll`).
fn module_of(relative: &str) -> &str {
    let rest = relative.trim_start_matches("src/");
    rest.split(['/', '.']).next().unwrap_or(rest)
}

#[test]
fn arrows_run_one_way() {
    let root = common::root();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let allowed = allowed();
    let mut wrong = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap().display().to_string();
        let module = module_of(&relative);
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                let after = &rest[at + "crate::".len()..];
                let target: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                rest = after;
                if target.is_empty() || target == module {
                    continue;
                }
                let ok = match module {
                    "cli" => target != "ingest" || CLI_LOADING.contains(&relative.as_str()),
                    "lib" | "main" => true,
                    _ => allowed
                        .get(module)
                        .is_some_and(|may| may.contains(&target.as_str())),
                };
                if !ok {
                    wrong.push(format!("{relative}:{}: {module} imports {target}", n + 1));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows that run the wrong way:\n{}",
        wrong.join("\n")
    );
}
