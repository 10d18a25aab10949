use chrono::{DateTime, Utc};
use domain::import::RowError;
use domain::Msg;

/// What can go wrong in the data layer; the web layer maps each to an HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Missing, or outside the caller's scope.
    #[error("not found")]
    NotFound,
    /// The caller's role may not do this.
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input: {0}")]
    Invalid(Msg),
    /// The change collides with existing data (a unique or exclusion constraint).
    #[error("conflict: {0}")]
    Conflict(Msg),
    /// A spreadsheet was rejected; nothing was imported.
    #[error("{} rows rejected", .0.len())]
    Rows(Vec<RowError>),
    #[error("wrong username or password")]
    BadCredentials,
    #[error("login locked until {0}")]
    Locked(DateTime<Utc>),
    #[error(transparent)]
    Database(sqlx::Error),
    /// The store of photos' bytes failed, or holds bytes that are not what was kept.
    #[error(transparent)]
    Files(#[from] crate::files::FilesError),
}

impl From<Msg> for Error {
    fn from(m: Msg) -> Self {
        Error::Invalid(m)
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::RowNotFound = e {
            return Error::NotFound;
        }
        // Text PostgreSQL cannot hold (a NUL character), from any form: the writer's to fix.
        if e.as_database_error().and_then(|d| d.code()).is_some_and(|c| c == "22P05" || c == "22021") {
            return Error::Invalid(Msg::new(
                "内容含有无法保存的字符（如空字符），请删除后重试",
                "the text holds a character that cannot be stored (such as NUL); remove it and try again",
            ));
        }
        let constraint = e.as_database_error().and_then(|d| d.constraint()).map(str::to_owned);
        match constraint.as_deref().and_then(constraint_message) {
            Some(m) => Error::Conflict(m),
            None => Error::Database(e),
        }
    }
}

/// The people's words for the constraints a person can run into.
fn constraint_message(name: &str) -> Option<Msg> {
    let (zh, en) = match name {
        "accounts_username_key" => ("该用户名已被使用", "that username is taken"),
        "townships_name_key" => ("本区已有同名镇街", "the district already has a township of that name"),
        "villages_name_key" => ("该镇街已有同名村（社区）", "the township already has a village of that name"),
        "units_name_key" => ("已有同名派出单位", "a dispatching unit of that name exists"),
        "postings_no_overlap" => ("该书记在这段时间已有选派", "the secretary already has a posting in that period"),
        "households_name_key" => ("该帮扶户已在名单中", "that household is already paired"),
        "accounts_scope_check" => ("角色与所属范围不符", "the role does not match its scope"),
        _ => return None,
    };
    Some(Msg::new(zh, en))
}
