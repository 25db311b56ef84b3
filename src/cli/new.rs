//! `pilotdeck new pilot TITLE` and `pilotdeck new page PATH`: a record or a
//! page from the starter templates, dated today in the site's time zone,
//! never over an existing file or an id the site has.

use super::starter::{self, toml_key, toml_string};
use super::{NewKind, NewPageArgs, NewPilotArgs};
use crate::markdown::slug;
use crate::pipeline::{self, Options};
use anyhow::bail;
use std::path::{Path, PathBuf};

pub(super) fn run(root: &Path, kind: NewKind) -> anyhow::Result<u8> {
    let (path, text) = match kind {
        NewKind::Pilot(args) => pilot(root, args)?,
        NewKind::Page(args) => page(root, args)?,
    };
    // A file that appeared since the checks is not replaced.
    if !super::write_new(&path, text.as_bytes())? {
        anyhow::bail!("`{}` already exists", path.display());
    }
    // Relative to the working folder when `--root` is it (`content/...`).
    println!("{}", path.strip_prefix(".").unwrap_or(&path).display());
    Ok(0)
}

/// The record's path and text, after the id, the stage and the site's ids
/// are checked.
fn pilot(root: &Path, args: NewPilotArgs) -> anyhow::Result<(PathBuf, String)> {
    let id = match &args.id {
        Some(id) => {
            // The rule the model makes ids by: an id is its own slug.
            let made = slug(id);
            if made != *id {
                let hint = if made.is_empty() { String::new() } else { format!(", such as `{made}`") };
                bail!(
                    "`{id}` is not a pilot id\n  = help: an id is lowercase ASCII letters, digits, `-` and `_`{hint}"
                );
            }
            made
        }
        None => {
            let made = slug(&args.title);
            if made.is_empty() {
                bail!(
                    "cannot make an id from `{}`: the id would be empty, as it has no letter or digit\n  = help: \
                     give one with `--id`, such as `--id crm-assistant`",
                    args.title
                );
            }
            made
        }
    };
    // The site's config (its stages and time zone) and every record's id,
    // drafts and records with errors included.
    let opts = Options { root: root.to_path_buf(), drafts: true, ..Options::default() };
    let a = pipeline::analyse(&opts)?;
    let path = root.join("content/pilots").join(format!("{id}.md"));
    if a.site.record_ids.contains(&id) || std::fs::symlink_metadata(&path).is_ok() {
        let hint = if args.id.is_some() { "choose another id" } else { "give another with `--id`" };
        bail!("the site already has a pilot with the id `{id}`\n  = help: {hint}");
    }
    let first = a.config.stages.first().map_or("idea", String::as_str);
    let written = args.stage.as_deref().unwrap_or(first);
    let Some(stage) = a.config.stage_name(written) else {
        bail!("`{written}` is not a stage of this site\n  = help: {}", a.config.unknown_stage_hint(written));
    };
    let today = crate::date::Date::today_in(&a.config.timezone);
    let values = [
        ("title", toml_string(&args.title)),
        ("stage", toml_string(stage)),
        ("stage_key", toml_key(stage)),
        ("owner", args.owner.as_deref().map(toml_string).unwrap_or_default()),
        ("today", today.to_string()),
        ("week", today.week_start().to_string()),
        ("due", today.plus_days(28).to_string()),
        ("target", today.plus_days(91).to_string()),
    ];
    Ok((path, starter::render(starter::NEW_PILOT, &values)?))
}

/// The page's path and text.
fn page(root: &Path, args: NewPageArgs) -> anyhow::Result<(PathBuf, String)> {
    let written = args.path.trim_matches('/');
    let rel = written.strip_suffix(".md").unwrap_or(written);
    let parts: Vec<String> = rel.split('/').map(slug).collect();
    if rel.is_empty() || parts.iter().any(String::is_empty) {
        bail!(
            "`{}` is not a page path\n  = help: write it like `playbook/01-scoping/my-page`, each part with a \
             letter or digit",
            args.path
        );
    }
    if parts[0] == "pilots" {
        bail!("`{}` is below `pilots/`, where pilot records go\n  = help: use `pilotdeck new pilot TITLE`", args.path);
    }
    pipeline::check_site(root)?;
    let title = match args.title {
        Some(title) => title,
        None => rel.rsplit('/').next().map(crate::model::humanize).unwrap_or_default(),
    };
    let path = root.join("content").join(format!("{}.md", parts.join("/")));
    if std::fs::symlink_metadata(&path).is_ok() {
        bail!("`{}` already exists", path.display());
    }
    Ok((path, starter::render(starter::NEW_PAGE, &[("title", toml_string(&title))])?))
}
