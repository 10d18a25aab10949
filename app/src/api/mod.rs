//! Server functions: the HTTP API the pages call. Each body resolves the caller and calls the
//! data layer; errors become [`crate::error::AppError`], whose HTTP status the server sets in
//! one place. Endpoints are named explicitly, so the API's paths are stable and the
//! authorization matrix can list them.

pub mod accounts;
pub mod attendance;
pub mod audit;
pub mod dashboard;
pub mod evaluation;
pub mod feedback;
pub mod import;
pub mod mandates;
pub mod monthly;
pub mod org;
pub mod postings;
pub mod projects;
pub mod session;
pub mod settings;
