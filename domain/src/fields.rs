//! Validation of the free-text fields people type in.

use crate::Msg;

/// A person's, village's or unit's name: trimmed, 1–50 characters.
pub fn name(field_zh: &str, field_en: &str, s: &str) -> Result<String, Msg> {
    let s = s.trim();
    let n = s.chars().count();
    if n == 0 {
        return Err(Msg::new(format!("{field_zh}不能为空"), format!("{field_en} must not be empty")));
    }
    if n > 50 {
        return Err(Msg::new(
            format!("{field_zh}不能超过 50 个字"),
            format!("{field_en} must be at most 50 characters"),
        ));
    }
    Ok(s.to_string())
}

/// A login name: 3–32 of a–z, 0–9, `_`, `.`, `-`; case-insensitive (stored lower-case).
pub fn username(s: &str) -> Result<String, Msg> {
    let s = s.trim().to_ascii_lowercase();
    let ok_chars = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
    if !(3..=32).contains(&s.len()) || !ok_chars {
        return Err(Msg::new(
            "用户名须为 3–32 位小写字母、数字或 _ . -",
            "username must be 3–32 lower-case letters, digits or _ . -",
        ));
    }
    Ok(s)
}

/// A new password: at least 10 characters, at most 128.
pub fn password(s: &str) -> Result<&str, Msg> {
    let n = s.chars().count();
    if !(10..=128).contains(&n) {
        return Err(Msg::new("密码须为 10–128 个字符", "password must be 10–128 characters"));
    }
    Ok(s)
}

/// A mainland mobile number (11 digits starting with 1), or empty.
pub fn phone(s: &str) -> Result<Option<String>, Msg> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() == 11 && s.starts_with('1') && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(s.to_string()))
    } else {
        Err(Msg::new(format!("手机号 {s} 不是 11 位数字"), format!("phone {s} is not an 11-digit number")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(name("村名", "village name", "  张庄村 ").unwrap(), "张庄村");
        assert!(name("村名", "village name", " ").is_err());
        assert_eq!(username("Zhang.San").unwrap(), "zhang.san");
        assert!(username("张三").is_err());
        assert!(password("short").is_err());
        assert_eq!(phone("13800000000").unwrap().as_deref(), Some("13800000000"));
        assert!(phone("1380000").is_err());
        assert_eq!(phone("").unwrap(), None);
    }
}
