//! Cognito Sync in tests: the cognito-sync client signed by an identity's credentials or the
//! administrator's, guest identities with credentials of their own, and a loopback webhook
//! that keeps what it is sent (the sink Cognito Streams publish to).

use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use aws_credential_types::Credentials;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
use aws_sdk_cognitosync as cs;
use serde_json::Value;
use tokio::sync::mpsc;

use super::{sdk_creds, TestApp};

pub fn sync_client(base: &str, creds: Credentials) -> cs::Client {
    let conf = cs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(base)
        .credentials_provider(creds)
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(cs::config::retry::RetryConfig::disabled())
        .build();
    cs::Client::from_conf(conf)
}

/// One device of an identity: its client, signed with credentials of its own.
pub struct Device {
    pub identity_id: String,
    pub sync: cs::Client,
}

impl TestApp {
    /// A cognito-sync client signing with the admin credentials (any in local mode).
    pub fn sync_admin(&self) -> cs::Client {
        let key = self
            .config
            .admin_access_key_id
            .as_deref()
            .unwrap_or("AKIDTEST");
        let secret = self.config.admin_secret_access_key.as_ref();
        let secret = secret.map_or("test-secret", |s| s.expose());
        sync_client(
            &self.base,
            Credentials::new(key, secret, None, None, "admin"),
        )
    }

    /// An identity pool open to guests, its roles set to `role/Auth` and `role/Guest`.
    pub async fn sync_pool(&self) -> String {
        let pool = self.identity_pool(None, true).await;
        self.default_roles(&pool).await;
        pool
    }

    /// A new guest identity of `pool`.
    pub async fn guest(&self, pool: &str) -> String {
        let got = self.identity().get_id().identity_pool_id(pool);
        got.send().await.unwrap().identity_id.unwrap()
    }

    /// A device of `identity_id`: a sync client signed with fresh credentials for it.
    pub async fn device(&self, identity_id: &str) -> Device {
        let got = self
            .identity()
            .get_credentials_for_identity()
            .identity_id(identity_id)
            .send()
            .await
            .unwrap();
        Device {
            identity_id: identity_id.to_string(),
            sync: sync_client(&self.base, sdk_creds(got.credentials().unwrap())),
        }
    }
}

/// A loopback HTTP sink: every POST body it receives, with its headers, in order.
pub struct Webhook {
    pub url: String,
    received: mpsc::UnboundedReceiver<(Value, Vec<(String, String)>)>,
}

impl Webhook {
    pub async fn start() -> Webhook {
        let (tx, received) = mpsc::unbounded_channel();
        let tx = web::Data::new(tx);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(tx.clone())
                .default_service(web::to(keep))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        Webhook {
            url: format!("http://127.0.0.1:{port}/records"),
            received,
        }
    }

    /// The next body received (failing the test after five seconds without one).
    pub async fn next(&mut self) -> (Value, Vec<(String, String)>) {
        tokio::time::timeout(Duration::from_secs(5), self.received.recv())
            .await
            .expect("the webhook receives a request within five seconds")
            .expect("the webhook is running")
    }
}

type Sender = mpsc::UnboundedSender<(Value, Vec<(String, String)>)>;

async fn keep(req: HttpRequest, body: web::Bytes, tx: web::Data<Sender>) -> HttpResponse {
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let _ = tx.send((value, headers));
    HttpResponse::Ok().finish()
}

/// A patch replacing `key` with `value`, written over sync count `count`.
pub fn put(key: &str, value: &str, count: i64) -> cs::types::RecordPatch {
    cs::types::RecordPatch::builder()
        .op(cs::types::Operation::Replace)
        .key(key)
        .value(value)
        .sync_count(count)
        .build()
        .unwrap()
}

/// A patch removing `key`, written over sync count `count`.
pub fn remove(key: &str, count: i64) -> cs::types::RecordPatch {
    cs::types::RecordPatch::builder()
        .op(cs::types::Operation::Remove)
        .key(key)
        .sync_count(count)
        .build()
        .unwrap()
}

impl Device {
    /// ListRecords since `last`: the reply, which carries the session token to write with.
    pub async fn pull(
        &self,
        pool: &str,
        dataset: &str,
        last: i64,
    ) -> cs::operation::list_records::ListRecordsOutput {
        self.sync
            .list_records()
            .identity_pool_id(pool)
            .identity_id(&self.identity_id)
            .dataset_name(dataset)
            .last_sync_count(last)
            .send()
            .await
            .unwrap()
    }

    /// Pulls, then writes `patches` with the session the pull opened.
    pub async fn push(
        &self,
        pool: &str,
        dataset: &str,
        patches: Vec<cs::types::RecordPatch>,
    ) -> Result<
        Vec<cs::types::Record>,
        cs::error::SdkError<cs::operation::update_records::UpdateRecordsError>,
    > {
        let token = self
            .pull(pool, dataset, 0)
            .await
            .sync_session_token
            .unwrap();
        let reply = self
            .sync
            .update_records()
            .identity_pool_id(pool)
            .identity_id(&self.identity_id)
            .dataset_name(dataset)
            .set_record_patches(Some(patches))
            .sync_session_token(token)
            .send()
            .await?;
        Ok(reply.records.unwrap_or_default())
    }
}
