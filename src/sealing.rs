//! Secrets at rest: values sealed with the server's master key (XChaCha20-Poly1305), bound to
//! the row they belong to. Neutral ground: the store is handed a `Sealer`, nothing here knows
//! of the store or the domain.

use std::fmt;
use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Every sealed value starts with this, then the key id, then the sealed bytes.
const PREFIX: &str = "cog1:";
const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the master key must be 32 bytes, base64-encoded")]
    BadKey,
    #[error("value is not sealed")]
    NotSealed,
    #[error("value was sealed with master key {0}, not the configured one")]
    OtherKey(String),
    #[error("sealed value is damaged or belongs to another row")]
    Damaged,
    #[error("master key file {path}: {source}")]
    KeyFile {
        path: String,
        source: std::io::Error,
    },
}

/// Seals and opens values with one 256-bit key. Prints only its key id.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    key_id: String,
    /// The root of keys derived from the master key for other uses (never the key itself).
    derivation: [u8; 32],
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sealer(key {})", self.key_id)
    }
}

impl Sealer {
    /// A sealer for a base64-encoded 32-byte key.
    pub fn from_base64(key: &str) -> Result<Sealer, SealError> {
        let bytes = STANDARD.decode(key.trim()).map_err(|_| SealError::BadKey)?;
        Sealer::from_bytes(&bytes)
    }

    fn from_bytes(key: &[u8]) -> Result<Sealer, SealError> {
        if key.len() != 32 {
            return Err(SealError::BadKey);
        }
        // Names the key in each sealed value without revealing it, so that rotation and
        // a wrong key are told apart from damage.
        let id = Sha256::new()
            .chain_update(b"cognate master key id\0")
            .chain_update(key)
            .finalize();
        Ok(Sealer {
            cipher: XChaCha20Poly1305::new_from_slice(key).map_err(|_| SealError::BadKey)?,
            key_id: hex::encode(&id[..4]),
            derivation: hmac_sha256(key, b"cognate key derivation\0"),
        })
    }

    /// A new random key, base64-encoded.
    pub fn generate_key() -> String {
        STANDARD.encode(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// A 256-bit key for `purpose`, derived from the master key (HMAC-SHA256 of the purpose
    /// under a derivation key that is itself an HMAC of the master key): the same on every
    /// instance sharing the master key, and telling nothing about it.
    pub fn derive_key(&self, purpose: &str) -> [u8; 32] {
        hmac_sha256(&self.derivation, purpose.as_bytes())
    }

    /// Whether `stored` is a sealed value (of any key) rather than a plaintext one.
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }

    /// Seals `plaintext` for the row named by `aad`, with a fresh random nonce.
    pub fn seal(&self, aad: &str, plaintext: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: plaintext.as_bytes(),
            aad: aad.as_bytes(),
        };
        let sealed = self
            .cipher
            .encrypt(&nonce, payload)
            .expect("XChaCha20-Poly1305 seals any message that fits in memory");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{PREFIX}{}:{}", self.key_id, STANDARD.encode(bytes))
    }

    /// Opens a value sealed for the row named by `aad`.
    pub fn open(&self, aad: &str, stored: &str) -> Result<String, SealError> {
        let rest = stored.strip_prefix(PREFIX).ok_or(SealError::NotSealed)?;
        let (key_id, body) = rest.split_once(':').ok_or(SealError::Damaged)?;
        if key_id != self.key_id {
            return Err(SealError::OtherKey(key_id.to_string()));
        }
        let bytes = STANDARD.decode(body).map_err(|_| SealError::Damaged)?;
        if bytes.len() < NONCE_LEN {
            return Err(SealError::Damaged);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let payload = Payload {
            msg: sealed,
            aad: aad.as_bytes(),
        };
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| SealError::Damaged)?;
        String::from_utf8(plain).map_err(|_| SealError::Damaged)
    }

    /// The key in the file at `path`, creating the file (mode 0600) with a new random key
    /// when there is none. Safe when several processes start at once: the file appears
    /// complete or not at all.
    pub fn from_key_file(path: &Path) -> Result<Sealer, SealError> {
        let fail = |source| SealError::KeyFile {
            path: path.display().to_string(),
            source,
        };
        if !path.exists() {
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
            if let Some(dir) = dir {
                std::fs::create_dir_all(dir).map_err(fail)?;
            }
            let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
            write_private(&tmp, &Sealer::generate_key()).map_err(fail)?;
            let linked = std::fs::hard_link(&tmp, path);
            let _ = std::fs::remove_file(&tmp);
            match linked {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(fail(e)),
            }
        }
        let text = std::fs::read_to_string(path).map_err(fail)?;
        Sealer::from_base64(&text)
    }

    /// Replaces the key file at `path` with `key` (base64), atomically.
    pub fn write_key_file(path: &Path, key: &str) -> Result<(), SealError> {
        let fail = |source| SealError::KeyFile {
            path: path.display().to_string(),
            source,
        };
        let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
        write_private(&tmp, key).map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)
    }
}

/// Writes a new file readable by its owner only.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

/// What a sealed value is bound to: its table, column and the row's key, so that a value
/// copied into another row (or column) does not open.
pub fn row_aad(column: &str, key: &[&str]) -> String {
    let mut aad = column.to_string();
    for part in key {
        aad.push('\0');
        aad.push_str(part);
    }
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> Sealer {
        Sealer::from_base64(&Sealer::generate_key()).unwrap()
    }

    #[test]
    fn values_open_only_in_their_own_row_and_key() {
        let s = sealer();
        let aad = row_aad("user_mfa.totp_secret", &["pool", "sub-a"]);
        let sealed = s.seal(&aad, "JBSWY3DPEHPK3PXP");
        assert!(Sealer::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(
            sealed,
            s.seal(&aad, "JBSWY3DPEHPK3PXP"),
            "a fresh nonce each time"
        );
        assert_eq!(s.open(&aad, &sealed).unwrap(), "JBSWY3DPEHPK3PXP");
        let other_row = row_aad("user_mfa.totp_secret", &["pool", "sub-b"]);
        assert!(matches!(
            s.open(&other_row, &sealed),
            Err(SealError::Damaged)
        ));
        assert!(matches!(
            sealer().open(&aad, &sealed),
            Err(SealError::OtherKey(_))
        ));
        assert!(matches!(s.open(&aad, "plain"), Err(SealError::NotSealed)));
    }

    #[test]
    fn keys_are_32_bytes_and_never_printed() {
        assert!(Sealer::from_base64("c2hvcnQ=").is_err());
        assert!(Sealer::from_base64("not base64!").is_err());
        let key = Sealer::generate_key();
        let s = Sealer::from_base64(&key).unwrap();
        assert!(!format!("{s:?}").contains(&key));
    }

    #[test]
    fn the_key_file_is_created_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/master.key");
        let first = Sealer::from_key_file(&path).unwrap();
        let again = Sealer::from_key_file(&path).unwrap();
        assert_eq!(first.key_id(), again.key_id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
