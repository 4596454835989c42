#!/usr/bin/env bash
# Starts a throw-away, single-host Ceph cluster with an S3 gateway for the blob-store tests:
# one monitor (auth none), one OSD on memstore (RAM only), radosgw (beast) on 127.0.0.1:7480,
# and one S3 user with a fixed test key. No systemd: the daemons run under $STEWARD_CEPH_DIR
# (default /tmp/steward-ceph) and a watchdog stops them after $STEWARD_CEPH_TTL_SECONDS
# (default 10800 = 3 h; every run renews it).
#
#   .ci/start-radosgw.sh          start (or confirm running); prints `export ...` lines on stdout
#   .ci/start-radosgw.sh --stop   stop the daemons this script started and remove the directory
#
# Idempotent: when the gateway answers and the user exists it only renews the watchdog and
# prints the environment; when any piece is missing it stops its own daemons (by pid file)
# and builds the cluster again from scratch (~15 s). Progress goes to stderr.
set -euo pipefail

dir=${STEWARD_CEPH_DIR:-/tmp/steward-ceph}
ttl=${STEWARD_CEPH_TTL_SECONDS:-10800}
port=7480
endpoint="http://127.0.0.1:${port}"
access_key=steward-test-access
secret_key=steward-test-secret-0123456789abcdef
conf="$dir/ceph.conf"
marker="$dir/.steward-ceph"
self=$(readlink -f "$0")

log() { echo "start-radosgw: $*" >&2; }
ceph_cli() { timeout 30 ceph -c "$conf" "$@"; }

print_env() {
  echo "export STEWARD_TEST_S3_ENDPOINT=${endpoint}"
  echo "export STEWARD_TEST_S3_ACCESS_KEY=${access_key}"
  echo "export STEWARD_TEST_S3_SECRET_KEY=${secret_key}"
  echo "export STEWARD_TEST_S3_REGION=us-east-1"
}

s3_answers() { curl -fsS -o /dev/null --max-time 2 "${endpoint}/" 2>/dev/null; }

wait_for() { # $1 = what, $2 = seconds, rest = command to retry once a second
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@"; then return 0; fi
    sleep 1
  done
  log "timed out after ${seconds}s waiting for ${what}"
  return 1
}

# Stops only the processes recorded in this directory's pid files.
stop_watchdog() {
  # The watchdog leads its own process group (setsid): end the group, i.e. it and its sleep.
  # When the watchdog itself runs --stop, it must not end itself half-way.
  local pidfile="$dir/run/watchdog.pid"
  [ -f "$pidfile" ] || return 0
  if [ -z "${STEWARD_CEPH_FROM_WATCHDOG:-}" ]; then
    kill -- "-$(cat "$pidfile")" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop_all() {
  local pidfile pid
  stop_watchdog
  for pidfile in "$dir/run/client.rgw.a.pid" "$dir/run/osd.0.pid" "$dir/run/mon.a.pid"; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

remove_dir() {
  # Only a directory this script created (or none at all) is ever removed.
  if [ -e "$dir" ] && [ ! -f "$marker" ]; then
    log "$dir exists and was not created by this script; refusing to touch it"
    exit 1
  fi
  rm -rf "$dir"
}

start_watchdog() {
  stop_watchdog
  STEWARD_CEPH_FROM_WATCHDOG=1 nohup setsid bash -c 'sleep "$1"; exec "$2" --stop' _ "$ttl" "$self" \
    >/dev/null 2>&1 &
  echo $! >"$dir/run/watchdog.pid"
}

if [ "${1:-}" = "--stop" ]; then
  [ -d "$dir" ] || exit 0
  [ -f "$marker" ] || { log "$dir was not created by this script"; exit 1; }
  stop_all
  remove_dir
  log "stopped"
  exit 0
fi

if [ -f "$marker" ] && [ -f "$dir/user-created" ] && s3_answers; then
  log "radosgw already answers at ${endpoint}"
  start_watchdog
  print_env
  exit 0
fi

# 1. Packages (apt-get update only when the install cannot find them).
if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null; then
  log "installing radosgw ceph-mon ceph-osd"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd >&2; then
    apt-get update >&2
    apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd >&2
  fi
fi

# 2. A clean directory: stop whatever this script left behind, then start over.
if [ -f "$marker" ]; then
  log "found an incomplete cluster in $dir; rebuilding it"
  stop_all
fi
remove_dir
mkdir -p "$dir"/{mon,osd,run,log,rgw}
touch "$marker"
fsid=$(cat /proc/sys/kernel/random/uuid)

# auth none everywhere; messenger modes crc (auth none cannot provide "secure" mode, and
# without this radosgw refuses the msgr2 handshake with EACCES).
cat >"$conf" <<CONF
[global]
fsid = ${fsid}
mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
mon initial members = a
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms mon service mode = crc
ms mon cluster mode = crc
ms client mode = crc
ms service mode = crc
ms cluster mode = crc
run dir = ${dir}/run
admin socket = ${dir}/run/\$name.asok
pid file = ${dir}/run/\$name.pid
log file = ${dir}/log/\$name.log
keyring = ${dir}/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
[mon]
mon data = ${dir}/mon/\$cluster-\$id
[osd]
osd data = ${dir}/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 2147483648
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:${port}
rgw data = ${dir}/rgw
keyring = ${dir}/keyring
rgw init timeout = 120
CONF

# 3. Monitor.
log "starting the monitor"
monmaptool --create --fsid "$fsid" --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' "$dir/monmap" >&2
ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >&2
ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring" >&2
ceph-mon -c "$conf" -i a >&2
wait_for "the monitor" 60 ceph_cli -s >/dev/null

# 4. One OSD on memstore.
log "starting the OSD"
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(ceph_cli osd new "$osd_uuid")
mkdir -p "$dir/osd/ceph-${osd_id}"
ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >>"$dir/log/mkfs.log" 2>&1
ceph-osd -c "$conf" -i "$osd_id" >>"$dir/log/osd-start.log" 2>&1
osd_up() { ceph_cli osd stat 2>/dev/null | grep -q ' 1 up'; }
wait_for "the OSD" 60 osd_up

# 5. The gateway; it creates its pools on first start.
log "starting radosgw on ${endpoint}"
radosgw -c "$conf" -n client.rgw.a >>"$dir/log/rgw-start.log" 2>&1
wait_for "radosgw" 120 s3_answers

# 6. The S3 user with the fixed test key.
radosgw-admin -c "$conf" user create --uid=steward-test --display-name="Steward tests" \
  --access-key="$access_key" --secret="$secret_key" >"$dir/log/user.json"
touch "$dir/user-created"

start_watchdog
log "ready"
print_env
