//! The OpenAPI 3.1 document of the REST admin API, generated from the handlers' annotations;
//! a test checks that it has every route and nothing else.

use actix_web::HttpResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::shapes::*;
use super::{
    audit, bulk, groups, identity, import_jobs, oauth, pools, problem::ProblemBody, providers,
    users,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cognate admin API",
        version = "1",
        description = "Manage user pools, app clients, users, groups, identity providers, \
            resource servers, domains, identity pools, identities and user import jobs. \
            Resources keep the shapes of the Cognito API reference (UserPoolType, UserType, \
            ...). Authenticate with `Authorization: Bearer <admin token>` (`cognate \
            admin-token create --name NAME`) or a SigV4 signature of the admin credentials; \
            in local mode, loopback callers need neither. Errors are RFC 9457 problems whose \
            `type` ends with the Cognito exception's name."
    ),
    paths(
        document,
        audit::list,
        pools::list, pools::create, pools::get, pools::update, pools::delete,
        pools::list_clients, pools::create_client, pools::get_client, pools::update_client,
        pools::delete_client,
        bulk::export, bulk::import,
        import_jobs::list, import_jobs::get, import_jobs::log,
        oauth::list_resource_servers, oauth::create_resource_server, oauth::get_resource_server,
        oauth::update_resource_server, oauth::delete_resource_server,
        providers::list, providers::create, providers::get, providers::update,
        providers::delete,
        oauth::get_domain, oauth::create_domain, oauth::update_domain, oauth::delete_domain,
        identity::list, identity::create, identity::get, identity::update, identity::delete,
        identity::get_roles, identity::set_roles,
        identity::list_identities, identity::get_identity, identity::delete_identity,
        users::list, users::create, users::get, users::update, users::delete, users::groups,
        users::disable, users::enable, users::reset_password, users::set_password,
        users::global_sign_out, users::confirm,
        groups::list, groups::create, groups::get, groups::update, groups::delete,
        groups::members, groups::add_member, groups::remove_member,
    ),
    components(schemas(
        Page, ProblemBody, UserPatch, SetPassword, AuditEntry, AuditPage, ImportReport,
        ImportFailure
    )),
    modifiers(&Security),
    security(("bearer" = []), ("sigv4" = []))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        let mut sigv4 = utoipa::openapi::security::ApiKeyValue::new("Authorization");
        sigv4.description = Some("AWS Signature Version 4 (service cognito-idp)".into());
        components.add_security_scheme(
            "sigv4",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(sigv4)),
        );
    }
}

/// The document as JSON.
pub fn json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".into())
}

#[utoipa::path(get, operation_id = "openapi_document", path = "/admin/api/v1/openapi.json", tag = "meta", security(()),
    responses((status = 200, description = "This document", content_type = "application/json", body = Object)))]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(json())
}

#[cfg(test)]
mod tests {
    use super::super::{BASE, ROUTES};
    use super::*;

    #[test]
    fn every_route_is_documented_and_nothing_else() {
        let doc: serde_json::Value = serde_json::from_str(&json()).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        for (method, path) in ROUTES {
            // A segment's pattern (`{identifier:.+}`) is the router's, not the document's.
            let path = path.replace(":.+}", "}");
            let full = format!("{BASE}{path}");
            assert!(
                doc["paths"][&full][method].is_object(),
                "{method} {full} is not in the OpenAPI document"
            );
        }
        let documented: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| item.as_object().unwrap().len())
            .sum();
        assert_eq!(
            documented,
            ROUTES.len(),
            "the document has routes not served"
        );
    }
}
