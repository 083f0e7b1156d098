//! The layers `src/lib.rs` lists: each module uses only those listed before
//! it (a module may use those on its own line). This keeps the import cycles
//! out that once ran content → reply → engine → content, and keeps the
//! matcher, the model and the engine free of Telegram and the command line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layers, in order, from the list in lib.rs's module docs: one line
/// `//! - [`a`], [`b`]: ...` per layer.
fn layers() -> Vec<Vec<String>> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs");
    lib.lines()
        .filter_map(|l| l.strip_prefix("//! - "))
        .map(|l| {
            let names = l.split(':').next().unwrap_or("");
            names
                .split(", ")
                .filter_map(|n| n.strip_prefix("[`")?.strip_suffix("`]"))
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The top-level modules a module's code names as `crate::x`, comments
/// left out.
fn uses(module: &str) -> BTreeSet<String> {
    let mut files = Vec::new();
    let dir = src().join(module);
    if dir.is_dir() {
        rust_files(&dir, &mut files);
    } else {
        files.push(src().join(format!("{module}.rs")));
    }
    let mut used = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Comments left out, lines kept together: a grouped import may
        // span lines.
        let code: String = text
            .lines()
            .map(|line| line.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            used.extend(first_segments(rest));
        }
    }
    used
}

/// The top-level modules a path after `crate::` names: `engine::Engine`
/// names `engine`; a group `{markdown, reply::Reply}` names each of its
/// members' first segments (nested groups included).
fn first_segments(rest: &str) -> Vec<String> {
    let name = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![name(rest)];
    };
    // Split the group's top level at commas, up to its closing brace.
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                out.push(name(&group[start..i]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(name(&group[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

#[test]
fn grouped_imports_are_seen() {
    assert_eq!(first_segments("engine::Engine;"), ["engine"]);
    assert_eq!(
        first_segments("{\n    analysis,\n    bot,\n};"),
        ["analysis", "bot"]
    );
    assert_eq!(
        first_segments("{markdown, reply::{self, Reply}, content::Faq};"),
        ["markdown", "reply", "content"]
    );
}

#[test]
fn each_layer_uses_only_the_layers_before_it() {
    let layers = layers();
    assert!(
        layers.len() >= 10,
        "the list in lib.rs was not found: {layers:?}"
    );
    let all: Vec<&String> = layers.iter().flatten().collect();
    let mut wrong = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        let allowed: BTreeSet<&String> = layers[..=i].iter().flatten().collect();
        for module in layer {
            for used in uses(module) {
                if all.contains(&&used) && !allowed.contains(&used) {
                    wrong.push(format!("{module} uses {used}, listed after it"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn every_module_is_in_the_list() {
    let listed: BTreeSet<String> = layers().into_iter().flatten().collect();
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';'))
        .map(str::to_string)
        .collect();
    assert_eq!(declared, listed);
}
