//! Printable documents: the release packet, a peer's record of peer work, the program
//! readiness summary and the program report, set as PDFs (the report also as CSV files).

pub mod mentor;
pub mod packet;
pub mod pdf;
pub mod program;
pub mod readiness;

pub use mentor::mentor_summary;
pub use packet::{release_packet, Language};
pub use pdf::{render, Bar, Block, Document};
pub use program::{people_csv, program_csv, program_document};
pub use readiness::readiness_summary;
