//! The widget's texts are data: one JSON table per language in `src/ui/i18n/`.
//! English is compiled in from `en.json` (its keys become the fields of `Strings`);
//! the other tables are fetched at run time (`pkg/i18n/`). This script fails the
//! build when any table misses a key of the English one, has one more, or says
//! something else than its file name about its language or direction.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

const TABLES: &str = "src/ui/i18n";
/// Not texts: the table's BCP 47 tag and writing direction.
const META: [&str; 2] = ["lang", "dir"];

type Table = BTreeMap<String, String>;

fn read(path: &Path) -> Table {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: not an object of strings: {e}", path.display()))
}

fn check(path: &Path, table: &Table, english: &Table) {
    let tag = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let missing: Vec<_> = english.keys().filter(|k| !table.contains_key(*k)).collect();
    let unknown: Vec<_> = table.keys().filter(|k| !english.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "{}: missing {missing:?}, unknown {unknown:?}",
        path.display()
    );
    assert_eq!(table["lang"], tag, "{}: lang", path.display());
    assert!(
        ["ltr", "rtl"].contains(&table["dir"].as_str()),
        "{}: dir",
        path.display()
    );
}

/// `strings! { keys… }` and `pub static EN: Strings = Strings { … };`.
fn english_source(english: &Table) -> String {
    let mut out = String::from("strings! {\n");
    for key in english.keys().filter(|k| !META.contains(&k.as_str())) {
        writeln!(out, "    {key},").unwrap();
    }
    out.push_str(
        "}\n\n/// English, compiled in: the reference every other table is checked against.\n",
    );
    out.push_str("pub static EN: Strings = Strings {\n");
    for (key, text) in english {
        // `{:?}` of a str is a valid Rust string literal.
        writeln!(out, "    {key}: {text:?},").unwrap();
    }
    out.push_str("};\n");
    out
}

fn main() {
    println!("cargo::rerun-if-changed={TABLES}");
    let english = read(Path::new(TABLES).join("en.json").as_path());
    let mut paths: Vec<PathBuf> = fs::read_dir(TABLES)
        .expect("src/ui/i18n")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    for path in &paths {
        check(path, &read(path), &english);
    }
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("english.rs"), english_source(&english)).expect("OUT_DIR is writable");
}
