//! `pilotdeck init [DIR]`: a new site of one example record and one
//! playbook page, dated so that it checks clean on the day it is made, with
//! a `.gitignore`; `--example` writes the example organisation, `--empty`
//! no content. Nothing that is there is overwritten.

use super::starter::{self, toml_string};
use super::InitArgs;
use crate::date::Date;
use anyhow::{bail, Context};
use std::path::Path;

/// The title of a new site unless `--title` gives one.
const DEFAULT_TITLE: &str = "AI Pilot Portfolio";
/// The address of a new site unless `--base-url` gives one: a placeholder.
const DEFAULT_BASE_URL: &str = "https://intranet.example/pilots";

pub(super) fn run(root: &Path, args: InitArgs) -> anyhow::Result<u8> {
    let dir = args.dir.clone().unwrap_or_else(|| root.to_path_buf());
    if dir.join("pilotdeck.toml").exists() || dir.join("content").exists() {
        bail!("`{}` already holds a site (pilotdeck.toml or content/); choose an empty folder", dir.display());
    }
    let ignore = plan_ignore(&dir)?;
    let mut written = site_files(&args, Date::today())?;
    if let Ignore::New = ignore {
        written.push((".gitignore".into(), starter::GITIGNORE.into()));
    }
    let mut files: Vec<(String, &[u8])> = written.iter().map(|(rel, text)| (rel.clone(), text.as_bytes())).collect();
    if args.example {
        files.extend(
            crate::theme::example_site()
                .iter()
                .filter(|(rel, _)| *rel != "pilotdeck.toml")
                .map(|&(rel, bytes)| (rel.to_string(), bytes)),
        );
    }
    // Made (and refused if its file is there) before anything is written.
    let ci = args.ci.map(|ci| super::ci::workflow(&dir, ci, None)).transpose()?;
    // Nothing that is there already is overwritten: every file is checked
    // before the first is written.
    let taken: Vec<String> = files
        .iter()
        .filter(|(rel, _)| std::fs::symlink_metadata(dir.join(rel)).is_ok())
        .map(|(rel, _)| format!("`{rel}`"))
        .collect();
    if !taken.is_empty() {
        bail!("`{}` already holds {}; choose an empty folder", dir.display(), taken.join(", "));
    }
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if !super::write_new(&path, bytes)? {
            bail!("`{}` appeared while the site was written; nothing after it was written", path.display());
        }
    }
    if args.empty {
        // Empty folders: a playbook copied in brings its own index page
        // (`README.md`, `index.md`), which one of ours would clash with.
        for folder in ["content/pilots", "content/playbook"] {
            let path = dir.join(folder);
            std::fs::create_dir_all(&path).with_context(|| format!("cannot create `{}`", path.display()))?;
        }
    }
    if let Some(workflow) = &ci {
        super::ci::write(workflow)?;
    }
    if let Ignore::Append(line) = ignore {
        append_ignore(&dir, line)?;
    }
    print!("{}", next_steps(&dir, root, &args));
    Ok(0)
}

/// The files of a new site other than the example organisation's: the
/// config, and unless `--empty` or `--example`, the starter content dated
/// around `today` (the day of the machine: the config written has no
/// `timezone`, so that is the site's today too).
fn site_files(args: &InitArgs, today: Date) -> anyhow::Result<Vec<(String, String)>> {
    let title = args.title.as_deref().unwrap_or(DEFAULT_TITLE);
    let mut files = vec![("pilotdeck.toml".to_string(), config(args))];
    if !args.empty && !args.example {
        let dates = starter_dates(today);
        files.push(("content/_index.md".into(), starter::render(starter::HOME, &[("title", toml_string(title))])?));
        files.push(("content/pilots/example-pilot.md".into(), starter::render(starter::PILOT, &dates)?));
        files.push(("content/playbook/how-we-run-pilots.md".into(), starter::PLAYBOOK_PAGE.to_string()));
    }
    Ok(files)
}

/// The dates of the example record, around `today`: started three weeks
/// ago, updated last week, a constraint due in three weeks and one resolved,
/// so that it shows every part of a record and no rule finds it late.
fn starter_dates(today: Date) -> Vec<(&'static str, String)> {
    let day = |days: i32| today.plus_days(days).to_string();
    vec![
        ("idea", day(-35)),
        ("started", day(-21)),
        ("pilot", day(-7)),
        ("target", day(91)),
        ("raised", day(-10)),
        ("due", day(21)),
        ("old_raised", day(-20)),
        ("old_due", day(-12)),
        ("old_resolved", day(-14)),
        ("week1", today.plus_days(-14).week_start().to_string()),
        ("week2", today.plus_days(-7).week_start().to_string()),
    ]
}

