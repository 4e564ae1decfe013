//! The hosted pages' look, set through the AWS SDK: Get/SetUICustomization per pool and per
//! client (CSS on Cognito's classes, a logo), and the managed-login branding operations,
//! each seen applied on the login page.

use aws_sdk_cognitoidentityprovider::primitives::Blob;
use aws_sdk_cognitoidentityprovider::types::{
    AssetCategoryType, AssetExtensionType, AssetType, ColorSchemeModeType,
};
use aws_smithy_types::{Document, Number};

use crate::common::*;
use crate::hosted_pages::hosted_pool;
use crate::oauth2_support::*;

/// The smallest PNG there is: one transparent pixel.
const PIXEL: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

async fn login_html(app: &TestApp, pool: &Pool) -> String {
    let mut browser = Browser::new(app);
    let (_, page) = open_login(&mut browser, &authorize_query(pool, &[("scope", "openid")])).await;
    page
}

#[tokio::test]
async fn ui_customization_per_pool_and_client_dresses_the_pages() {
    let app = spawn().await;
    let pool = hosted_pool(&app, PoolSpec::standard()).await;
    let pool_css = ".submitButton-customizable { background-color: #0a7d4f; }";
    let set = app
        .idp
        .set_ui_customization()
        .user_pool_id(&pool.pool_id)
        .css(pool_css)
        .image_file(Blob::new(PIXEL))
        .send()
        .await
        .unwrap();
    let ui = set.ui_customization().unwrap();
    assert_eq!(ui.client_id(), Some("ALL"));
    let image_url = ui.image_url().unwrap().to_string();
    let image = app.http.get(&image_url).send().await.unwrap();
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.bytes().await.unwrap().as_ref(), PIXEL);

    // A client without its own customization wears the pool's.
    let got = app
        .idp
        .get_ui_customization()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.ui_customization().unwrap().css(), Some(pool_css));
    let page = login_html(&app, &pool).await;
    assert!(page.contains(pool_css), "{page}");
    assert!(page.contains("class=\"logo logo-customizable\""));

    let client_css = ".label-customizable { color: #222222; }";
    app.idp
        .set_ui_customization()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .css(client_css)
        .send()
        .await
        .unwrap();
    let page = login_html(&app, &pool).await;
    assert!(page.contains(client_css) && !page.contains(pool_css));
    assert!(
        page.contains("<span class=\"mark\""),
        "the client's has no logo"
    );

    for (css, image) in [
        ("body { display: none }", None),
        (
            ".label-customizable { color: red } </style><script>alert(1)</script>",
            None,
        ),
        (
            ".label-customizable { color: red }",
            Some(Blob::new(b"GIF89a".to_vec())),
        ),
    ] {
        let err = app
            .idp
            .set_ui_customization()
            .user_pool_id(&pool.pool_id)
            .css(css)
            .set_image_file(image)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException", "{css}");
    }
    let err = app
        .idp
        .get_ui_customization()
        .user_pool_id(&pool.pool_id)
        .client_id("nosuchclient0000000000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

fn settings(colour: &str) -> Document {
    let mut leaf = std::collections::HashMap::new();
    leaf.insert(
        "backgroundColor".to_string(),
        Document::String(colour.into()),
    );
    let nest = |k: &str, v: Document| Document::Object([(k.to_string(), v)].into());
    let button = nest("lightMode", nest("defaults", Document::Object(leaf)));
    let mut components = nest("primaryButton", button);
    if let Document::Object(map) = &mut components {
        map.insert("version".into(), Document::Number(Number::PosInt(1)));
    }
    nest("components", components)
}

fn logo() -> AssetType {
    AssetType::builder()
        .category(AssetCategoryType::FormLogo)
        .color_mode(ColorSchemeModeType::Light)
        .extension(AssetExtensionType::Png)
        .bytes(Blob::new(PIXEL))
        .build()
        .unwrap()
}

#[tokio::test]
async fn managed_login_branding_lifecycle_and_pages() {
    let app = spawn().await;
    let pool = hosted_pool(&app, PoolSpec::standard()).await;
    let created = app
        .idp
        .create_managed_login_branding()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .settings(settings("0a7d4fff"))
        .assets(logo())
        .send()
        .await
        .unwrap();
    let style = created.managed_login_branding().unwrap();
    let id = style.managed_login_branding_id().unwrap().to_string();
    assert_eq!(style.assets().len(), 1);
    let page = login_html(&app, &pool).await;
    assert!(page.contains("--accent:#0a7d4fff;"), "{page}");
    assert!(
        page.contains("src=\"data:image&#x2f;png;base64,")
            || page.contains("src=\"data:image/png;base64,"),
        "{page}"
    );

    let again = app
        .idp
        .create_managed_login_branding()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "ManagedLoginBrandingExistsException");
    let by_client = app
        .idp
        .describe_managed_login_branding_by_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_client
            .managed_login_branding()
            .unwrap()
            .managed_login_branding_id(),
        Some(id.as_str())
    );

    // Cognito's own values replace the style's: the page is plain again.
    let both = app
        .idp
        .update_managed_login_branding()
        .user_pool_id(&pool.pool_id)
        .managed_login_branding_id(&id)
        .use_cognito_provided_values(true)
        .settings(settings("ffffff"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&both), "InvalidParameterException");
    let updated = app
        .idp
        .update_managed_login_branding()
        .user_pool_id(&pool.pool_id)
        .managed_login_branding_id(&id)
        .use_cognito_provided_values(true)
        .send()
        .await
        .unwrap();
    assert!(updated
        .managed_login_branding()
        .unwrap()
        .use_cognito_provided_values());
    assert!(!login_html(&app, &pool).await.contains("--accent:"));

    app.idp
        .delete_managed_login_branding()
        .user_pool_id(&pool.pool_id)
        .managed_login_branding_id(&id)
        .send()
        .await
        .unwrap();
    let gone = app
        .idp
        .describe_managed_login_branding()
        .user_pool_id(&pool.pool_id)
        .managed_login_branding_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "ResourceNotFoundException");
}
