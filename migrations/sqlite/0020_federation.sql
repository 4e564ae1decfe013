-- Federation: the user pools' external identity providers (ProviderDetails sealed, as it
-- holds the client secret), the external identities their users signed in with or were
-- linked to, and the state of sign-ins waiting at an upstream provider.

CREATE TABLE identity_providers (
    pool_id TEXT NOT NULL,
    name TEXT NOT NULL,
    provider_type TEXT NOT NULL,
    details TEXT NOT NULL,
    attribute_mapping TEXT NOT NULL,
    idp_identifiers TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, name),
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);

CREATE TABLE identity_provider_identifiers (
    pool_id TEXT NOT NULL,
    identifier TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (pool_id, identifier),
    FOREIGN KEY (pool_id, name) REFERENCES identity_providers (pool_id, name) ON DELETE CASCADE
);

CREATE TABLE federated_identities (
    pool_id TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    sub TEXT NOT NULL,
    linked BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, provider_name, subject),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX federated_identities_by_user ON federated_identities (pool_id, sub);

CREATE TABLE federation_states (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    request_doc TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);
CREATE INDEX federation_states_by_expiry ON federation_states (expires_at);
