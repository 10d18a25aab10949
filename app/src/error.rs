//! The one error type of the web layer. It crosses the wire to the browser (so pages can show
//! it in the reader's language) and maps to an HTTP status in [`AppError::status`].

use domain::import::RowError;
use domain::{Lang, Msg};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not logged in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid: {0}")]
    Invalid(Msg),
    #[error("conflict: {0}")]
    Conflict(Msg),
    /// A spreadsheet rejected whole, with every bad cell.
    #[error("{} rows rejected", .0.len())]
    Rows(Vec<RowError>),
    #[error("wrong username or password")]
    BadCredentials,
    /// Too many failed attempts (logins, ballot codes); refused until this time (RFC 3339).
    #[error("locked until {0}")]
    Locked(String),
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or could not be read.
    #[error("request failed: {0}")]
    Request(String),
}

impl AppError {
    /// What the person reads.
    pub fn message(&self, lang: Lang) -> String {
        let pick = |zh: &str, en: &str| lang.pick(zh, en).to_string();
        match self {
            AppError::Unauthenticated => pick("请先登录", "Please log in"),
            AppError::Forbidden => pick("您的角色无权进行此操作", "Your role may not do this"),
            AppError::NotFound => {
                pick("未找到，或不在您的管理范围内", "Not found, or outside your part of the organisation")
            }
            AppError::Invalid(m) | AppError::Conflict(m) => m.get(lang).to_string(),
            AppError::Rows(rows) => match lang {
                Lang::Zh => format!("文件有 {} 处错误，未导入任何数据", rows.len()),
                Lang::En => format!("The file has {} errors; nothing was imported", rows.len()),
            },
            AppError::BadCredentials => pick("用户名或密码错误", "Wrong username or password"),
            AppError::Locked(until) => {
                let t = chrono::DateTime::parse_from_rfc3339(until)
                    .map(|t| domain::time::china(t.with_timezone(&chrono::Utc)).format("%H:%M").to_string())
                    .unwrap_or_else(|_| until.clone());
                match lang {
                    Lang::Zh => format!("尝试失败次数过多，请于 {t} 后再试"),
                    Lang::En => format!("Too many failed attempts; try again after {t}"),
                }
            }
            AppError::Internal => pick("服务器出错，请稍后再试", "Server error; please try again later"),
            AppError::Request(_) => {
                pick("请求失败，请检查网络后重试", "The request failed; check the network and retry")
            }
        }
    }
}

impl AppError {
    /// The HTTP status the error stands for (also the status of a page that shows it).
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Invalid(_) | AppError::Rows(_) | AppError::Request(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::Locked(_) => 429,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not parse (a letter in a number field …).
            ServerFnErrorErr::Args(e) => {
                AppError::Invalid(Msg::new(format!("输入有误：{e}"), format!("invalid input: {e}")))
            }
            other => AppError::Request(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    impl AppError {
        pub fn status(&self) -> axum::http::StatusCode {
            axum::http::StatusCode::from_u16(self.http_status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
        }
    }

    impl From<db::Error> for AppError {
        fn from(e: db::Error) -> Self {
            match e {
                db::Error::NotFound => AppError::NotFound,
                db::Error::Forbidden => AppError::Forbidden,
                db::Error::Invalid(m) => AppError::Invalid(m),
                db::Error::Conflict(m) => AppError::Conflict(m),
                db::Error::Rows(r) => AppError::Rows(r),
                db::Error::BadCredentials => AppError::BadCredentials,
                db::Error::Locked(t) => AppError::Locked(t.to_rfc3339()),
                db::Error::Database(e) => {
                    tracing::error!(error = %e, "database error");
                    AppError::Internal
                }
                db::Error::Files(e) => {
                    tracing::error!(error = %e, "file store error");
                    AppError::Internal
                }
            }
        }
    }

    impl From<domain::Msg> for AppError {
        fn from(m: domain::Msg) -> Self {
            AppError::Invalid(m)
        }
    }

    /// Routes outside Leptos (sync, events, reports) answer errors as the same JSON, with the
    /// status the error stands for.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            (self.status(), axum::Json(self)).into_response()
        }
    }
}
