-- The autometrics slack-app's database, as its start-up leaves it: sqlx's migration table and
-- its one migration, migrations/20230911142200_initial.sql (autometrics-dev/slack-app).
CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS alerts
(
    id              INTEGER       PRIMARY KEY AUTOINCREMENT,
    text            TEXT          NOT NULL,
    resolved        BOOLEAN       NOT NULL DEFAULT false,
    fingerprint     TEXT          DEFAULT NULL,
    notebook_id     TEXT          DEFAULT NULL,
    chart_filename  TEXT          DEFAULT NULL,
    slack_channel   TEXT          DEFAULT NULL,
    slack_ts        TEXT          DEFAULT NULL,
    sloth_service   TEXT          DEFAULT NULL,
    sloth_slo       TEXT          DEFAULT NULL,
    objective_name  TEXT          DEFAULT NULL,
    severity        TEXT          DEFAULT NULL,
    created_at      TIMESTAMP     NOT NULL,
    updated_at      TIMESTAMP     NOT NULL
);

CREATE UNIQUE INDEX alerts_fingerprint ON alerts(fingerprint);
