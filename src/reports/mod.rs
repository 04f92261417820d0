//! Printable documents: the release packet, set as a PDF.

pub mod packet;
pub mod pdf;

pub use packet::{release_packet, Language};
pub use pdf::{render, Block, Document};
