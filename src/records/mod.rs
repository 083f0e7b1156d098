//! The bot's records: what it writes for curators, and how it is read back.
//!
//! - [`unmatched`]: questions nobody could answer, and handed-off
//!   questions' fate; [`redact`] takes personal details out first.
//! - [`usage`]: answers given and 👍/👎 votes (entry ids and days only).
//! - [`writer`]: one thread per file appending whole JSON lines, so
//!   concurrent answers never interleave and a crash loses at most one.
//! - [`reader`]: reading them back, counting damaged lines instead of
//!   failing on them.
//!
//! All are JSON Lines holding no user or chat ids.

pub mod reader;
pub mod redact;
pub mod unmatched;
pub mod usage;
pub mod writer;
