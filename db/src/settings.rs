//! Attendance settings: a district's allowance rate and day rule, and the national working
//! calendar's exceptions (holidays and adjusted working days).

use chrono::NaiveDate;
use domain::calendar::{CalendarException, DistrictAttendance};
use domain::{Action, Actor, Msg, Role};
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{require, Error, Result};

/// The settings of the districts in the caller's scope.
pub async fn districts(pool: &PgPool, actor: &Actor) -> Result<Vec<DistrictAttendance>> {
    require(actor, Action::ViewOrg)?;
    let sql = format!(
        "SELECT d.id, d.name, d.allowance_per_day, d.day_requires_check_out, d.day_min_stay_minutes
           FROM districts d WHERE {} ORDER BY d.id",
        visible!("district_places", "d.id")
    );
    Ok(sqlx::query_as(&sql).scoped(actor.scope.filter()).fetch_all(pool).await?)
}

/// Changes a district's settings (the department or the system administrator), audited.
pub async fn update_district(pool: &PgPool, actor: &Actor, s: &DistrictAttendance) -> Result<()> {
    require(actor, Action::ManageOrg)?;
    if !(0..=1000).contains(&s.allowance_per_day) {
        return Err(Error::Invalid(Msg::new(
            "日补贴标准应在 0 到 1000 元之间",
            "the daily rate must be 0 to 1,000 yuan",
        )));
    }
    if !(0..=1440).contains(&s.day_min_stay_minutes) {
        return Err(Error::Invalid(Msg::new(
            "最短在村时长应在 0 到 1440 分钟之间",
            "the minimum stay must be 0 to 1,440 minutes",
        )));
    }
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "district_places", s.id)?;
    let before: DistrictAttendance = sqlx::query_as(
        "SELECT id, name, allowance_per_day, day_requires_check_out, day_min_stay_minutes FROM districts WHERE id = $1",
    )
    .bind(s.id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE districts SET allowance_per_day = $2, day_requires_check_out = $3, day_min_stay_minutes = $4 WHERE id = $1",
    )
    .bind(s.id)
    .bind(s.allowance_per_day)
    .bind(s.day_requires_check_out)
    .bind(s.day_min_stay_minutes)
    .execute(&mut *tx)
    .await?;
    let after = DistrictAttendance { name: before.name.clone(), ..s.clone() };
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "update_district_settings",
        "district",
        Some(s.id),
        serde_json::json!({ "before": before, "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The calendar's exceptions of a year.
pub async fn calendar(pool: &PgPool, actor: &Actor, year: i32) -> Result<Vec<CalendarException>> {
    require(actor, Action::ViewOrg)?;
    Ok(sqlx::query_as("SELECT day, working, name FROM calendar_days WHERE extract(year FROM day) = $1 ORDER BY day")
        .bind(year)
        .fetch_all(pool)
        .await?)
}

/// Sets (or, with `name` empty, removes) an exception. The calendar is national: only the
/// system administrator keeps it.
pub async fn set_calendar_day(pool: &PgPool, actor: &Actor, day: NaiveDate, working: bool, name: &str) -> Result<()> {
    if actor.role != Role::SysAdmin {
        return Err(Error::Forbidden);
    }
    let mut tx = pool.begin().await?;
    if name.trim().is_empty() {
        sqlx::query("DELETE FROM calendar_days WHERE day = $1").bind(day).execute(&mut *tx).await?;
    } else {
        sqlx::query(
            "INSERT INTO calendar_days (day, working, name) VALUES ($1, $2, $3)
             ON CONFLICT (day) DO UPDATE SET working = EXCLUDED.working, name = EXCLUDED.name",
        )
        .bind(day)
        .bind(working)
        .bind(name.trim())
        .execute(&mut *tx)
        .await?;
    }
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "set_calendar_day",
        "calendar_day",
        None,
        serde_json::json!({ "day": day, "working": working, "name": name.trim() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
