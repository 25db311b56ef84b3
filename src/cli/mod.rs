//! The command line: clap definitions, one file per command. Each command
//! returns an [`ExitCode`]-like number: 0 done, 1 content errors, 2 usage or
//! I/O errors (returned as `Err`).

mod build;
mod check;
mod hook;
mod init;
mod new;
mod serve;

use crate::config::AsOf;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "pilotdeck", version, about = "Builds an AI pilot portfolio site from Markdown records")]
pub struct Cli {
    /// The site's folder (the one with pilotdeck.toml and content/).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the whole site into public/ (or --output).
    Build(BuildArgs),
    /// Report every problem in the content without building.
    Check(CheckArgs),
    /// Write a new site: pilotdeck.toml, an example playbook and pilot records.
    Init(InitArgs),
    /// Build, serve on http://127.0.0.1:1111, rebuild on every change and reload open pages.
    Serve(ServeArgs),
    /// Install or remove a git post-commit hook that rebuilds the site.
    Hook {
        #[command(subcommand)]
        command: HookCommand,
    },
    /// Write a new pilot record or page from the standard template.
    New {
        #[command(subcommand)]
        kind: NewKind,
    },
}

#[derive(Subcommand, Debug)]
pub enum NewKind {
    /// content/pilots/ID.md, the id made from the title.
    Pilot { title: String },
    /// content/PATH.md, such as `playbook/01-scoping/my-page`.
    Page { path: String },
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Where to write the site (default: public/ in the site folder).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Compute every figure as of this date (YYYY-MM-DD, `today` in the
    /// site's time zone, or `commit`) instead of the config's `as_of`.
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,
    /// Override the config's base_url.
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Include pages and records marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Replace an output folder that holds files pilotdeck did not write
    /// (never the home folder, `/`, the site or a folder that holds it, or a
    /// folder that holds `.git`).
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Compute time-based rules as of this date (YYYY-MM-DD, `today` or `commit`).
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,
    /// Check pages and records marked `draft = true` too.
    #[arg(long)]
    pub drafts: bool,
    /// How to print: `human` (default), `json` (one object per line) or
    /// `github` (workflow commands that annotate a pull request).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// `--deny warnings`: exit 1 on warnings too.
    #[arg(long, value_name = "WHAT", value_parser = ["warnings"])]
    pub deny: Option<String>,
    /// List at most N problems, errors first (the summary still counts
    /// them all).
    #[arg(long, value_name = "N")]
    pub max: Option<usize>,
}

impl CheckArgs {
    pub fn deny_warnings(&self) -> bool {
        self.deny.as_deref() == Some("warnings")
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Folder for the new site (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Also write a CI workflow that checks, builds and publishes the site
    /// on every push and once a day.
    #[arg(long, value_enum)]
    pub ci: Option<Ci>,
    /// Write a site without the example organisation: the commented
    /// pilotdeck.toml, an empty content/pilots/ and a one-paragraph
    /// content/playbook/_index.md, ready for a playbook of your own.
    #[arg(long)]
    pub empty: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ci {
    Github,
    Gitlab,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback is reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in a browser.
    #[arg(long)]
    pub open: bool,
    /// Compute every figure as of this date (YYYY-MM-DD, `today` or `commit`).
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Subcommand, Debug)]
pub enum HookCommand {
    /// Write .git/hooks/post-commit.
    Install {
        /// Replace a post-commit hook that pilotdeck did not write.
        #[arg(long)]
        force: bool,
    },
    /// Remove the hook pilotdeck wrote.
    Uninstall,
}

/// `--as-of`: what the config's `as_of` takes, with the same rule codes.
fn parse_as_of(s: &str) -> Result<AsOf, String> {
    crate::config::parse_as_of(s).map_err(|e| match e {
        crate::date::DateError::Malformed => {
            format!("`{s}` is not a date: write YYYY-MM-DD, such as 2026-03-15")
        }
        crate::date::DateError::OutOfRange => format!("PD005: `{s}` is out of range: {}", e.hint()),
    })
}

/// `--base-url`: what the config's `base_url` takes (PD009 there).
fn parse_base_url(s: &str) -> Result<String, String> {
    crate::config::check_base_url(s)
        .map(|()| s.to_string())
        .map_err(|e| format!("PD009: {e}; {}", crate::config::BASE_URL_HINT))
}

/// Runs a parsed command line; `Ok` carries the exit status (0 or 1).
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Build(args) => build::run(&cli.root, args),
        Command::Check(args) => check::run(&cli.root, args),
        Command::Init(args) => init::run(&cli.root, args),
        Command::New { kind } => new::run(&cli.root, kind),
        Command::Serve(args) => serve::run(&cli.root, args),
        Command::Hook { command } => hook::run(&cli.root, command),
    }
}
