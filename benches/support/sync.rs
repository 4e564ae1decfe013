//! Per-core rows for Cognito Sync: ListRecords and UpdateRecords (REST-JSON under
//! `/identitypools/...`, SigV4-signed for `cognito-sync` with the temporary credentials of
//! guest identities), and the set-up the push fan-out rows share (`support/push.rs`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use serde_json::{json, Value};

use crate::percore::{call, drive, simple, Op, Row};
use crate::server::Server;
use crate::wire::{Conn, Requests};

/// One guest identity of the sync pool, with credentials of its own.
#[derive(Clone)]
pub struct Identity {
    pub pool: String,
    pub id: String,
    creds: Credentials,
    host: String,
}

impl Identity {
    /// The path of one of its datasets, plus `tail`.
    pub fn dataset(&self, name: &str, tail: &str) -> String {
        format!(
            "/identitypools/{}/identities/{}/datasets/{name}{tail}",
            self.pool, self.id
        )
    }

    /// The signing instructions for `signable` under `settings`.
    fn sign(
        &self,
        signable: SignableRequest<'_>,
        settings: SigningSettings,
    ) -> aws_sigv4::http_request::SigningInstructions {
        let identity = self.creds.clone().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("cognito-sync")
            .time(SystemTime::now())
            .settings(settings)
            .build()
            .unwrap()
            .into();
        sign(signable, &params).unwrap().into_parts().0
    }

    /// A request to `path` signed with the identity's credentials.
    pub fn request(&self, method: &str, path: &str, body: &str) -> Vec<u8> {
        let url = format!("http://{}{path}", self.host);
        let headers = [
            ("host", self.host.as_str()),
            ("content-type", "application/json"),
        ];
        let signable = SignableRequest::new(
            method,
            &url,
            headers.into_iter(),
            SignableBody::Bytes(body.as_bytes()),
        )
        .unwrap();
        let instructions = self.sign(signable, SigningSettings::default());
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n",
            self.host
        );
        for (k, v) in instructions.headers() {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        format!("{head}Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    /// The push WebSocket's URL for `device`, presigned with the identity's credentials.
    pub fn websocket_url(&self, device: &str) -> String {
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(900));
        let enc = |s: &str| s.replace(':', "%3A");
        let url = format!(
            "http://{}/_cognate/sync/ws?IdentityPoolId={}&IdentityId={}&DeviceId={device}",
            self.host,
            enc(&self.pool),
            enc(&self.id)
        );
        let headers = [("host", self.host.as_str())];
        let signable =
            SignableRequest::new("GET", &url, headers.into_iter(), SignableBody::Bytes(&[]))
                .unwrap();
        let instructions = self.sign(signable, settings);
        let mut request = http::Request::builder().uri(&url).body(()).unwrap();
        instructions.apply_to_request_http1x(&mut request);
        request.uri().to_string().replacen("http://", "ws://", 1)
    }

    /// ListRecords of `dataset` since nothing: the reply, with its SyncSessionToken.
    pub fn list_records(&self, dataset: &str) -> Vec<u8> {
        let path = self.dataset(dataset, "/records?LastSyncCount=0");
        self.request("GET", &path, "")
    }

    /// UpdateRecords replacing `key` over sync count `count`, from `device` if given.
    pub fn update(
        &self,
        dataset: &str,
        token: &str,
        key: &str,
        count: i64,
        device: Option<&str>,
    ) -> Vec<u8> {
        let mut body = json!({"SyncSessionToken": token, "RecordPatches": [
            {"Op": "replace", "Key": key, "Value": format!("v{count}"), "SyncCount": count}]});
        if let Some(d) = device {
            body["DeviceId"] = json!(d);
        }
        self.request("POST", &self.dataset(dataset, ""), &body.to_string())
    }
}

/// Calls `request` on `conn`: the JSON of a 200, the status and body as the error otherwise.
pub async fn json(conn: &mut Conn, request: &[u8]) -> Result<Value, String> {
    conn.call(request).await?.ok()?.json()
}

/// A guest identity pool whose unauthenticated role (defined in IAM) allows cognito-sync on
/// the identity's own datasets only, as a Cognito Sync app's role does.
pub async fn pool(server: &Server, rq: &Requests) -> String {
    let create = json!({"IdentityPoolName": "sync", "AllowUnauthenticatedIdentities": true});
    let pool = call(server, &rq.identity("CreateIdentityPool", &create, true)).await;
    let pool = pool["IdentityPoolId"].as_str().unwrap().to_string();
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": pool}}}]});
    let own = "arn:aws:cognito-sync:us-east-1:000000000000:identitypool/\
               ${cognito-identity.amazonaws.com:aud}/identity/${cognito-identity.amazonaws.com:sub}";
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "cognito-sync:*", "Resource": [own, format!("{own}/*")]}]});
    // A role of each pool's own: the sync and push rows each make a pool.
    let role = format!("SyncGuest-{}", pool.rsplit(':').next().unwrap_or_default());
    for form in [
        vec![
            ("Action", "CreateRole".to_string()),
            ("RoleName", role.clone()),
            ("AssumeRolePolicyDocument", trust.to_string()),
        ],
        vec![
            ("Action", "PutRolePolicy".to_string()),
            ("RoleName", role.clone()),
            ("PolicyName", "sync".into()),
            ("PolicyDocument", policy.to_string()),
        ],
    ] {
        let mut conn = Conn::open(&server.addr).await.unwrap();
        let reply = conn.call(&rq.iam(&form)).await.unwrap();
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
    }
    let roles = json!({"IdentityPoolId": pool,
        "Roles": {"unauthenticated": format!("arn:aws:iam::000000000000:role/{role}")}});
    call(server, &rq.identity("SetIdentityPoolRoles", &roles, true)).await;
    pool
}

