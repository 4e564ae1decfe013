//! Tags on user pools.

use crate::common::*;

#[tokio::test]
async fn pools_are_tagged_untagged_and_listed() {
    let app = spawn().await;
    let pool = app.pool().await;
    let arn = app
        .idp
        .describe_user_pool()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .arn
        .unwrap();
    app.idp
        .tag_resource()
        .resource_arn(&arn)
        .tags("team", "identity")
        .tags("env", "test")
        .send()
        .await
        .unwrap();
    let listed = app
        .idp
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let tags = listed.tags().unwrap();
    assert_eq!(tags.len(), 2);
    assert_eq!(tags["team"], "identity");
    // DescribeUserPool shows the same tags.
    let described = app
        .idp
        .describe_user_pool()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.user_pool().unwrap().user_pool_tags().unwrap()["env"],
        "test"
    );

    app.idp
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("env")
        .send()
        .await
        .unwrap();
    let listed = app
        .idp
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.tags().unwrap().len(), 1);

    let missing = arn.replace(&pool.pool_id, "us-east-1_missing");
    let err = app
        .idp
        .list_tags_for_resource()
        .resource_arn(missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
    let err = app
        .idp
        .tag_resource()
        .resource_arn(&arn)
        .tags("", "empty key")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}
