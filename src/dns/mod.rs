//! DNS for hubs: a responder for the hub's own name on the event network, and RFC 2136
//! updates that put ACME's DNS-01 answers in the organisation's zone.
//!
//! Both read and write DNS's wire format by hand (`wire`), with every length checked
//! against the packet: the responder faces anyone on the event network.

pub mod responder;
mod tsig;
pub mod update;
mod wire;

/// What a [`Provider`] call comes to: done, or why not in words for the operator.
pub type Answer<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>>;

/// Where ACME's DNS-01 answers are published: RFC 2136 first; others (a provider's HTTP
/// API) can follow.
pub trait Provider: Send + Sync {
    /// Publishes the TXT record `value` at `name`, beside any others there.
    fn set_txt<'a>(&'a self, name: &'a str, value: &'a str) -> Answer<'a>;
    /// Takes the TXT record `value` at `name` away, and no other.
    fn remove_txt<'a>(&'a self, name: &'a str, value: &'a str) -> Answer<'a>;
}