/// What `public/` (the build's output) needs to be ignored by git.
enum Ignore {
    /// No `.gitignore`: write ours.
    New,
    /// One without `public/`: add this to its end.
    Append(&'static str),
    /// One that has it, or that is not a plain file (left alone).
    Done,
}

/// Looks at the folder's `.gitignore` before anything is written.
fn plan_ignore(dir: &Path) -> anyhow::Result<Ignore> {
    let path = dir.join(".gitignore");
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ignore::New),
        Ok(meta) if !meta.is_file() => return Ok(Ignore::Done),
        _ => {}
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if text.lines().any(|l| matches!(l.trim(), "public/" | "/public/" | "public" | "/public")) {
        return Ok(Ignore::Done);
    }
    Ok(Ignore::Append(if text.is_empty() || text.ends_with('\n') { "public/\n" } else { "\npublic/\n" }))
}

/// Adds `line` to the end of the folder's `.gitignore`.
fn append_ignore(dir: &Path, line: &str) -> anyhow::Result<()> {
    let path = dir.join(".gitignore");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()))
        .with_context(|| format!("cannot add `public/` to `{}`", path.display()))
}

/// What to type next, for standard output.
fn next_steps(dir: &Path, root: &Path, args: &InitArgs) -> String {
    let mut out = format!("created a new site in {}\n\nnext:\n", dir.display());
    if args.dir.is_some() || root != Path::new(".") {
        out.push_str(&format!("  cd {}\n", shell_word(&dir.display().to_string())));
    }
    if args.example {
        out.push_str("  pilotdeck check                       # what the example's records lack today\n");
    } else {
        out.push_str("  pilotdeck new pilot \"Your pilot\"      # a record of your own, in content/pilots/\n");
    }
    out.push_str("  pilotdeck serve                       # the site at http://127.0.0.1:1111, rebuilt as you edit\n");
    out
}

/// `word` as one word for a POSIX shell: as it is when it is plain, else in
/// single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+,:@".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The example's `pilotdeck.toml` with its comments; without the example
/// organisation's name and address unless `--example`, and with those of
/// `--title` and `--base-url`.
fn config(args: &InitArgs) -> String {
    let example = crate::theme::example_site()
        .iter()
        .find(|(rel, _)| *rel == "pilotdeck.toml")
        .map_or("", |(_, bytes)| std::str::from_utf8(bytes).unwrap_or_default());
    let (title, base_url) = if args.example {
        (args.title.clone(), args.base_url.clone())
    } else {
        (
            Some(args.title.clone().unwrap_or_else(|| DEFAULT_TITLE.into())),
            Some(args.base_url.clone().unwrap_or_else(|| DEFAULT_BASE_URL.into())),
        )
    };
    // The example organisation's people (the rung's `people` and the
    // `[people]` tables, last in the file) are left as comments.
    let mut people = false;
    example
        .lines()
        .map(|line| {
            people |= line.starts_with("[people.");
            if (people || line.starts_with("people = ")) && !args.example && !line.is_empty() && !line.starts_with('#')
            {
                format!("# {line}")
            } else if line.starts_with("# pilotdeck.toml:") && !args.example {
                "# pilotdeck.toml: site settings for the AI pilot portfolio.".to_string()
            } else if let (true, Some(t)) = (line.starts_with("title = "), &title) {
                format!("title = {}", toml_string(t))
            } else if let (true, Some(u)) = (line.starts_with("base_url = "), &base_url) {
                format!("base_url = {}", toml_string(u))
            } else {
                line.to_string()
            }
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AsOf;
    use crate::pipeline::{self, Options};

    fn args() -> InitArgs {
        InitArgs { dir: None, title: None, base_url: None, ci: None, empty: false, example: false }
    }

    /// Whatever the weekday, month or leap year, the starter site has no
    /// problem on the day it is made (the updates fall on Mondays, the
    /// stale rule counts days).
    #[test]
    fn the_starter_site_checks_clean_on_any_day() {
        for first in ["2026-01-01", "2026-02-26", "2028-02-26", "2026-12-28"] {
            for k in 0..7 {
                let today = Date::parse(first).unwrap().plus_days(k);
                let dir = tempfile::tempdir().unwrap();
                for (rel, text) in site_files(&args(), today).unwrap() {
                    let path = dir.path().join(rel);
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(path, text).unwrap();
                }
                let opts = Options { root: dir.path().into(), as_of: Some(AsOf::Date(today)), ..Options::default() };
                let mut a = pipeline::analyse(&opts).unwrap();
                let theme = crate::theme::load(dir.path(), None).unwrap();
                pipeline::check_addresses(&mut a, &theme, dir.path());
                let found: Vec<String> = a.diagnostics.iter().map(|d| format!("{d:?}")).collect();
                assert!(found.is_empty(), "on {today}: {found:#?}");
                assert_eq!(a.site.pilots.len(), 1);
                let p = &a.site.pilots[0];
                assert!(!p.constraints.is_empty() && !p.updates.is_empty() && !p.integration.is_empty());
            }
        }
    }

    #[test]
    fn shell_words_are_quoted_when_they_need_it() {
        assert_eq!(shell_word("my-site"), "my-site");
        assert_eq!(shell_word("/tmp/a b"), "'/tmp/a b'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }
}
