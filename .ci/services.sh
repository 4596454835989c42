#!/usr/bin/env bash
# Starts the services the test suite needs when they are not already running.
set -euo pipefail

# PostgreSQL at 127.0.0.1:5432 (started by the machine; restart it if it stopped).
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432

# Ceph radosgw (real S3) at 127.0.0.1:7480 for the S3 blob-store tests. This script runs as a
# child of .ci/run, so it cannot export into it: it writes the `export STEWARD_TEST_S3_...`
# lines to .ci/work/s3.env for .ci/run to `source` before the tests. When the gateway cannot
# start, the file is left empty and the radosgw contract test fails under CI=true.
ci_dir=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$ci_dir/work"
if ! bash "$ci_dir/start-radosgw.sh" >"$ci_dir/work/s3.env.tmp"; then
  echo "services: radosgw did not start; the S3 tests against it will fail" >&2
  : >"$ci_dir/work/s3.env.tmp"
fi
mv "$ci_dir/work/s3.env.tmp" "$ci_dir/work/s3.env"

# Debian's chromium for the console's browser tests (test/console/).
bash "$ci_dir/install-chromium.sh"
