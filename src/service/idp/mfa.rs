//! MFA actions: Get/SetUserPoolMfaConfig, AssociateSoftwareToken and VerifySoftwareToken (with
//! an access token or inside an MFA_SETUP sign-in), and (Admin)SetUserMFAPreference.

use super::{Admin, Bearer, Public};
use crate::service::directory::mfa::{self as factors, FactorSetting, MfaMode, POOL_MFA_MEMBERS};
use crate::service::directory::{clients, pools, users};
use crate::service::signin::session::{self, SessionState};
use crate::service::tokens;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::{self as pool_store, PoolRecord};
use crate::store::sessions::SessionRow;
use crate::store::users::{self as user_store, UserRecord};
use crate::types::auth::*;
use crate::types::Empty;

pub async fn get_user_pool_mfa_config(
    state: &State,
    _: Admin,
    req: UserPoolMfaConfig,
) -> Result<UserPoolMfaConfig> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    Ok(config_of(&pool))
}

fn config_of(pool: &PoolRecord) -> UserPoolMfaConfig {
    let get = |k: &str| pool.settings.other.get(k).cloned();
    UserPoolMfaConfig {
        user_pool_id: pool.id.clone().into(),
        sms_mfa_configuration: get(POOL_MFA_MEMBERS[0]),
        software_token_mfa_configuration: get(POOL_MFA_MEMBERS[1]),
        email_mfa_configuration: get(POOL_MFA_MEMBERS[2]),
        web_authn_configuration: get(POOL_MFA_MEMBERS[3]),
        mfa_configuration: Some(factors::mode(pool).as_str().to_string()),
    }
}

pub async fn set_user_pool_mfa_config(
    state: &State,
    _: Admin,
    req: UserPoolMfaConfig,
) -> Result<UserPoolMfaConfig> {
    let mut pool = pools::load(state, &req.user_pool_id).await?;
    let given = [
        &req.sms_mfa_configuration,
        &req.software_token_mfa_configuration,
        &req.email_mfa_configuration,
        &req.web_authn_configuration,
    ];
    for (key, value) in POOL_MFA_MEMBERS.iter().zip(given) {
        if let Some(v) = value {
            pool.settings.other.insert(key.to_string(), v.clone());
        }
    }
    if let Some(m) = req.mfa_configuration.as_deref().and_then(MfaMode::parse) {
        pool.settings.mfa_configuration = Some(m.as_str().to_string());
    }
    if factors::mode(&pool) != MfaMode::Off && factors::pool_factors(&pool).is_empty() {
        return invalid_parameter(
            "Invalid MFA configuration given, can't turn on MFA without any factor enabled.",
        );
    }
    pool.updated_at = now_ms();
    pool_store::update(&state.db, &pool).await?;
    Ok(config_of(&pool))
}

/// An MFA_SETUP session a software-token call came with.
struct Setup<'a> {
    token: &'a str,
    client: ClientRecord,
    row: SessionRow,
    st: SessionState,
}

/// The user an access token or an MFA_SETUP session speaks for; with a session, also the
/// session itself, to hand on to the next step.
async fn token_or_session_user<'a>(
    state: &State,
    access_token: Option<&str>,
    session_token: Option<&'a str>,
) -> Result<(UserRecord, Option<Setup<'a>>)> {
    if let Some(token) = access_token {
        let auth = tokens::authenticate_access_token(state, token).await?;
        return Ok((auth.user, None));
    }
    let Some(token) = session_token else {
        return invalid_parameter("Either AccessToken or Session is required.");
    };
    let (row, st) = session::take_setup(state, token).await?;
    let client = clients::load(state, &row.client_id).await?;
    let Some(user) = user_store::find_by_sub(&state.db, &row.pool_id, &row.sub).await? else {
        return fail(Exception::NotAuthorized, "Invalid session for the user.");
    };
    let setup = Setup {
        token,
        client,
        row,
        st,
    };
    Ok((user, Some(setup)))
}

pub async fn associate_software_token(
    state: &State,
    _: Public,
    req: AssociateSoftwareTokenRequest,
) -> Result<AssociateSoftwareTokenResponse> {
    let (user, setup) =
        token_or_session_user(state, req.access_token.as_deref(), req.session.as_deref()).await?;
    let secret = factors::associate_software_token(state, &user).await?;
    let session = match setup {
        Some(s) => Some(session::open(state, &s.client, &user, "MFA_SETUP", &s.st).await?),
        None => None,
    };
    Ok(AssociateSoftwareTokenResponse {
        secret_code: secret,
        session,
    })
}

pub async fn verify_software_token(
    state: &State,
    _: Public,
    req: VerifySoftwareTokenRequest,
) -> Result<VerifySoftwareTokenResponse> {
    let (user, setup) =
        token_or_session_user(state, req.access_token.as_deref(), req.session.as_deref()).await?;
    if !factors::verify_software_token(state, &user, &req.user_code).await? {
        if let Some(s) = setup {
            // The session the client holds stays good for another try, within its limit.
            session::retry(state, s.token, s.row, s.st).await?;
        }
        return fail(
            Exception::EnableSoftwareTokenMfa,
            "Code mismatch and fail enable Software Token MFA",
        );
    }
    let session = match setup {
        Some(Setup { client, mut st, .. }) => {
            st.totp_verified = true;
            Some(session::open(state, &client, &user, "MFA_SETUP", &st).await?)
        }
        None => None,
    };
    Ok(VerifySoftwareTokenResponse {
        status: "SUCCESS",
        session,
    })
}

fn setting(s: Option<MfaSettings>) -> Option<FactorSetting> {
    s.map(|s| FactorSetting {
        enabled: s.enabled,
        preferred: s.preferred_mfa,
    })
}

pub async fn set_user_mfa_preference(
    state: &State,
    caller: Bearer,
    req: SetUserMfaPreferenceRequest,
) -> Result<Empty> {
    factors::set_preferences(
        state,
        &caller.0.user,
        setting(req.sms_mfa_settings),
        setting(req.software_token_mfa_settings),
        setting(req.email_mfa_settings),
    )
    .await?;
    Ok(Empty {})
}

pub async fn admin_set_user_mfa_preference(
    state: &State,
    _: Admin,
    req: AdminSetUserMfaPreferenceRequest,
) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let user = users::find_or_fail(state, &pool, &req.username).await?;
    factors::set_preferences(
        state,
        &user,
        setting(req.sms_mfa_settings),
        setting(req.software_token_mfa_settings),
        setting(req.email_mfa_settings),
    )
    .await?;
    Ok(Empty {})
}
