-- The generated admin password of a service started without adminPassword and apiTokens
-- (Airflow standalone's behaviour): only a salted PBKDF2 hash is stored, never the password.
-- One row per admin user name; written once at first start, reused afterwards.
CREATE TABLE admin_credential (
  user_name     VARCHAR(250) NOT NULL PRIMARY KEY,
  password_hash VARCHAR(500) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
