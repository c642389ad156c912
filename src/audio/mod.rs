//! Recordings of the content's texts, for people who read little (issue 20): checked by
//! their bytes (`container`), kept and published as content (`store`), served by their hash
//! (`serve`), recorded and uploaded in the editor (`editor`).

pub mod container;
pub mod serve;
pub mod store;
pub mod wanted;

pub use serve::url;
