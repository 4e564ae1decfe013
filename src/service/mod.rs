//! The domain, in folders that import only downwards: `idp` (the cognito-idp actions, the
//! only code that sees its wire types) over `signin` over `tokens` over `directory` over
//! `outbound` over `kernel`. This root holds what all of them share: the state, the error
//! type and Cognito's exceptions. Nothing here knows about HTTP or SQL.

pub mod admin;
pub mod directory;
pub mod iam;
pub mod identity;
pub mod idp;
pub mod kernel;
pub mod oauth2;
pub mod outbound;
pub mod push;
pub mod signin;
pub mod sync;
pub mod tokens;
pub mod triggers;

use crate::config::Argon2Params;
use crate::store::{Db, StoreError};
use kernel::crypto::Argon2Memory;
use kernel::workers::{Refused, Workers};

/// The bounded pool that runs argon2 and SRP arithmetic, each worker with its argon2 memory.
pub type HashWorkers = Workers<Argon2Memory>;

/// What every service function can see: the database and the settings that shape replies.
pub struct State {
    pub db: Db,
    pub region: String,
    pub account_id: String,
    /// Base URL with no trailing slash; token issuers are `{public_url}/{pool_id}`.
    pub public_url: String,
    pub local_mode: bool,
    pub argon2: Argon2Params,
    pub keys: directory::keys::KeyCache,
    pub delivery: outbound::messaging::Delivery,
    /// A hash of a random password, checked for unknown users so that their sign-ins take
    /// as long as real ones.
    pub dummy_password_hash: String,
    /// Where argon2 and SRP run: a fixed number of threads and a bounded queue.
    pub hashing: HashWorkers,
    /// Invokes the pool's Lambda triggers.
    pub triggers: outbound::lambda::Invoker,
    /// Push synchronisation: the FCM and APNs senders and the live feed of changes.
    pub push: push::Push,
    /// Cognito Streams' sinks (stream name -> webhook).
    pub sync_streams: std::sync::Arc<outbound::streams::Streams>,
    /// Undefined roles served as allow-all in local mode, each warned about once.
    pub iam_warned: iam::Warned,
    /// Tokens name Cognito's issuer URL (`COGNATE_ISSUER_STYLE=aws`) instead of this server's.
    pub aws_issuer: bool,
    /// The Prometheus counters, for the few events counted inside the domain.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// Days the audit log keeps an entry.
    pub audit_retention_days: i64,
    /// Upstream identity providers: their HTTP client, discovery documents and JWKS.
    pub upstream: outbound::upstream::Upstream,
    /// Wakes this instance's user import job runner.
    pub import_wakeup: directory::import_jobs::Wakeup,
}

impl State {
    pub fn issuer(&self, pool_id: &str) -> String {
        if self.aws_issuer {
            return format!(
                "https://cognito-idp.{}.amazonaws.com/{pool_id}",
                self.region
            );
        }
        format!("{}/{}", self.public_url, pool_id)
    }
}

/// Cognito's exceptions that Cognate raises; each is its `__type` on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exception {
    AliasExists,
    CodeDeliveryFailure,
    CodeMismatch,
    EnableSoftwareTokenMfa,
    ExpiredCode,
    GroupExists,
    InvalidLambdaResponse,
    InvalidOAuthFlow,
    InvalidParameter,
    InvalidPassword,
    InvalidUserPoolConfiguration,
    LimitExceeded,
    ManagedLoginBrandingExists,
    NotAuthorized,
    PasswordResetRequired,
    ResourceNotFound,
    ScopeDoesNotExist,
    SoftwareTokenMfaNotFound,
    TooManyFailedAttempts,
    TooManyRequests,
    Unauthorized,
    UnexpectedLambda,
    Unsupported,
    UnsupportedTokenType,
    UnsupportedUserState,
    UserNotConfirmed,
    PreconditionNotMet,
    UserLambdaValidation,
    UserNotFound,
    UsernameExists,
    DuplicateProvider,
    // Identity pools, STS and IAM.
    InvalidIdentityPoolConfiguration,
    ResourceConflict,
    ExternalService,
    InvalidIdentityToken,
    ExpiredToken,
    AccessDenied,
    NoSuchEntity,
    EntityAlreadyExists,
    MalformedPolicyDocument,
    DeleteConflict,
    ValidationError,
    InvalidInput,
    IamLimitExceeded,
    // SNS.
    SnsInvalidParameter,
    NotFound,
    AuthorizationError,
    // Cognito Sync.
    DuplicateRequest,
    AlreadyStreamed,
    InvalidConfiguration,
    InvalidLambdaFunctionOutput,
    LambdaThrottled,
}

