//! The load stage's second source: the pilot records as they stood at each
//! commit of the git repository that holds the site, read with gix (no
//! `git` program needed). Walks HEAD's first parents, oldest last, and
//! keeps for each commit the records whose text changed since the commit
//! before it (and the ones removed). What the records meant then is the
//! model stage's business (`model::history`). What an earlier build read
//! is handed in by the caller (`pipeline` keeps it in
//! `.pilotdeck/history.bin`), so that only the commits since are read.

use crate::date::Date;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// One commit that changed a record.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Commit {
    /// The commit id, 40 hex digits.
    pub id: String,
    /// The commit's date (the committer's, in the committer's zone).
    pub date: Date,
    /// Seconds since 1970, for ordering commits of one day.
    pub time: i64,
    pub author: String,
    /// The first line of the message.
    pub summary: String,
}

/// A record at a commit: its blob, or `None` where the commit removed it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Version {
    /// Index into [`History::commits`].
    pub commit: usize,
    /// Path below `content/`, `/`-separated (`pilots/a.md`).
    pub path: String,
    /// The blob's id, 40 hex digits; `None` where the commit removed the
    /// record.
    pub blob: Option<String>,
    /// The blob's text, for the versions read by this call only (not
    /// kept: what they meant is kept instead, by blob, see
    /// `model::history::Known`).
    #[serde(skip)]
    pub text: Option<Arc<str>>,
}

/// Why history is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Status {
    /// Read from the first commit on.
    #[default]
    Whole,
    /// `history = false` in the config.
    Off,
    /// The site is not in a git repository.
    NoRepository,
    /// A shallow clone: only the commits it holds were read.
    Shallow,
    /// The repository could not be read (the reason).
    Unreadable(String),
}

/// The history of the records, oldest commit first.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct History {
    pub status: Status,
    /// The HEAD commit read from (empty when none was).
    pub head: String,
    pub commits: Vec<Commit>,
    /// In commit order, then path order.
    pub versions: Vec<Version>,
}

impl History {
    /// Whether there is anything to show.
    pub fn is_known(&self) -> bool {
        matches!(self.status, Status::Whole | Status::Shallow) && !self.commits.is_empty()
    }
}

/// Reads the history of `root/content/pilots` from the repository that
/// holds `root`; a site outside git, or a repository that cannot be read,
/// gives an empty history that says why. `earlier` is what a call before
/// returned: when HEAD still descends from its HEAD, only the commits
/// since are read (their versions alone have a `text`); else (history
/// rewritten) all is read again. Gives back where the walk stood, to hand
/// in next time (none for a shallow clone, which is read whole).
pub fn read(root: &Path, earlier: Option<(History, Walk)>) -> (History, Option<Walk>) {
    match read_repo(root, earlier) {
        Ok(read) => read,
        Err(Problem::NoRepository) => (History { status: Status::NoRepository, ..History::default() }, None),
        Err(Problem::Other(why)) => (History { status: Status::Unreadable(why), ..History::default() }, None),
    }
}

/// The id of the HEAD commit of the repository that holds `root`, if any:
/// `serve` reads the history again only when it moves.
pub fn head(root: &Path) -> Option<String> {
    let repo = gix::discover(root).ok()?;
    let id = repo.head_commit().ok()?.id.to_string();
    Some(id)
}

/// The date of the HEAD commit of the repository that holds `root` (for
/// `as_of = "commit"`).
pub fn head_date(root: &Path) -> Option<Date> {
    let repo = gix::discover(root).ok()?;
    let commit = repo.head_commit().ok()?;
    describe(&commit).ok().map(|c| c.date)
}

/// Where the walk of a [`read`] stood at its HEAD: the folder of records
/// and its entries there, so that the commits after it are read from
/// there.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Walk {
    folder: Option<String>,
    /// (name, a folder?, id) of each entry of the folder of records.
    entries: Vec<(String, bool, String)>,
}

enum Problem {
    NoRepository,
    Other(String),
}

fn other(e: impl std::fmt::Display) -> Problem {
    Problem::Other(e.to_string())
}

