#!/usr/bin/env bash
# Installs Debian's chromium for the console's browser tests (test/console/, driven by
# playwright-core; `npx playwright install` cannot download on these machines).
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-chromium: installing chromium" >&2
# apt-get update only when the install cannot find the package.
if ! apt-get install -y --no-install-recommends chromium fonts-dejavu-core >&2; then
  apt-get update >&2
  apt-get install -y --no-install-recommends chromium fonts-dejavu-core >&2
fi
/usr/bin/chromium --version >&2
