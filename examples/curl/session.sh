#!/usr/bin/env bash
# A DigitalOcean API session with nothing but curl and OpenSSH, written from the public API docs. Works against
# DigitalOcean and against the local cloud alike:
#   DIGITALOCEAN_API_URL=http://127.0.0.1:7117 DIGITALOCEAN_TOKEN=… examples/curl/session.sh
# Creates a key and a droplet, waits for it, logs in over SSH, powers it off, snapshots it, deletes everything.
set -euo pipefail
API=${DIGITALOCEAN_API_URL:-https://api.digitalocean.com}
API=${API%/}
: "${DIGITALOCEAN_TOKEN:?set DIGITALOCEAN_TOKEN}"
IMAGE=${IMAGE:-debian-12-x64} REGION=${REGION:-nyc3} SIZE=${SIZE:-s-1vcpu-512mb-10gb}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The token goes to curl through a file, never on a command line others can read.
printf 'header = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\n' "$DIGITALOCEAN_TOKEN" > "$work/curlrc"
chmod 600 "$work/curlrc"
do_api() { curl -sS -K "$work/curlrc" -X "$1" "$API$2" ${3:+-d "$3"} -w '\n%{http_code}'; }
field() { grep -o "\"$1\":[\"]*[^,\"}]*" | head -n1 | sed -e "s/\"$1\"://" -e 's/"//g'; }
expect() { local body; body=$(cat); [ "$(tail -n1 <<< "$body")" = "$1" ] || { echo "expected HTTP $1, got: $body" >&2; exit 1; }; sed '$d' <<< "$body"; }

ssh-keygen -q -t ed25519 -N '' -C curl-session -f "$work/key"
key=$(do_api POST /v2/account/keys "{\"name\":\"curl-session\",\"public_key\":\"$(cat "$work/key.pub")\"}" | expect 201)
key_id=$(field id <<< "$key")
echo "key $key_id"

droplet=$(do_api POST /v2/droplets "{\"name\":\"curl-session\",\"region\":\"$REGION\",\"size\":\"$SIZE\",\"image\":\"$IMAGE\",\"ssh_keys\":[$key_id]}" | expect 202)
droplet_id=$(field id <<< "$droplet")
echo "droplet $droplet_id $(field status <<< "$droplet")"
for _ in $(seq 1 600); do
  droplet=$(do_api GET "/v2/droplets/$droplet_id" | expect 200)
  [ "$(field status <<< "$droplet")" = active ] && break
  sleep 0.5
done
ip=$(grep -o '"ip_address":"[^"]*","netmask":"[^"]*","gateway":"[^"]*","type":"public"' <<< "$droplet" | field ip_address)
echo "droplet $droplet_id active at $ip"

for _ in $(seq 1 60); do
  if out=$(ssh -i "$work/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 "root@$ip" 'hostname; cloud-init status --wait >/dev/null; echo ok'); then break; fi
  sleep 1
done
echo "ssh: $(tr '\n' ' ' <<< "$out")"
# What the droplet is to the scripts that run on it: its address from the metadata service, DigitalOcean's DMI
# identity, a hostname that resolves (DigitalOcean's vendor data), DigitalOcean's agent (installed unless the create
# request says with_droplet_agent: false).
ssh -i "$work/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "root@$ip" '
  echo "metadata address: $(curl -s http://169.254.169.254/metadata/v1/interfaces/public/0/ipv4/address)"
  echo "sys_vendor: $(cat /sys/class/dmi/id/sys_vendor)"
  echo "hostname resolves: $(getent hosts "$(hostname)" | tr -s " ")"
  echo "droplet-agent: $(dpkg-query -W -f "\${Status}" droplet-agent 2>/dev/null || echo absent)"'

wait_action() {
  for _ in $(seq 1 600); do
    status=$(do_api GET "/v2/actions/$1" | expect 200 | field status)
    [ "$status" = in-progress ] || break
    sleep 0.5
  done
  [ "$status" = completed ] || { echo "action $1 $status" >&2; exit 1; }
}
action=$(do_api POST "/v2/droplets/$droplet_id/actions" '{"type":"power_off"}' | expect 201 | field id)
wait_action "$action"
echo "powered off: $(do_api GET "/v2/droplets/$droplet_id" | expect 200 | field status)"
action=$(do_api POST "/v2/droplets/$droplet_id/actions" '{"type":"snapshot","name":"curl-session-snapshot"}' | expect 201 | field id)
wait_action "$action"
snapshot_id=$(do_api GET "/v2/droplets/$droplet_id/snapshots" | expect 200 | field id)
echo "snapshot $snapshot_id"

do_api DELETE "/v2/droplets/$droplet_id" | expect 204 > /dev/null
do_api DELETE "/v2/images/$snapshot_id" | expect 204 > /dev/null
do_api DELETE "/v2/account/keys/$key_id" | expect 204 > /dev/null
echo "deleted droplet $droplet_id, snapshot $snapshot_id and key $key_id"