fn read_repo(root: &Path, earlier: Option<(History, Walk)>) -> Result<(History, Option<Walk>), Problem> {
    let root = root.canonicalize().map_err(|_| Problem::NoRepository)?;
    let mut repo = gix::discover(&root).map_err(|_| Problem::NoRepository)?;
    // The folder of records at one commit is mostly the folder at the
    // commit before: packs store it as a delta of it. Keeping the bases
    // decoded last (up to 64 MiB) spares inflating each chain again.
    repo.objects.set_pack_cache(|| Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(64 << 20)));
    let workdir = repo.workdir().ok_or(Problem::NoRepository)?.canonicalize().map_err(other)?;
    // Where `content/pilots` is in the repository's trees.
    let prefix = root.strip_prefix(&workdir).map_err(other)?;
    let mut pilots: Vec<String> = prefix.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    pilots.extend(["content".to_string(), "pilots".to_string()]);
    let shallow = repo.is_shallow().unwrap_or(false);
    let Ok(head) = repo.head_commit() else {
        // A repository without a commit yet.
        return Ok((History::default(), None));
    };
    let head_id = head.id.to_string();
    // What an earlier call read, if HEAD still descends from it.
    let cached = match earlier.filter(|(h, _)| !shallow && h.status == Status::Whole) {
        Some((h, walk)) if h.head == head_id => return Ok((h, Some(walk))),
        other => other,
    };
    // Newest first: each commit, and the id of its folder of records,
    // back to the commit the cache stood at (or to the first).
    let mut walked: Vec<(Commit, Option<gix::ObjectId>)> = Vec::new();
    let mut next = Some(head);
    let mut reached_cache = false;
    let cached_head = cached.as_ref().and_then(|(h, _)| gix::ObjectId::from_hex(h.head.as_bytes()).ok());
    while let Some(commit) = next.take() {
        if Some(commit.id) == cached_head {
            reached_cache = true;
            break;
        }
        let tree = commit.tree().map_err(other)?;
        let folder = folder_id(&repo, tree, &pilots)?;
        walked.push((describe(&commit)?, folder));
        next = match commit.parent_ids().next() {
            Some(parent) => match parent.object() {
                Ok(o) => Some(o.try_into_commit().map_err(other)?),
                // A shallow clone ends at a commit whose parent is not there.
                Err(_) if shallow => None,
                Err(e) => return Err(other(e)),
            },
            None => None,
        };
    }
    // Oldest first: a version wherever the folder changed, for each record
    // whose blob differs from the commit before.
    walked.reverse();
    let status = if shallow { Status::Shallow } else { Status::Whole };
    let mut history = History { status, head: head_id, ..History::default() };
    let mut texts: BTreeMap<gix::ObjectId, Arc<str>> = BTreeMap::new();
    let mut before: Option<gix::ObjectId> = None;
    let mut entries = Folder::default();
    // From where the cache stood, when the walk reached it (else history
    // was rewritten, and it is read from the first commit).
    if let Some((h, walk)) = cached.filter(|_| reached_cache) {
        let id = |hex: &str| gix::ObjectId::from_hex(hex.as_bytes()).map_err(other);
        before = walk.folder.as_deref().map(id).transpose()?;
        for (name, tree, oid) in walk.entries {
            entries.insert(name, (tree, id(&oid)?));
        }
        history.commits = h.commits;
        history.versions = h.versions;
    }
    for (commit, folder) in walked {
        if folder == before {
            continue;
        }
        let changed = changed_records(&repo, &mut entries, folder)?;
        before = folder;
        if changed.is_empty() {
            continue;
        }
        let index = history.commits.len();
        for (path, blob) in changed {
            let text = match blob {
                None => None,
                Some(id) => Some(match texts.get(&id) {
                    Some(t) => Arc::clone(t),
                    None => {
                        let blob = repo.find_blob(id).map_err(other)?;
                        let t: Arc<str> = String::from_utf8_lossy(&blob.data).into();
                        texts.insert(id, Arc::clone(&t));
                        t
                    }
                }),
            };
            history.versions.push(Version { commit: index, path, blob: blob.map(|b| b.to_string()), text });
        }
        history.commits.push(commit);
    }
    if shallow {
        return Ok((history, None));
    }
    let mut list: Vec<(String, bool, String)> =
        entries.iter().map(|(n, (t, o))| (n.clone(), *t, o.to_string())).collect();
    list.sort();
    Ok((history, Some(Walk { folder: before.map(|f| f.to_string()), entries: list })))
}

/// The entries of the folder of records at the commit before: name ->
/// (a folder?, id).
type Folder = crate::hash::FastMap<String, (bool, gix::ObjectId)>;

