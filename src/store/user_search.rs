//! ListUsers and group member listings: keyset pages over `user_attribute_index`.

use super::users::{columns_of, UserRecord, UserRow};
use super::{Db, Result};

/// Which index rows a search reads: one attribute, and either one value or a prefix.
pub struct Search<'a> {
    pub pool_id: &'a str,
    pub name: &'a str,
    pub value: &'a str,
    pub prefix: bool,
    /// The (value, sub) of the last user of the previous page.
    pub after: Option<(String, String)>,
    pub limit: i64,
}

/// One page of users in (value, sub) order, each with the value it was found under.
///
/// Each statement is a single index seek on (pool_id, name, value, sub): after a page, the
/// rest of the last value's users, then the values above it. (One statement with an OR or a
/// row-value comparison made SQLite scan from the start of the range, page after page.)
pub async fn search(db: &Db, s: &Search<'_>) -> Result<Vec<(String, UserRecord)>> {
    // A prefix is the range [prefix, prefix || U+10FFFF): an index range scan on both
    // backends, where LIKE would not use the index under every collation.
    let upper = if s.prefix {
        format!("{}\u{10ffff}", s.value)
    } else {
        s.value.to_string()
    };
    let below_upper = if s.prefix {
        "i.value < $4"
    } else {
        "i.value <= $4"
    };
    let Some((after_value, after_sub)) = &s.after else {
        let range = format!("i.value >= $3 AND {below_upper}");
        return page(db, s, &range, s.value, &upper, s.limit).await;
    };
    let mut rows = if after_value.as_str() >= s.value && after_value.as_str() <= upper.as_str() {
        page(
            db,
            s,
            "i.value = $3 AND i.sub > $4",
            after_value,
            after_sub,
            s.limit,
        )
        .await?
    } else {
        Vec::new()
    };
    let rest = s.limit - rows.len() as i64;
    if rest > 0 {
        let lower = after_value.as_str().max(s.value);
        let op = if lower == s.value && after_value.as_str() < s.value {
            ">="
        } else {
            ">"
        };
        let range = format!("i.value {op} $3 AND {below_upper}");
        rows.extend(page(db, s, &range, lower, &upper, rest).await?);
    }
    Ok(rows)
}

/// One index range of `s`'s attribute: `range` over the parameters $3 and $4.
async fn page(
    db: &Db,
    s: &Search<'_>,
    range: &str,
    p3: &str,
    p4: &str,
    limit: i64,
) -> Result<Vec<(String, UserRecord)>> {
    let columns = columns_of("u");
    let sql = format!(
        "SELECT i.value AS index_value, {columns} FROM user_attribute_index i \
         JOIN users u ON u.pool_id = i.pool_id AND u.sub = i.sub \
         WHERE i.pool_id = $1 AND i.name = $2 AND {range} ORDER BY i.value, i.sub LIMIT $5"
    );
    let rows: Vec<SearchRow> = sqlx::query_as(&sql)
        .bind(s.pool_id)
        .bind(s.name)
        .bind(p3)
        .bind(p4)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.into_iter()
        .map(|r| Ok((r.index_value, UserRecord::try_from(r.user)?)))
        .collect()
}

#[derive(sqlx::FromRow)]
struct SearchRow {
    index_value: String,
    #[sqlx(flatten)]
    user: UserRow,
}

/// One page of a group's members by username, after `after_key`.
pub async fn group_members(
    db: &Db,
    pool_id: &str,
    group: &str,
    after_key: Option<&str>,
    limit: i64,
) -> Result<Vec<UserRecord>> {
    let columns = columns_of("u");
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "SELECT {columns} FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub \
         WHERE m.pool_id = $1 AND m.group_name = $2 AND ($3 IS NULL OR m.username_key > $3) \
         ORDER BY m.username_key LIMIT $4"
    ))
    .bind(pool_id)
    .bind(group)
    .bind(after_key)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(UserRecord::try_from).collect()
}

/// The subs of up to `limit` users whose attribute `name` is exactly `value`.
pub async fn subs_with(
    db: &Db,
    pool_id: &str,
    name: &str,
    value: &str,
    limit: i64,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT sub FROM user_attribute_index WHERE pool_id = $1 AND name = $2 AND value = $3 \
         ORDER BY sub LIMIT $4",
    )
    .bind(pool_id)
    .bind(name)
    .bind(value)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
