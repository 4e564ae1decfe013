//! The architecture, checked: which folder may use which. It reads the source the way a
//! reviewer would, so that an import in the wrong direction fails the build's tests, the way
//! the migrations test guards the two migration trees.

use std::path::{Path, PathBuf};

/// The domain's folders, lowest first: each may use those before it, never those after.
const LAYERS: &[&str] = &[
    "kernel",
    "outbound",
    "triggers",
    "directory",
    "tokens",
    "signin",
    "idp",
    "iam",
    "identity",
    "push",
    "sync",
    "oauth2",
    "admin",
];

/// The folders of AWS actions, which see their services' wire types.
const ACTION_LAYERS: &[&str] = &["idp", "identity", "sync"];

/// The settings documents (stored as AWS shapes them) that the domain below `idp` may read;
/// every other wire type is `idp`'s alone.
const SHARED_DOCUMENTS: &[&str] = &[
    "pools",
    "clients",
    "PasswordPolicy",
    "Policies",
    "SchemaAttribute",
    "UserPoolSettings",
    "UsernameConfiguration",
    "ClientSettings",
    "TokenValidityUnits",
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The source without comments, so that prose naming a module is not an import.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable source file");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path segment that follows `prefix` in `code`.
fn after<'a>(code: &'a str, prefix: &str) -> Vec<&'a str> {
    code.match_indices(prefix)
        .map(|(i, _)| {
            let rest = &code[i + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

/// The domain folders a file of folder `layer` refers to, by absolute or relative path.
fn layers_used(code: &str, is_mod: bool) -> Vec<String> {
    let mut used: Vec<&str> = after(code, "crate::service::");
    used.extend(after(code, "super::super::"));
    if is_mod {
        used.extend(after(code, "super::"));
    }
    used.into_iter()
        .filter(|s| LAYERS.contains(s))
        .map(String::from)
        .collect()
}

/// Problems with the imports of the tree at `src`.
pub fn violations(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (rank, layer) in LAYERS.iter().enumerate() {
        for file in files(&src.join("service").join(layer)) {
            let code = code(&file);
            let is_mod = file.file_name().is_some_and(|n| n == "mod.rs");
            for used in layers_used(&code, is_mod) {
                let used_rank = LAYERS.iter().position(|l| *l == used).unwrap_or(0);
                if used_rank > rank {
                    problems.push(format!(
                        "{}: {layer} imports {used}, a folder above it",
                        file.display()
                    ));
                }
            }
            if !ACTION_LAYERS.contains(layer) {
                for name in wire_types_used(&code) {
                    problems.push(format!(
                        "{}: {layer} uses the wire type {name}; only idp may",
                        file.display()
                    ));
                }
            }
            if *layer == "kernel" && (code.contains("State") || code.contains("crate::store")) {
                problems.push(format!("{}: the kernel has no state", file.display()));
            }
        }
    }
    let forbidden = [
        ("service", &["crate::http", "actix_web", "sqlx"][..]),
        ("store", &["crate::service", "crate::http"][..]),
        (
            "types",
            &["crate::service", "crate::store", "crate::http"][..],
        ),
    ];
    for (folder, names) in forbidden {
        for file in files(&src.join(folder)) {
            let code = code(&file);
            for name in names.iter().filter(|n| code.contains(*n)) {
                problems.push(format!("{}: {folder} must not use {name}", file.display()));
            }
        }
    }
    problems
}

/// The names a file imports from `crate::types` that are not shared settings documents.
fn wire_types_used(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::types::") {
        let rest = &code[i + "crate::types::".len()..];
        let end = rest.find([';', '(', ')', '=', '\n']).unwrap_or(rest.len());
        for name in rest[..end].split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if !name.is_empty() && !SHARED_DOCUMENTS.contains(&name) && name != "self" {
                out.push(name.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_import_only_downwards() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let problems = violations(&src);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn an_upward_import_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let kernel = dir.path().join("service/kernel");
        std::fs::create_dir_all(&kernel).unwrap();
        std::fs::create_dir_all(dir.path().join("store")).unwrap();
        std::fs::create_dir_all(dir.path().join("types")).unwrap();
        std::fs::write(
            kernel.join("ids.rs"),
            "use crate::service::signin::Step;\n// crate::service::idp in prose is fine\n",
        )
        .unwrap();
        let problems = violations(dir.path());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("kernel imports signin"),
            "{problems:?}"
        );
    }
}
