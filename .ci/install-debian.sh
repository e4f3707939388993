#!/usr/bin/env bash
# Installs the Debian packages the tests use, when missing and apt works: Chromium (the browser
# tests, test/e2e), DejaVu fonts (PNG charts) and GNU parallel (test/deploy/parallel.test.ts).
# Never downloads a browser from elsewhere, and never fails by itself: under CI=true a test whose
# tool is missing then fails (outside CI it skips with a warning).
set -u
want=()
[ -x /usr/bin/chromium ] || want+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || want+=(fonts-dejavu-core)
[ -x /usr/bin/parallel ] || want+=(parallel)
if [ ${#want[@]} -eq 0 ]; then
  echo "install-debian: chromium, fonts and parallel already present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-debian: no apt-get; not installing ${want[*]} (the tests needing them will be skipped)"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-debian: not root and no passwordless sudo; not installing ${want[*]}"
    exit 0
  fi
fi
echo "install-debian: installing ${want[*]} from Debian"
if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${want[@]}"; then
  echo "install-debian: done"
else
  echo "install-debian: apt-get failed; continuing (the tests needing ${want[*]} will be skipped)"
fi
exit 0
