//! Read models: what the pages and the API show. Filled by the data layer, serialised to the
//! browser.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::org::{PostingMode, PostingSource, RankClass, TownshipKind, UnitKind, VillageKind};
use crate::Role;

/// The logged-in account, as the pages need it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Me {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The name of the subtree the account is bound to (a township, unit, district …).
    pub scope_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Township {
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    pub kind: TownshipKind,
    pub villages: i64,
    pub active_postings: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Village {
    pub id: i64,
    pub township_id: i64,
    pub township: String,
    pub name: String,
    pub kind: VillageKind,
    pub lat: f64,
    pub lon: f64,
    pub geofence_m: i32,
    pub eligible_voters: i32,
}

/// A dispatching unit (派出单位).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Unit {
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    pub kind: UnitKind,
    pub active_postings: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub scope_name: String,
    pub active: bool,
}

/// A posting (选派) with the names it refers to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Posting {
    pub id: i64,
    pub secretary_id: i64,
    pub secretary: String,
    pub village_id: i64,
    pub village: String,
    pub township: String,
    pub unit_id: i64,
    pub unit: String,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub mode: PostingMode,
    pub source: PostingSource,
    pub rank_class: RankClass,
    pub round: i32,
    pub assistant_name: Option<String>,
    /// Whether the posting covers today.
    pub current: bool,
}

/// A paired hardship household (结对帮扶户).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Household {
    pub id: i64,
    pub posting_id: i64,
    pub head_name: String,
    pub members: i32,
    pub address: String,
    pub hardship: String,
    pub paired_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub detail: String,
}

/// A choice in a form: an id and its name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Choice {
    pub id: i64,
    pub name: String,
}
