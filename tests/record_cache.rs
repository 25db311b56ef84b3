//! The record cache (`.pilotdeck/records.bin`): a build after some records
//! changed reads only those again, and its site is byte for byte the site
//! of a build without the cache, whatever changed (a record's text, a
//! record added, removed or renamed, the config, the as-of date), and
//! whatever the cache holds (records that do not decode, cut short, or
//! not a cache at all).

use crate::common;

use common::*;
use pilotdeck::synth::{write_site_with, Mix};
use std::path::Path;

const AS_OF: &str = "2026-11-20";

fn cache(root: &Path) -> std::path::PathBuf {
    root.join(".pilotdeck/records.bin")
}

/// The records read since `records.bin` was written whole, and the index
/// of them all.
fn changes(root: &Path) -> std::path::PathBuf {
    root.join(".pilotdeck/records.changes.bin")
}

/// The site built into `out` with the record cache as it is, and the same
/// site built into `clean` with no cache (the cache put back after): the
/// two must be the same, file for file, and say the same.
fn same_as_clean(root: &Path, work: &Path, name: &str) {
    let (warm, clean) = (work.join(format!("{name}-warm")), work.join(format!("{name}-clean")));
    let with_cache = build_at(root, AS_OF, &warm);
    let kept = [cache(root), changes(root)].map(|f| (std::fs::read(&f).ok(), f));
    for (_, f) in &kept {
        let _ = std::fs::remove_file(f);
    }
    let without = build_at(root, AS_OF, &clean);
    for (bytes, f) in kept {
        match bytes {
            Some(bytes) => std::fs::write(f, bytes).unwrap(),
            None => {
                let _ = std::fs::remove_file(f);
            }
        }
    }
    // What the builds say, but where they wrote and how long they took.
    let said = |stderr: &str| stderr.lines().filter(|l| !l.starts_with("built ")).collect::<Vec<_>>().join("\n");
    assert_eq!(said(&with_cache.stderr), said(&without.stderr), "{name}: what the builds say");
    let (a, b) = (snapshot(&warm), snapshot(&clean));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{name}: the files");
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{name}: `{path}` differs from a build without the cache");
    }
}

/// Sets the front matter's `key` (written on a line of its own, in TOML
/// or YAML) to `value` in the record at `path`.
fn set(path: &Path, key: &str, value: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let yaml = text.starts_with("---");
    let start = if yaml { format!("{key}: ") } else { format!("{key} = ") };
    let line = text.lines().find(|l| l.starts_with(&start)).unwrap_or_else(|| panic!("no `{key}` in {text}"));
    let new = if yaml { format!("{key}: {value}") } else { format!("{key} = \"{value}\"") };
    std::fs::write(path, text.replacen(line, &new, 1)).unwrap();
}

/// A generated site of `pilots` records in a temporary folder, built once
/// (into `out/` beside it), so that it has a record cache.
fn built_once(pilots: usize, seed: u64) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site_with(&root, pilots, seed, &Mix::REALISTIC).unwrap();
    build_at(&root, AS_OF, &dir.path().join("out"));
    (dir, root)
}

/// The `n`th record file of the site, in file-name order.
fn record(root: &Path, n: usize) -> std::path::PathBuf {
    record_files(root)[n].clone()
}

