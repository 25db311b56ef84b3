//! `pilotdeck hook install|uninstall`: a git post-commit hook that rebuilds
//! the site on every commit. An existing hook that pilotdeck did not write
//! is never overwritten without `--force`. The hook runs the pilotdeck that
//! installed it, by its absolute path, so it needs no `pilotdeck` on PATH.

use super::HookCommand;
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

const MARK: &str = "# written by `pilotdeck hook install`";

/// The folder git runs hooks from.
fn hooks_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--git-path", "hooks"])
        .output()
        .context("cannot run git")?;
    if !out.status.success() {
        bail!("`{}` is not inside a git repository", root.display());
    }
    let hooks = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Ok(if hooks.is_absolute() { hooks } else { root.join(hooks) })
}

/// The pilotdeck running now, by the absolute path the hook will run, after
/// checking that it answers `--version` there.
fn this_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find the path of the running pilotdeck")?;
    let exe = std::fs::canonicalize(&exe).with_context(|| format!("cannot resolve `{}`", exe.display()))?;
    let out = std::process::Command::new(&exe).arg("--version").output();
    match out {
        Ok(out) if out.status.success() && out.stdout.starts_with(b"pilotdeck ") => Ok(exe),
        _ => bail!("`{}` does not run as `pilotdeck --version`, so a hook could not run it", exe.display()),
    }
}

/// `value` in single quotes for sh, each `'` in it written `'\''`.
fn sh_quoted(value: &[u8]) -> Vec<u8> {
    let mut out = vec![b'\''];
    for &b in value {
        if b == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(b);
        }
    }
    out.push(b'\'');
    out
}

/// What the hook does after naming the binary and the site: rebuild the
/// site, say so plainly if the binary is gone, never block the commit.
const BODY: &str = r#"
if [ ! -x "$pilotdeck" ]; then
  echo "pilotdeck: the site was not rebuilt: $pilotdeck, which this hook runs, is gone; install pilotdeck again, then run \`pilotdeck hook install\` in the site's folder" >&2
  exit 0
fi
cd "$(git rev-parse --show-toplevel)" || exit 0
"$pilotdeck" --root "$site" build || echo 'pilotdeck: the site was not rebuilt (run `pilotdeck check`)' >&2
exit 0
"#;

fn script(exe: &Path, site: &str) -> Vec<u8> {
    let mut text =
        format!("#!/bin/sh\n{MARK}\n# Rebuilds the site after every commit; the commit itself is never blocked.\n")
            .into_bytes();
    text.extend_from_slice(b"pilotdeck=");
    text.extend(sh_quoted(exe.as_os_str().as_encoded_bytes()));
    text.extend_from_slice(b"\nsite=");
    text.extend(sh_quoted(site.as_bytes()));
    text.extend_from_slice(BODY.as_bytes());
    text
}

pub(super) fn run(root: &Path, cmd: HookCommand) -> anyhow::Result<u8> {
    let hooks = hooks_dir(root)?;
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
            let Some((_, site)) = super::repo::site_in_repo(root)? else {
                bail!("`{}` is not inside a git repository", root.display());
            };
            let exe = this_binary()?;
            let script = script(&exe, &site);
            std::fs::create_dir_all(&hooks).with_context(|| format!("cannot create `{}`", hooks.display()))?;
            std::fs::write(&hook, script).with_context(|| format!("cannot write `{}`", hook.display()))?;
            make_executable(&hook)?;
            eprintln!("installed {}: every commit rebuilds the site with {}", hook.display(), exe.display());
            if exe.components().any(|c| c.as_os_str() == "target") {
                eprintln!("note: that pilotdeck is a build in a `target` folder, which `cargo clean` removes; `cargo install --locked --path .` installs one that stays, then run `pilotdeck hook install` again");
            }
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
