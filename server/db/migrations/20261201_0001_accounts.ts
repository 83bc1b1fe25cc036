import type { Migration } from './types';

/** Accounts, sessions, the rubrik tree and who edits which rubrik. */
export const accounts: Migration = {
  id: '20261201_0001_accounts',
  sql: `
CREATE TABLE users (
  id            text PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username = lower(username)),
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('penulis', 'redaktur', 'admin')),
  password_hash text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

-- A session is known by the SHA-256 of its bearer token: a leaked table holds no usable token.
CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE rubrik (
  id          text PRIMARY KEY,
  parent_id   text REFERENCES rubrik (id),
  name        text NOT NULL,
  position    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
-- Two siblings never share a name (case-insensitive): path labels stay unambiguous.
CREATE UNIQUE INDEX rubrik_sibling_name ON rubrik (coalesce(parent_id, ''), lower(name));

-- The rubrik a redaktur edits; an assignment covers the rubrik's sub-rubrik too.
CREATE TABLE redaktur_rubrik (
  user_id    text NOT NULL REFERENCES users (id),
  rubrik_id  text NOT NULL REFERENCES rubrik (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, rubrik_id)
);

-- Small server-wide facts: the directory version, the demo seed's version.
CREATE TABLE server_meta (
  key    text PRIMARY KEY,
  value  text NOT NULL
);
INSERT INTO server_meta (key, value) VALUES ('directory_version', '1');
`,
};
