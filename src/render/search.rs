//! Full-text search: a Pagefind index of the rendered pages, written into
//! the site (`pagefind/`), so that search works on an intranet with no
//! server code and no internet. Pages mark what to index with
//! `data-pagefind-body` and their filters (kind, stage, tag) with
//! `data-pagefind-filter`.

use crate::output::{Content, Output};

/// Indexes every HTML page of `output` and adds the index and the search
/// UI files under `pagefind/`.
#[cfg(feature = "search")]
pub fn index(output: &mut Output) -> Result<usize, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder().force_language("en".to_string()).build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        let mut pages = 0;
        for (path, content) in &output.files {
            let Content::Bytes(bytes) = content else { continue };
            if !path.ends_with(".html") || path == "404.html" {
                continue;
            }
            let html = String::from_utf8_lossy(bytes).into_owned();
            if !html.contains("data-pagefind-body") {
                continue;
            }
            index.add_html_file(Some(path.clone()), None, html).await.map_err(|e| format!("{path}: {e}"))?;
            pages += 1;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        for f in files {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            output.add(format!("pagefind/{name}"), f.contents);
        }
        Ok(pages)
    })
}

/// Without the `search` feature there is no index; the search page says so.
#[cfg(not(feature = "search"))]
pub fn index(_output: &mut Output) -> Result<usize, String> {
    Ok(0)
}
