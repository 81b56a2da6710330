//! What a person may do on the server. Four roles are built in; any other name (a review
//! policy's `tns_manager`, `director`, `chief`, …) is a level role that a policy can require.

use std::{fmt, str::FromStr};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Investigator,
    Reviewer,
    Committee,
    Admin,
    /// A level role named by review policies.
    Level(String),
}

impl Role {
    pub fn as_str(&self) -> &str {
        match self {
            Role::Investigator => "investigator",
            Role::Reviewer => "reviewer",
            Role::Committee => "committee",
            Role::Admin => "admin",
            Role::Level(name) => name,
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
        match s.trim() {
            "investigator" => Ok(Role::Investigator),
            "reviewer" => Ok(Role::Reviewer),
            "committee" => Ok(Role::Committee),
            "admin" => Ok(Role::Admin),
            other if casebook_protocol::policy::valid_role(other) => Ok(Role::Level(other.to_string())),
            other => Err(crate::AppError::BadRequest(format!(
                "{other:?} is not a role: investigator, reviewer, committee, admin, or a level role \
                 (lowercase letters, digits and _)"
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
