#!/bin/sh
# Makes sure Debian's chromium is installed at /usr/bin/chromium, for the
# browser tests (playwright-core drives it; it downloads no browser itself).
# Installs it with apt-get only when it is missing. Idempotent.
set -eu

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

echo "ensure-chromium: /usr/bin/chromium is missing; installing Debian's chromium" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium

if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-chromium: chromium was installed but /usr/bin/chromium is still missing" >&2
  exit 1
fi
