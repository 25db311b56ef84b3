//! The starter files `init` and `new` write (from `starter/`, compiled in):
//! Tera templates filled with TOML values, so that a title in any script or
//! with quotes is written as the record's parser reads it back.

use anyhow::Context as _;

/// `content/_index.md` of a new site: the home page's text.
pub(super) const HOME: &str = include_str!("../../starter/home.md");
/// The one example record of a new site.
pub(super) const PILOT: &str = include_str!("../../starter/pilot.md");
/// The one playbook page of a new site.
pub(super) const PLAYBOOK_PAGE: &str = include_str!("../../starter/playbook-page.md");
/// `.gitignore` of a new site.
pub(super) const GITIGNORE: &str = include_str!("../../starter/gitignore");
/// What `new pilot` writes.
pub(super) const NEW_PILOT: &str = include_str!("../../starter/new-pilot.md");
/// What `new page` writes.
pub(super) const NEW_PAGE: &str = include_str!("../../starter/new-page.md");

/// `template` with each `{{ name }}` replaced by its value, written as is
/// (the values are TOML already: see [`toml_string`]).
pub(super) fn render(template: &str, values: &[(&'static str, String)]) -> anyhow::Result<String> {
    let mut context = tera::Context::new();
    for (name, value) in values {
        context.insert(*name, value);
    }
    let mut out = tera::Tera::one_off(template, &context, false).context("cannot fill in a starter template")?;
    // Tera drops the template's last line break; a text file ends with one.
    if template.ends_with('\n') && !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// `text` as a TOML string, quoted and escaped.
pub(super) fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// `name` as a TOML key: bare when it can be, else quoted.
pub(super) fn toml_key(name: &str) -> String {
    let bare = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        name.to_string()
    } else {
        toml_string(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_keys_read_back_as_written() {
        for text in ["Über café — étude", "say \"hi\"", "back\\slash", "tab\there", "日本語のタイトル", "it's"]
        {
            let line = format!("{} = {}\n", toml_key(text), toml_string(text));
            let table: toml::Table = line.parse().unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(table.get(text).and_then(|v| v.as_str()), Some(text), "{line}");
        }
        assert_eq!(toml_key("pilot"), "pilot");
    }

    #[test]
    fn render_fills_values_as_written() {
        let out = render("a = {{ a }}\n", &[("a", toml_string("<b> & \"c\""))]).unwrap();
        assert!(out.ends_with('\n') && !out.ends_with("\n\n"), "one line break at the end: {out:?}");
        assert_eq!(out.parse::<toml::Table>().unwrap()["a"].as_str(), Some("<b> & \"c\""));
    }
}
