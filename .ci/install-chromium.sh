#!/usr/bin/env bash
# Installs Debian's Chromium (for test/e2e/report-browser.test.ts) and DejaVu fonts (for PNG
# charts) when they are missing and apt works. Never downloads a browser from elsewhere, and
# never fails by itself: under CI=true the browser test then fails (it only skips outside CI).
set -u
want=()
[ -x /usr/bin/chromium ] || want+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || want+=(fonts-dejavu-core)
if [ ${#want[@]} -eq 0 ]; then
  echo "install-chromium: chromium and fonts already present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get; not installing ${want[*]} (the browser test will be skipped)"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-chromium: not root and no passwordless sudo; not installing ${want[*]}"
    exit 0
  fi
fi
echo "install-chromium: installing ${want[*]} from Debian"
if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${want[@]}"; then
  echo "install-chromium: done"
else
  echo "install-chromium: apt-get failed; continuing (the browser test will be skipped if chromium is missing)"
fi
exit 0
