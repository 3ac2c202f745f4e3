#!/usr/bin/env bash
# Runs a command (the test suite) with a real SMB share up: Samba in a loopback-only network
# namespace, mounted twice through FUSE as two users (scripts/smb-share.sh). The mounts are
# named in BABELFISH_SMB_ALICE / BABELFISH_SMB_BOB, the server-side folder in
# BABELFISH_SMB_SERVER; cli/tests/smb.rs uses them. The share is taken down afterwards.
#
# The share needs root, /dev/fuse and network namespaces. Without them the command still runs
# and the SMB tests say they were skipped, except under CI (CI=true), where that is a failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

why_not=""
if [ "$(id -u)" -ne 0 ]; then why_not="not root"
elif [ ! -c /dev/fuse ]; then why_not="no /dev/fuse"
elif ! command -v smbnetfs >/dev/null || ! command -v ip >/dev/null; then why_not="samba/smbnetfs/iproute2 not installed (scripts/setup.sh test)"
fi
if [ -n "$why_not" ]; then
  if [ -n "${CI:-}" ]; then
    echo "with-smb-share: cannot start the SMB share under CI: $why_not" >&2
    exit 1
  fi
  echo "with-smb-share: no SMB share ($why_not); the SMB tests will be skipped" >&2
  exec "$@"
fi

"$here/smb-share.sh" down >/dev/null 2>&1 || true
"$here/smb-share.sh" up
trap '"$here/smb-share.sh" down >/dev/null 2>&1 || true' EXIT
# smb-share.sh reports no failure of a mount (a mount point left non-empty, say): check that
# both users reach the share.
for m in /mnt/alice /mnt/bob; do
  if ! mountpoint -q "$m" || ! ls "$m/127.0.0.1/share" >/dev/null; then
    echo "with-smb-share: the share is not reachable through $m (see ${BASE:-/srv/bfsmb}/log/); the SMB tests cannot run" >&2
    exit 1
  fi
done
export BABELFISH_SMB_ALICE=/mnt/alice/127.0.0.1/share
export BABELFISH_SMB_BOB=/mnt/bob/127.0.0.1/share
export BABELFISH_SMB_SERVER="${BASE:-/srv/bfsmb}/share"
"$@"
