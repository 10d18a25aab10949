//! Telling the secretary about a new roll call with a system notification, where the browser
//! allows it (through the service worker, which Android requires).

use chrono::Local;
use domain::sync::OpenRollCall;
use domain::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions, NotificationPermission, ServiceWorkerRegistration};

/// Whether the person may still be asked (neither granted nor refused yet).
pub fn can_ask() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &"Notification".into()).unwrap_or(false)
        && Notification::permission() == NotificationPermission::Default
}

pub async fn ask() {
    if let Ok(p) = Notification::request_permission() {
        let _ = JsFuture::from(p).await;
    }
}

/// Shows a notification for a roll call, if allowed.
pub async fn roll_call(call: &OpenRollCall, lang: Lang) {
    if !js_sys::Reflect::has(&js_sys::global(), &"Notification".into()).unwrap_or(false)
        || Notification::permission() != NotificationPermission::Granted
    {
        return;
    }
    let Some(container) = web_sys::window().map(|w| w.navigator().service_worker()) else { return };
    let Ok(ready) = container.ready() else { return };
    let Ok(registration) = JsFuture::from(ready).await else { return };
    let registration: ServiceWorkerRegistration = registration.unchecked_into();
    let until = call.deadline.with_timezone(&Local).format("%H:%M").to_string();
    let options = NotificationOptions::new();
    options.set_body(&match lang {
        Lang::Zh => format!("请在 {until} 前在村签到"),
        Lang::En => format!("Check in at the village before {until}"),
    });
    options.set_tag(&format!("roll-call-{}", call.id));
    let _ = registration.show_notification_with_options(lang.pick("镇街点名", "Roll call"), &options);
}
