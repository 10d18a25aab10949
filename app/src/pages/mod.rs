//! The pages, one module per audience.

mod admin;
mod board;
mod evaluation;
mod homes;
mod public;
mod settings;
mod tree;

pub use admin::*;
pub use board::*;
pub use evaluation::*;
pub use homes::*;
pub use public::*;
pub use settings::*;
pub use tree::*;
