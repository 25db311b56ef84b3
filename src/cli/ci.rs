//! `pilotdeck ci github|gitlab`: adds a CI workflow to a site that exists
//! (and `init --ci` to the site it makes), from the templates in `ci/`.
//! The workflow installs pilotdeck from a git repository at the commit this
//! binary was built from, goes at the top of the git repository that holds
//! the site, and never replaces a CI file that is there.

use super::{Ci, CiArgs};
use anyhow::bail;
use std::path::{Path, PathBuf};

/// The values in the templates that [`workflow`] replaces.
const REPO_PLACEHOLDER: &str = "\"https://REPLACE-WITH-THE-PILOTDECK-REPOSITORY\"";
const REV_PLACEHOLDER: &str = "\"REPLACE-WITH-A-PILOTDECK-COMMIT\"";
const SITE_LINE: &str = "PILOTDECK_SITE: \".\"";

/// A workflow ready to be written: where, what, and what the user must know.
pub(super) struct Workflow {
    /// The top of the git repository (or the site's folder outside one).
    pub top: PathBuf,
    /// Where the file goes below `top`.
    pub rel: &'static str,
    pub text: String,
    /// Printed after the file is written: what is left for the user to do.
    pub notes: Vec<String>,
}

pub(super) fn run(root: &Path, args: CiArgs) -> anyhow::Result<u8> {
    if !root.join("pilotdeck.toml").is_file() {
        bail!(
            "`{}` holds no site (no pilotdeck.toml): run it in the site's folder, pass `--root DIR`, or make a site with `pilotdeck init`",
            root.display()
        );
    }
    let wf = workflow(root, args.ci, args.repo.as_deref())?;
    write(&wf)?;
    Ok(0)
}

/// The workflow for the site in `site` (which `init` may not have made
/// yet), refused if its file exists.
pub(super) fn workflow(site: &Path, ci: Ci, repo: Option<&str>) -> anyhow::Result<Workflow> {
    let (template, rel) = match ci {
        Ci::Github => (include_str!("../../ci/github-workflow.yml"), ".github/workflows/pilotdeck.yml"),
        Ci::Gitlab => (include_str!("../../ci/gitlab-ci.yml"), ".gitlab-ci.yml"),
    };
    let mut notes = Vec::new();
    let (top, site_rel) = match super::repo::site_in_repo(site)? {
        Some(found) => found,
        None => {
            notes.push(format!(
                "`{}` is not in a git repository yet: `{rel}` runs once this folder is the top of one",
                site.display()
            ));
            (site.to_path_buf(), ".".to_string())
        }
    };
    refuse_existing(&top, rel)?;
    let repo = repository(repo)?;
    let rev = super::commit();
    let mut text = template.to_string();
    if let Some(url) = &repo {
        text = text.replace(REPO_PLACEHOLDER, &quoted(url));
    }
    if let Some(rev) = rev {
        text = text.replace(REV_PLACEHOLDER, &quoted(rev));
    }
    text = text.replace(SITE_LINE, &format!("PILOTDECK_SITE: {}", quoted(&site_rel)));
    if let (Some(url), Some(rev)) = (&repo, rev) {
        notes.push(format!(
            "CI installs pilotdeck {} from {url}: that commit must be there (push it if you built pilotdeck from your own changes)",
            &rev[..7]
        ));
    }
    if ci == Ci::Gitlab {
        notes.push("GitLab runs it once a day only with a schedule: add one under Build > Pipeline schedules".into());
    }
    if repo.is_none() {
        notes.push(format!(
            "warning: no repository to install pilotdeck from: replace {REPO_PLACEHOLDER} in `{rel}` with its address, or run again with `--repo URL` (or the `PILOTDECK_REPO` variable)"
        ));
    }
    if rev.is_none() {
        notes.push(format!(
            "warning: this pilotdeck was built without git, so its commit is unknown: replace {REV_PLACEHOLDER} in `{rel}` with the commit of pilotdeck to install (`git rev-parse HEAD` in its clone)"
        ));
    }
    Ok(Workflow { top, rel, text, notes })
}

/// Writes the workflow, never over a file that is there, and says what it did.
pub(super) fn write(wf: &Workflow) -> anyhow::Result<()> {
    let path = wf.top.join(wf.rel);
    if !super::write_new(&path, wf.text.as_bytes())? {
        refuse_existing(&wf.top, wf.rel)?;
    }
    eprintln!(
        "wrote {}: commit and push it; it checks and builds the site on every push and once a day, and keeps the built site as an artifact; publishing is commented out in it, with what to choose",
        path.display()
    );
    for note in &wf.notes {
        eprintln!("{note}");
    }
    Ok(())
}

fn refuse_existing(top: &Path, rel: &str) -> anyhow::Result<()> {
    if std::fs::symlink_metadata(top.join(rel)).is_ok() {
        bail!(
            "`{}` already holds `{rel}`, which pilotdeck does not replace: move it aside, run this again, then copy your own steps into the new file",
            top.display()
        );
    }
    Ok(())
}

/// The repository CI installs pilotdeck from: `--repo`, else the
/// `PILOTDECK_REPO` variable, else the one this binary was built from.
fn repository(arg: Option<&str>) -> anyhow::Result<Option<String>> {
    let from_env = std::env::var("PILOTDECK_REPO").ok().filter(|v| !v.is_empty());
    let built = Some(env!("PILOTDECK_REPOSITORY")).filter(|v| !v.is_empty()).map(str::to_string);
    let Some(url) = arg.map(str::to_string).or(from_env).or(built) else {
        return Ok(None);
    };
    let scheme = url.split_once("://").map(|(s, _)| s);
    if !matches!(scheme, Some("https" | "http" | "ssh" | "git" | "file")) || url.contains(char::is_control) {
        bail!("`{url}` is not the address of a git repository: write one such as https://git.example/pilotdeck.git");
    }
    Ok(Some(url))
}

/// A YAML double-quoted scalar: JSON's string syntax is a subset of it.
fn quoted(value: &str) -> String {
    serde_json::Value::from(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_template_holds_each_placeholder_once() {
        for t in [include_str!("../../ci/github-workflow.yml"), include_str!("../../ci/gitlab-ci.yml")] {
            for p in [REPO_PLACEHOLDER, REV_PLACEHOLDER, SITE_LINE] {
                assert_eq!(t.matches(p).count(), 1, "{p}");
            }
        }
    }

    #[test]
    fn values_are_quoted_for_yaml() {
        assert_eq!(quoted("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
    }
}
