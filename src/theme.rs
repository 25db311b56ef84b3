//! Finds the templates and static files a build uses. Built-in files (the
//! default theme compiled into the binary) are overridden by the files of
//! `themes/NAME/` when the config names a theme, which are overridden by the
//! site's own `templates/` and `static/`.

use crate::output::Content;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The example site `pilotdeck init` writes, as (relative path, bytes).
pub fn example_site() -> &'static [(&'static str, &'static [u8])] {
    embedded::EXAMPLE_SITE
}

/// For the tests: writes the example site into `dir`.
#[cfg(test)]
pub(crate) fn write_example_site(dir: &Path) {
    for (rel, bytes) in example_site() {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("folder");
        std::fs::write(path, bytes).expect("file");
    }
}

/// A template: its name (`pilot.html`), where it came from, and its text.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub origin: String,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Theme {
    pub templates: Vec<Template>,
    /// Static files by output path.
    pub statics: BTreeMap<String, Content>,
}

/// Built-ins, then the named theme's folder, then the site's own folders.
pub fn load(root: &Path, theme: Option<&str>) -> Result<Theme> {
    let mut templates: BTreeMap<String, Template> = BTreeMap::new();
    let mut statics = BTreeMap::new();
    for (path, bytes) in embedded::THEME {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = crate::dedent::dedent(&String::from_utf8_lossy(bytes));
            templates
                .insert(name.to_string(), Template { name: name.into(), origin: format!("(built-in) {path}"), text });
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), Content::Bytes(bytes.to_vec()));
        }
    }
    let mut layers = Vec::new();
    if let Some(name) = theme {
        if let Err(e) = crate::config::check_theme_name(name) {
            anyhow::bail!("{e}");
        }
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            anyhow::bail!("the theme `{name}` named in pilotdeck.toml has no folder `{}`", dir.display());
        }
        layers.push((dir.join("templates"), dir.join("static")));
    }
    layers.push((root.join("templates"), root.join("static")));
    for (tdir, sdir) in layers {
        for (rel, path) in files_below(root, &tdir)? {
            let bytes = crate::nofollow::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
            let text = crate::source::decode(bytes)
                .map_err(|_| anyhow::anyhow!("the template `{}` is not valid UTF-8", path.display()))?;
            let origin = crate::source::display_path(root, &path);
            templates.insert(rel.clone(), Template { name: rel, origin, text });
        }
        for (rel, path) in files_below(root, &sdir)? {
            statics.insert(rel, Content::Copy(path));
        }
    }
    Ok(Theme { templates: templates.into_values().collect(), statics })
}

/// Every file below `dir` as (`/`-separated relative path, real path).
/// Links are followed while they stay inside the site folder `root`; a
/// link that leads out of it is an error (a site publishes only its own
/// files). The real path has no link on the way, so that the file can be
/// read later without following one (see [`crate::nofollow`]).
fn files_below(root: &Path, dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    crate::nofollow::resolve_inside(root, dir)?;
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read `{}`", dir.display()))?;
        if entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            let real = crate::nofollow::resolve_inside(root, entry.path())?;
            out.push((rel, real));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedent_takes_only_the_start_of_lines() {
        assert_eq!(crate::dedent::dedent("  <p>\n\t  a  b\n{% if x %}  \n"), "<p>\na  b\n{% if x %}  \n");
    }

    /// What makes `dedent` safe, held of every built-in template: no
    /// element whose white space shows, and no attribute value, Tera tag or
    /// expression over two lines (its inner indentation would change).
    #[test]
    fn built_in_templates_may_lose_their_indentation() {
        for (path, bytes) in embedded::THEME.iter().filter(|(p, _)| p.starts_with("templates/")) {
            let text = String::from_utf8_lossy(bytes);
            for tag in ["<pre", "<textarea", "white-space"] {
                assert!(!text.contains(tag), "{path} has {tag}: dedent would change what it shows");
            }
            let (mut in_tag, mut quote, mut tera) = (false, None, false);
            let chars: Vec<char> = text.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                let next = chars.get(i + 1).copied();
                match c {
                    '{' if matches!(next, Some('{' | '%' | '#')) => tera = true,
                    '}' | '%' | '#' if tera && next == Some('}') => tera = false,
                    '\n' => assert!(!tera && quote.is_none(), "{path}: a tag or value over two lines"),
                    _ if tera => {}
                    '<' if quote.is_none() => in_tag = true,
                    '>' if quote.is_none() => in_tag = false,
                    '"' | '\'' if in_tag => quote = if quote == Some(c) { None } else { quote.or(Some(c)) },
                    _ => {}
                }
            }
        }
    }
}
