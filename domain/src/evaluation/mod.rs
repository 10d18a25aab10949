//! The year-end evaluation 三定一诺双评 (Jiaozhou rules §16–§19, restated item by item in
//! `shared/docs/evaluation-rules.md`): rule sets as data, the organisation score computed item
//! by item with its evidence, the satisfaction survey, and the ranking with its grades.

pub mod grade;
pub mod rules;
