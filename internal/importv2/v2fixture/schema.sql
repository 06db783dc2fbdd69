-- The old Cicero_V2 tables the import reads, as documented in
-- spec/social.md §1, spec/access.md §1–3 (types, defaults, naive
-- timestamps). Foreign keys on client_id are left out on purpose: real
-- databases drifted (spec: schema drift) and hold orphans the import must
-- report.
CREATE TABLE clients (
    client_id varchar PRIMARY KEY,
    nama varchar NOT NULL,
    client_type varchar,
    client_status boolean DEFAULT true,
    client_insta varchar,
    client_insta_status boolean DEFAULT true,
    client_tiktok varchar,
    client_tiktok_status boolean DEFAULT true,
    client_amplify_status boolean DEFAULT true,
    client_operator varchar,
    client_group varchar,
    regional_id varchar,
    parent_client_id varchar REFERENCES clients(client_id),
    client_level varchar,
    tiktok_secuid varchar,
    client_super varchar
);
CREATE TABLE "user" (
    user_id varchar PRIMARY KEY,
    nama varchar,
    title varchar,
    divisi varchar,
    jabatan varchar,
    insta varchar DEFAULT '',
    tiktok varchar DEFAULT '',
    whatsapp varchar DEFAULT '',
    email varchar,
    desa varchar,
    client_id varchar,
    status boolean DEFAULT true,
    exception boolean DEFAULT false,
    wa_notification_opt_in boolean NOT NULL DEFAULT false,
    premium_status boolean DEFAULT false,
    premium_end_date date,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE TABLE roles (role_id serial PRIMARY KEY, role_name varchar UNIQUE);
CREATE TABLE user_roles (
    user_id varchar REFERENCES "user"(user_id),
    role_id int REFERENCES roles(role_id),
    PRIMARY KEY (user_id, role_id)
);
CREATE TABLE dashboard_user (
    dashboard_user_id uuid PRIMARY KEY,
    username text UNIQUE NOT NULL,
    password_hash text NOT NULL,
    role_id int NOT NULL REFERENCES roles(role_id),
    status boolean DEFAULT true,
    whatsapp varchar,
    premium_status boolean DEFAULT false,
    premium_tier text,
    premium_expires_at timestamptz,
    created_at timestamp DEFAULT now(),
    updated_at timestamp DEFAULT now()
);
CREATE TABLE dashboard_user_clients (
    dashboard_user_id uuid REFERENCES dashboard_user(dashboard_user_id) ON DELETE CASCADE,
    client_id varchar REFERENCES clients(client_id) ON DELETE CASCADE,
    PRIMARY KEY (dashboard_user_id, client_id)
);
CREATE TABLE dashboard_user_subscriptions (
    subscription_id uuid PRIMARY KEY,
    dashboard_user_id uuid NOT NULL REFERENCES dashboard_user(dashboard_user_id) ON DELETE CASCADE,
    tier text NOT NULL,
    status text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    canceled_at timestamptz,
    metadata jsonb
);
CREATE TABLE dashboard_premium_request (
    request_id serial PRIMARY KEY,
    request_token uuid NOT NULL UNIQUE,
    dashboard_user_id uuid NOT NULL REFERENCES dashboard_user(dashboard_user_id) ON DELETE CASCADE,
    client_id varchar REFERENCES clients(client_id),
    username text NOT NULL,
    whatsapp text,
    bank_name text NOT NULL,
    account_number text NOT NULL,
    sender_name text NOT NULL,
    transfer_amount numeric,
    premium_tier text,
    proof_url text,
    subscription_expires_at timestamptz,
    status varchar(20) NOT NULL DEFAULT 'pending',
    expired_at timestamptz,
    responded_at timestamptz,
    admin_whatsapp text,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE premium_request (
    request_id serial PRIMARY KEY,
    user_id text REFERENCES "user"(user_id),
    sender_name text,
    account_number text,
    bank_name text,
    screenshot_url text,
    status varchar(20) DEFAULT 'pending',
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE TABLE insta_post (
    shortcode varchar PRIMARY KEY,
    client_id varchar,
    caption text,
    comment_count int,
    like_count int,
    thumbnail_url text,
    is_video boolean DEFAULT false,
    video_url text,
    image_url text,
    images_url jsonb,
    is_carousel boolean DEFAULT false,
    created_at timestamp
);
CREATE TABLE insta_post_roles (
    shortcode varchar REFERENCES insta_post(shortcode) ON DELETE CASCADE,
    role_name varchar NOT NULL,
    PRIMARY KEY (shortcode, role_name)
);
CREATE TABLE insta_like (
    shortcode varchar PRIMARY KEY REFERENCES insta_post(shortcode),
    likes jsonb,
    updated_at timestamp
);
CREATE TABLE tiktok_post (
    video_id varchar PRIMARY KEY,
    client_id varchar,
    caption text,
    like_count int,
    comment_count int,
    created_at timestamp
);
CREATE TABLE tiktok_post_roles (
    video_id varchar REFERENCES tiktok_post(video_id) ON DELETE CASCADE,
    role_name varchar,
    PRIMARY KEY (video_id, role_name)
);
CREATE TABLE tiktok_comment (
    video_id varchar PRIMARY KEY REFERENCES tiktok_post(video_id) ON DELETE CASCADE,
    comments jsonb,
    updated_at timestamp
);
CREATE TABLE insta_profile (
    username varchar PRIMARY KEY,
    full_name varchar,
    biography text,
    follower_count int,
    following_count int,
    post_count int,
    profile_pic_url text,
    updated_at timestamp
);
-- Link reports (spec/social.md §1.5, ops.md §2.2); the foreign keys are
-- left out so that drifted rows (a report of a post or person gone) can be
-- reported.
CREATE TABLE link_report (
    shortcode varchar,
    user_id varchar,
    instagram_link text,
    facebook_link text,
    twitter_link text,
    tiktok_link text,
    youtube_link text,
    created_at timestamp DEFAULT now(),
    PRIMARY KEY (shortcode, user_id)
);
CREATE TABLE insta_post_khusus (
    shortcode varchar PRIMARY KEY,
    client_id varchar,
    caption text,
    comment_count int,
    like_count int,
    thumbnail_url text,
    image_url text,
    created_at timestamp
);
CREATE TABLE link_report_khusus (
    shortcode varchar,
    user_id varchar,
    instagram_link text,
    facebook_link text,
    twitter_link text,
    tiktok_link text,
    youtube_link text,
    created_at timestamp DEFAULT now(),
    PRIMARY KEY (shortcode, user_id)
);
-- Penmas (spec/ops.md §1.2).
CREATE TABLE penmas_user (
    user_id text PRIMARY KEY,
    username text UNIQUE NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL,
    created_at timestamp DEFAULT now(),
    updated_at timestamp DEFAULT now()
);
CREATE TABLE editorial_event (
    event_id serial PRIMARY KEY,
    event_date timestamp NOT NULL,
    topic text NOT NULL,
    judul_berita text,
    assignee varchar(50),
    status varchar(20) DEFAULT 'draft',
    content text,
    summary text,
    image_path text,
    tag text,
    kategori text,
    created_by text REFERENCES penmas_user(user_id),
    updated_by text REFERENCES penmas_user(user_id),
    created_at timestamp DEFAULT now(),
    last_update timestamp DEFAULT now()
);
CREATE TABLE press_release_detail (
    event_id integer PRIMARY KEY,
    judul text, dasar text, tersangka text, tkp text, kronologi text, modus text,
    barang_bukti text, pasal text, ancaman text, catatan text
);
CREATE TABLE approval_request (
    request_id serial PRIMARY KEY,
    event_id integer,
    requested_by text REFERENCES penmas_user(user_id),
    status varchar(20) DEFAULT 'pending',
    created_at timestamp DEFAULT now(),
    updated_at timestamp DEFAULT now()
);
CREATE TABLE change_log (
    log_id serial PRIMARY KEY,
    event_id integer,
    user_id text REFERENCES penmas_user(user_id),
    status varchar(20),
    changes text,
    logged_at timestamp DEFAULT now()
);
INSERT INTO roles (role_name) VALUES ('operator'), ('ditbinmas'), ('ditlantas'), ('bidhumas'), ('ditsamapta'), ('ditintelkam'), ('admin');
