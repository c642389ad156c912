//! Help requests: what a person sends to ask a support organisation for help, checked field
//! by field, and the short reference code they can read out on a phone call.
//!
//! The same rules serve the JSON endpoint, the form without JavaScript and, in the WASM,
//! the form's check on the phone. A request carries the UUID its phone made for it; storing
//! it twice is impossible, so a request replayed from an offline outbox gets the reference it
//! got the first time.

pub mod rules;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
mod form;
#[cfg(feature = "ssr")]
mod input;
#[cfg(feature = "ssr")]
pub mod intake;
#[cfg(feature = "ssr")]
pub mod limit;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use input::{HelpInput, NewRequest, REFERENCE_ALPHABET, is_reference, new_reference};
pub use rules::{CHANNELS, COUNTRIES, FieldError, KINDS, TICKED_MAX, is_sign};
