//! The invariants of docs/ARCHITECTURE.md that a test can check by reading the source.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files_under(&path, extensions, out);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e)) {
            out.push(path);
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every Rust file of the core, by its path under `src/`, with its text.
fn core_sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    files_under(&root().join("src"), &["rs"], &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| (p.strip_prefix(root().join("src")).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read_to_string(&p).expect("read")))
        .collect()
}

/// The text without its comments, so a rule is checked against code only.
fn code_of(text: &str) -> String {
    text.lines().map(|l| if l.trim_start().starts_with("//") { "" } else { l }).collect::<Vec<_>>().join("\n")
}

/// The body of the item whose opening brace is the first one at or after `from`.
fn braced(text: &str, from: usize) -> &str {
    let open = from + text[from..].find('{').expect("an opening brace");
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open..=open + i];
                }
            }
            _ => {}
        }
    }
    &text[open..]
}

#[test]
fn the_core_knows_nothing_about_tauri() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    assert!(!deps.contains("tauri"), "the core crate must not depend on tauri");
    for (path, text) in core_sources() {
        assert!(!text.contains("tauri::"), "{path} uses tauri");
    }
}

#[test]
fn only_the_store_writes_sql() {
    let sql_calls = [".execute(", ".execute_batch(", ".prepare(", ".prepare_cached(", ".query_row(", "Connection::open"];
    for (path, text) in core_sources() {
        if !path.starts_with("store/") {
            for call in sql_calls {
                assert!(!code_of(&text).contains(call), "{path} calls {call} outside src/store");
            }
        }
    }
}

#[test]
fn no_transaction_is_opened_outside_the_writer() {
    let openings = [".transaction(", "transaction_with_behavior", "unchecked_transaction", ".savepoint", "\"BEGIN", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "COMMIT", "ROLLBACK"];
    // The writer opens the one transaction a change runs in; a migration changes the schema
    // before anyone can sign in, each in its own.
    let allowed = ["store/write.rs", "store/migrate.rs"];
    for (path, text) in core_sources() {
        let code = code_of(&text);
        for opening in openings {
            if code.contains(opening) {
                assert!(allowed.contains(&path.as_str()), "{path} opens a transaction ({opening}) outside the writer");
            }
        }
    }
    let clippy = std::fs::read_to_string(root().join("clippy.toml")).unwrap();
    for method in ["Connection::transaction\"", "Connection::transaction_with_behavior\"", "Connection::unchecked_transaction\"", "Connection::savepoint\""] {
        assert!(clippy.contains(method), "clippy.toml bans {method}");
    }
}

/// The functions of `impl Store` blocks, with where they are, whether they are public, and
/// their bodies.
fn store_functions() -> BTreeMap<String, (String, bool, String)> {
    let mut out = BTreeMap::new();
    for (path, text) in core_sources().into_iter().filter(|(p, _)| p.starts_with("store/") || p.starts_with("site/")) {
        let mut at = 0;
        while let Some(found) = text[at..].find("\nimpl Store {") {
            let block = braced(&text, at + found + 1);
            let mut inner = 0;
            while let Some(f) = block[inner..].find("fn ") {
                let start = inner + f + "fn ".len();
                let line_start = block[..inner + f].rfind('\n').map_or(0, |n| n + 1);
                let signature = &block[line_start..inner + f];
                inner = start;
                // Only the block's own functions, four spaces in: not closures or nested items.
                if !signature.starts_with("    ") || signature.starts_with("     ") || signature.contains("//") {
                    continue;
                }
                let name: String = block[start..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                let body = braced(block, start);
                // Without white space, so a call split over lines (`self\n    .peers()`) still reads as one.
                let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
                out.insert(name, (path.clone(), signature.trim() == "pub", compact));
                inner = block[start..].find(body).map_or(start, |b| start + b + body.len());
            }
            at += found + block.len();
        }
    }
    out
}

#[test]
fn every_public_store_function_checks_the_session() {
    // These need no session by what they are: opening a store and signing in, saying who is
    // signed in, and the integrity check a sign-in runs before anyone is known.
    let exempt = ["open_in_memory", "session", "act_as", "quick_check", "integrity"];
    let functions = store_functions();
    assert!(functions.len() > 80, "the store's functions were found: {}", functions.len());
    let mut checked: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = checked.len();
        for (name, (_, _, body)) in &functions {
            let direct = body.contains("self.allowed(") || body.contains("self.change(");
            let through = checked.iter().any(|c| body.contains(&format!("self.{c}(")));
            if direct || through {
                checked.insert(name);
            }
        }
        if checked.len() == before {
            break;
        }
    }
    let unchecked: Vec<String> = functions
        .iter()
        .filter(|(n, (_, public, _))| *public && !checked.contains(n.as_str()) && !exempt.contains(&n.as_str()))
        .map(|(n, (path, _, _))| format!("{path}: {n}"))
        .collect();
    assert!(unchecked.is_empty(), "these read or write without checking who is signed in: {unchecked:#?}");
}

