//! Full-text search: a Pagefind index written into the site (`pagefind/`),
//! so that search works on an intranet with no server code and no internet.
//! Records are made from the model (plain text), not by parsing the built
//! pages: one per pilot, one per lessons-learned section (so that a result
//! lands on its section), one per playbook or lesson page; each with
//! filters by kind, stage and tag.

use crate::model::Site;
use crate::output::Output;
use std::collections::BTreeMap;

/// One searchable record.
pub struct Record {
    /// From the site root, with a leading slash (`/pilots/a/#lessons-learned`).
    pub url: String,
    pub title: String,
    pub content: String,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// Text of an HTML fragment: tags dropped, the common entities decoded.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => {
                in_tag = false;
                out.push(' ');
            }
            (false, c) => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

fn filters(kind: &str, stage: Option<&str>, tags: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut f = BTreeMap::new();
    f.insert("kind".to_string(), vec![kind.to_string()]);
    if let Some(s) = stage {
        f.insert("stage".to_string(), vec![s.to_string()]);
    }
    if !tags.is_empty() {
        f.insert("tag".to_string(), tags.to_vec());
    }
    f
}

/// Every record of the site, made one at a time (the indexer holds its own
/// copy of each; the whole list is never in memory twice).
pub fn records(site: &Site) -> impl Iterator<Item = Record> + '_ {
    let pilots = site.pilots.iter().flat_map(|p| pilot_records(p));
    let pages = site.pages.iter().map(|page| {
        let kind = if page.path.starts_with("lessons/") { "lesson" } else { "playbook" };
        let mut text = vec![page.title.clone()];
        text.extend(page.description.clone());
        text.push(plain(&page.body.html));
        Record {
            url: format!("/{}/", page.path),
            title: page.title.clone(),
            content: text.join("\n"),
            filters: filters(kind, None, &page.tags),
        }
    });
    let sections =
        site.sections.iter().filter(|s| s.path != "pilots" && s.path != "lessons" && !s.body.html.is_empty()).map(
            |s| Record {
                url: format!("/{}/", s.path),
                title: s.title.clone(),
                content: format!("{}\n{}", s.title, plain(&s.body.html)),
                filters: filters("playbook", None, &[]),
            },
        );
    pilots.chain(pages).chain(sections)
}

/// A pilot's record, and one per lessons-learned section.
fn pilot_records(p: &crate::model::Pilot) -> Vec<Record> {
    let mut text = vec![p.title.clone()];
    text.extend([&p.summary, &p.function, &p.owner, &p.success].into_iter().flatten().cloned());
    for c in &p.constraints {
        text.push(c.title.clone());
        text.extend(c.impact.clone());
    }
    for u in &p.updates {
        text.extend([&u.completed, &u.blocker, &u.risk, &u.escalation].into_iter().flatten().cloned());
    }
    text.push(plain(&p.body.html));
    let mut out = vec![Record {
        url: format!("/pilots/{}/", p.id),
        title: p.title.clone(),
        content: text.join("\n"),
        filters: filters("pilot", Some(&p.stage), &p.tags),
    }];
    for (id, html) in &p.body.lessons {
        out.push(Record {
            url: format!("/pilots/{}/#{id}", p.id),
            title: format!("{}: lessons learned", p.title),
            content: plain(html),
            filters: filters("lesson", Some(&p.stage), &p.tags),
        });
    }
    out
}

/// Indexes the site and adds the index and the search UI under `pagefind/`;
/// returns the number of records.
#[cfg(feature = "search")]
pub fn index(site: &Site, output: &mut Output) -> Result<usize, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let mut count = 0;
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder().force_language("en".to_string()).build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        for r in records(site) {
            count += 1;
            let meta = BTreeMap::from([("title".to_string(), r.title)]);
            index
                .add_custom_record(r.url.clone(), r.content, "en".into(), Some(meta), Some(r.filters), None)
                .await
                .map_err(|e| format!("{}: {e}", r.url))?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        for f in files {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            output.add(format!("pagefind/{name}"), f.contents);
        }
        Ok(count)
    })
}

/// Without the `search` feature there is no index; the search page says so.
#[cfg(not(feature = "search"))]
pub fn index(_site: &Site, _output: &mut Output) -> Result<usize, String> {
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_of_html() {
        assert_eq!(plain("<p>a &amp; <b>b</b></p>").split_whitespace().collect::<Vec<_>>(), ["a", "&", "b"]);
    }
}
