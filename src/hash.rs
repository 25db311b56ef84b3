//! A fast hash (FxHash, as in rustc) for the maps of a build and of
//! `serve`: their keys are paths, names, tags and words of the site's own
//! content, and the default SipHash was a quarter of a `serve` rebuild. The
//! same key hashes the same in every run; nothing iterates these maps into
//! the output.

use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: a multiply and a rotate per eight bytes.
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fx>>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, BuildHasherDefault<Fx>>;

/// A string of at most 15 bytes as one number: its bytes, its length
/// last. Such keys hash and compare as one number, with no call to compare
/// bytes (the search index's words, the names of the records' people).
pub(crate) fn short_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    let len = bytes.len();
    // Little-endian loads, overlapping where the word is shorter than
    // the loads (the same byte at the same place either way): no call to
    // copy a word of a length unknown until run time.
    let load8 = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
    let load4 = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or([0; 4])));
    let (low, high) = match len {
        16.. => return None,
        9.. => (load8(0), load8(len - 8) >> (8 * (16 - len))),
        8 => (load8(0), 0),
        4.. => (load4(0) | load4(len - 4) << (8 * (len - 4)), 0),
        _ => (bytes.iter().rev().fold(0, |k, &b| k << 8 | u64::from(b)), 0),
    };
    Some(u128::from(low) | u128::from(high) << 64 | (len as u128) << 120)
}

/// Strings numbered 0, 1, 2, ... in the order first given: those of at
/// most 15 bytes (most words and names) by their [`short_key`], hashed and
/// compared as one number; longer ones by their text, kept as `L` (the
/// text borrowed, or a copy of it). The search index's words, the names
/// written in a run of records.
pub(crate) struct Numbered<L> {
    pub short: FastMap<u128, u32>,
    pub long: FastMap<L, u32>,
    count: u32,
}

impl<L> Default for Numbered<L> {
    fn default() -> Self {
        Numbered { short: FastMap::default(), long: FastMap::default(), count: 0 }
    }
}

impl<L: std::hash::Hash + Eq + std::borrow::Borrow<str>> Numbered<L> {
    /// The number of `s`, and whether `s` is new (its number the next).
    pub fn number<'s>(&mut self, s: &'s str) -> (u32, bool)
    where
        L: From<&'s str>,
    {
        let next = self.count;
        let at = match short_key(s) {
            Some(key) => *self.short.entry(key).or_insert(next),
            None => match self.long.get(s) {
                Some(&at) => at,
                None => {
                    self.long.insert(L::from(s), next);
                    next
                }
            },
        };
        let new = at == next;
        self.count += u32::from(new);
        (at, new)
    }
}

/// The string of a key made by [`short_key`].
pub(crate) fn short_word(key: u128) -> String {
    short_text(&key.to_le_bytes()).to_string()
}

/// The string held in the bytes of a key made by [`short_key`]
/// (`key.to_le_bytes()`), without a copy: the word's bytes, its length
/// last. A key made from a `&str` holds whole characters.
pub(crate) fn short_text(bytes: &[u8; 16]) -> &str {
    std::str::from_utf8(&bytes[..usize::from(bytes[15]).min(15)]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_different_keys_differ() {
        use std::hash::BuildHasher;
        let h = |s: &str| BuildHasherDefault::<Fx>::default().hash_one(s);
        assert_eq!(h("pilots/a"), h(&String::from("pilots/a")));
        assert_ne!(h("pilots/a"), h("pilots/b"));
        assert_ne!(h("abcdefgh"), h("abcdefgh1"), "the tail past eight bytes counts");
        let mut map: FastMap<String, usize> = FastMap::default();
        map.insert("x".into(), 1);
        assert_eq!(map.get("x"), Some(&1));
    }

    #[test]
    fn short_keys_are_the_word_and_its_length() {
        for len in 0..=16 {
            let word: String = "abcdefghijklmnopq"[..len].into();
            let want = (len < 16).then(|| {
                let mut key = [0u8; 16];
                key[..len].copy_from_slice(word.as_bytes());
                key[15] = len as u8;
                u128::from_le_bytes(key)
            });
            assert_eq!(short_key(&word), want, "{word}");
            if let Some(key) = want {
                assert_eq!(short_word(key), word);
            }
        }
        assert_ne!(short_key("é"), short_key("e"));
    }

    #[test]
    fn strings_are_numbered_in_the_order_first_given() {
        let mut n: Numbered<&str> = Numbered::default();
        let long = "a name of more than fifteen bytes";
        let got: Vec<_> = ["ann", long, "ann", "bo", long].iter().map(|s| n.number(s)).collect();
        assert_eq!(got, [(0, true), (1, true), (0, false), (2, true), (1, false)]);
        assert!(n.long.contains_key(long) && n.short.len() == 2);
    }
}
