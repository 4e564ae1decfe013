//! Groups: CRUD, memberships, pagination, and the group claims of tokens.

use crate::common::*;

async fn create_group(app: &TestApp, pool: &Pool, name: &str, precedence: i32, role: &str) {
    app.idp
        .create_group()
        .user_pool_id(&pool.pool_id)
        .group_name(name)
        .precedence(precedence)
        .role_arn(role)
        .description(format!("the {name} group"))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn create_get_update_delete_groups() {
    let app = spawn().await;
    let pool = app.pool().await;
    let created = app
        .idp
        .create_group()
        .user_pool_id(&pool.pool_id)
        .group_name("admins")
        .description("Administrators")
        .precedence(1)
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert_eq!(created.group_name(), Some("admins"));
    assert_eq!(created.user_pool_id(), Some(pool.pool_id.as_str()));
    assert_eq!(created.precedence(), Some(1));
    assert!(created.creation_date().is_some());

    let dup = app
        .idp
        .create_group()
        .user_pool_id(&pool.pool_id)
        .group_name("admins")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&dup), "GroupExistsException");

    let updated = app
        .idp
        .update_group()
        .user_pool_id(&pool.pool_id)
        .group_name("admins")
        .role_arn("arn:aws:iam::123456789012:role/Admin")
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert_eq!(updated.description(), Some("Administrators"));
    assert_eq!(
        updated.role_arn(),
        Some("arn:aws:iam::123456789012:role/Admin")
    );
    let got = app
        .idp
        .get_group()
        .user_pool_id(&pool.pool_id)
        .group_name("admins")
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert_eq!(got.role_arn(), updated.role_arn());
    assert_eq!(got.precedence(), Some(1));

    let bad = app
        .idp
        .create_group()
        .user_pool_id(&pool.pool_id)
        .group_name("negative")
        .precedence(-1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad), "InvalidParameterException");

    app.idp
        .delete_group()
        .user_pool_id(&pool.pool_id)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    for err in [
        app.idp
            .get_group()
            .user_pool_id(&pool.pool_id)
            .group_name("admins")
            .send()
            .await
            .map(|_| ())
            .map_err(|e| code(&e)),
        app.idp
            .delete_group()
            .user_pool_id(&pool.pool_id)
            .group_name("admins")
            .send()
            .await
            .map(|_| ())
            .map_err(|e| code(&e)),
        app.idp
            .update_group()
            .user_pool_id(&pool.pool_id)
            .group_name("admins")
            .send()
            .await
            .map(|_| ())
            .map_err(|e| code(&e)),
    ] {
        assert_eq!(err.unwrap_err(), "ResourceNotFoundException");
    }
}

