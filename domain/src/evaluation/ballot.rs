//! Anonymous ballot codes of the satisfaction survey (群众满意度测评): one-time codes handed
//! out on paper, used on any phone without logging in. Only their hashes are stored.

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

pub fn hash(code: &str) -> Vec<u8> {
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
        assert_ne!(hash(&code), hash(&normalise("ABCDE-FGHJK").unwrap()));
    }
}
