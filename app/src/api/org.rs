use domain::model::{Choice, Township, Unit, Village};
use domain::org::{TownshipKind, UnitKind, VillageKind};
use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "districts")]
pub async fn districts() -> Result<Vec<Choice>, AppError> {
    use crate::server::*;
    Ok(db::org::districts(&pool()?, &actor().await?).await?)
}

#[server(endpoint = "townships")]
pub async fn townships() -> Result<Vec<Township>, AppError> {
    use crate::server::*;
    Ok(db::org::townships(&pool()?, &actor().await?).await?)
}

#[server(endpoint = "create_township")]
pub async fn create_township(district_id: i64, name: String, kind: TownshipKind) -> Result<i64, AppError> {
    use crate::server::*;
    Ok(db::org::create_township(&pool()?, &actor().await?, district_id, &name, kind).await?)
}

#[server(endpoint = "villages")]
pub async fn villages(township_id: Option<i64>) -> Result<Vec<Village>, AppError> {
    use crate::server::*;
    Ok(db::org::villages(&pool()?, &actor().await?, township_id).await?)
}

#[server(endpoint = "create_village")]
pub async fn create_village(
    township_id: i64,
    name: String,
    kind: VillageKind,
    lat: f64,
    lon: f64,
    geofence_m: i32,
    eligible_voters: i32,
) -> Result<i64, AppError> {
    use crate::server::*;
    let input = db::org::VillageInput::parse(&name, kind, lat, lon, geofence_m, eligible_voters)?;
    Ok(db::org::create_village(&pool()?, &actor().await?, township_id, &input).await?)
}

#[server(endpoint = "update_village")]
pub async fn update_village(
    id: i64,
    name: String,
    kind: VillageKind,
    lat: f64,
    lon: f64,
    geofence_m: i32,
    eligible_voters: i32,
) -> Result<(), AppError> {
    use crate::server::*;
    let input = db::org::VillageInput::parse(&name, kind, lat, lon, geofence_m, eligible_voters)?;
    Ok(db::org::update_village(&pool()?, &actor().await?, id, &input).await?)
}

#[server(endpoint = "units")]
pub async fn units() -> Result<Vec<Unit>, AppError> {
    use crate::server::*;
    Ok(db::org::units(&pool()?, &actor().await?).await?)
}

/// `township_id` 0 means none (only township units have one).
#[server(endpoint = "create_unit")]
pub async fn create_unit(district_id: i64, name: String, kind: UnitKind, township_id: i64) -> Result<i64, AppError> {
    use crate::server::*;
    let township = (township_id > 0).then_some(township_id);
    Ok(db::org::create_unit(&pool()?, &actor().await?, district_id, &name, kind, township).await?)
}

#[server(endpoint = "update_township")]
pub async fn update_township(id: i64, name: String, kind: TownshipKind) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::org::update_township(&pool()?, &actor().await?, id, &name, kind).await?)
}

#[server(endpoint = "rename_unit")]
pub async fn rename_unit(id: i64, name: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::org::rename_unit(&pool()?, &actor().await?, id, &name).await?)
}
