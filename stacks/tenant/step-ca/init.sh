#!/bin/sh
# One-shot init of the tenant CA (service step-ca-init), run before step-ca starts. The tenant
# starts as its own self-signed root, as upstream's does before `cdm tenant join` replaces it.
# Idempotent: the CA is created only when ca.json is missing, each provisioner only when ca.json
# does not name it yet (remote management off: `step ca provisioner add` edits ca.json offline).
set -eu
umask 077
: "${STEP_CA_PASSWORD:?}" "${STEP_CA_PROVISIONER_PASSWORD:?}" "${STEP_CA_SERVICES_PASSWORD:?}"
STEPPATH=/home/step
CONFIG="$STEPPATH/config/ca.json"
mkdir -p "$STEPPATH/secrets" "$STEPPATH/templates"
printf '%s' "$STEP_CA_PASSWORD" > "$STEPPATH/secrets/password"
cp /init/templates/*.tpl "$STEPPATH/templates/"

if [ ! -f "$CONFIG" ]; then
  step ca init --deployment-type standalone \
    --name "$STEP_CA_PKI_NAME" --dns "$STEP_CA_DNS_NAMES" --address ":9000" \
    --provisioner "$STEP_CA_ADMIN_PROVISIONER" \
    --password-file "$STEPPATH/secrets/password" \
    --provisioner-password-file "$STEPPATH/secrets/password"
fi

add_jwk() { # name template max-duration default-duration password
  if grep -q "\"name\": *\"$1\"" "$CONFIG"; then
    echo "provisioner $1 present"
    return 0
  fi
  pw="$STEPPATH/secrets/$1.password"
  printf '%s' "$5" > "$pw"
  step ca provisioner add "$1" --type JWK --create --password-file "$pw" \
    --x509-template "$STEPPATH/templates/$2" --x509-max-dur "$3" --x509-default-dur "$4" \
    --ca-config "$CONFIG"
  rm -f "$pw"
  echo "provisioner $1 added"
}

# Device certificates: client use only; 30 days by default, 90 at most (upstream: 24 h, no claims).
add_jwk "$STEP_CA_PROVISIONER_NAME" device-leaf.tpl 2160h 720h "$STEP_CA_PROVISIONER_PASSWORD"
# Tenant service certificates (ThingsBoard MQTTS): the docs issued them from the device
# template, which gives clientAuth only and cannot serve TLS.
add_jwk tenant-services service-leaf.tpl 8760h 2160h "$STEP_CA_SERVICES_PASSWORD"
