//! Remembered devices in a sign-in: DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, the app's
//! proof that it holds the device's secret, which stands in for MFA.

use std::collections::HashMap;

use super::params::required_param;
use super::respond::Answer;
use super::session::{self, SessionState};
use super::srp::{server_ephemeral, verify_claim};
use super::step::{Challenge, Outcome};
use crate::service::directory::devices;
use crate::service::kernel::srp;
use crate::service::{fail, invalid_parameter, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::users::UserRecord;

/// Opens DEVICE_SRP_AUTH.
pub async fn challenge(
    state: &State,
    client: &ClientRecord,
    user: &UserRecord,
    st: &SessionState,
) -> Result<Challenge> {
    let params = HashMap::from([("USERNAME".to_string(), user.username.clone())]);
    session::challenge(state, client, user, "DEVICE_SRP_AUTH", st, params).await
}

/// DEVICE_SRP_AUTH answered with SRP_A: reply with DEVICE_PASSWORD_VERIFIER.
pub async fn answer_srp_auth(state: &State, a: Answer<'_>) -> Result<Outcome> {
    let srp_a = required_param(a.responses, "SRP_A")?.to_string();
    let key = required_param(a.responses, "DEVICE_KEY")?;
    if !srp::is_valid_public(&srp_a) {
        return invalid_parameter(
            "Invalid SRP_A: it must be a hex number that is not a multiple of N.",
        );
    }
    let Some(device) = devices::remembered(state, a.pool, &a.user, Some(key)).await? else {
        return fail(Exception::ResourceNotFound, "Device does not exist.");
    };
    let (Some(salt), Some(verifier)) = (device.salt.clone(), device.verifier.clone()) else {
        return fail(Exception::ResourceNotFound, "Device does not exist.");
    };
    let (b, big_b) = server_ephemeral(state, verifier, "stored device verifier is not hex").await?;
    let st = SessionState {
        srp_b: Some((b, big_b.clone())),
        srp_a: Some(srp_a),
        device_key: Some(device.device_key.clone()),
        ..a.st
    };
    let token = session::open(state, a.client, &a.user, "DEVICE_PASSWORD_VERIFIER", &st).await?;
    let parameters = HashMap::from([
        ("SALT".to_string(), salt),
        ("SECRET_BLOCK".to_string(), token.clone()),
        ("SRP_B".to_string(), big_b),
        ("USERNAME".to_string(), a.user.username.clone()),
        ("DEVICE_KEY".to_string(), device.device_key),
    ]);
    Ok(Outcome::Challenge(Challenge {
        name: "DEVICE_PASSWORD_VERIFIER",
        session: token,
        parameters,
        available: None,
    }))
}

/// DEVICE_PASSWORD_VERIFIER: the device's SRP proof; tokens without MFA when it holds.
pub async fn answer_password_verifier(state: &State, a: Answer<'_>) -> Result<Outcome> {
    let Some(key) = a.st.device_key.clone() else {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    };
    let device = devices::remembered(state, a.pool, &a.user, Some(&key)).await?;
    let Some((group, Some(verifier))) = device.map(|d| (d.group_key, d.verifier)) else {
        return fail(Exception::ResourceNotFound, "Device does not exist.");
    };
    if !verify_claim(state, &a, group, key, verifier).await? {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    Ok(Outcome::Verified {
        user: a.user,
        st: a.st,
    })
}