/// Which other modules each module names, by `crate::x` or `super::x` paths, at the level of
/// `level` (`""` for the crate's top modules, `"store"` for the store's own).
fn module_graph(level: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in core_sources() {
        let parts: Vec<&str> = path.trim_end_matches(".rs").split('/').collect();
        let module = if level.is_empty() {
            parts[0].to_string()
        } else if parts.len() >= 2 && parts[0] == level && parts[1] != "mod" {
            parts[1].to_string()
        } else {
            continue;
        };
        if module == "lib" || module == "bin" || module == "main" {
            continue;
        }
        let code = code_of(&text);
        let named = graph.entry(module.clone()).or_default();
        let prefixes: Vec<String> = if level.is_empty() { vec!["crate::".into()] } else { vec![format!("crate::{level}::"), "super::".into()] };
        for prefix in &prefixes {
            for (i, _) in code.match_indices(prefix.as_str()) {
                let rest = &code[i + prefix.len()..];
                let target: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if target.chars().next().is_some_and(char::is_lowercase) && target != module && !target.is_empty() {
                    named.insert(target);
                }
            }
        }
        // `use crate::{a, b::c}` lists several at once.
        if level.is_empty() {
            for (i, _) in code.match_indices("use crate::{") {
                let list = &code[i + "use crate::{".len()..];
                let list = &list[..list.find("};").unwrap_or(list.len())];
                for item in list.split(',') {
                    let target: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !target.is_empty() && target != module {
                        named.insert(target);
                    }
                }
            }
        }
    }
    graph
}

/// A cycle in `graph`, if there is one, as the modules around it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_core_modules_import_in_one_direction() {
    let top = module_graph("");
    assert!(top.contains_key("store") && top.contains_key("auth"), "{top:?}");
    assert_eq!(cycle(&top), None, "the core's modules import each other in a circle");
    for pure in ["auth", "model", "audit", "text", "error"] {
        let named = &top[pure];
        for layer in ["store", "site", "reports", "sync"] {
            assert!(!named.contains(layer), "{pure} names {layer}: it sits below it");
        }
    }
    let store = module_graph("store");
    assert!(store.len() > 30, "{store:?}");
    assert_eq!(cycle(&store), None, "the store's modules import each other in a circle");
}

