//! 驻村通 domain model: the organisation tree, people, postings, roles and the
//! rules that decide who may see and change what. Pure: no IO, no web framework
//! (the optional `sqlx` feature only teaches the types to PostgreSQL).

#[macro_use]
mod code;
pub mod access;
pub mod allowance;
pub mod audit;
pub mod board;
pub mod burden;
pub mod calendar;
pub mod commitment;
pub mod dashboard;
pub mod duty;
pub mod evaluation;
pub mod export;
pub mod feedback;
pub mod field;
pub mod fields;
pub mod geo;
pub mod import;
pub mod intake;
pub mod mandate;
pub mod model;
pub mod monthly;
pub mod org;
pub mod project;
pub mod role;
pub mod sync;
pub mod text;
pub mod time;
pub mod work;

pub use access::{Action, Actor, Scope, ScopeFilter};
pub use geo::{Coordinates, Geofence};
pub use role::Role;
pub use text::{Lang, Msg};
