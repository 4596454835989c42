#!/usr/bin/env bash
# Starts the services the test suite needs when they are not already running.
set -euo pipefail

# PostgreSQL at 127.0.0.1:5432 (started by the machine; restart it if it stopped).
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