#[test]
fn a_build_with_the_record_cache_makes_the_site_a_build_without_it_makes() {
    let dir = tempfile::tempdir().unwrap();
    let (root, work) = (dir.path().join("site"), dir.path().join("out"));
    write_site_with(&root, 80, 7, &Mix::REALISTIC).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    // Files over a second old, so that the first build keeps all their
    // stamps (a build that finds a file's stamp to keep writes the cache).
    std::thread::sleep(std::time::Duration::from_millis(1100));

    // The first build writes the cache, ignored by git; the next uses it.
    build_at(&root, AS_OF, &work.join("first"));
    assert!(cache(&root).is_file(), "the first build leaves a record cache");
    assert_eq!(read(&root, ".pilotdeck/.gitignore").lines().last(), Some("*"));
    // With nothing changed every record is found in it: it is not written
    // again.
    let written = std::fs::metadata(cache(&root)).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    build_at(&root, AS_OF, &work.join("second"));
    assert_eq!(std::fs::metadata(cache(&root)).unwrap().modified().unwrap(), written, "the cache was written again");
    assert!(snapshot(&work.join("first")) == snapshot(&work.join("second")));
    same_as_clean(&root, &work, "unchanged");

    // A record's title and body, another's owner (the people pages):
    // only the records read again are written, into the file of changes,
    // beside the whole cache, which is kept as it was.
    let whole = std::fs::read(cache(&root)).unwrap();
    set(&record(&root, 3), "title", "An edited title");
    let a = record(&root, 4);
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(&a, text + "\nA line added to the body.\n").unwrap();
    set(&record(&root, 10), "owner", "Someone Else");
    same_as_clean(&root, &work, "edited");
    assert!(std::fs::read(cache(&root)).unwrap() == whole, "the whole cache was written");
    let changed = std::fs::metadata(changes(&root)).unwrap().len();
    assert!(changed < whole.len() as u64 / 4, "{changed} bytes of changes");
    // The file of changes read back: the records it holds are not read
    // again (the cache is not written), and one more record changed is
    // added to them. (A build first takes the stamps of the files just
    // changed, once they are over a second old, and writes them.)
    std::thread::sleep(std::time::Duration::from_millis(1100));
    build_at(&root, AS_OF, &work.join("edited-stamped"));
    let written = std::fs::metadata(changes(&root)).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    build_at(&root, AS_OF, &work.join("edited-again"));
    assert_eq!(std::fs::metadata(changes(&root)).unwrap().modified().unwrap(), written, "a record read again");
    set(&record(&root, 12), "title", "Another edited title");
    same_as_clean(&root, &work, "edited twice");
    assert!(std::fs::read(cache(&root)).unwrap() == whole, "the whole cache was written");
    assert!(std::fs::metadata(changes(&root)).unwrap().len() > changed, "the changes before are kept");
    // A file of changes garbled, cut short, not a cache at all, or left
    // from before the whole cache was written again: the whole cache is
    // used without it, and what changed since is read again.
    let kept = std::fs::read(changes(&root)).unwrap();
    let mut garbled = kept.clone();
    let middle = garbled.len() / 2;
    garbled[middle..middle + 64].fill(0xff);
    for (name, bytes) in [
        ("changes garbled", &garbled[..]),
        ("changes cut short", &kept[..kept.len() / 2]),
        ("changes not a cache", b"not a cache"),
    ] {
        std::fs::write(changes(&root), bytes).unwrap();
        same_as_clean(&root, &work, name);
    }
    std::fs::write(changes(&root), &kept).unwrap();
    let _ = std::fs::remove_file(cache(&root));
    build_at(&root, AS_OF, &work.join("rewritten"));
    assert!(!changes(&root).exists(), "a cache written whole voids the changes");
    std::fs::write(changes(&root), &kept).unwrap();
    same_as_clean(&root, &work, "changes of another generation");

    // A record removed, one renamed (its place in the order moves), one
    // added.
    std::fs::remove_file(record(&root, 20)).unwrap();
    let c = record(&root, 30);
    std::fs::rename(&c, root.join("content/pilots/aaa-renamed.md")).unwrap();
    let copied = std::fs::read_to_string(record(&root, 40)).unwrap();
    std::fs::write(root.join("content/pilots/zzz-added.md"), copied).unwrap();
    same_as_clean(&root, &work, "moved");

    // Another as-of date: the records are found in the cache (which is
    // not written again), their facts derived again for that date. (A
    // build first takes the stamps of the files changed above, once they
    // are over a second old, and writes them into the cache.)
    std::thread::sleep(std::time::Duration::from_millis(1100));
    build_at(&root, AS_OF, &work.join("stamped"));
    let written = std::fs::metadata(cache(&root)).unwrap().modified().unwrap();
    let other = work.join("other-date");
    build_at(&root, "2026-12-01", &other);
    assert_eq!(std::fs::metadata(cache(&root)).unwrap().modified().unwrap(), written, "no record read again");
    let _ = std::fs::remove_file(cache(&root));
    build_at(&root, "2026-12-01", &work.join("other-date-clean"));
    let (a, b) = (snapshot(&other), snapshot(&work.join("other-date-clean")));
    assert!(a == b, "the site of another date, from the cache, is the site of a build without it");
    assert!(a != snapshot(&work.join("moved-warm")), "another date makes another site");
    build_at(&root, AS_OF, &work.join("back"));

    // The config changed: the cache was read for another config.
    let config = read(&root, "pilotdeck.toml");
    assert!(!config.contains("lessons_heading"));
    std::fs::write(root.join("pilotdeck.toml"), format!("lessons_heading = \"What we learned\"\n{config}")).unwrap();
    same_as_clean(&root, &work, "config");

    // A cache whose index is whole but whose records do not decode (the
    // texts it knew were let go before that was found), one cut short,
    // and one that is not a cache at all.
    let bytes = std::fs::read(cache(&root)).unwrap();
    let mut garbled = bytes.clone();
    let middle = garbled.len() / 3;
    garbled[middle..middle + 64].fill(0xff);
    std::fs::write(cache(&root), &garbled).unwrap();
    same_as_clean(&root, &work, "garbled");
    std::fs::write(cache(&root), &bytes[..bytes.len() / 2]).unwrap();
    same_as_clean(&root, &work, "cut short");
    std::fs::write(cache(&root), b"not a cache").unwrap();
    same_as_clean(&root, &work, "not a cache");
}

