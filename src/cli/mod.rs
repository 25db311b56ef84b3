//! The command line: clap definitions, one file per command. Each command
//! returns an [`ExitCode`](std::process::ExitCode)-like number: 0 done, 1 content errors, 2 usage or
//! I/O errors (returned as `Err`).

mod build;
mod check;
mod ci;
mod hook;
mod import;
mod init;
mod new;
mod repo;
mod serve;
mod starter;

use crate::config::AsOf;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::LazyLock;

/// The commit this binary was built from (40 hex digits), when the build
/// could read it (see build.rs).
pub fn commit() -> Option<&'static str> {
    Some(env!("PILOTDECK_COMMIT")).filter(|c| !c.is_empty())
}

/// `--version`: `0.1.0 (abc1234 2026-12-06)`, the commit and its date.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let version = env!("CARGO_PKG_VERSION");
    match (commit(), env!("PILOTDECK_COMMIT_DATE")) {
        (None, _) => format!("{version} (commit unknown)"),
        (Some(c), "") => format!("{version} ({})", &c[..7]),
        (Some(c), date) => format!("{version} ({} {date})", &c[..7]),
    }
});

#[derive(Parser, Debug)]
#[command(name = "pilotdeck", version = VERSION.as_str(), about = "Builds an AI pilot portfolio site from Markdown records")]
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
    /// Start a new site of your own: config, one example record and one page.
    ///
    /// Writes pilotdeck.toml, one example pilot record, one playbook page and
    /// a .gitignore, dated so that the site checks clean today. Asks nothing.
    /// `--example` writes a whole example organisation instead, `--empty`
    /// only the config and empty folders. Never overwrites a file.
    Init(InitArgs),
    /// Build, serve on http://127.0.0.1:1111, rebuild on every change and reload open pages.
    Serve(ServeArgs),
    /// Add a CI workflow to this site: it checks and builds the site on
    /// every push and once a day, with pilotdeck pinned to this binary's commit.
    Ci(CiArgs),
    /// Install or remove a git post-commit hook that rebuilds the site.
    Hook {
        #[command(subcommand)]
        command: HookCommand,
    },
    /// Make or update pilot records from a spreadsheet (CSV or a workbook).
    ///
    /// `--map` says which column feeds which field; `--suggest-map` writes a
    /// first one from the sheet. A record there is changed only in the
    /// fields the mapping names; its body and everything else stay as they
    /// are, and a record that would not change is not written. Nothing is
    /// written when a problem is an error, or with `--dry-run`.
    Import(ImportArgs),
    /// Write a new pilot record or page, dated today.
    ///
    /// Never writes over a file that exists; prints the path written.
    ///
    /// `pilotdeck new pilot "Invoice matching" --owner "Dana Ruiz"` writes
    /// content/pilots/invoice-matching.md; `pilotdeck new page
    /// playbook/scoping/kick-off` writes content/playbook/scoping/kick-off.md.
    New {
        #[command(subcommand)]
        kind: NewKind,
    },
}

#[derive(Subcommand, Debug)]
pub enum NewKind {
    /// content/pilots/ID.md: a record dated today, with the title as written.
    ///
    /// The id (the file name and the page's address) is made from the title:
    /// lowercase letters, digits and `-`, other scripts transliterated
    /// (`Über café — étude` makes `uber-cafe-etude`). An id that a record of
    /// the site already has is refused.
    Pilot(NewPilotArgs),
    /// content/PATH.md, a page such as `playbook/01-scoping/my-page`.
    ///
    /// Each part of PATH is made a name the way ids are (`Über uns` makes
    /// `uber-uns`); the title is `--title`, or the last part of PATH.
    Page(NewPageArgs),
}

#[derive(clap::Args, Debug)]
pub struct NewPilotArgs {
    /// The pilot's title, kept as written (any script).
    pub title: String,
    /// The id instead of the one made from the title: lowercase ASCII
    /// letters, digits, `-` and `_`, such as `crm-assistant`.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// The stage the pilot is at today: one of the config's `stages`
    /// (default: the first).
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// The production owner: the person accountable for the outcome.
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct NewPageArgs {
    /// Where the page goes below content/, without `.md`.
    pub path: String,
    /// The page's title (default: made from the last part of PATH).
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The spreadsheet: CSV (any delimiter; UTF-8, or Windows-1252) or a
    /// workbook (.xlsx, .xlsm, .xlsb, .xls, .ods).
    pub file: PathBuf,
    /// The mapping file (TOML): which column feeds which field.
    #[arg(long, value_name = "MAP.toml", required_unless_present = "suggest_map")]
    pub map: Option<PathBuf>,
    /// Print what would be created, updated, left unchanged and skipped,
    /// and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The workbook's sheet to read (default: the mapping's `sheet`, else
    /// the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Write a first mapping file from the sheet's header and values, to
    /// `--map` or FILE's name with `.map.toml`; never over a file.
    #[arg(long)]
    pub suggest_map: bool,
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
    /// The site's name, shown in the header of every page (default: `AI
    /// Pilot Portfolio`).
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// The address the site will be published at, from which links, the
    /// feed and the sitemap are made (default: a placeholder,
    /// `https://intranet.example/pilots`); it can be changed later in
    /// pilotdeck.toml.
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Also write the CI workflow `pilotdeck ci` writes: it checks and
    /// builds the site on every push and once a day.
    #[arg(long, value_enum)]
    pub ci: Option<Ci>,
    /// Write no content: the commented pilotdeck.toml, a .gitignore and
    /// empty content/pilots/ and content/playbook/ folders, ready for a
    /// playbook of your own (copied in as it is).
    #[arg(long, conflicts_with = "example")]
    pub empty: bool,
    /// Write the example organisation instead: twelve pilot records at every
    /// stage, a full playbook and lessons, to see every page pilotdeck makes.
    /// Its dates are fixed, so some records show warnings as time passes.
    #[arg(long)]
    pub example: bool,
}

#[derive(clap::Args, Debug)]
pub struct CiArgs {
    /// `github` (.github/workflows/pilotdeck.yml) or `gitlab` (.gitlab-ci.yml),
    /// written at the top of the git repository that holds the site.
    #[arg(value_enum, value_name = "SERVICE")]
    pub ci: Ci,
    /// The git repository CI installs pilotdeck from (default: the
    /// `PILOTDECK_REPO` variable, else the one this binary was built from).
    #[arg(long, value_name = "URL")]
    pub repo: Option<String>,
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

/// Writes `bytes` to a new file at `path`, making its folders. A file that
/// is there, or appeared since the caller looked, is never replaced:
/// `Ok(false)` then.
fn write_new(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<bool> {
    use anyhow::Context;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        opened => opened
            .and_then(|mut f| std::io::Write::write_all(&mut f, bytes))
            .map(|()| true)
            .with_context(|| format!("cannot write `{}`", path.display())),
    }
}

/// Runs a parsed command line; `Ok` carries the exit status (0 or 1).
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Build(args) => build::run(&cli.root, args),
        Command::Check(args) => check::run(&cli.root, args),
        Command::Init(args) => init::run(&cli.root, args),
        Command::Import(args) => import::run(&cli.root, args),
        Command::New { kind } => new::run(&cli.root, kind),
        Command::Serve(args) => serve::run(&cli.root, args),
        Command::Ci(args) => ci::run(&cli.root, args),
        Command::Hook { command } => hook::run(&cli.root, command),
    }
}

#[cfg(test)]
mod tests {
    /// clap's own check of the definitions: names, conflicts, defaults.
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
