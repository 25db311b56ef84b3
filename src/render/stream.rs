//! Pages whose long constraint tables are written while the page is
//! written: the page is rendered with a marker where each chunk of rows
//! goes, and the chunks are rendered, a few at a time in parallel, as the
//! writing reaches their markers. At 10,000 pilots the library's rows are
//! 45 MB of HTML, which are then never all in memory at once.

use super::views::RowsHtml;
use super::{Streamed, TemplateError};
use rayon::prelude::*;
use std::cell::RefCell;
use std::io::Write;

/// Rows per chunk (as for the rows rendered at once).
const CHUNK: usize = 500;
/// Chunks rendered at a time.
const WINDOW: usize = 8;

/// The chunks of rows a page will show, in the order they were asked for.
#[derive(Default)]
pub(super) struct Deferred {
    chunks: RefCell<Vec<Vec<(usize, usize)>>>,
}

/// Marks the place of chunk `k` in the rendered page. No text from the
/// content can hold it: a raw `<` never comes out of the escape
/// (`crate::escape`), and a NUL is replaced there and in the HTML of
/// Markdown bodies, raw HTML included.
fn marker(k: usize) -> String {
    format!("<\u{0}pilotdeck-rows-{k}\u{0}>")
}

impl Deferred {
    /// The rows of a table (pilot and constraint indexes), as markers.
    pub(super) fn rows(&self, rows: &[(usize, usize)]) -> RowsHtml {
        let mut chunks = self.chunks.borrow_mut();
        let parts = rows
            .chunks(CHUNK)
            .map(|c| {
                chunks.push(c.to_vec());
                tera::Value::safe_string(&marker(chunks.len() - 1))
            })
            .collect();
        RowsHtml { count: rows.len(), parts }
    }

    /// Writes `page` to `out`, each marker replaced by its rows (`render`).
    pub(super) fn write(
        self,
        page: &str,
        render: impl Fn(&[(usize, usize)]) -> Result<String, TemplateError> + Sync,
        out: &mut dyn Write,
    ) -> Result<(), Streamed> {
        let chunks = self.chunks.into_inner();
        // Where each marker is; a theme that shows the tables in another
        // order, or one twice, gets the page made whole in memory instead.
        let mut at = Vec::with_capacity(chunks.len());
        let mut from = 0;
        for k in 0..chunks.len() {
            let m = marker(k);
            match page[from..].find(&m) {
                Some(i) => {
                    at.push(Some(from + i));
                    from += i + m.len();
                }
                None if !page.contains(&m) => at.push(None),
                None => return whole(page, &chunks, render, out),
            }
        }
        let mut written = 0;
        for (w, window) in chunks.chunks(WINDOW).enumerate() {
            let html: Vec<String> = window.par_iter().map(|c| render(c)).collect::<Result<_, _>>()?;
            for (j, html) in html.iter().enumerate() {
                let k = w * WINDOW + j;
                let Some(start) = at[k] else { continue };
                out.write_all(&page.as_bytes()[written..start])?;
                out.write_all(html.as_bytes())?;
                written = start + marker(k).len();
            }
        }
        out.write_all(&page.as_bytes()[written..])?;
        Ok(())
    }
}

/// The page with every marker replaced, made in memory.
fn whole(
    page: &str,
    chunks: &[Vec<(usize, usize)>],
    render: impl Fn(&[(usize, usize)]) -> Result<String, TemplateError> + Sync,
    out: &mut dyn Write,
) -> Result<(), Streamed> {
    let mut page = page.to_string();
    for (k, c) in chunks.iter().enumerate() {
        page = page.replace(&marker(k), &render(c)?);
    }
    out.write_all(page.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(c: &[(usize, usize)]) -> Result<String, TemplateError> {
        Ok(c.iter().map(|(i, j)| format!("<{i}.{j}>")).collect())
    }

    fn page(d: &Deferred, tables: &[&RowsHtml]) -> String {
        let _ = d;
        tables
            .iter()
            .map(|t| t.parts.iter().map(|p| p.as_str().unwrap_or_default().to_string()).collect::<String>() + "|")
            .collect()
    }

    #[test]
    fn rows_are_written_in_place_of_their_markers() {
        let d = Deferred::default();
        let first: Vec<(usize, usize)> = (0..1200).map(|i| (i, 0)).collect();
        let a = d.rows(&first);
        let b = d.rows(&[(7, 1)]);
        assert_eq!((a.count, a.parts.len(), b.parts.len()), (1200, 3, 1));
        let text = format!("head {} tail", page(&d, &[&a, &b]));
        let mut out = Vec::new();
        d.write(&text, render, &mut out).unwrap();
        let want = format!("head {}|<7.1>| tail", first.iter().map(|(i, j)| format!("<{i}.{j}>")).collect::<String>());
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn tables_in_another_order_or_left_out_still_come_out_right() {
        let d = Deferred::default();
        let a = d.rows(&[(1, 0)]);
        let b = d.rows(&[(2, 0)]);
        let _unused = d.rows(&[(3, 0)]);
        let text = format!("{}{}", page(&d, &[&b]), page(&d, &[&a]));
        let mut out = Vec::new();
        d.write(&text, render, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "<2.0>|<1.0>|");
    }
}
