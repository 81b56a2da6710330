//! Importing conduct from outside sources into a case.

pub mod mediawiki;
