#!/bin/sh
# One-shot init of the provider CA (service step-ca-init), run before step-ca starts.
# Idempotent, unlike upstream's init-provisioners.sh: the CA is created only when ca.json is
# missing, and each provisioner is added only when ca.json does not name it yet. Remote
# management stays off, so provisioners live in ca.json and `step ca provisioner add` edits
# the file offline. Passwords come from the environment (cdm's 0600 env file); none is committed.
set -eu
umask 077
: "${STEP_CA_PASSWORD:?}" "${STEP_CA_PROVISIONER_PASSWORD:?}" "${STEP_CA_SUB_CA_PASSWORD:?}"
STEPPATH=/home/step
CONFIG="$STEPPATH/config/ca.json"
mkdir -p "$STEPPATH/secrets" "$STEPPATH/templates"
# The image's entrypoint starts step-ca with --password-file $STEPPATH/secrets/password.
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

# Service certificates (RabbitMQ, bridge): server and client use, one year at most.
add_jwk "$STEP_CA_PROVISIONER_NAME" service-leaf.tpl 8760h 2160h "$STEP_CA_PROVISIONER_PASSWORD"
# Tenant Sub-CAs: upstream left the 24 h global default, so a signed Sub-CA expired after a day.
add_jwk "$STEP_CA_SUB_CA_PROVISIONER" tenant-sub-ca.tpl 17520h 17520h "$STEP_CA_SUB_CA_PASSWORD"
