#!/bin/sh
# Make sure the system packages the tests need are there, from Debian: Chromium for the
# browser tests, and Pango (with a font) for WeasyPrint, which makes the PDF dossiers.
# Each is installed with apt-get only when it is missing; nothing is downloaded from
# anywhere else.
set -eu

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
if ! /sbin/ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0"; then
  missing="$missing libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
fi
[ -z "$missing" ] && exit 0

fail() {
  echo "tests/chromium.sh: $1" >&2
  echo "Install them by hand (as root: apt-get install$missing) and run the command again." >&2
  echo "The tests that need no browser run without Chromium:" >&2
  echo "  python3 -m venv .venv && .venv/bin/python -m pip install -e '.[test]' && .venv/bin/python -m pytest -m 'not browser'" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "missing:$missing, and apt-get is not available (this script installs Debian's packages)."

if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  fail "missing:$missing, and installing them needs root or sudo."
fi

echo "tests/chromium.sh: installing from Debian:$missing" >&2
# (through env, so that sudo passes DEBIAN_FRONTEND on)
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update failed."
# shellcheck disable=SC2086 # (the package names are meant to split)
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
  || fail "apt-get install$missing failed."
command -v chromium >/dev/null 2>&1 || fail "apt-get installed the packages, but no 'chromium' command is on the PATH."
