#!/bin/sh
# First-boot init of the tenant database (run once by the postgres entrypoint, on an empty data
# directory): the Keycloak and hawkBit databases and their users, the telegraf and grafana users,
# and the device_telemetry hypertable in the tenant's analytics database (POSTGRES_DB = TENANT_ID).
set -eu
psql -v ON_ERROR_STOP=1 --username postgres --dbname "$POSTGRES_DB" \
  -v kc_pw="$KC_DB_PASSWORD" -v hb_pw="$HB_DB_PASSWORD" \
  -v telegraf_pw="$TSDB_TELEGRAF_PASSWORD" -v grafana_pw="$TSDB_GRAFANA_PASSWORD" <<'SQL'
CREATE ROLE keycloak LOGIN PASSWORD :'kc_pw';
CREATE DATABASE keycloak OWNER keycloak;
CREATE ROLE hawkbit LOGIN PASSWORD :'hb_pw';
CREATE DATABASE hawkbit OWNER hawkbit;
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
