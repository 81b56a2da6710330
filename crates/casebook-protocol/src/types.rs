//! JSON bodies of the API.

use casebook_bundle::PublicIdentity;
use serde::{Deserialize, Serialize};

/// Every error: a stable code the client branches on, and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The one-time token an admin issued.
    pub token: String,
    /// What the person calls this device ("work laptop").
    pub device_name: String,
    pub identity: PublicIdentity,
    /// Base64 Ed25519 signature by `identity` over [`crate::signing::ENROLL_DOMAIN`] ‖ token:
    /// proof that the device holds the private key it enrols.
    pub proof: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    pub user: String,
    pub roles: Vec<String>,
    pub device_fingerprint: String,
}

/// One person in the key directory, with their devices' public keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub roles: Vec<String>,
    pub revoked: bool,
    pub devices: Vec<Device>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub name: String,
    pub fingerprint: String,
    pub identity: PublicIdentity,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub people: Vec<Person>,
}
