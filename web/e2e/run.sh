#!/usr/bin/env bash
# The web app's browser end-to-end tests, for the repository's test command (no xunit involved):
# installs Debian's Chromium when missing, installs npm packages when needed, builds the web app and the embedded
# suite, runs web/e2e/*.test.mjs in headless Chromium, and ends with the line "e2e: N passed, M failed".
# PLAYBOOKS_E2E_SKIP_BUILD=1 skips the builds (when the caller has just built everything).
set -uo pipefail
web=$(cd "$(dirname "$0")/.." && pwd)
repo=$(dirname "$web")
cd "$web"

fail() { echo "$1" >&2; echo "e2e: 0 passed, 1 failed"; exit 1; }

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "==> installing Debian's chromium"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null; } \
    || fail "Could not install chromium (apt-get install chromium)."
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed."
fi

if [ "${PLAYBOOKS_E2E_SKIP_BUILD:-0}" != 1 ]; then
  echo "==> building the web app and the embedded suite"
  build_log=$(mktemp)
  # Build output is shown only when a build fails.
  npm run build --silent >"$build_log" 2>&1 || { cat "$build_log"; fail "npm run build failed."; }
  (cd "$repo" && ./eng/local-packages.sh && dotnet build embedded -v q -nologo -clp:NoSummary) >"$build_log" 2>&1 \
    || { cat "$build_log"; fail "dotnet build embedded failed."; }
  rm -f "$build_log"
fi

tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
node --test --test-concurrency=1 --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  e2e/
status=$?

passed=$(awk '/^# pass /{print $3}' "$tap" | tail -1)
failed=$(awk '/^# fail /{print $3}' "$tap" | tail -1)
cancelled=$(awk '/^# cancelled /{print $3}' "$tap" | tail -1)
skipped=$(awk '/^# skipped /{print $3}' "$tap" | tail -1)
failed=$(( ${failed:-0} + ${cancelled:-0} ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
[ "${skipped:-0}" -gt 0 ] && echo "e2e: ${skipped} skipped"
echo "screenshots: $web/e2e/artifacts/"
echo "e2e: ${passed:-0} passed, ${failed} failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
