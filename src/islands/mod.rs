//! The interactive parts of pages: the only code that ships to phones as WASM.
//!
//! Islands receive their words already localised by the server, as server-rendered children,
//! so the WASM carries no strings, no translation tables and no deserialiser.

mod checklist;
mod dom;
mod help_check;
mod quick_exit;

pub use checklist::ChecklistAdvisor;
pub use help_check::HelpCheck;
pub use quick_exit::QuickExit;