/// A new guest identity of `pool` and its credentials, over `conn`.
pub async fn guest(conn: &mut Conn, rq: &Requests, pool: &str) -> Result<Identity, String> {
    let got = json(
        conn,
        &rq.identity("GetId", &json!({"IdentityPoolId": pool}), false),
    )
    .await?;
    let id = got["IdentityId"]
        .as_str()
        .ok_or("no IdentityId")?
        .to_string();
    let body = json!({"IdentityId": id});
    let got = json(
        conn,
        &rq.identity("GetCredentialsForIdentity", &body, false),
    )
    .await?;
    let c = &got["Credentials"];
    let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
    Ok(Identity {
        pool: pool.to_string(),
        id,
        creds: Credentials::new(
            s("AccessKeyId"),
            s("SecretKey"),
            Some(s("SessionToken")),
            None,
            "bench",
        ),
        host: rq.addr.clone(),
    })
}

/// A dataset one writer owns: its identity, session token, and its record's sync count.
struct Slot {
    identity: Identity,
    token: String,
    count: i64,
}

/// The sync rows: `k` guest identities, one dataset each holding one record.
pub async fn rows(
    server: &Server,
    rq: &Requests,
    (k, count): (usize, usize),
    want: impl Fn(&str) -> bool,
) -> Vec<Row> {
    let (list, update) = ("Sync ListRecords", "Sync UpdateRecords");
    if !want(list) && !want(update) {
        return Vec::new();
    }
    let pool = pool(server, rq).await;
    let mut conn = Conn::open(&server.addr).await.unwrap();
    let mut slots = Vec::new();
    for _ in 0..k {
        let identity = guest(&mut conn, rq, &pool).await.unwrap();
        let listed = json(&mut conn, &identity.list_records("notes"))
            .await
            .unwrap();
        let token = listed["SyncSessionToken"].as_str().unwrap().to_string();
        let wrote = json(
            &mut conn,
            &identity.update("notes", &token, "title", 0, None),
        )
        .await;
        let count = wrote.unwrap()["Records"][0]["SyncCount"].as_i64().unwrap();
        slots.push(Slot {
            identity,
            token,
            count,
        });
    }
    let mut rows = Vec::new();
    if want(list) {
        let lists: Vec<_> = slots
            .iter()
            .map(|s| s.identity.list_records("notes"))
            .collect();
        rows.push(
            drive(
                server,
                list,
                k,
                count,
                simple(move |i| lists[i % lists.len()].clone()),
            )
            .await,
        );
    }
    if want(update) {
        rows.push(drive(server, update, k, count, writer(slots)).await);
    }
    rows
}

/// UpdateRecords of the slot's record over its current sync count; a slot is written by one
/// operation at a time, so every write is expected to succeed.
fn writer(slots: Vec<Slot>) -> Op {
    let idle = Arc::new(Mutex::new(slots));
    Arc::new(move |mut conn: Conn, _| {
        let idle = idle.clone();
        Box::pin(async move {
            let mut slot = idle.lock().unwrap().pop().expect("a slot per connection");
            let request = slot
                .identity
                .update("notes", &slot.token, "title", slot.count, None);
            let r = json(&mut conn, &request).await.and_then(|v| {
                let c = v["Records"][0]["SyncCount"]
                    .as_i64()
                    .ok_or("no SyncCount")?;
                slot.count = c;
                Ok(())
            });
            idle.lock().unwrap().push(slot);
            (conn, r)
        })
    })
}
