//! Reading what the checker was given: the bundle, the author's public key file, a recipient's
//! identity file and its passphrase. A problem here means "could not check", never "refused".

use casebook_bundle::{PublicIdentity, PublicKeyFile, SecretIdentity, normalize_fingerprint};
use std::{fs::File, io::IsTerminal, path::Path};
use zeroize::Zeroizing;

/// Key and identity files are small; anything larger is not one.
const MAX_KEY_FILE: u64 = 64 * 1024;

pub struct Problem {
    pub code: &'static str,
    pub message: String,
}

impl Problem {
    pub fn io(message: String) -> Problem {
        Problem { code: "io", message }
    }

    fn invalid(message: String) -> Problem {
        Problem { code: "invalid_input", message }
    }
}

pub fn open(path: &Path) -> Result<File, Problem> {
    File::open(path).map_err(|e| Problem::io(format!("opening {}: {e}", path.display())))
}

fn read_small(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>, Problem> {
    let len =
        std::fs::metadata(path).map_err(|e| Problem::io(format!("reading {what} {}: {e}", path.display())))?.len();
    if len > MAX_KEY_FILE {
        return Err(Problem::invalid(format!("{what} {} is {len} bytes: not a key file", path.display())));
    }
    std::fs::read(path).map(Zeroizing::new).map_err(|e| Problem::io(format!("reading {what} {}: {e}", path.display())))
}

pub fn author_key(path: &Path) -> Result<PublicIdentity, Problem> {
    let bytes = read_small(path, "the author key")?;
    PublicKeyFile::parse(&bytes).map_err(|e| Problem::invalid(format!("{}: {e}", path.display())))
}

/// The key file must be the key of the person whose fingerprint was learned out of band.
pub fn check_fingerprint(author: &PublicIdentity, expected: &str) -> Result<(), Problem> {
    let expected = normalize_fingerprint(expected);
    if author.fingerprint() == expected {
        Ok(())
    } else {
        Err(Problem {
            code: "fingerprint_mismatch",
            message: format!(
                "the author key file is {} ({}), not the expected {expected}",
                author.fingerprint(),
                author.name
            ),
        })
    }
}

pub fn identity(path: &Path, passphrase_file: Option<&Path>) -> Result<SecretIdentity, Problem> {
    let bytes = read_small(path, "the identity file")?;
    let passphrase = passphrase(passphrase_file)?;
    SecretIdentity::from_identity_file(&bytes, &passphrase)
        .map_err(|e| Problem { code: e.code(), message: format!("{}: {e}", path.display()) })
}

/// From a file (its first line), the environment, or a no-echo prompt. Never argv.
fn passphrase(file: Option<&Path>) -> Result<Zeroizing<String>, Problem> {
    if let Some(path) = file {
        let text = Zeroizing::new(
            std::fs::read_to_string(path)
                .map_err(|e| Problem::io(format!("reading the passphrase file {}: {e}", path.display())))?,
        );
        return Ok(Zeroizing::new(text.lines().next().unwrap_or("").to_string()));
    }
    if let Ok(value) = std::env::var("CASEBOOK_IDENTITY_PASSPHRASE") {
        return Ok(Zeroizing::new(value));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Problem::invalid(
            "no identity passphrase: set CASEBOOK_IDENTITY_PASSPHRASE, pass --identity-passphrase-file, or run in a terminal"
                .into(),
        ));
    }
    rpassword::prompt_password("Identity file passphrase: ")
        .map(Zeroizing::new)
        .map_err(|e| Problem::io(format!("reading the passphrase: {e}")))
}
