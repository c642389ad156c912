//! What a migrant reads: recognition checklists, legal-pathway guides and help contacts,
//! each fact with its source. The advice logic is shared with the checklist island.

pub mod advice;

/// The safety guides other pages link to by slug: for someone held in a scam compound
/// (from the home page), for families worried about someone abroad (from the home page and
/// the contacts), and for outreach workers (from the staff pages and the event screen).
pub mod linked {
    pub const HELD: &str = "held-in-a-scam-compound";
    pub const FAMILIES: &str = "worried-about-someone";
    pub const FRONTLINE: &str = "for-outreach-workers";
}

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
