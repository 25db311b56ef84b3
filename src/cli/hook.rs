//! `pilotdeck hook install|uninstall`: a git post-commit hook that rebuilds
//! the site on every commit. An existing hook that pilotdeck did not write
//! is never overwritten without `--force`.

use super::HookCommand;
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

const MARK: &str = "# written by `pilotdeck hook install`";

fn git_dir(root: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let run = |args: &[&str]| -> anyhow::Result<PathBuf> {
        let out =
            std::process::Command::new("git").arg("-C").arg(root).args(args).output().context("cannot run git")?;
        if !out.status.success() {
            bail!("`{}` is not inside a git repository", root.display());
        }
        Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
    };
    let hooks = run(&["rev-parse", "--git-path", "hooks"])?;
    let top = run(&["rev-parse", "--show-toplevel"])?;
    let hooks = if hooks.is_absolute() { hooks } else { root.join(hooks) };
    Ok((hooks, top))
}

pub fn run(root: &Path, cmd: HookCommand) -> anyhow::Result<u8> {
    let (hooks, top) = git_dir(root)?;
    let hook = hooks.join("post-commit");
    let ours = std::fs::read_to_string(&hook).map(|t| t.contains(MARK)).unwrap_or(false);
    match cmd {
        HookCommand::Install { force } => {
            if hook.exists() && !ours && !force {
                bail!(
                    "`{}` already exists and was not written by pilotdeck; use `--force` to replace it",
                    hook.display()
                );
            }
            let root_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            let top_abs = std::fs::canonicalize(&top).unwrap_or(top);
            let site = root_abs.strip_prefix(&top_abs).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
            let site = if site.is_empty() { ".".to_string() } else { site };
            let script = format!(
                "#!/bin/sh\n{MARK}\n# Rebuilds the site after every commit; the commit itself is never blocked.\ncd \"$(git rev-parse --show-toplevel)\" || exit 0\npilotdeck --root '{}' build || echo 'pilotdeck: the site was not rebuilt (run `pilotdeck check`)' >&2\nexit 0\n",
                site.replace('\'', "'\\''")
            );
            std::fs::create_dir_all(&hooks).with_context(|| format!("cannot create `{}`", hooks.display()))?;
            std::fs::write(&hook, script).with_context(|| format!("cannot write `{}`", hook.display()))?;
            make_executable(&hook)?;
            eprintln!("installed {}: every commit rebuilds the site", hook.display());
        }
        HookCommand::Uninstall => {
            if !hook.exists() {
                eprintln!("no post-commit hook to remove");
            } else if !ours {
                bail!("`{}` was not written by pilotdeck; remove it by hand if you mean to", hook.display());
            } else {
                std::fs::remove_file(&hook).with_context(|| format!("cannot remove `{}`", hook.display()))?;
                eprintln!("removed {}", hook.display());
            }
        }
    }
    Ok(0)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot make `{}` executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> anyhow::Result<()> {
    Ok(())
}
