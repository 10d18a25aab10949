//! Server functions: the HTTP API the pages call. Each body resolves the caller, calls the
//! data layer and maps errors in one place ([`crate::server::respond`]). Endpoints are named
//! explicitly, so the API's paths are stable and the authorization matrix can list them.

pub mod accounts;
pub mod audit;
pub mod import;
pub mod org;
pub mod postings;
pub mod session;
