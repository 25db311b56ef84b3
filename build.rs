//! Embeds the default theme and the example site into the binary, so that
//! a site needs no theme folder and `pilotdeck init` needs no network.
//! Writes `$OUT_DIR/embedded.rs`: two sorted `(relative path, bytes)` tables.
//! Also records the git commit the binary is built from (for `--version`
//! and the CI workflows `pilotdeck ci` writes), which never fails the build:
//! without git or a `.git` folder the commit is empty, meaning unknown.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "src/dedent.rs"]
mod dedent;
#[path = "build/templates.rs"]
mod templates;

use templates::Compiled;

/// The names of the default theme's templates that every view has.
const PAGE: &[&str] = &["site", "root", "path", "title", "section_url"];

/// The default theme's templates compiled into Rust (`build/templates.rs`),
/// with the Rust type of what each is given: the pages and rows a large
/// site has thousands of. Tera renders every other template, and these too
/// when a theme or site replaces one of the templates they are made from.
const COMPILED: &[Compiled] = &[
    Compiled {
        template: "pilot.html",
        module: "pilot",
        context: "Ctx<'_, &PilotCtx<'_>>",
        fields: PAGE,
        rest: Some("page"),
    },
    Compiled {
        template: "lessons.html",
        module: "lessons",
        context: "Ctx<'_, &LessonsPage<'_>>",
        fields: PAGE,
        rest: Some("page"),
    },
    Compiled {
        template: "changes.html",
        module: "changes",
        context: "Ctx<'_, &ChangesCtx<'_>>",
        fields: PAGE,
        rest: Some("page"),
    },
    Compiled {
        template: "pilots.html",
        module: "pilots",
        context: "Ctx<'_, &PilotsView>",
        fields: PAGE,
        rest: Some("page"),
    },
    Compiled {
        template: "page.html",
        module: "page",
        context: "Ctx<'_, &PageCtx<'_>>",
        fields: PAGE,
        rest: Some("page"),
    },
    Compiled {
        template: "sponsor_decisions.html",
        module: "sponsor_decisions",
        context: "Ctx<'_, &SponsorDecisionsPage>",
        fields: PAGE,
        rest: Some("page"),
    },
    Compiled { template: "tag.html", module: "tag", context: "Ctx<'_, &TagCtx>", fields: PAGE, rest: Some("page") },
    Compiled {
        template: "partials/constraint_rows.html",
        module: "constraint_rows",
        context: "RowsCtx<'_, ConstraintRow<'_>>",
        fields: &["root", "rows"],
        rest: None,
    },
    Compiled {
        template: "partials/pilot_rows.html",
        module: "pilot_rows",
        context: "RowsCtx<'_, PilotRow>",
        fields: &["root", "rows"],
        rest: None,
    },
    Compiled {
        template: "partials/lesson_rows.html",
        module: "lesson_rows",
        context: "RowsCtx<'_, &LessonRow>",
        fields: &["root", "rows"],
        rest: None,
    },
];

/// Writes `$OUT_DIR/templates.rs`: one module per `COMPILED` entry.
fn compile_templates(root: &Path, out: &Path) {
    let dir = root.join("themes/default/templates");
    let read = |name: &str| fs::read_to_string(dir.join(name)).ok().map(|t| dedent::dedent(&t));
    let mut code = String::from("// Made by build.rs from themes/default/templates: do not edit.\n");
    for spec in COMPILED {
        match templates::compile(spec, &read) {
            Ok(module) => code.push_str(&module),
            Err(templates::Error(e)) => panic!("themes/default/templates/{e}"),
        }
    }
    fs::write(out.join("templates.rs"), code).expect("write templates.rs");
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut code = String::new();
    table(&mut code, "THEME", &root.join("themes/default"), &[]);
    table(&mut code, "EXAMPLE_SITE", &root, &["pilotdeck.toml", "content"]);
    fs::write(out.join("embedded.rs"), code).expect("write embedded.rs");
    compile_templates(&root, &out);
    println!("cargo:rerun-if-changed=build/templates.rs");
    println!("cargo:rerun-if-changed=src/dedent.rs");
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=pilotdeck.toml");
    commit(&root);
    source_digest(&root);
}

