use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

use crate::error::AppError;

/// Imports villages or secretaries from an uploaded file. Form fields: `kind` (`villages` or
/// `secretaries`), `password` (secretaries' initial password) and `file`. Returns the number
/// of rows imported; a file with any bad row imports nothing and lists every error.
#[server(endpoint = "import", input = MultipartFormData)]
pub async fn import(data: MultipartData) -> Result<usize, AppError> {
    use crate::server::*;
    use domain::Msg;
    let actor = actor().await?;
    if !actor.may(domain::Action::Import) {
        return Err(AppError::Forbidden);
    }
    let bad_upload = |_| AppError::Invalid(Msg::new("上传的文件不完整", "the upload is incomplete"));
    let mut form = data.into_inner().ok_or(AppError::Internal)?;
    let (mut kind, mut password, mut file) = (String::new(), String::new(), None);
    while let Some(field) = form.next_field().await.map_err(bad_upload)? {
        match field.name().unwrap_or_default() {
            "kind" => kind = field.text().await.map_err(bad_upload)?,
            "password" => password = field.text().await.map_err(bad_upload)?,
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                file = Some((name, field.bytes().await.map_err(bad_upload)?.to_vec()));
            }
            _ => {}
        }
    }
    let (name, bytes) =
        file.filter(|f| !f.1.is_empty()).ok_or_else(|| AppError::Invalid(Msg::new("请选择文件", "choose a file")))?;
    let table = crate::sheet::read(&name, bytes)?;
    let pool = pool()?;
    Ok(match kind.as_str() {
        "villages" => {
            let rows = domain::import::villages(&table).map_err(AppError::Rows)?;
            db::import::villages(&pool, &actor, &rows).await?
        }
        "secretaries" => {
            let rows = domain::import::secretaries(&table).map_err(AppError::Rows)?;
            db::import::secretaries(&pool, &actor, &rows, &password).await?
        }
        _ => return Err(AppError::Invalid(Msg::new("请选择导入类型", "choose what to import"))),
    })
}