#[tokio::test]
async fn list_groups_pages_in_name_order() {
    let app = spawn().await;
    let pool = app.pool().await;
    for name in ["delta", "alpha", "charlie", "bravo", "echo"] {
        app.idp
            .create_group()
            .user_pool_id(&pool.pool_id)
            .group_name(name)
            .send()
            .await
            .unwrap();
    }
    let mut names = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let page = app
            .idp
            .list_groups()
            .user_pool_id(&pool.pool_id)
            .limit(2)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        pages += 1;
        names.extend(
            page.groups()
                .iter()
                .map(|g| g.group_name().unwrap().to_string()),
        );
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["alpha", "bravo", "charlie", "delta", "echo"]);

    let err = app
        .idp
        .list_groups()
        .user_pool_id(&pool.pool_id)
        .limit(61)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .list_groups()
        .user_pool_id(&pool.pool_id)
        .next_token("!!!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test]
async fn memberships_are_listed_both_ways() {
    let app = spawn().await;
    let pool = app.pool().await;
    for name in ["ann", "bob", "cid"] {
        app.confirmed_user(&pool, name).await;
    }
    create_group(&app, &pool, "readers", 5, "arn:aws:iam::1:role/R").await;
    create_group(&app, &pool, "writers", 2, "arn:aws:iam::1:role/W").await;
    for (user, group) in [("cid", "readers"), ("ann", "readers"), ("bob", "readers")] {
        app.idp
            .admin_add_user_to_group()
            .user_pool_id(&pool.pool_id)
            .username(user)
            .group_name(group)
            .send()
            .await
            .unwrap();
    }
    app.idp
        .admin_add_user_to_group()
        .user_pool_id(&pool.pool_id)
        .username("ann")
        .group_name("writers")
        .send()
        .await
        .unwrap();

    let first = app
        .idp
        .list_users_in_group()
        .user_pool_id(&pool.pool_id)
        .group_name("readers")
        .limit(2)
        .send()
        .await
        .unwrap();
    let second = app
        .idp
        .list_users_in_group()
        .user_pool_id(&pool.pool_id)
        .group_name("readers")
        .limit(2)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = first
        .users()
        .iter()
        .chain(second.users())
        .map(|u| u.username().unwrap())
        .collect();
    assert_eq!(names, ["ann", "bob", "cid"]);
    assert!(second.next_token().is_none());

    let groups = app
        .idp
        .admin_list_groups_for_user()
        .user_pool_id(&pool.pool_id)
        .username("ann")
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = groups
        .groups()
        .iter()
        .map(|g| g.group_name().unwrap())
        .collect();
    assert_eq!(names, ["readers", "writers"]);

    app.idp
        .admin_remove_user_from_group()
        .user_pool_id(&pool.pool_id)
        .username("ann")
        .group_name("readers")
        .send()
        .await
        .unwrap();
    let groups = app
        .idp
        .admin_list_groups_for_user()
        .user_pool_id(&pool.pool_id)
        .username("ann")
        .send()
        .await
        .unwrap();
    assert_eq!(groups.groups().len(), 1);

    let err = app
        .idp
        .admin_add_user_to_group()
        .user_pool_id(&pool.pool_id)
        .username("nobody")
        .group_name("readers")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
    let err = app
        .idp
        .admin_add_user_to_group()
        .user_pool_id(&pool.pool_id)
        .username("ann")
        .group_name("nogroup")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
    let err = app
        .idp
        .list_users_in_group()
        .user_pool_id(&pool.pool_id)
        .group_name("nogroup")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
    let err = app
        .idp
        .admin_list_groups_for_user()
        .user_pool_id(&pool.pool_id)
        .username("nobody")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
}

#[tokio::test]
async fn tokens_carry_group_claims() {
    let app = spawn().await;
    let pool = app.pool().await;
    let plain = app.signed_in_user(&pool, "dan").await;
    assert!(claims(plain.id_token().unwrap())
        .get("cognito:groups")
        .is_none());
    assert!(claims(plain.access_token().unwrap())
        .get("cognito:groups")
        .is_none());

    create_group(&app, &pool, "staff", 10, "arn:aws:iam::1:role/Staff").await;
    create_group(&app, &pool, "ops", 3, "arn:aws:iam::1:role/Ops").await;
    for group in ["staff", "ops"] {
        app.idp
            .admin_add_user_to_group()
            .user_pool_id(&pool.pool_id)
            .username("dan")
            .group_name(group)
            .send()
            .await
            .unwrap();
    }
    let result = app.tokens(&pool, "dan").await;
    let id = claims(result.id_token().unwrap());
    assert_eq!(id["cognito:groups"], serde_json::json!(["ops", "staff"]));
    assert_eq!(
        id["cognito:roles"],
        serde_json::json!(["arn:aws:iam::1:role/Ops", "arn:aws:iam::1:role/Staff"])
    );
    assert_eq!(id["cognito:preferred_role"], "arn:aws:iam::1:role/Ops");
    let access = claims(result.access_token().unwrap());
    assert_eq!(
        access["cognito:groups"],
        serde_json::json!(["ops", "staff"])
    );
    assert!(access.get("cognito:roles").is_none());
    // The access token still authenticates with the new claim.
    app.idp
        .get_user()
        .access_token(result.access_token().unwrap())
        .send()
        .await
        .unwrap();
}
