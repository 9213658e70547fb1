#!/bin/sh
# First-boot init of the provider database (the postgres entrypoint runs this once, on an empty
# data directory). Creates the Keycloak database, the telegraf and grafana users, and the
# device_telemetry hypertable that upstream's bridge writes to but never created.
set -eu
psql -v ON_ERROR_STOP=1 --username postgres --dbname "$POSTGRES_DB" \
  -v kc_pw="$KC_DB_PASSWORD" -v telegraf_pw="$TSDB_TELEGRAF_PASSWORD" -v grafana_pw="$TSDB_GRAFANA_PASSWORD" <<'SQL'
CREATE ROLE keycloak LOGIN PASSWORD :'kc_pw';
CREATE DATABASE keycloak OWNER keycloak;
CREATE ROLE telegraf LOGIN PASSWORD :'telegraf_pw';
CREATE ROLE grafana LOGIN PASSWORD :'grafana_pw';
CREATE EXTENSION IF NOT EXISTS timescaledb;
CREATE TABLE IF NOT EXISTS device_telemetry (
  time TIMESTAMPTZ NOT NULL,
  tenant_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  metric_name TEXT NOT NULL,
  value DOUBLE PRECISION,
  tags JSONB
);
SELECT create_hypertable('device_telemetry', 'time', if_not_exists => TRUE);
GRANT INSERT, SELECT ON device_telemetry TO telegraf;
GRANT SELECT ON device_telemetry TO grafana;
SQL
