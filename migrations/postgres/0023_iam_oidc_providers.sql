-- IAM OpenID Connect providers (keyed by their URL without `https://`, the resource part of
-- `arn:aws:iam::{account}:oidc-provider/{url}`) and the client ids (audiences) each admits.

CREATE TABLE iam_oidc_providers (
    url TEXT PRIMARY KEY,
    thumbprints TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE iam_oidc_client_ids (
    url TEXT NOT NULL,
    client_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (url, client_id),
    FOREIGN KEY (url) REFERENCES iam_oidc_providers (url) ON DELETE CASCADE
);