impl Exception {
    pub fn name(self) -> &'static str {
        match self {
            Exception::AliasExists => "AliasExistsException",
            Exception::CodeDeliveryFailure => "CodeDeliveryFailureException",
            Exception::CodeMismatch => "CodeMismatchException",
            Exception::EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
            Exception::ExpiredCode => "ExpiredCodeException",
            Exception::GroupExists => "GroupExistsException",
            Exception::InvalidLambdaResponse => "InvalidLambdaResponseException",
            Exception::InvalidOAuthFlow => "InvalidOAuthFlowException",
            Exception::InvalidParameter => "InvalidParameterException",
            Exception::InvalidPassword => "InvalidPasswordException",
            Exception::InvalidUserPoolConfiguration => "InvalidUserPoolConfigurationException",
            Exception::LimitExceeded => "LimitExceededException",
            Exception::ManagedLoginBrandingExists => "ManagedLoginBrandingExistsException",
            Exception::NotAuthorized => "NotAuthorizedException",
            Exception::PasswordResetRequired => "PasswordResetRequiredException",
            Exception::ResourceNotFound => "ResourceNotFoundException",
            Exception::ScopeDoesNotExist => "ScopeDoesNotExistException",
            Exception::SoftwareTokenMfaNotFound => "SoftwareTokenMFANotFoundException",
            Exception::TooManyFailedAttempts => "TooManyFailedAttemptsException",
            Exception::TooManyRequests => "TooManyRequestsException",
            Exception::Unauthorized => "UnauthorizedException",
            Exception::UnexpectedLambda => "UnexpectedLambdaException",
            Exception::Unsupported => "UnsupportedOperationException",
            Exception::UnsupportedTokenType => "UnsupportedTokenTypeException",
            Exception::UnsupportedUserState => "UnsupportedUserStateException",
            Exception::UserNotConfirmed => "UserNotConfirmedException",
            Exception::PreconditionNotMet => "PreconditionNotMetException",
            Exception::UserLambdaValidation => "UserLambdaValidationException",
            Exception::UserNotFound => "UserNotFoundException",
            Exception::UsernameExists => "UsernameExistsException",
            Exception::DuplicateProvider => "DuplicateProviderException",
            Exception::InvalidIdentityPoolConfiguration => {
                "InvalidIdentityPoolConfigurationException"
            }
            Exception::ResourceConflict => "ResourceConflictException",
            Exception::ExternalService => "ExternalServiceException",
            Exception::InvalidIdentityToken => "InvalidIdentityToken",
            Exception::ExpiredToken => "ExpiredTokenException",
            Exception::AccessDenied => "AccessDenied",
            Exception::NoSuchEntity => "NoSuchEntity",
            Exception::EntityAlreadyExists => "EntityAlreadyExists",
            Exception::MalformedPolicyDocument => "MalformedPolicyDocument",
            Exception::DeleteConflict => "DeleteConflict",
            Exception::ValidationError => "ValidationError",
            Exception::InvalidInput => "InvalidInput",
            Exception::IamLimitExceeded => "LimitExceeded",
            Exception::SnsInvalidParameter => "InvalidParameter",
            Exception::NotFound => "NotFound",
            Exception::AuthorizationError => "AuthorizationError",
            Exception::DuplicateRequest => "DuplicateRequestException",
            Exception::AlreadyStreamed => "AlreadyStreamedException",
            Exception::InvalidConfiguration => "InvalidConfigurationException",
            Exception::InvalidLambdaFunctionOutput => "InvalidLambdaFunctionOutputException",
            Exception::LambdaThrottled => "LambdaThrottledException",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An error the caller caused, reported to them as Cognito would.
    #[error("{}: {message}", .kind.name())]
    Cognito { kind: Exception, message: String },
    /// A fault of ours; the caller sees only that something went wrong.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            // The database refused a second holder of an alias (a write that raced the
            // check before it): as Cognito answers a taken alias.
            StoreError::AliasTaken { name } => Error::Cognito {
                kind: Exception::AliasExists,
                message: directory::aliases::taken_message(&name),
            },
            e => Error::Internal(anyhow::Error::new(e)),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

pub fn fail<T>(kind: Exception, message: impl Into<String>) -> Result<T> {
    Err(Error::Cognito {
        kind,
        message: message.into(),
    })
}

pub fn invalid_parameter<T>(message: impl Into<String>) -> Result<T> {
    fail(Exception::InvalidParameter, message)
}

/// Runs other CPU-heavy work (RSA) on tokio's blocking pool, never on an async worker;
/// argon2 and SRP go through [`hashing`].
pub async fn blocking<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("blocking task failed: {e}")))
}

/// Runs argon2 or SRP work on the state's hashing workers, never on an async worker. When
/// every worker is busy and the queue is full the request is shed with Cognito's
/// TooManyRequestsException rather than queued without bound.
pub async fn hashing<T, F>(state: &State, f: F) -> Result<T>
where
    F: FnOnce(&mut Argon2Memory) -> T + Send + 'static,
    T: Send + 'static,
{
    state.hashing.run(f).await.map_err(|e| match e {
        Refused::Full => too_many_requests(),
        Refused::Failed => Error::Internal(anyhow::anyhow!("hashing job failed")),
    })
}

/// Cognito's answer to a caller over its request rate or to a server at capacity.
pub fn too_many_requests() -> Error {
    Error::Cognito {
        kind: Exception::TooManyRequests,
        message: "Too many requests".into(),
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