#[test]
fn a_record_broken_after_it_was_cached_is_an_error_with_its_line() {
    let (dir, root) = built_once(12, 3);
    let a = record(&root, 2);
    let text = std::fs::read_to_string(&a).unwrap();
    let broken = if text.starts_with("---") {
        text.replacen("stage: ", "stage: nowhere\nwas_stage: ", 1)
    } else {
        text.replacen("stage = ", "stage = \"nowhere\"\nwas_stage = ", 1)
    };
    std::fs::write(&a, broken).unwrap();
    let run = pilotdeck([
        "--root".as_ref(),
        root.as_os_str(),
        "build".as_ref(),
        "--as-of".as_ref(),
        AS_OF.as_ref(),
        "--output".as_ref(),
        dir.path().join("out").as_os_str(),
    ]);
    assert_ne!(run.code, 0);
    let stage = run.diagnostics().into_iter().find(|d| d.header.contains("unknown stage `nowhere`"));
    let stage = stage.unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(run.stderr.contains("stage: nowhere") || run.stderr.contains("stage = \"nowhere\""), "{}", run.stderr);
    assert!(stage.is_error());
}

#[test]
fn check_with_the_record_cache_shows_every_problem_with_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site_with(&root, 40, 5, &Mix::REALISTIC).unwrap();
    // A record whose reading finds problems (a key no one reads, a Liquid
    // tag), and records whose checks find some (a pilot stuck at a stage).
    let odd = "+++\ntitle = \"Odd\"\nstage = \"pilot\"\ncolour = \"blue\"\n+++\nSee {% include x.html %}.\n";
    std::fs::write(root.join("content/pilots/zz-odd.md"), odd).unwrap();
    let check = || pilotdeck(["--root", root.to_str().unwrap(), "check", "--as-of", AS_OF]);
    let cold = check();
    assert!(cache(&root).is_file(), "check leaves a record cache");
    let warm = check();
    assert_eq!(cold.code, warm.code);
    assert_eq!(cold.stdout, warm.stdout);
    assert!(warm.stdout.contains("colour = \"blue\""), "{}", warm.stdout);
    let warnings = warm.diagnostics().into_iter().filter(|d| !d.is_error()).count();
    assert!(warnings > 5, "{}", warm.stdout);
    // Each with its line, as a check without the cache shows it.
    std::fs::remove_file(cache(&root)).unwrap();
    assert_eq!(check().stdout, warm.stdout);
}

