//! Request-rate quotas per Cognito category, checked at the edge before an operation runs:
//! each operation belongs to one category of AWS's "Quotas in Amazon Cognito", and each
//! category is a token bucket refilled at its rate. The buckets are per instance: N instances
//! behind a load balancer admit N times the configured rate.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Instant;

use super::AwsError;
use crate::config::QuotaCategory;
use crate::service::Exception;

/// The category of a cognito-idp operation, where Cognito puts it in one.
pub fn category(op: &str) -> Option<QuotaCategory> {
    use QuotaCategory::*;
    Some(match op {
        "InitiateAuth"
        | "RespondToAuthChallenge"
        | "AdminInitiateAuth"
        | "AdminRespondToAuthChallenge" => UserAuthentication,
        "SignUp"
        | "ConfirmSignUp"
        | "ResendConfirmationCode"
        | "AdminCreateUser"
        | "AdminConfirmSignUp" => UserCreation,
        "AdminLinkProviderForUser" | "AdminDisableProviderForUser" => UserFederation,
        "ForgotPassword"
        | "ConfirmForgotPassword"
        | "AdminResetUserPassword"
        | "ChangePassword"
        | "AdminSetUserPassword" => UserAccountRecovery,
        "GetUser" | "AdminGetUser" | "GetUserAuthFactors" | "AdminGetUserAuthFactors" => UserRead,
        _ => return user_change_category(op),
    })
}

/// The categories of the operations that change a user, their tokens and what they own.
fn user_change_category(op: &str) -> Option<QuotaCategory> {
    use QuotaCategory::*;
    Some(match op {
        "UpdateUserAttributes"
        | "AdminUpdateUserAttributes"
        | "DeleteUserAttributes"
        | "AdminDeleteUserAttributes"
        | "DeleteUser"
        | "AdminDeleteUser"
        | "AdminDisableUser"
        | "AdminEnableUser"
        | "SetUserSettings"
        | "AdminSetUserSettings"
        | "SetUserMFAPreference"
        | "AdminSetUserMFAPreference"
        | "VerifyUserAttribute"
        | "GetUserAttributeVerificationCode"
        | "AssociateSoftwareToken"
        | "VerifySoftwareToken"
        | "AdminDeleteSoftwareToken"
        | "UpdateAuthEventFeedback"
        | "AdminUpdateAuthEventFeedback"
        | "StartWebAuthnRegistration"
        | "CompleteWebAuthnRegistration"
        | "DeleteWebAuthnCredential" => UserUpdate,
        "RevokeToken"
        | "GetTokensFromRefreshToken"
        | "GlobalSignOut"
        | "AdminUserGlobalSignOut"
        | "RevokeUserSession"
        | "AdminRevokeUserSession" => UserToken,
        "GetDevice"
        | "AdminGetDevice"
        | "ListDevices"
        | "AdminListDevices"
        | "AdminListGroupsForUser"
        | "AdminListUserAuthEvents"
        | "ListWebAuthnCredentials"
        | "ListUserSessions"
        | "AdminListUserSessions" => UserResourceRead,
        "ConfirmDevice"
        | "ForgetDevice"
        | "AdminForgetDevice"
        | "UpdateDeviceStatus"
        | "AdminUpdateDeviceStatus"
        | "AdminAddUserToGroup"
        | "AdminRemoveUserFromGroup" => UserResourceUpdate,
        "ListUsers" | "ListUsersInGroup" => UserList,
        _ => return pool_category(op),
    })
}

/// The categories of the operations on pools, their clients and their resources.
fn pool_category(op: &str) -> Option<QuotaCategory> {
    use QuotaCategory::*;
    Some(match op {
        "DescribeUserPool"
        | "ListUserPools"
        | "GetUserPoolMfaConfig"
        | "DescribeUserPoolDomain"
        | "DescribeRiskConfiguration"
        | "GetLogDeliveryConfiguration"
        | "GetUICustomization"
        | "GetSigningCertificate" => UserPoolRead,
        "CreateUserPool"
        | "UpdateUserPool"
        | "DeleteUserPool"
        | "SetUserPoolMfaConfig"
        | "AddCustomAttributes"
        | "CreateUserPoolDomain"
        | "UpdateUserPoolDomain"
        | "DeleteUserPoolDomain"
        | "SetRiskConfiguration"
        | "SetLogDeliveryConfiguration"
        | "SetUICustomization" => UserPoolUpdate,
        "DescribeUserPoolClient" | "ListUserPoolClients" | "ListUserPoolClientSecrets" => {
            UserPoolClientRead
        }
        "CreateUserPoolClient"
        | "UpdateUserPoolClient"
        | "DeleteUserPoolClient"
        | "AddUserPoolClientSecret"
        | "DeleteUserPoolClientSecret" => UserPoolClientUpdate,
        _ if op.starts_with("Get") || op.starts_with("List") || op.starts_with("Describe") => {
            UserPoolResourceRead
        }
        _ if [
            "Create", "Update", "Delete", "Tag", "Untag", "Start", "Stop",
        ]
        .iter()
        .any(|verb| op.starts_with(verb)) =>
        {
            UserPoolResourceUpdate
        }
        _ => return None,
    })
}

