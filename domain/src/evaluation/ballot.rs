//! Anonymous ballot codes of the satisfaction survey (群众满意度测评): one-time codes handed
//! out on paper, used on any phone without logging in. Only a keyed hash of each is stored:
//! with the database alone (a leaked backup) the 2^50 codes cannot be tried offline.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

coded_enum! {
    /// The four answers of the survey (§17).
    Answer {
        VerySatisfied = ("very_satisfied", "很满意", "Very satisfied"),
        Satisfied = ("satisfied", "满意", "Satisfied"),
        BasicallySatisfied = ("basically_satisfied", "基本满意", "Basically satisfied"),
        Dissatisfied = ("dissatisfied", "不满意", "Dissatisfied"),
    }
}

/// Letters and digits that cannot be mistaken for each other on paper (no 0/O, 1/I).
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// 10 characters of 5 bits: 2^50 codes, so guessing a live one is hopeless.
pub const CODE_LEN: usize = 10;

/// A code from random bytes (one byte per character).
pub fn code_from(random: [u8; CODE_LEN]) -> String {
    random.iter().map(|b| ALPHABET[usize::from(b & 31)] as char).collect()
}

/// What a voter typed, made canonical (case, spaces and dashes ignored), if it can be a code.
pub fn normalise(typed: &str) -> Option<String> {
    let code: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// Printed as `ABCDE-FGHJK`.
pub fn display(code: &str) -> String {
    let (a, b) = code.split_at(code.len().min(5));
    format!("{a}-{b}")
}

/// The server's key for ballot codes (HMAC-SHA-256), kept outside the database.
#[derive(Clone)]
pub struct CodeKey([u8; 32]);

impl CodeKey {
    pub fn new(key: [u8; 32]) -> CodeKey {
        CodeKey(key)
    }

    /// The stored form of a canonical code.
    pub fn hash(&self, code: &str) -> Vec<u8> {
        // HMAC takes a key of any length: this cannot fail.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts 32 bytes");
        mac.update(code.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

impl std::fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeKey(…)")
    }
}

/// How codes issued before the key were stored (a bare SHA-256): still accepted until their
/// survey closes or its codes are issued again.
pub fn legacy_hash(code: &str) -> Vec<u8> {
    Sha256::digest(code.as_bytes()).to_vec()
}

/// A sheet of freshly issued codes: the only time they are shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BallotSheet {
    pub village: String,
    pub year: i32,
    /// (code as printed, link, QR code as SVG).
    pub ballots: Vec<(String, String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_back_however_they_are_typed() {
        let code = code_from([0, 1, 2, 3, 4, 31, 32, 33, 200, 255]);
        assert_eq!(code, "23456Z23AZ", "each byte picks one of 32 characters");
        assert_eq!(normalise(&display(&code).to_lowercase()), Some(code.clone()));
        assert_eq!(normalise(&format!(" {} ", &code)), Some(code.clone()));
        assert_eq!(normalise("ABCDE-FGHJ0"), None, "0 is not in the alphabet");
        assert_eq!(normalise("ABCDE"), None);
    }

    #[test]
    fn a_code_is_stored_keyed_so_the_database_alone_cannot_check_it() {
        let (a, b) = (CodeKey::new([1; 32]), CodeKey::new([2; 32]));
        let code = normalise("ABCDE-FGHJK").unwrap();
        assert_eq!(a.hash(&code), a.hash("ABCDEFGHJK"));
        assert_ne!(a.hash(&code), b.hash(&code), "another key, another hash");
        assert_ne!(a.hash(&code), legacy_hash(&code));
        assert_ne!(a.hash(&code), a.hash("ABCDEFGHJM"));
        assert_eq!(format!("{a:?}"), "CodeKey(…)", "the key is never logged");
    }
}
