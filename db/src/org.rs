//! Townships, villages and dispatching units.

use domain::model::{Choice, Township, Unit, Village};
use domain::org::{TownshipKind, UnitKind, VillageKind};
use domain::{fields, Action, Actor, Geofence};
use serde_json::json;
use sqlx::PgPool;

use crate::postings::is_current;
use crate::scope::BindScope;
use crate::{audit, require, Error, Result};

/// Districts the caller may manage (for forms).
pub async fn districts(pool: &PgPool, actor: &Actor) -> Result<Vec<Choice>> {
    require(actor, Action::ViewOrg)?;
    Ok(sqlx::query_as(concat!(
        "SELECT d.id, d.name FROM districts d WHERE ",
        visible!("district_places", "d.id"),
        " ORDER BY d.id"
    ))
    .scoped(actor.scope.filter())
    .fetch_all(pool)
    .await?)
}

pub async fn townships(pool: &PgPool, actor: &Actor) -> Result<Vec<Township>> {
    require(actor, Action::ViewOrg)?;
    Ok(sqlx::query_as(concat!(
        "SELECT t.id, t.district_id, t.name, t.kind,
                (SELECT count(*) FROM villages v WHERE v.township_id = t.id) AS villages,
                (SELECT count(*) FROM postings p JOIN villages v ON v.id = p.village_id
                  JOIN districts d ON d.id = t.district_id WHERE v.township_id = t.id AND ",
        is_current!(),
        ") AS active_postings
           FROM townships t WHERE ",
        visible!("township_places", "t.id"),
        " ORDER BY t.id"
    ))
    .scoped(actor.scope.filter())
    .fetch_all(pool)
    .await?)
}

pub async fn create_township(
    pool: &PgPool,
    actor: &Actor,
    district_id: i64,
    name: &str,
    kind: TownshipKind,
) -> Result<i64> {
    require(actor, Action::ManageOrg)?;
    let name = fields::name("镇街名称", "township name", name)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "district_places", district_id)?;
    let id: i64 =
        sqlx::query_scalar("INSERT INTO townships (district_id, name, kind) VALUES ($1, $2, $3) RETURNING id")
            .bind(district_id)
            .bind(&name)
            .bind(kind)
            .fetch_one(&mut *tx)
            .await?;
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "create",
        "township",
        Some(id),
        json!({ "name": name, "kind": kind }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

const VILLAGE_SELECT: &str = "SELECT v.id, v.township_id, t.name AS township, v.name, v.kind, v.lat, v.lon,
        v.geofence_m, v.eligible_voters
   FROM villages v JOIN townships t ON t.id = v.township_id";

pub async fn villages(pool: &PgPool, actor: &Actor, township_id: Option<i64>) -> Result<Vec<Village>> {
    require(actor, Action::ViewOrg)?;
    let sql = format!(
        "{VILLAGE_SELECT} WHERE {} AND ($6::bigint IS NULL OR v.township_id = $6) ORDER BY t.id, v.name",
        visible!("village_places", "v.id")
    );
    Ok(sqlx::query_as(&sql).scoped(actor.scope.filter()).bind(township_id).fetch_all(pool).await?)
}

/// A village as entered in a form or a spreadsheet row.
#[derive(Clone, Debug)]
pub struct VillageInput {
    pub name: String,
    pub kind: VillageKind,
    pub geofence: Geofence,
    pub eligible_voters: i32,
}

impl VillageInput {
    pub fn parse(
        name: &str,
        kind: VillageKind,
        lat: f64,
        lon: f64,
        radius_m: i32,
        eligible_voters: i32,
    ) -> Result<Self> {
        let name = fields::name("村名", "village name", name)?;
        let geofence = Geofence::parse(domain::Coordinates::parse(lat, lon)?, radius_m)?;
        if eligible_voters < 0 {
            return Err(Error::Invalid(domain::Msg::new("选民数不能为负", "eligible voters cannot be negative")));
        }
        Ok(VillageInput { name, kind, geofence, eligible_voters })
    }
}

pub(crate) async fn insert_village(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    actor: &Actor,
    township_id: i64,
    v: &VillageInput,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO villages (township_id, name, kind, lat, lon, geofence_m, eligible_voters)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(township_id)
    .bind(&v.name)
    .bind(v.kind)
    .bind(v.geofence.center.lat)
    .bind(v.geofence.center.lon)
    .bind(v.geofence.radius_m)
    .bind(v.eligible_voters)
    .fetch_one(&mut **tx)
    .await?;
    audit::record(
        tx,
        Some(actor.account_id),
        "create",
        "village",
        Some(id),
        json!({ "name": v.name, "township_id": township_id }),
    )
    .await?;
    Ok(id)
}

pub async fn create_village(pool: &PgPool, actor: &Actor, township_id: i64, v: &VillageInput) -> Result<i64> {
    require(actor, Action::ManageOrg)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "township_places", township_id)?;
    let id = insert_village(&mut tx, actor, township_id, v).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_village(pool: &PgPool, actor: &Actor, id: i64, v: &VillageInput) -> Result<()> {
    require(actor, Action::ManageOrg)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "village_places", id)?;
    let before: serde_json::Value = sqlx::query_scalar(
        "SELECT json_build_object('name', name, 'kind', kind, 'lat', lat, 'lon', lon, 'geofence_m', geofence_m,
                'eligible_voters', eligible_voters) FROM villages WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE villages SET name = $2, kind = $3, lat = $4, lon = $5, geofence_m = $6, eligible_voters = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(&v.name)
    .bind(v.kind)
    .bind(v.geofence.center.lat)
    .bind(v.geofence.center.lon)
    .bind(v.geofence.radius_m)
    .bind(v.eligible_voters)
    .execute(&mut *tx)
    .await?;
    let after = json!({ "name": v.name, "kind": v.kind, "lat": v.geofence.center.lat, "lon": v.geofence.center.lon,
        "geofence_m": v.geofence.radius_m, "eligible_voters": v.eligible_voters });
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "update",
        "village",
        Some(id),
        json!({ "before": before, "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn units(pool: &PgPool, actor: &Actor) -> Result<Vec<Unit>> {
    require(actor, Action::ViewOrg)?;
    Ok(sqlx::query_as(concat!(
        "SELECT u.id, u.district_id, u.name, u.kind,
                (SELECT count(*) FROM postings p JOIN villages v ON v.id = p.village_id
                  JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id
                  WHERE p.unit_id = u.id AND ",
        is_current!(),
        ") AS active_postings
           FROM units u WHERE ",
        visible!("unit_places", "u.id"),
        " ORDER BY u.kind, u.name"
    ))
    .scoped(actor.scope.filter())
    .fetch_all(pool)
    .await?)
}

pub async fn create_unit(
    pool: &PgPool,
    actor: &Actor,
    district_id: i64,
    name: &str,
    kind: UnitKind,
    township_id: Option<i64>,
) -> Result<i64> {
    require(actor, Action::ManageOrg)?;
    let name = fields::name("单位名称", "unit name", name)?;
    if (kind == UnitKind::Township) != township_id.is_some() {
        return Err(Error::Invalid(domain::Msg::new(
            "镇街类派出单位须选择镇街",
            "a township unit needs its township, other units none",
        )));
    }
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "district_places", district_id)?;
    if let Some(t) = township_id {
        ensure_visible!(&mut *tx, actor, "township_places", t)?;
        let same: bool = sqlx::query_scalar("SELECT district_id = $2 FROM townships WHERE id = $1")
            .bind(t)
            .bind(district_id)
            .fetch_one(&mut *tx)
            .await?;
        if !same {
            return Err(Error::Invalid(domain::Msg::new("镇街不属于该区", "the township is not in that district")));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO units (district_id, name, kind, township_id) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(district_id)
    .bind(&name)
    .bind(kind)
    .bind(township_id)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(&mut tx, Some(actor.account_id), "create", "unit", Some(id), json!({ "name": name, "kind": kind }))
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_township(pool: &PgPool, actor: &Actor, id: i64, name: &str, kind: TownshipKind) -> Result<()> {
    require(actor, Action::ManageOrg)?;
    let name = fields::name("镇街名称", "township name", name)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "township_places", id)?;
    let before: serde_json::Value = sqlx::query_scalar(
        "SELECT json_build_object('name', name, 'kind', kind) FROM townships WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE townships SET name = $2, kind = $3 WHERE id = $1")
        .bind(id)
        .bind(&name)
        .bind(kind)
        .execute(&mut *tx)
        .await?;
    let after = json!({ "name": name, "kind": kind });
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "update",
        "township",
        Some(id),
        json!({ "before": before, "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Renames a dispatching unit (its kind and township are fixed once postings refer to it).
pub async fn rename_unit(pool: &PgPool, actor: &Actor, id: i64, name: &str) -> Result<()> {
    require(actor, Action::ManageOrg)?;
    let name = fields::name("单位名称", "unit name", name)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "unit_places", id)?;
    let before: String =
        sqlx::query_scalar("SELECT name FROM units WHERE id = $1 FOR UPDATE").bind(id).fetch_one(&mut *tx).await?;
    sqlx::query("UPDATE units SET name = $2 WHERE id = $1").bind(id).bind(&name).execute(&mut *tx).await?;
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "update",
        "unit",
        Some(id),
        json!({ "before": { "name": before }, "after": { "name": name } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
