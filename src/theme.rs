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

/// A built-in template without the indentation of its lines. The default
/// templates are indented to be read; in the pages, a line's indentation is
/// white space that HTML collapses (they have no `<pre>` and no attribute
/// or expression over two lines), and it was a fifth of every pilot page.
/// Templates of a theme or a site are used as written.
pub fn dedent(text: &str) -> String {
    text.split_inclusive('\n').map(|line| line.trim_start_matches([' ', '\t'])).collect()
}

/// Built-ins, then the named theme's folder, then the site's own folders.
pub fn load(root: &Path, theme: Option<&str>) -> Result<Theme> {
    let mut templates: BTreeMap<String, Template> = BTreeMap::new();
    let mut statics = BTreeMap::new();
    for (path, bytes) in embedded::THEME {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = dedent(&String::from_utf8_lossy(bytes));
            templates
                .insert(name.to_string(), Template { name: name.into(), origin: format!("(built-in) {path}"), text });
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), Content::Bytes(bytes.to_vec()));
        }
    }
    let mut layers = Vec::new();
    if let Some(name) = theme {
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            anyhow::bail!("the theme `{name}` named in pilotdeck.toml has no folder `{}`", dir.display());
        }
        layers.push((dir.join("templates"), dir.join("static")));
    }
    layers.push((root.join("templates"), root.join("static")));
    for (tdir, sdir) in layers {
        for (rel, path) in files_below(&tdir)? {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
            let text = crate::source::decode(bytes)
                .map_err(|_| anyhow::anyhow!("the template `{}` is not valid UTF-8", path.display()))?;
            let origin = crate::source::display_path(root, &path);
            templates.insert(rel.clone(), Template { name: rel, origin, text });
        }
        for (rel, path) in files_below(&sdir)? {
            statics.insert(rel, Content::Copy(path));
        }
    }
    Ok(Theme { templates: templates.into_values().collect(), statics })
}

/// Every file below `dir` as (`/`-separated relative path, full path).
fn files_below(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read `{}`", dir.display()))?;
        if entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            out.push((rel, entry.into_path()));
        }
    }
    Ok(out)
}
