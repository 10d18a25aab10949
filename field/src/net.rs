//! Talking to the server: JSON over `fetch` with the session cookie, gzip-compressed pushes
//! (the browser's `CompressionStream`), and photo uploads.

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Request, RequestCredentials, RequestInit, Response};

use domain::Msg;

#[wasm_bindgen]
extern "C" {
    /// The browser's gzip stream (not yet in web-sys's stable API).
    type CompressionStream;
    #[wasm_bindgen(constructor)]
    fn new(format: &str) -> CompressionStream;
}

/// Why a call did not work.
#[derive(Debug)]
pub enum NetError {
    /// No answer: offline, a dropped connection, a timeout. Try again later.
    Unreachable,
    /// The session ended: the person must log in again (nothing local is lost).
    LoggedOut,
    /// The server answered with an error it explained.
    Refused(u16, Msg),
    /// The phone could not keep the answer (storage full or failing).
    Storage(Msg),
}

impl NetError {
    pub fn message(&self) -> Msg {
        match self {
            NetError::Unreachable => Msg::new("无法连接服务器，稍后自动重试", "cannot reach the server; will retry"),
            NetError::LoggedOut => Msg::new("登录已过期，请重新登录后同步", "your session ended; log in again to sync"),
            NetError::Storage(m) => m.clone(),
            NetError::Refused(status, m) => Msg::new(
                format!("服务器拒绝（{status}）：{}", m.zh),
                format!("the server refused ({status}): {}", m.en),
            ),
        }
    }
}

async fn send(method: &str, url: &str, body: Option<&JsValue>, headers: &[(&str, &str)]) -> Result<Response, NetError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(b) = body {
        init.set_body(b);
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| NetError::Unreachable)?;
    for (k, v) in headers {
        let _ = request.headers().set(k, v);
    }
    let window = web_sys::window().ok_or(NetError::Unreachable)?;
    let response: Response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(|_| NetError::Unreachable)?.unchecked_into();
    match response.status() {
        // 304: what the phone holds is current (asked with `If-None-Match`).
        200..=299 | 304 => Ok(response),
        401 => Err(NetError::LoggedOut),
        status => {
            let text = text(&response).await.unwrap_or_default();
            // The server's errors are `AppError`s: {"Invalid": {"zh": …, "en": …}} and the like.
            let msg = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.as_object().and_then(|o| o.values().next().cloned()))
                .and_then(|v| serde_json::from_value::<Msg>(v).ok())
                .unwrap_or_else(|| Msg::new(text.clone(), text));
            Err(NetError::Refused(status, msg))
        }
    }
}

async fn text(response: &Response) -> Result<String, NetError> {
    let promise = response.text().map_err(|_| NetError::Unreachable)?;
    JsFuture::from(promise).await.map_err(|_| NetError::Unreachable)?.as_string().ok_or(NetError::Unreachable)
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, NetError> {
    let body = text(&response).await?;
    serde_json::from_str(&body)
        .map_err(|e| NetError::Refused(response.status(), Msg::new(e.to_string(), e.to_string())))
}

pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, NetError> {
    json(send("GET", url, None, &[]).await?).await
}

/// GETs JSON unless the server's tag is `held` (304: `None`); with the new tag.
pub async fn get_if_changed<T: DeserializeOwned>(
    url: &str,
    held: Option<&str>,
) -> Result<Option<(T, Option<String>)>, NetError> {
    let headers: Vec<(&str, &str)> = held.map(|t| ("if-none-match", t)).into_iter().collect();
    let response = send("GET", url, None, &headers).await?;
    if response.status() == 304 {
        return Ok(None);
    }
    let tag = response.headers().get("etag").ok().flatten();
    Ok(Some((json(response).await?, tag)))
}

/// POSTs JSON compressed with gzip.
pub async fn post_gzip<T: DeserializeOwned>(url: &str, body: &str) -> Result<T, NetError> {
    let gz = gzip(body).await?;
    let headers = [("content-type", "application/json"), ("content-encoding", "gzip")];
    json(send("POST", url, Some(&gz), &headers).await?).await
}

/// POSTs JSON (small requests that need a connection, such as a leave request).
pub async fn post_json<T: DeserializeOwned>(url: &str, body: &str) -> Result<T, NetError> {
    json(send("POST", url, Some(&JsValue::from_str(body)), &[("content-type", "application/json")]).await?).await
}

/// POSTs an empty form (a server function without arguments).
pub async fn post_empty(url: &str) -> Result<(), NetError> {
    send("POST", url, Some(&JsValue::from_str("")), &[("content-type", "application/x-www-form-urlencoded")])
        .await
        .map(|_| ())
}

/// PUTs a photo; returns whether the server stored it now (201) or had it (200).
pub async fn put_blob(url: &str, blob: &Blob) -> Result<(), NetError> {
    let kind = blob.type_();
    let kind = if kind.is_empty() { "image/jpeg".to_string() } else { kind };
    send("PUT", url, Some(blob), &[("content-type", &kind)]).await.map(|_| ())
}

async fn gzip(text: &str) -> Result<JsValue, NetError> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence(&parts).map_err(|_| NetError::Unreachable)?;
    let stream = blob.stream().pipe_through(&CompressionStream::new("gzip").unchecked_into());
    let response = Response::new_with_opt_readable_stream(Some(&stream)).map_err(|_| NetError::Unreachable)?;
    let buffer = response.array_buffer().map_err(|_| NetError::Unreachable)?;
    JsFuture::from(buffer).await.map_err(|_| NetError::Unreachable)
}
