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
}
