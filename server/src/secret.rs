//! The server's secret: 32 random bytes in a file outside the database (a leaked backup alone
//! does not give it away), written as 64 hexadecimal characters. Created on first start.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use domain::evaluation::ballot::CodeKey;

/// Reads the secret at `path`, creating it (readable by this user only) if there is none.
pub fn load_or_create(path: &Path) -> Result<CodeKey, String> {
    let shown = path.display();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let mode = std::fs::metadata(path).map(|m| m.permissions().mode()).unwrap_or(0);
            if mode & 0o077 != 0 {
                tracing::warn!(path = %shown, "the secret file is readable by others: chmod 600 it");
            }
            parse(text.trim()).map(CodeKey::new).ok_or_else(|| format!("{shown}: expected 64 hexadecimal characters"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key: [u8; 32] = rand::random();
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(|e| format!("{shown}: {e}"))?;
            let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            writeln!(file, "{hex}").map_err(|e| format!("{shown}: {e}"))?;
            tracing::warn!(path = %shown, "created the server's secret: back it up, apart from the database");
            Ok(CodeKey::new(key))
        }
        Err(e) => Err(format!("{shown}: {e}")),
    }
}

fn parse(hex: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| hex.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_secret_is_created_once_kept_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("zhucun-secret-{}", std::process::id()));
        let path = dir.join("secret");
        let first = super::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let again = super::load_or_create(&path).unwrap();
        assert_eq!(first.hash("ABCDEFGHJK"), again.hash("ABCDEFGHJK"), "the same key on the next start");
        std::fs::write(&path, "not hex").unwrap();
        assert!(super::load_or_create(&path).unwrap_err().contains("64 hexadecimal"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