/// One category's bucket: up to one second's worth of requests, refilled continuously.
struct Bucket {
    rate: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    /// A bucket for `rate` requests a second, full.
    fn full(rate: f64, now: Instant) -> Mutex<Bucket> {
        Mutex::new(Bucket {
            rate,
            tokens: rate.max(1.0),
            last: now,
        })
    }

    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.rate.max(1.0));
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The quotas in force: a bucket per limited category (none when quotas are off), and the
/// one for answers to challenges, which Cognito allows three times UserAuthentication's rate.
#[derive(Default)]
pub struct RateLimits {
    buckets: HashMap<QuotaCategory, Mutex<Bucket>>,
    challenge_answers: Option<Mutex<Bucket>>,
}

/// The operations that answer a sign-in challenge, counted apart from the sign-ins themselves.
fn answers_a_challenge(op: &str) -> bool {
    matches!(op, "RespondToAuthChallenge" | "AdminRespondToAuthChallenge")
}

impl RateLimits {
    pub fn new(rates: Option<BTreeMap<QuotaCategory, u32>>) -> Self {
        let now = Instant::now();
        let rates = rates.unwrap_or_default();
        let challenge_answers = rates
            .get(&QuotaCategory::UserAuthentication)
            .map(|rate| Bucket::full(3.0 * f64::from(*rate), now));
        let buckets = rates
            .into_iter()
            .map(|(category, rate)| (category, Bucket::full(f64::from(rate), now)))
            .collect();
        RateLimits {
            buckets,
            challenge_answers,
        }
    }

    /// Admits a request for `op`, or refuses it as Cognito does when its category's rate is
    /// exceeded.
    pub fn admit(&self, op: &str) -> Result<(), AwsError> {
        let bucket = match answers_a_challenge(op) {
            true => self.challenge_answers.as_ref(),
            false => category(op).and_then(|c| self.buckets.get(&c)),
        };
        let Some(bucket) = bucket else {
            return Ok(());
        };
        let admitted = bucket
            .lock()
            .map(|mut b| b.take(Instant::now()))
            .unwrap_or(true);
        match admitted {
            true => Ok(()),
            false => Err(AwsError::new(
                Exception::TooManyRequests.name(),
                "Too many requests",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::aws::idp::OPERATIONS;
    use std::time::Duration;

    #[test]
    fn every_implemented_operation_has_a_category() {
        for op in OPERATIONS {
            assert!(category(op.name).is_some(), "{} has no category", op.name);
        }
        assert_eq!(
            category("InitiateAuth"),
            Some(QuotaCategory::UserAuthentication)
        );
        assert_eq!(
            category("GetGroup"),
            Some(QuotaCategory::UserPoolResourceRead)
        );
        assert_eq!(
            category("TagResource"),
            Some(QuotaCategory::UserPoolResourceUpdate)
        );
    }

    #[test]
    fn a_bucket_admits_its_rate_and_refills() {
        let start = Instant::now();
        let mut bucket = Bucket {
            rate: 2.0,
            tokens: 2.0,
            last: start,
        };
        assert!(bucket.take(start));
        assert!(bucket.take(start));
        assert!(!bucket.take(start));
        assert!(bucket.take(start + Duration::from_millis(500)));
        assert!(!bucket.take(start + Duration::from_millis(500)));
        // It never holds more than one second's worth.
        let later = start + Duration::from_secs(60);
        assert!(bucket.take(later) && bucket.take(later) && !bucket.take(later));
    }

    #[test]
    fn without_quotas_everything_is_admitted() {
        let limits = RateLimits::new(None);
        for _ in 0..1000 {
            limits.admit("InitiateAuth").unwrap();
        }
        let limits = RateLimits::new(Some(BTreeMap::from([(
            QuotaCategory::UserAuthentication,
            1,
        )])));
        limits.admit("InitiateAuth").unwrap();
        let e = limits.admit("AdminInitiateAuth").unwrap_err();
        assert_eq!(e.code, "TooManyRequestsException");
        assert_eq!(e.status.as_u16(), 400);
        // Answers to challenges have three times the rate, apart.
        for _ in 0..3 {
            limits.admit("RespondToAuthChallenge").unwrap();
        }
        limits.admit("AdminRespondToAuthChallenge").unwrap_err();
        limits.admit("GetUser").unwrap();
    }
}
