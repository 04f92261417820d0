//! Printable documents: the release packet, a peer's record of peer work and the program
//! readiness summary, set as PDFs.

pub mod mentor;
pub mod packet;
pub mod pdf;
pub mod readiness;

pub use mentor::mentor_summary;
pub use packet::{release_packet, Language};
pub use pdf::{render, Block, Document};
pub use readiness::readiness_summary;
