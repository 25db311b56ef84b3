//! The integration tests, as one test binary.
//!
//! Each file under `tests/` is a module of this crate rather than a crate
//! of its own: one binary links the library once, not 48 times. Each of
//! those binaries had been about 200 MB with debug info, 5 GB in all, and
//! CI ran out of disk linking them. `cargo test serve::` runs one file's
//! tests.
#![allow(clippy::unwrap_used)]

mod common;

mod addresses;
mod as_of_past;
mod board_pack;
mod build;
mod charts_truth;
mod check;
mod check_report;
mod ci_templates;
mod community;
mod decisions;
mod errors;
mod first_hour;
mod foreign_links;
mod foreign_links2;
mod foreign_order;
mod foreign_pages;
mod foreign_shortcodes;
mod foreign_syntax;
mod generate_mix;
mod history;
mod hostile;
mod hostile_input;
mod hostile_links;
mod hostile_output;
mod import;
mod install;
mod jobs;
mod library;
mod lists;
mod names;
mod one_round;
mod ownership;
mod page_memo;
mod people;
mod pilot_page;
mod portfolio;
mod props;
mod record_cache;
mod search_finds;
mod search_memo;
mod serve;
mod serve_hostile;
mod serve_warnings;
mod template_compiler;
mod theme_override;
mod today;
mod tokenizer;
mod urls;
mod yaml_reader;