/// Sets `PILOTDECK_SOURCE`: a digest of the code this binary is built
/// from (`src/`, `build/`, the manifest and the lock file), so that what
/// one build of pilotdeck left in `.pilotdeck/` (the record cache, whose
/// form follows the model's types) is never read by another, even one of
/// the same version built from changed code.
fn source_digest(root: &Path) {
    use std::hash::Hasher as _;
    fn files(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                files(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = vec![root.join("Cargo.toml"), root.join("Cargo.lock"), root.join("build.rs")];
    files(&root.join("src"), &mut found);
    files(&root.join("build"), &mut found);
    found.sort();
    let mut h = std::hash::DefaultHasher::new();
    for path in &found {
        h.write(path.strip_prefix(root).unwrap_or(path).to_string_lossy().as_bytes());
        h.write_u8(0);
        h.write(&fs::read(path).unwrap_or_default());
        h.write_u8(0);
    }
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rustc-env=PILOTDECK_SOURCE={:016x}", h.finish());
}

/// Sets `PILOTDECK_COMMIT` (40 hex digits or empty), `PILOTDECK_COMMIT_DATE`
/// (YYYY-MM-DD or empty) and `PILOTDECK_REPOSITORY` (the `origin` remote or
/// Cargo.toml's `repository`, the first that is a plain `https://` address,
/// else empty), and asks to be run again
/// when HEAD, the branch it names or the remotes change.
fn commit(root: &Path) {
    let found = git_files(root);
    for path in found.iter().flat_map(|f| [&f.head, &f.branch, &f.packed, &f.config]) {
        if path.is_file() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    // For its `repository`.
    println!("cargo:rerun-if-changed=Cargo.toml");
    let hash = git(root, &["rev-parse", "--verify", "HEAD^{commit}"])
        .or_else(|| found.as_ref().and_then(GitFiles::read_commit))
        .filter(|h| h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_default();
    let date = if hash.is_empty() { None } else { git(root, &["show", "-s", "--format=%cs", &hash]) };
    let date = date.filter(|d| d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit() || b == b'-')).unwrap_or_default();
    // The clone's `origin` (where the commit is), else Cargo.toml's
    // `repository`; only an address that holds no user name or token is
    // kept in the binary.
    let repo = git(root, &["remote", "get-url", "origin"])
        .into_iter()
        .chain(env::var("CARGO_PKG_REPOSITORY").ok())
        .find(|u| {
            u.starts_with("https://")
                && !u["https://".len()..].split('/').next().unwrap_or("@").contains('@')
                && !u.contains(|c: char| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
        })
        .unwrap_or_default();
    println!("cargo:rustc-env=PILOTDECK_COMMIT={hash}");
    println!("cargo:rustc-env=PILOTDECK_COMMIT_DATE={date}");
    println!("cargo:rustc-env=PILOTDECK_REPOSITORY={repo}");
}

/// One line of `git`'s output in the package's folder, or `None` if git is
/// missing or fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let line = text.trim();
    (out.status.success() && !line.is_empty()).then(|| line.to_string())
}

/// The files of a repository that name the checked-out commit, found
/// without git: `.git` may be a folder or, in a worktree, a file naming one.
struct GitFiles {
    head: PathBuf,
    /// The file of the branch HEAD names (absent when HEAD is detached).
    branch: PathBuf,
    packed: PathBuf,
    config: PathBuf,
    ref_name: Option<String>,
    head_text: String,
}

fn git_files(root: &Path) -> Option<GitFiles> {
    let dot_git = root.ancestors().map(|a| a.join(".git")).find(|p| p.exists())?;
    let dir = if dot_git.is_file() {
        let text = fs::read_to_string(&dot_git).ok()?;
        let target = PathBuf::from(text.strip_prefix("gitdir:")?.trim());
        if target.is_absolute() {
            target
        } else {
            dot_git.parent()?.join(target)
        }
    } else {
        dot_git
    };
    // A worktree keeps its HEAD in its own folder and branches in the common one.
    let common = match fs::read_to_string(dir.join("commondir")) {
        Ok(c) if Path::new(c.trim()).is_absolute() => PathBuf::from(c.trim()),
        Ok(c) => dir.join(c.trim()),
        Err(_) => dir.clone(),
    };
    let head = dir.join("HEAD");
    let head_text = fs::read_to_string(&head).ok()?.trim().to_string();
    let ref_name = head_text.strip_prefix("ref:").map(|r| r.trim().to_string());
    let branch = ref_name.as_ref().map_or_else(PathBuf::new, |r| common.join(r));
    Some(GitFiles {
        head,
        branch,
        packed: common.join("packed-refs"),
        config: common.join("config"),
        ref_name,
        head_text,
    })
}

impl GitFiles {
    fn read_commit(&self) -> Option<String> {
        let Some(name) = &self.ref_name else {
            return Some(self.head_text.clone());
        };
        if let Ok(text) = fs::read_to_string(&self.branch) {
            return Some(text.trim().to_string());
        }
        let packed = fs::read_to_string(&self.packed).ok()?;
        packed.lines().find_map(|l| l.strip_suffix(name.as_str())?.strip_suffix(' ').map(str::to_string))
    }
}

/// Writes `pub static NAME: &[(&str, &[u8])]` for every file below `base`
/// (or, when `only` is not empty, below those entries of `base`).
fn table(code: &mut String, name: &str, base: &Path, only: &[&str]) {
    let roots: Vec<PathBuf> =
        if only.is_empty() { vec![base.to_path_buf()] } else { only.iter().map(|p| base.join(p)).collect() };
    let mut files = Vec::new();
    for r in roots {
        for entry in walkdir::WalkDir::new(&r).sort_by_file_name() {
            let entry = entry.expect("walk embedded folder");
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    writeln!(code, "pub static {name}: &[(&str, &[u8])] = &[").expect("write to string");
    for f in files {
        let rel = f.strip_prefix(base).expect("below base").to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({rel:?}, include_bytes!({:?})),", f.display().to_string()).expect("write to string");
    }
    writeln!(code, "];").expect("write to string");
}
