//! Importing checked spreadsheet rows ([`domain::import`]) in one transaction: names are
//! resolved inside the caller's scope, and a file with any bad row imports nothing.

use std::collections::HashMap;

use domain::import::{RowError, SecretaryRow, VillageRow};
use domain::{Action, Actor, Msg, Role};
use sqlx::PgPool;

use crate::accounts::{self, NewAccount};
use crate::org::{self, VillageInput};
use crate::postings::{self, NewPosting};
use crate::scope::BindScope;
use crate::{auth, require, Error, Result};

fn row_error(row: usize, column: &str, zh: String, en: String) -> RowError {
    RowError { row, column: column.to_string(), reason: Msg::new(zh, en) }
}

fn no_township(row: usize, name: &str) -> RowError {
    row_error(row, "镇街", format!("没有名为“{name}”的镇街"), format!("no township named “{name}”"))
}

/// A database refusal of one row (a name taken, an overlapping posting) as that row's error.
fn as_row_error(row: usize, column: &str, e: Error) -> Result<RowError> {
    match e {
        Error::Conflict(m) | Error::Invalid(m) => Ok(RowError { row, column: column.to_string(), reason: m }),
        Error::NotFound | Error::Forbidden => {
            Ok(row_error(row, column, "不在您的管理范围内".into(), "outside your part of the organisation".into()))
        }
        other => Err(other),
    }
}

/// Township name → (id, district id), among the townships the caller sees.
async fn township_ids(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    actor: &Actor,
) -> Result<HashMap<String, (i64, i64)>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(concat!(
        "SELECT t.name, t.id, t.district_id FROM townships t WHERE ",
        visible!("township_places", "t.id")
    ))
    .scoped(actor.scope.filter())
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|(n, id, d)| (n, (id, d))).collect())
}

pub async fn villages(pool: &PgPool, actor: &Actor, rows: &[VillageRow]) -> Result<usize> {
    require(actor, Action::Import)?;
    let mut tx = pool.begin().await?;
    let townships = township_ids(&mut tx, actor).await?;
    let mut errors = Vec::new();
    for r in rows {
        let Some(&(township_id, _)) = townships.get(&r.township) else {
            errors.push(no_township(r.row, &r.township));
            continue;
        };
        let input = VillageInput {
            name: r.name.clone(),
            kind: r.kind,
            geofence: r.geofence,
            eligible_voters: r.eligible_voters,
        };
        // A savepoint per row, so one refused row does not hide the errors of later rows.
        let mut sp = sqlx::Acquire::begin(&mut *tx).await?;
        match org::insert_village(&mut sp, actor, township_id, &input).await {
            Ok(_) => sp.commit().await?,
            Err(e) => errors.push(as_row_error(r.row, "村名", e)?),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Rows(errors));
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// Creates an account and a posting per row. Everyone imported gets `initial_password`.
pub async fn secretaries(pool: &PgPool, actor: &Actor, rows: &[SecretaryRow], initial_password: &str) -> Result<usize> {
    require(actor, Action::Import)?;
    domain::fields::password(initial_password)?;
    let mut tx = pool.begin().await?;
    let townships = township_ids(&mut tx, actor).await?;
    let villages: HashMap<(i64, String), i64> = sqlx::query_as::<_, (i64, String, i64)>(concat!(
        "SELECT v.township_id, v.name, v.id FROM villages v WHERE ",
        visible!("village_places", "v.id")
    ))
    .scoped(actor.scope.filter())
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|(t, n, id)| ((t, n), id))
    .collect();
    let units: HashMap<String, i64> = org::units(pool, actor).await?.into_iter().map(|u| (u.name, u.id)).collect();
    let mut errors = Vec::new();
    for r in rows {
        let Some(&(township_id, district_id)) = townships.get(&r.township) else {
            errors.push(no_township(r.row, &r.township));
            continue;
        };
        let Some(&village_id) = villages.get(&(township_id, r.village.clone())) else {
            errors.push(row_error(
                r.row,
                "村名",
                format!("{}没有“{}”", r.township, r.village),
                format!("{} has no village “{}”", r.township, r.village),
            ));
            continue;
        };
        let Some(&unit_id) = units.get(&r.unit) else {
            errors.push(row_error(
                r.row,
                "派出单位",
                format!("没有名为“{}”的派出单位", r.unit),
                format!("no dispatching unit named “{}”", r.unit),
            ));
            continue;
        };
        let account = NewAccount {
            username: r.username.clone(),
            display_name: r.name.clone(),
            phone: r.phone.clone().unwrap_or_default(),
            role: Some(Role::Secretary),
            district_id: Some(district_id),
            password: initial_password.to_string(),
            ..Default::default()
        };
        let hash = auth::hash_password_blocking(initial_password.to_string()).await;
        let mut sp = sqlx::Acquire::begin(&mut *tx).await?;
        let secretary_id = match accounts::insert(&mut sp, actor, &account, hash).await {
            Ok(id) => id,
            Err(e) => {
                errors.push(as_row_error(r.row, "用户名", e)?);
                continue;
            }
        };
        let posting = NewPosting {
            secretary_id,
            village_id,
            unit_id,
            term_start: r.term_start,
            term_end: r.term_end,
            mode: r.mode,
            source: r.source,
            rank_class: r.rank_class,
            round: r.round,
            assistant_name: None,
            assistant_phone: None,
        };
        match postings::insert(&mut sp, actor, &posting).await {
            Ok(_) => sp.commit().await?,
            Err(e) => errors.push(as_row_error(r.row, "任期开始", e)?),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Rows(errors));
    }
    tx.commit().await?;
    Ok(rows.len())
}
