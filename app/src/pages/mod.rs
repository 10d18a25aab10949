//! The pages, one module per audience.

mod admin;
mod board;
mod burden;
mod dashboard;
mod evaluation;
mod feedback;
mod forced;
mod homes;
mod monthly;
mod projects;
mod public;
mod settings;
mod tree;
mod unit;

pub use admin::*;
pub use board::*;
pub use dashboard::*;
pub use evaluation::*;
pub use feedback::*;
pub use homes::*;
pub use monthly::*;
pub use projects::*;
pub use public::*;
pub use settings::*;
pub use tree::*;
pub use unit::*;
