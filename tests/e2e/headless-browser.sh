#!/usr/bin/env bash
# A BROWSER for end-to-end login tests: opens $1 in Debian's headless Chromium, lets the local
# provider's auto-approving page submit itself, follow the 302 to the callback and load that page,
# then exits. It never hangs: the whole run is capped by `timeout`.
#
#   BROWSER=tests/e2e/headless-browser.sh bb auth login ...
#
# Environment: CHROMIUM (default /usr/bin/chromium), HEADLESS_BROWSER_TIMEOUT (seconds, default 60),
# HEADLESS_BROWSER_DOM (a file to write the final page's DOM to; default: discarded).
set -euo pipefail

if [[ $# -lt 1 || -z "$1" ]]; then
  echo "usage: $0 URL" >&2
  exit 2
fi

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  echo "$0: $chromium not found (apt-get install -y chromium)" >&2
  exit 127
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

# --virtual-time-budget lets the page's script, the form POST, the 302 and the callback page finish
# before --dump-dom prints the final DOM and Chromium exits.
status=0
timeout --kill-after=5 "${HEADLESS_BROWSER_TIMEOUT:-60}" "$chromium" \
  --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-dev-shm-usage --user-data-dir="$profile" \
  --virtual-time-budget=10000 --dump-dom "$1" \
  >"${HEADLESS_BROWSER_DOM:-/dev/null}" 2>"$profile/chromium.log" || status=$?

if [[ $status -ne 0 ]]; then
  echo "$0: chromium exited with status $status" >&2
  tail -n 20 "$profile/chromium.log" >&2 || true
fi
exit "$status"