/// The records whose blob differs between `before` (the folder of records
/// at the commit before, brought up to date here) and the folder `new`
/// (missing: no records), by path below `content/`, with the new blob
/// (`None`: removed); in path order. An entry that did not change is
/// looked up by its name, without a copy, so that a commit that changed
/// one record of thousands costs a pass over the folder and nothing more.
fn changed_records(
    repo: &gix::Repository,
    before: &mut Folder,
    new: Option<gix::ObjectId>,
) -> Result<Vec<(String, Option<gix::ObjectId>)>, Problem> {
    let tree = new.map(|id| repo.find_tree(id).map_err(other)).transpose()?;
    let decoded = tree.as_ref().map(|t| t.decode().map_err(other)).transpose()?;
    let entries = decoded.as_ref().map_or(&[][..], |d| &d.entries[..]);
    let mut out = Vec::new();
    let mut seen = 0;
    for e in entries.iter().filter(|e| !e.filename.starts_with(b".")) {
        let Ok(name) = std::str::from_utf8(e.filename) else { continue };
        let (tree, oid) = (e.mode.is_tree(), e.oid.to_owned());
        let was = before.get(name).copied();
        if was.is_some() {
            seen += 1;
        }
        if was == Some((tree, oid)) {
            continue;
        }
        let now = records_of(repo, name, tree, oid)?;
        // What this name held before and holds no more (a file that
        // became a folder, or the other way).
        if let Some((was_tree, was_oid)) = was {
            for (path, _) in records_of(repo, name, was_tree, was_oid)? {
                if !now.iter().any(|(p, _)| *p == path) {
                    out.push((path, None));
                }
            }
        }
        out.extend(now);
        before.insert(name.to_string(), (tree, oid));
    }
    if seen < before.len() {
        let names: crate::hash::FastSet<&[u8]> = entries.iter().map(|e| -> &[u8] { e.filename.as_ref() }).collect();
        let gone: Vec<String> = before.keys().filter(|n| !names.contains(n.as_bytes())).cloned().collect();
        for name in gone {
            if let Some((tree, oid)) = before.remove(&name) {
                out.extend(records_of(repo, &name, tree, oid)?.into_iter().map(|(p, _)| (p, None)));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The records an entry of the folder of records holds: `ID.md` itself,
/// or a folder's `index.md`, as the loader finds them.
fn records_of(
    repo: &gix::Repository,
    name: &str,
    tree: bool,
    oid: gix::ObjectId,
) -> Result<Vec<(String, Option<gix::ObjectId>)>, Problem> {
    // The records the model reads: `pilots/ID.md` and `pilots/ID/index.md`
    // (`model::pilot::id_of`), not a folder's own page.
    if !tree {
        if name.ends_with(".md") && !crate::urls::is_index_name(name) {
            return Ok(vec![(format!("pilots/{name}"), Some(oid))]);
        }
        return Ok(Vec::new());
    }
    let sub = repo.find_tree(oid).map_err(other)?;
    Ok(match sub.find_entry("index.md").filter(|e| e.mode().is_blob()) {
        Some(e) => vec![(format!("pilots/{name}/index.md"), Some(e.object_id()))],
        None => Vec::new(),
    })
}

/// The id of the tree at `path` below `tree`, if there is one.
fn folder_id(repo: &gix::Repository, tree: gix::Tree<'_>, path: &[String]) -> Result<Option<gix::ObjectId>, Problem> {
    let mut id = tree.id;
    for name in path {
        let t = repo.find_tree(id).map_err(other)?;
        let found = t.find_entry(name.as_str()).filter(|e| e.mode().is_tree()).map(|e| e.object_id());
        match found {
            Some(child) => id = child,
            None => return Ok(None),
        }
    }
    Ok(Some(id))
}

fn describe(commit: &gix::Commit<'_>) -> Result<Commit, Problem> {
    let time = commit.time().map_err(other)?;
    let date = jiff::Timestamp::from_second(time.seconds)
        .ok()
        .and_then(|t| {
            jiff::tz::Offset::from_seconds(time.offset).ok().map(|o| Date::from_civil(o.to_datetime(t).date()))
        })
        .ok_or_else(|| other("a commit date out of range"))?;
    let author = commit.author().map(|a| a.name.to_string()).unwrap_or_default();
    let summary = commit.message().map(|m| m.summary().to_string()).unwrap_or_default();
    Ok(Commit { id: commit.id.to_string(), date, time: time.seconds, author, summary })
}
