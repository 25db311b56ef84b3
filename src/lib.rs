//! pilotdeck: a static site generator for an organization's AI pilots.
//!
//! Data flows one way, each stage a plain function of the one before:
//!
//! 1. `source` walks `content/` and reads every file (with `config` for
//!    `pilotdeck.toml`); `frontmatter` and `node` turn front matter into
//!    spanned values that serde reads into typed records.
//! 2. `model` builds the [`model::Site`]: pages in sections, pilot records,
//!    people, and every derived fact for one as-of date.
//! 3. `check` runs the rules that need the whole site.
//! 4. `render` turns the model into pages with the `theme`'s Tera templates.
//! 5. `output` writes the site beside the old one and swaps it in.
//!
//! `pipeline` sequences the stages; `diag` carries problems with their file,
//! line and column; `cli` maps commands onto the pipeline.

pub(crate) mod cache_file;
pub(crate) mod charts;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub(crate) mod dedent;
pub mod diag;
pub(crate) mod escape;
pub(crate) mod exports;
pub mod frontmatter;
pub(crate) mod frontmatter_fast;
pub mod frontmatter_yaml;
pub(crate) mod frontmatter_yaml_fast;
pub(crate) mod hash;
pub mod history;
pub(crate) mod history_cache;
pub mod import;
pub(crate) mod library_order;
pub(crate) mod links;
pub mod markdown;
pub mod model;
pub(crate) mod names;
pub mod node;
pub(crate) mod nofollow;
pub mod output;
pub mod packed;
pub(crate) mod page_memo;
pub mod pipeline;
pub(crate) mod record_cache;
pub mod render;
pub(crate) mod scan;
pub mod search;
pub(crate) mod search_memo;
pub mod serve;
pub mod source;
pub mod synth;
pub(crate) mod text;
pub mod theme;
pub(crate) mod timing;
pub(crate) mod urls;
