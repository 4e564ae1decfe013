//! `/oauth2/idpresponse`: where upstream identity providers send the browser back. Thin:
//! hands the answer to `service::oauth2::federation`, then opens the hosted session and
//! redirects to the app, as a password sign-in on the login page does.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::http::ui::{cookies, PageError};
use crate::service::oauth2::federation::{self, IdpResponse};
use crate::service::oauth2::{hosted, SESSION_LIFETIME_MS};
use crate::service::State;

pub async fn view_idp_response(
    query: web::Query<IdpResponse>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    complete(&state, &query).await
}

/// Providers answering with `response_mode=form_post` (Sign in with Apple) post the form.
pub async fn submit_idp_response(
    form: web::Form<IdpResponse>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    complete(&state, &form).await
}

async fn complete(state: &State, answer: &IdpResponse) -> Result<HttpResponse, PageError> {
    let arrived = federation::arrive(state, answer).await?;
    let session = hosted::open_session(state, &arrived.user, arrived.auth_time).await?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, arrived.redirect))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::SET_COOKIE,
            cookies::set(
                &state.public_url,
                cookies::SESSION,
                &session,
                SESSION_LIFETIME_MS / 1000,
            ),
        ))
        .finish())
}
