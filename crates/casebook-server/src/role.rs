//! What a person may do on the server.

use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Investigator,
    Reviewer,
    Committee,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Investigator => "investigator",
            Role::Reviewer => "reviewer",
            Role::Committee => "committee",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Role {
    type Err = crate::AppError;
    fn from_str(s: &str) -> Result<Self, crate::AppError> {
        match s {
            "investigator" => Ok(Role::Investigator),
            "reviewer" => Ok(Role::Reviewer),
            "committee" => Ok(Role::Committee),
            "admin" => Ok(Role::Admin),
            other => Err(crate::AppError::BadRequest(format!(
                "unknown role {other:?}; expected investigator, reviewer, committee or admin"
            ))),
        }
    }
}

/// Roles as stored: a comma-separated list.
pub fn parse_list(text: &str) -> Vec<Role> {
    text.split(',').filter_map(|r| r.parse().ok()).collect()
}

pub fn join(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}
