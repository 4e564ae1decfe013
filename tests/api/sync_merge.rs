//! Merged identities in Cognito Sync: MergeDeveloperIdentities moves the source identity's
//! datasets to the destination as "<name>.<source identity>", and ListRecords of "<name>"
//! names them in MergedDatasetNames until they are deleted.

use aws_sdk_cognitosync as cs;

use crate::common::*;

/// Writes `patches` to the identity's dataset with developer credentials.
async fn write(
    admin: &cs::Client,
    pool: &str,
    id: &str,
    name: &str,
    patches: Vec<cs::types::RecordPatch>,
) {
    let token = admin
        .list_records()
        .identity_pool_id(pool)
        .identity_id(id)
        .dataset_name(name)
        .send()
        .await
        .unwrap()
        .sync_session_token
        .unwrap();
    admin
        .update_records()
        .identity_pool_id(pool)
        .identity_id(id)
        .dataset_name(name)
        .set_record_patches(Some(patches))
        .sync_session_token(token)
        .send()
        .await
        .unwrap();
}

async fn list(
    admin: &cs::Client,
    pool: &str,
    id: &str,
    name: &str,
) -> cs::operation::list_records::ListRecordsOutput {
    admin
        .list_records()
        .identity_pool_id(pool)
        .identity_id(id)
        .dataset_name(name)
        .send()
        .await
        .unwrap()
}

fn values(out: &cs::operation::list_records::ListRecordsOutput) -> Vec<(String, String)> {
    let mut got: Vec<_> = out
        .records()
        .iter()
        .filter_map(|r| Some((r.key.clone()?, r.value.clone()?)))
        .collect();
    got.sort();
    got
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn merged_identities_bring_their_datasets_as_merged_datasets() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let ci = app.identity();
    let vouch = |user: &'static str| {
        ci.get_open_id_token_for_developer_identity()
            .identity_pool_id(&pool)
            .logins("login.example.com", user)
            .send()
    };
    let kept = vouch("user-1").await.unwrap().identity_id.unwrap();
    let gone = vouch("user-2").await.unwrap().identity_id.unwrap();
    let admin = app.sync_admin();
    write(&admin, &pool, &kept, "prefs", vec![put("theme", "dark", 0)]).await;
    let theirs = vec![put("theme", "light", 0), put("lang", "fr", 0)];
    write(&admin, &pool, &gone, "prefs", theirs).await;
    write(&admin, &pool, &gone, "game", vec![put("score", "5", 0)]).await;
    assert!(list(&admin, &pool, &kept, "prefs")
        .await
        .merged_dataset_names()
        .is_empty());

    ci.merge_developer_identities()
        .identity_pool_id(&pool)
        .developer_provider_name("login.example.com")
        .source_user_identifier("user-2")
        .destination_user_identifier("user-1")
        .send()
        .await
        .unwrap();

    let merged_prefs = format!("prefs.{gone}");
    let prefs = list(&admin, &pool, &kept, "prefs").await;
    assert_eq!(values(&prefs), pairs(&[("theme", "dark")]));
    assert_eq!(
        prefs.merged_dataset_names(),
        std::slice::from_ref(&merged_prefs)
    );
    let moved = list(&admin, &pool, &kept, &merged_prefs).await;
    assert!(moved.dataset_exists);
    assert_eq!(values(&moved), pairs(&[("lang", "fr"), ("theme", "light")]));
    // A dataset only the source had is merged too, under the name the SDKs look for.
    let game = list(&admin, &pool, &kept, "game").await;
    assert!(!game.dataset_exists);
    assert_eq!(game.merged_dataset_names(), [format!("game.{gone}")]);
    let listed = admin
        .list_datasets()
        .identity_pool_id(&pool)
        .identity_id(&kept)
        .send()
        .await
        .unwrap();
    let mut names: Vec<_> = listed
        .datasets()
        .iter()
        .filter_map(|d| d.dataset_name.clone())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("game.{gone}"),
            "prefs".to_string(),
            merged_prefs.clone()
        ]
    );
    let usage = admin
        .describe_identity_usage()
        .identity_pool_id(&pool)
        .identity_id(&kept)
        .send()
        .await
        .unwrap();
    assert_eq!(usage.identity_usage().unwrap().dataset_count, 3);

    // Once the app has folded the merged dataset in and deleted it, it is no longer reported.
    admin
        .delete_dataset()
        .identity_pool_id(&pool)
        .identity_id(&kept)
        .dataset_name(&merged_prefs)
        .send()
        .await
        .unwrap();
    assert!(list(&admin, &pool, &kept, "prefs")
        .await
        .merged_dataset_names()
        .is_empty());
    assert_eq!(
        app.sql_i64(&format!(
            "SELECT COUNT(*) FROM sync_datasets WHERE identity_id = '{gone}'"
        ))
        .await,
        0
    );
}
