//! `pilotdeck serve`: build, serve from memory, rebuild on every change.

use super::ServeArgs;
use crate::pipeline::Options;
use crate::serve::{self, ServeOptions};
use std::path::Path;

pub(super) fn run(root: &Path, args: ServeArgs) -> anyhow::Result<u8> {
    let site = Options {
        root: root.to_path_buf(),
        as_of: args.as_of.clone(),
        drafts: args.drafts,
        // Links to the 404 page and the sitemap point at this server.
        base_url: Some(format!("http://{}", std::net::SocketAddr::new(args.bind, args.port))),
        ..Options::default()
    };
    serve::run(ServeOptions { site, bind: args.bind, port: args.port, limits: Default::default() }, args.open)?;
    Ok(0)
}
