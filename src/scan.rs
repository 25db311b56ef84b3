//! Finding the first byte of a kind in a string, eight bytes at a time: a
//! word of eight bytes is tested with a few integer operations (SWAR), and
//! only a word that may hold such a byte is looked at byte by byte. Used
//! where most text has nothing to find: the strings of records
//! (`frontmatter_fast`), of the CSV exports (`exports.rs`) and of the
//! pages (`escape.rs`).

/// `0x01` in every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `x` is less than `n` (exact for `n` up to 128).
pub(crate) fn any_below(x: u64, n: u8) -> bool {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0
}

/// Whether some byte of `x` is `b`.
pub(crate) fn any_is(x: u64, b: u8) -> bool {
    any_below(x ^ (ONES * u64::from(b)), 1)
}

/// Where the first byte of `s` for which `special` holds is (`s.len()`
/// when there is none). `maybe` is asked of each eight bytes, read as a
/// little-endian word, whether one of them may be special: it may say yes
/// wrongly (the bytes are then looked at one by one), never no.
pub(crate) fn first(s: &[u8], maybe: impl Fn(u64) -> bool, special: impl Fn(u8) -> bool) -> usize {
    let mut i = 0;
    while let Some(chunk) = s.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else { break };
        if maybe(u64::from_le_bytes(bytes)) {
            if let Some(j) = bytes.iter().position(|&b| special(b)) {
                return i + j;
            }
        }
        i += 8;
    }
    i + s[i..].iter().position(|&b| special(b)).unwrap_or(s.len() - i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_tests_are_exact() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = [b'a'; 8];
                bytes[at] = b;
                let x = u64::from_le_bytes(bytes);
                assert_eq!(any_is(x, b'"'), b == b'"' || b'a' == b'"');
                assert_eq!(any_below(x, 0x20), b < 0x20);
                assert_eq!(any_below(x, 128), b < 128 || b'a' < 128);
            }
        }
    }

    #[test]
    fn first_finds_the_first_special_byte() {
        let special = |b: u8| b == b'x' || b == b'y';
        for len in 0..30 {
            for at in 0..=len {
                for b in [b'x', b'y', b'z'] {
                    let mut s = vec![b'a'; len];
                    if at < len {
                        s[at] = b;
                    }
                    let slow = s.iter().position(|&b| special(b)).unwrap_or(len);
                    // A word test that always says yes must give the same.
                    assert_eq!(first(&s, |x| any_is(x, b'x') || any_is(x, b'y'), special), slow, "{s:?}");
                    assert_eq!(first(&s, |_| true, special), slow, "{s:?}");
                }
            }
        }
    }
}
