//! Attendance settings: a district's allowance rate and day rule, and the national working
//! calendar's exceptions (holidays and adjusted working days).

use chrono::NaiveDate;
use domain::calendar::{next_year_due, CalendarException, CalendarYear, DistrictAttendance};
use domain::{Action, Actor, Msg, Role};
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{require, Error, Result};

/// The settings of the districts in the caller's scope.
pub async fn districts(pool: &PgPool, actor: &Actor) -> Result<Vec<DistrictAttendance>> {
    require(actor, Action::ViewOrg)?;
    let sql = format!(
        "SELECT d.id, d.name, d.allowance_per_day, d.day_requires_check_out, d.day_min_stay_minutes, d.day_evidence,
                d.max_accuracy_m, d.late_grace_hours, d.burden_budget_minutes
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
    if !(1..=720).contains(&s.late_grace_hours) {
        return Err(Error::Invalid(Msg::new(
            "补报宽限应在 1 到 720 小时之间",
            "the grace for late check-ins must be 1 to 720 hours",
        )));
    }
    if !(10..=1000).contains(&s.max_accuracy_m) {
        return Err(Error::Invalid(Msg::new(
            "定位精度上限应在 10 到 1000 米之间",
            "the accuracy limit must be 10 to 1,000 metres",
        )));
    }
    domain::burden::budget(s.burden_budget_minutes).map_err(Error::Invalid)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "district_places", s.id)?;
    let before: DistrictAttendance = sqlx::query_as(
        "SELECT id, name, allowance_per_day, day_requires_check_out, day_min_stay_minutes, day_evidence, max_accuracy_m,
                late_grace_hours, burden_budget_minutes
           FROM districts WHERE id = $1",
    )
    .bind(s.id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE districts SET allowance_per_day = $2, day_requires_check_out = $3, day_min_stay_minutes = $4,
                max_accuracy_m = $5, late_grace_hours = $6, day_evidence = $7, burden_budget_minutes = $8 WHERE id = $1",
    )
    .bind(s.id)
    .bind(s.allowance_per_day)
    .bind(s.day_requires_check_out)
    .bind(s.day_min_stay_minutes)
    .bind(s.max_accuracy_m)
    .bind(s.late_grace_hours)
    .bind(s.day_evidence)
    .bind(s.burden_budget_minutes)
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

/// The years whose calendar is loaded, and the next one if it is due (from November).
pub async fn calendar_years(pool: &PgPool, actor: &Actor) -> Result<(Vec<CalendarYear>, Option<i32>)> {
    require(actor, Action::ViewOrg)?;
    let years: Vec<CalendarYear> = sqlx::query_as(
        "SELECT y.year, y.notice, a.display_name AS confirmed_by, y.confirmed_at
           FROM calendar_years y LEFT JOIN accounts a ON a.id = y.confirmed_by ORDER BY y.year",
    )
    .fetch_all(pool)
    .await?;
    // The calendar is China's: its date decides which year is next.
    let today: NaiveDate =
        sqlx::query_scalar("SELECT (now() AT TIME ZONE $1)::date").bind(domain::time::ZONE).fetch_one(pool).await?;
    let loaded: Vec<i32> = years.iter().map(|y| y.year).collect();
    Ok((years, next_year_due(today, &loaded)))
}

/// The system administrator confirms that a year's holidays and adjusted working days are all
/// entered, after the State Council's notice; its working days then stop being provisional.
pub async fn confirm_calendar_year(pool: &PgPool, actor: &Actor, year: i32, notice: &str) -> Result<()> {
    if actor.role != Role::SysAdmin {
        return Err(Error::Forbidden);
    }
    if notice.trim().is_empty() {
        return Err(Error::Invalid(Msg::new(
            "请填写所依据的国务院办公厅通知",
            "name the State Council notice the days come from",
        )));
    }
    let mut tx = pool.begin().await?;
    let days: i64 = sqlx::query_scalar("SELECT count(*) FROM calendar_days WHERE extract(year FROM day) = $1")
        .bind(year)
        .fetch_one(&mut *tx)
        .await?;
    if days == 0 {
        return Err(Error::Invalid(Msg::new(
            format!("{year} 年还没有录入任何节假日或调休日，不能确认"),
            format!("no holiday or adjusted working day of {year} is entered yet"),
        )));
    }
    sqlx::query(
        "INSERT INTO calendar_years (year, notice, confirmed_by) VALUES ($1, $2, $3)
         ON CONFLICT (year) DO UPDATE SET notice = EXCLUDED.notice, confirmed_by = EXCLUDED.confirmed_by, confirmed_at = now()",
    )
    .bind(year)
    .bind(notice.trim())
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "confirm_calendar_year",
        "calendar_year",
        Some(i64::from(year)),
        serde_json::json!({ "year": year, "notice": notice.trim(), "days": days }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
