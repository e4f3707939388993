#!/usr/bin/env bash
# Installs Debian's GNU parallel (for test/deploy/parallel.test.ts, which runs a study as shards
# through it) when it is missing and apt works. Never fails by itself: under CI=true the shard test
# then fails (it only skips outside CI).
set -u
if [ -x /usr/bin/parallel ]; then
  echo "install-parallel: GNU parallel already present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-parallel: no apt-get; not installing parallel (the shard test will be skipped)"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-parallel: not root and no passwordless sudo; not installing parallel"
    exit 0
  fi
fi
echo "install-parallel: installing parallel from Debian"
if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq parallel; then
  echo "install-parallel: done"
else
  echo "install-parallel: apt-get failed; continuing (the shard test will be skipped if parallel is missing)"
fi
exit 0
