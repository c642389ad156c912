//! What a migrant reads: recognition checklists, legal-pathway guides and help contacts,
//! each fact with its source. The advice logic is shared with the checklist island.

pub mod advice;

#[cfg(feature = "ssr")]
pub mod fields;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod texts;
