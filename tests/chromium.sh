#!/bin/sh
# Make sure Debian's Chromium is there for the browser tests: install it with apt-get
# when the `chromium` command is missing, do nothing when it is found.
# No browser is downloaded from anywhere else.
set -eu

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

fail() {
  echo "tests/chromium.sh: $1" >&2
  echo "Install Chromium by hand (as root: apt-get install chromium) and run the command again." >&2
  echo "The tests that need no browser run without it:" >&2
  echo "  python3 -m venv .venv && .venv/bin/python -m pip install -e '.[test]' && .venv/bin/python -m pytest -m 'not browser'" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "Chromium is missing and apt-get is not available (this script installs Debian's package)."

if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  fail "Chromium is missing, and installing it needs root or sudo."
fi

echo "tests/chromium.sh: installing Debian's Chromium (apt-get install chromium)" >&2
# (through env, so that sudo passes DEBIAN_FRONTEND on)
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update failed."
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
  || fail "apt-get install chromium failed."
command -v chromium >/dev/null 2>&1 || fail "apt-get installed the package, but no 'chromium' command is on the PATH."
