//! The phone's camera and GPS: photos are shrunk to about 1280 px and at most 200 KB before
//! they are stored, and named by the sha256 of their bytes; positions come from the browser's
//! geolocation with the accuracy it reports.

use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, File, HtmlCanvasElement, ImageBitmap};

use domain::Msg;

/// Longest side of a stored photo, pixels.
pub const MAX_SIDE: f64 = 1280.0;
/// Largest stored photo, bytes.
pub const MAX_BYTES: f64 = 200.0 * 1024.0;

fn failed(what: &str) -> Msg {
    Msg::new(format!("无法处理照片（{what}）"), format!("could not process the photo ({what})"))
}

/// A photo or file ready to store: its bytes' sha256 and the Blob holding them.
pub struct Stored {
    pub hash: String,
    pub blob: Blob,
}

/// Shrinks a camera photo to JPEG within [`MAX_SIDE`] and [`MAX_BYTES`], lowering quality
/// first and size next.
pub async fn shrink_photo(file: &File) -> Result<Stored, Msg> {
    let window = web_sys::window().ok_or_else(|| failed("window"))?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file).map_err(|_| failed("decode"))?)
        .await
        .map_err(|_| failed("decode"))?
        .unchecked_into();
    let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
    let mut scale = (MAX_SIDE / w.max(h)).min(1.0);
    let canvas: HtmlCanvasElement = window
        .document()
        .and_then(|d| d.create_element("canvas").ok())
        .ok_or_else(|| failed("canvas"))?
        .unchecked_into();
    loop {
        let (cw, ch) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
        canvas.set_width(cw as u32);
        canvas.set_height(ch as u32);
        let ctx: CanvasRenderingContext2d =
            canvas.get_context("2d").ok().flatten().ok_or_else(|| failed("canvas"))?.unchecked_into();
        ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, cw, ch).map_err(|_| failed("draw"))?;
        for quality in [0.82, 0.7, 0.58, 0.46] {
            let blob = to_jpeg(&canvas, quality).await?;
            if blob.size() <= MAX_BYTES {
                return stored(blob).await;
            }
        }
        scale *= 0.75;
    }
}

async fn to_jpeg(canvas: &HtmlCanvasElement, quality: f64) -> Result<Blob, Msg> {
    let mut result = Err(failed("encode"));
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        result = canvas
            .to_blob_with_type_and_encoder_options(done.unchecked_ref(), "image/jpeg", &JsValue::from_f64(quality))
            .map_err(|_| failed("encode"));
    });
    result?;
    JsFuture::from(promise).await.ok().and_then(|b| b.dyn_into::<Blob>().ok()).ok_or_else(|| failed("encode"))
}

/// An attached file kept as it is (a research report as PDF), named by its hash.
pub async fn keep_file(file: &File) -> Result<Stored, Msg> {
    let blob: Blob = file.clone().unchecked_into();
    stored(blob).await
}

async fn stored(blob: Blob) -> Result<Stored, Msg> {
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|_| failed("read"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let hash = format!("{:x}", Sha256::digest(&bytes));
    Ok(Stored { hash, blob })
}

/// A GPS fix.
pub struct Fix {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
}

/// Asks the browser for a position (fresh, high accuracy, 20 s at most).
pub async fn locate() -> Result<Fix, Msg> {
    let unavailable =
        || Msg::new("无法获取定位，请打开 GPS 并允许定位权限", "no position: turn on GPS and allow location access");
    let geo = web_sys::window().and_then(|w| w.navigator().geolocation().ok()).ok_or_else(unavailable)?;
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(20_000);
    options.set_maximum_age(0);
    let mut started = Ok(());
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |p: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &p);
        });
        let err = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        started = geo.get_current_position_with_error_callback_and_options(
            ok.unchecked_ref(),
            Some(err.unchecked_ref()),
            &options,
        );
    });
    started.map_err(|_| unavailable())?;
    let position: web_sys::Position = JsFuture::from(promise).await.map_err(|_| unavailable())?.unchecked_into();
    let c = position.coords();
    Ok(Fix { lat: c.latitude(), lon: c.longitude(), accuracy_m: c.accuracy() })
}
