//! The audit log's hash chain (防篡改审计): each entry's hash covers the hash of the entry before
//! it and the entry's own contents, so changing, removing or inserting any entry breaks the
//! chain from there on. The database computes the links as rows are added; the check is here,
//! apart from it, so that altering the database's functions does not alter the check.

use sha2::{Digest, Sha256};

/// The "previous hash" of the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// The hash of an entry whose contents read `body` (the database's canonical text of the
/// entry), after the entry whose hash is `prev`.
pub fn link(prev: &[u8], body: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(body.as_bytes());
    h.finalize().to_vec()
}

/// One entry as stored: its place in the chain, the hashes and its canonical text.
#[derive(Clone, Debug)]
pub struct Link {
    pub seq: i64,
    pub id: i64,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
    pub body: String,
}

/// What is wrong at the first broken entry.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Break {
    #[error("entries are missing before it (expected number {expected})")]
    Gap { expected: i64 },
    #[error("it does not point at the entry before it")]
    Unlinked,
    #[error("its contents do not match its hash")]
    Altered,
}

/// Walks the chain in order of `seq`.
#[derive(Debug)]
pub struct Chain {
    /// Entries checked so far.
    pub len: i64,
    /// The last good entry's hash: noted outside the system, it proves later that nothing up
    /// to it was rewritten, even by someone able to recompute the whole chain.
    pub head: Vec<u8>,
}

impl Default for Chain {
    fn default() -> Chain {
        Chain { len: 0, head: GENESIS.to_vec() }
    }
}

impl Chain {
    pub fn check(&mut self, entry: &Link) -> Result<(), Break> {
        let expected = self.len.checked_add(1).ok_or(Break::Gap { expected: self.len })?;
        if entry.seq != expected {
            return Err(Break::Gap { expected });
        }
        if entry.prev_hash != self.head {
            return Err(Break::Unlinked);
        }
        if link(&entry.prev_hash, &entry.body) != entry.hash {
            return Err(Break::Altered);
        }
        self.len = expected;
        self.head.clone_from(&entry.hash);
        Ok(())
    }
}

/// A hash as printed: lowercase hexadecimal.
pub fn hex(hash: &[u8]) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(bodies: &[&str]) -> Vec<Link> {
        let mut prev = GENESIS.to_vec();
        (1..)
            .zip(bodies)
            .map(|(seq, body)| {
                let hash = link(&prev, body);
                let l = Link { seq, id: seq * 10, prev_hash: prev.clone(), hash: hash.clone(), body: body.to_string() };
                prev = hash;
                l
            })
            .collect()
    }

    fn first_break(links: &[Link]) -> Option<(i64, Break)> {
        let mut c = Chain::default();
        links.iter().find_map(|l| c.check(l).err().map(|b| (l.seq, b)))
    }

    #[test]
    fn any_edit_removal_or_insertion_breaks_the_chain_where_it_was_made() {
        let good = chain(&["a", "b", "c", "d"]);
        assert_eq!(first_break(&good), None);
        let mut c = Chain::default();
        good.iter().for_each(|l| c.check(l).unwrap());
        assert_eq!((c.len, c.head.clone()), (4, good[3].hash.clone()));

        let mut edited = good.clone();
        edited[1].body = "B".into();
        assert_eq!(first_break(&edited), Some((2, Break::Altered)));

        // Rehashing the edited entry moves the break to the next one.
        edited[1].hash = link(&edited[1].prev_hash, "B");
        assert_eq!(first_break(&edited), Some((3, Break::Unlinked)));

        let mut removed = good.clone();
        removed.remove(2);
        assert_eq!(first_break(&removed), Some((4, Break::Gap { expected: 3 })));

        let mut renumbered = removed.clone();
        renumbered[2].seq = 3;
        assert_eq!(first_break(&renumbered), Some((3, Break::Unlinked)));
    }
}
