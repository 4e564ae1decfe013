//! The columns that hold secrets sealed with the master key: how a row's value is sealed and
//! opened, plaintext left by older versions sealed at start-up, and re-sealing under a new key.

use sqlx::Row;

use super::{Db, Result, StoreError, Tx};
use crate::sealing::{row_aad, Sealer};

/// A column of sealed values and the columns that name its row (the associated data).
pub(crate) struct SealedColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub key: &'static [&'static str],
}

pub(crate) const SIGNING_KEY: SealedColumn = SealedColumn {
    table: "signing_keys",
    column: "private_key_pem",
    key: &["kid"],
};
pub(crate) const TOTP_SECRET: SealedColumn = SealedColumn {
    table: "user_mfa",
    column: "totp_secret",
    key: &["pool_id", "sub"],
};
pub(crate) const CLIENT_SECRET: SealedColumn = SealedColumn {
    table: "user_pool_clients",
    column: "secret",
    key: &["id"],
};

pub(crate) const TEMP_SECRET: SealedColumn = SealedColumn {
    table: "temp_credentials",
    column: "secret_key",
    key: &["access_key_id"],
};
pub(crate) const OPENID_KEY: SealedColumn = SealedColumn {
    table: "identity_signing_keys",
    column: "private_key_pem",
    key: &["kid"],
};

pub(crate) const IDP_DETAILS: SealedColumn = SealedColumn {
    table: "identity_providers",
    column: "details",
    key: &["pool_id", "name"],
};
pub(crate) const FEDERATION_VERIFIER: SealedColumn = SealedColumn {
    table: "federation_states",
    column: "verifier",
    key: &["id"],
};
pub(crate) const PLATFORM_CREDENTIAL: SealedColumn = SealedColumn {
    table: "sns_platform_applications",
    column: "credential",
    key: &["arn"],
};
pub(crate) const UPLOAD_TOKEN: SealedColumn = SealedColumn {
    table: "user_import_jobs",
    column: "upload_token",
    key: &["id"],
};

const ALL: &[SealedColumn] = &[
    SIGNING_KEY,
    TOTP_SECRET,
    CLIENT_SECRET,
    TEMP_SECRET,
    OPENID_KEY,
    IDP_DETAILS,
    FEDERATION_VERIFIER,
    PLATFORM_CREDENTIAL,
    UPLOAD_TOKEN,
];

impl SealedColumn {
    fn aad(&self, key: &[&str]) -> String {
        row_aad(&format!("{}.{}", self.table, self.column), key)
    }

    pub(crate) fn seal(&self, sealer: &Sealer, key: &[&str], plaintext: &str) -> String {
        sealer.seal(&self.aad(key), plaintext)
    }

    pub(crate) fn open(&self, sealer: &Sealer, key: &[&str], stored: &str) -> Result<String> {
        sealer
            .open(&self.aad(key), stored)
            .map_err(|source| StoreError::Seal {
                column: format!("{}.{} of {}", self.table, self.column, key.join("/")),
                source,
            })
    }

    /// Every row's key and stored value, where the value is set (and, with `plaintext_only`,
    /// not sealed yet: start-up then reads only what it has to change).
    async fn rows(&self, tx: &mut Tx, plaintext_only: bool) -> Result<Vec<(Vec<String>, String)>> {
        let filter = if plaintext_only {
            format!(" AND {} NOT LIKE 'cog1:%'", self.column)
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT {}, {} FROM {} WHERE {} IS NOT NULL{filter}",
            self.key.join(", "),
            self.column,
            self.table,
            self.column
        );
        let rows = sqlx::query(&sql).fetch_all(&mut **tx).await?;
        rows.iter()
            .map(|row| {
                let key = (0..self.key.len())
                    .map(|i| row.try_get::<String, _>(i))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((key, row.try_get::<String, _>(self.key.len())?))
            })
            .collect()
    }

    /// Replaces the value of one row, if it still holds `old`.
    async fn replace(&self, tx: &mut Tx, key: &[String], old: &str, new: &str) -> Result<()> {
        let conditions: Vec<String> = self
            .key
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k} = ${}", i + 3))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} = $1 WHERE {} = $2 AND {}",
            self.table,
            self.column,
            self.column,
            conditions.join(" AND ")
        );
        let mut query = sqlx::query(&sql).bind(new).bind(old);
        for part in key {
            query = query.bind(part);
        }
        query.execute(&mut **tx).await?;
        Ok(())
    }

    /// Rewrites every value of the column: `change` returns the new value, or `None` to keep it.
    async fn rewrite(
        &self,
        tx: &mut Tx,
        plaintext_only: bool,
        change: impl Fn(&SealedColumn, &[&str], &str) -> Result<Option<String>>,
    ) -> Result<u64> {
        let mut changed = 0;
        for (key, stored) in self.rows(tx, plaintext_only).await? {
            let parts: Vec<&str> = key.iter().map(String::as_str).collect();
            if let Some(new) = change(self, &parts, &stored)? {
                self.replace(tx, &key, &stored, &new).await?;
                changed += 1;
            }
        }
        Ok(changed)
    }
}

/// Seals every value still in plaintext (stored before secrets were sealed), in one
/// transaction. Instances starting together on one database each seal a row at most once:
/// the update applies only while the row still holds the plaintext.
pub(crate) async fn seal_plaintext(db: &Db) -> Result<u64> {
    let mut tx = db.begin().await?;
    let mut changed = 0;
    for column in ALL {
        changed += column
            .rewrite(&mut tx, true, |c, key, stored| {
                Ok((!Sealer::is_sealed(stored)).then(|| c.seal(db.sealer(), key, stored)))
            })
            .await?;
    }
    tx.commit().await?;
    if changed > 0 {
        tracing::info!(values = changed, "sealed secrets stored in plaintext");
    }
    Ok(changed)
}

/// Opens every sealed value with the database's key and seals it again under `new`, all in
/// one transaction: either every value moves to the new key or none does. Returns how many.
pub async fn reseal(db: &Db, new: &Sealer) -> Result<u64> {
    let mut tx = db.begin().await?;
    let mut changed = 0;
    for column in ALL {
        changed += column
            .rewrite(&mut tx, false, |c, key, stored| {
                let plain = c.open(db.sealer(), key, stored)?;
                Ok(Some(c.seal(new, key, &plain)))
            })
            .await?;
    }
    tx.commit().await?;
    Ok(changed)
}
