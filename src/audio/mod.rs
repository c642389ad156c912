//! Recordings of the content's texts, for people who read little (issue 20). This first part
//! checks a clip by its bytes; storing, publishing and playing build on it.

pub mod container;
pub mod store;