/// The config changed between the load that let go of the texts the cache
/// knows and the analysis: the analysis reads every record again, without
/// the cache, and is the analysis of the new config.
#[test]
fn a_config_changed_after_the_cache_was_loaded_reads_everything_again() {
    use pilotdeck::pipeline::{analyse, analyse_releasing, load_remembering, Options};
    let (_dir, root) = built_once(30, 9);
    let opts = Options {
        root: root.clone(),
        as_of: Some(pilotdeck::config::AsOf::Date(pilotdeck::date::Date::parse(AS_OF).unwrap())),
        ..Options::default()
    };
    let (loaded, remembered) = load_remembering(&opts, true).unwrap();
    let config = read(&root, "pilotdeck.toml");
    std::fs::write(root.join("pilotdeck.toml"), format!("lessons_heading = \"What we learned\"\n{config}")).unwrap();
    let (after, _) = analyse_releasing(&opts, loaded, remembered).unwrap();
    let fresh = analyse(&opts).unwrap();
    assert_eq!(after.site.pilots.len(), 30);
    assert_eq!(format!("{:?}", after.site.pilots), format!("{:?}", fresh.site.pilots));
    assert_eq!(after.diagnostics, fresh.diagnostics);
}

/// How many record files a build into `out` knew by their stamps, without
/// reading them; its site is compared with a build from nothing.
fn unread(root: &Path, out: &Path) -> usize {
    counted(&build_compared(root, out, AS_OF).stderr, "of which record files known by their stamps, not read")
}

#[test]
fn records_whose_files_keep_their_stamps_are_not_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    write_site_with(&root, 20, 3, &Mix::REALISTIC).unwrap();
    // Stamps are taken only of files last changed over a second before.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(unread(&root, &out), 0, "no cache yet");
    assert_eq!(unread(&root, &out), 20);

    // A record's text changed, its length and time of change set back as
    // they were (as a copy that keeps times may leave it): the file's own
    // time of change tells, and it is read again.
    let records = record_files(&root);
    let (file, text) = (records.iter().map(|p| (p, std::fs::read_to_string(p).unwrap())))
        .find(|(_, text)| text.starts_with("+++"))
        .unwrap();
    let modified = std::fs::metadata(file).unwrap().modified().unwrap();
    let at = text.find("title = \"").unwrap() + "title = \"".len();
    let edited = format!("{}X{}", &text[..at], &text[at + 1..]);
    assert_eq!(edited.len(), text.len());
    std::fs::write(file, &edited).unwrap();
    std::fs::File::options().write(true).open(file).unwrap().set_modified(modified).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(unread(&root, &out), 19);
    assert!(snapshot(&out).values().any(|page| String::from_utf8_lossy(page).contains(&edited[at..at + 12])));
    assert_eq!(unread(&root, &out), 20);

    // A record whose time of change is not a second before the build (here
    // set ahead, as a clock out of step may leave it): its stamp is not
    // kept (another change within the same tick of the file system's
    // clock would keep it), so it is read each time.
    let other = records.iter().find(|p| *p != file).unwrap();
    let text = std::fs::read_to_string(other).unwrap();
    std::fs::write(other, text + "\nEdited.\n").unwrap();
    let ahead = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    std::fs::File::options().write(true).open(other).unwrap().set_modified(ahead).unwrap();
    assert_eq!(unread(&root, &out), 19);
    assert_eq!(unread(&root, &out), 19);
    let back = std::time::SystemTime::now() - std::time::Duration::from_secs(10);
    std::fs::File::options().write(true).open(other).unwrap().set_modified(back).unwrap();
    // Once it was read a while after its change, its stamp is kept, also
    // by a build that read no record otherwise.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    unread(&root, &out);
    assert_eq!(unread(&root, &out), 20);
}
