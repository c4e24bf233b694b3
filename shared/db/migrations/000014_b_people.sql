-- Up Migration
-- People (shared/domain/people/): users with role grants per project, sign-in
-- sessions, personal tokens, failed local sign-ins (rate limiting) and
-- one-time invite and reset links. Secrets (passwords, session cookies, link
-- secrets, token secrets) are stored only as hashes; sign-in failures name
-- the email and address they count only by hash.

create table app_user (
  id uuid primary key default gen_random_uuid(),
  email text not null
    constraint app_user_email_format check (char_length(email) between 3 and 320 and email like '%_@_%'),
  name text not null
    constraint app_user_name_length check (char_length(name) between 1 and 200),
  -- Local accounts: an argon2id PHC string; null for single sign-on users and unanswered invites.
  password_hash text,
  -- Single sign-on users: the identity provider and its subject.
  issuer text,
  subject text,
  constraint app_user_identity check ((issuer is null) = (subject is null)),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- One account per email, whatever its case.
create unique index app_user_email_idx on app_user (lower(email));
create unique index app_user_identity_idx on app_user (issuer, subject) where issuer is not null;

-- At most one role per project for each user; project '*' is every project.
create table user_role_grant (
  user_id uuid not null references app_user (id) on delete cascade,
  project text not null
    constraint user_role_grant_project check (project = '*' or project ~ '^[a-z0-9][a-z0-9_-]{0,49}$'),
  role text not null
    constraint user_role_grant_role check (role in ('viewer', 'editor', 'admin')),
  primary key (user_id, project)
);

-- A signed-in browser. The cookie holds the secret; the row only its hash.
-- Idle expiry moves with last_seen_at; expires_at is the absolute bound.
create table user_session (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_user (id) on delete cascade,
  secret_hash text not null unique,
  -- How the person signed in: 'password' or 'oidc'.
  method text not null constraint user_session_method check (method in ('password', 'oidc')),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ended_at timestamptz
);
create index user_session_user_idx on user_session (user_id);

-- Personal tokens: kind 'personal', bound to a user, gone with the user.
alter table api_token
  add column user_id uuid references app_user (id) on delete cascade,
  add column expires_at timestamptz;
alter table api_token drop constraint api_token_kind;
alter table api_token add constraint api_token_kind check (kind in ('admin', 'sdk', 'frontend', 'personal'));
alter table api_token add constraint api_token_user_for_personal check ((kind = 'personal') = (user_id is not null));
create index api_token_user_idx on api_token (user_id) where user_id is not null;

-- Failed local sign-ins, per account and per address, counted over a window
-- (shared/domain/people/sign-in-limits.ts). `subject` is a hash of
-- 'email:<lowercased email>' or 'address:<ip>': an unknown email counts like a known one.
create table sign_in_failure (
  subject text not null,
  failed_at timestamptz not null default now()
);
create index sign_in_failure_subject_idx on sign_in_failure (subject, failed_at);

-- One-time links: an invitation to set a first password, or a password reset.
create table user_link (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_user (id) on delete cascade,
  purpose text not null constraint user_link_purpose check (purpose in ('invite', 'reset')),
  secret_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index user_link_user_idx on user_link (user_id);