#[test]
fn the_ui_calls_the_core_only_through_its_backend() {
    let mut files = Vec::new();
    files_under(&root().join("ui/src"), &["ts", "svelte"], &mut files);
    assert!(files.len() > 20);
    for file in files {
        let relative = file.strip_prefix(root().join("ui/src")).unwrap().to_string_lossy().replace('\\', "/");
        if relative.starts_with("backend/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for call in ["invoke(", "@tauri-apps/", "__TAURI"] {
            assert!(!text.contains(call), "{relative} reaches the core with {call} instead of through ui/src/backend");
        }
    }
}

/// The literal messages of errors built in the core: `Error::field("x", "...")`,
/// `FieldError::new("x", "...")` and the `#[error("...")]` texts, each with where it is.
fn messages() -> Vec<(String, String)> {
    let starts = ["Error::field(\"", "FieldError::new(\"", "#[error(\"", "Error::Refused(\"", "Error::Bundle(\"", "Error::KeyFile(\"", "Error::Tampered(\""];
    let mut out = Vec::new();
    for (path, text) in core_sources() {
        let code = code_of(&text);
        for start in starts {
            for (i, _) in code.match_indices(start) {
                let mut rest = &code[i + start.len()..];
                // Past the field name to the message, for the two forms that name a field.
                if start.ends_with("(\"") && (start.starts_with("Error::field") || start.starts_with("FieldError")) {
                    let Some(after) = rest.find('"') else { continue };
                    rest = rest[after + 1..].trim_start().trim_start_matches(',').trim_start();
                    rest = rest.strip_prefix("format!(").unwrap_or(rest).trim_start();
                    let Some(body) = rest.strip_prefix('"') else { continue };
                    rest = body;
                }
                let end = rest.find('"').unwrap_or(rest.len());
                out.push((path.clone(), rest[..end].to_string()));
            }
        }
        // `said!("english", "español", …)`: both languages, each in the same style.
        for (i, _) in code.match_indices("said!(\"") {
            let rest = &code[i + "said!(\"".len()..];
            let Some(end) = closing_quote(rest) else { continue };
            out.push((path.clone(), rest[..end].to_string()));
            let spanish = rest[end + 1..].trim_start().trim_start_matches(',').trim_start();
            if let Some(body) = spanish.strip_prefix('"') {
                if let Some(end) = closing_quote(body) {
                    out.push((path.clone(), body[..end].to_string()));
                }
            }
        }
    }
    out
}

/// Where a string literal's text ends: the first quote not escaped with a backslash.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    text.char_indices().find_map(|(i, c)| match c {
        '\\' if !escaped => {
            escaped = true;
            None
        }
        '"' if !escaped => Some(i),
        _ => {
            escaped = false;
            None
        }
    })
}

/// Every `said!` of the core has Spanish of its own, not the English copied across.
#[test]
fn every_message_is_said_in_spanish() {
    let mut copied = Vec::new();
    let mut pairs = 0;
    for (path, text) in core_sources() {
        let code = code_of(&text);
        for (i, _) in code.match_indices("said!(\"") {
            let rest = &code[i + "said!(\"".len()..];
            let Some(end) = closing_quote(rest) else { continue };
            let spanish = rest[end + 1..].trim_start().trim_start_matches(',').trim_start();
            let Some(body) = spanish.strip_prefix('"') else { continue };
            let Some(es_end) = closing_quote(body) else { continue };
            pairs += 1;
            if rest[..end] == body[..es_end] {
                copied.push(format!("{path}: {}", &rest[..end]));
            }
        }
    }
    assert!(pairs > 200, "the core's messages were found: {pairs}");
    assert!(copied.is_empty(), "these messages are not in Spanish: {copied:#?}");
}

#[test]
fn every_message_is_in_one_style() {
    let found = messages();
    assert!(found.len() > 100, "the messages were found: {}", found.len());
    let mut wrong = Vec::new();
    for (path, message) in found {
        let first = message.chars().next();
        // A message may open with a value ({0}, {}) or a name (Bridger, SQLite, a CSV file).
        let lowercase = first.is_none_or(|c| !c.is_uppercase() || ["Bridger", "SQLite", "CSV", "PDF", "ID "].iter().any(|w| message.starts_with(w)));
        if !lowercase || message.trim_end().ends_with('.') {
            wrong.push(format!("{path}: {message}"));
        }
    }
    assert!(wrong.is_empty(), "messages start lowercase and end without a full stop: {wrong:#?}");
}
