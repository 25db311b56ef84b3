//! A built-in template without the indentation of its lines. The default
//! templates are indented to be read; in the pages, a line's indentation is
//! white space that HTML collapses (they have no `<pre>` and no attribute
//! or expression over two lines), and it was a fifth of every pilot page.
//! Templates of a theme or a site are used as written. `build.rs` uses
//! this file too, so that the compiled templates (`render::compiled`) are
//! the same text Tera gets.

/// `text` with the spaces and tabs at the start of every line removed.
pub fn dedent(text: &str) -> String {
    text.split_inclusive('\n').map(|line| line.trim_start_matches([' ', '\t'])).collect()
}
