//! The template engine: the theme's Tera templates compiled once for a
//! build, what a template error says, and why a file written as it was
//! made may not be whole.

use super::views::Ctx;
use crate::theme::Theme;
use serde::Serialize;

/// A template that would not compile or render.
#[derive(Debug)]
pub struct TemplateError {
    /// Where the template came from (`templates/page.html`).
    pub origin: String,
    pub message: String,
}

/// Templates compiled once for a build.
pub struct Renderer {
    tera: tera::Tera,
    /// The names of the templates that are the default theme's own (no
    /// theme or site folder replaces them); see [`Renderer::builtin`].
    builtin: Vec<String>,
}

impl Renderer {
    pub fn new(theme: &Theme) -> Result<Renderer, TemplateError> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Also replaces the characters XML forbids (see `crate::escape`).
        tera.set_escape_fn(crate::escape::tera);
        let all = theme.templates.iter().map(|t| (t.name.as_str(), t.text.as_str()));
        if let Err(e) = tera.add_raw_templates(all) {
            let message = error_chain(&e);
            let origin = theme
                .templates
                .iter()
                .find(|t| message.contains(&t.name))
                .map_or_else(|| "templates".to_string(), |t| t.origin.clone());
            return Err(TemplateError { origin, message });
        }
        let builtin = theme.templates.iter().filter(|t| t.origin.starts_with("(built-in)")).map(|t| t.name.clone());
        Ok(Renderer { tera, builtin: builtin.collect() })
    }

    /// Whether every one of `templates` is the default theme's own, so
    /// that what they make may be written by their compiled form
    /// (`render::compiled`) rather than by Tera.
    pub(super) fn builtin(&self, templates: &[&str]) -> bool {
        templates.iter().all(|name| self.builtin.iter().any(|b| b == name))
    }

    /// The rows of a long table: `partial` with `root` and `rows`.
    pub(super) fn render_rows<R: Serialize>(
        &self,
        partial: &str,
        ctx: &super::RowsCtx<R>,
    ) -> Result<String, TemplateError> {
        let context = tera::Context::from_serialize(ctx)
            .map_err(|e| TemplateError { origin: partial.into(), message: error_chain(&e) })?;
        self.tera
            .render(partial, &context)
            .map_err(|e| TemplateError { origin: partial.into(), message: error_chain(&e) })
    }

    pub(super) fn render<T: Serialize>(&self, name: &str, ctx: &Ctx<T>) -> Result<String, TemplateError> {
        let context = tera::Context::from_serialize(ctx)
            .map_err(|e| TemplateError { origin: name.into(), message: error_chain(&e) })?;
        self.tera.render(name, &context).map_err(|e| TemplateError { origin: name.into(), message: error_chain(&e) })
    }
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

impl std::error::Error for TemplateError {}

/// Why a file written as it was made is not whole.
#[derive(Debug)]
pub enum Streamed {
    Template(TemplateError),
    Io(std::io::Error),
}

impl From<TemplateError> for Streamed {
    fn from(e: TemplateError) -> Streamed {
        Streamed::Template(e)
    }
}

impl From<std::io::Error> for Streamed {
    fn from(e: std::io::Error) -> Streamed {
        Streamed::Io(e)
    }
}

pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
