#!/usr/bin/env bash
# Two more client mounts of the SMB share of scripts/smb-share.sh, behind a latency proxy, for
# benchmarks (not tests): the share answers on 127.0.0.2 through scripts/delayproxy.py, which
# holds every segment ONE_WAY_MS in each direction (default 5 ms = 10 ms round trips, typical
# of a trust's file server). Mounts: /mnt/lat-alice/127.0.0.2/share, /mnt/lat-bob/127.0.0.2/share.
# Usage: smb-latency.sh up [ONE_WAY_MS] | down      (after `smb-share.sh up`; root)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BASE=${BASE:-/srv/bfsmb}; NS=bfsmb
up() {
  local one_way="${1:-5}"
  ip netns list | grep -qw $NS || { echo "smb-latency: run scripts/smb-share.sh up first" >&2; exit 1; }
  ip -n $NS addr show lo | grep -q 127.0.0.2 || ip -n $NS addr add 127.0.0.2/8 dev lo 2>/dev/null || true
  setsid nsenter --net=/var/run/netns/$NS python3 "$here/delayproxy.py" 445 "$one_way" 127.0.0.2 \
      > $BASE/log/delayproxy.out 2>&1 < /dev/null &
  echo $! > $BASE/delayproxy.pid
  for i in $(seq 50); do nsenter --net=/var/run/netns/$NS ss -ltn | grep -q 127.0.0.2:445 && break; sleep 0.1; done
  for u in alice bob; do
    H=$BASE/home-lat-$u; mkdir -p $H/.smb /mnt/lat-$u
    P=$([ $u = alice ] && echo Alice-pass1 || echo Bob-pass1)
    printf 'smb_query_browsers "false"\nshow_hidden_hosts "true"\nconfig_update_period 0\nhost 127.0.0.2 visible=true\nauth "127.0.0.2" "%s" "%s"\n' $u $P > $H/.smb/smbnetfs.conf
    chmod 600 $H/.smb/smbnetfs.conf
    cp $BASE/home-$u/.smb/smb.conf $H/.smb/smb.conf
    HOME=$H setsid nsenter --net=/var/run/netns/$NS smbnetfs /mnt/lat-$u -o allow_other,attr_timeout=0,entry_timeout=0,negative_timeout=0 \
      > $BASE/log/smbnetfs-lat-$u.out 2>&1 < /dev/null
  done
  for i in $(seq 100); do ls /mnt/lat-alice/127.0.0.2/share >/dev/null 2>&1 && ls /mnt/lat-bob/127.0.0.2/share >/dev/null 2>&1 && break; sleep 0.2; done
  echo "latency mounts ($one_way ms each way): /mnt/lat-alice/127.0.0.2/share /mnt/lat-bob/127.0.0.2/share"
}
down() {
  for m in /mnt/lat-alice /mnt/lat-bob; do mountpoint -q $m && fusermount -u $m || true; done
  if [ -f $BASE/delayproxy.pid ]; then kill "$(cat $BASE/delayproxy.pid)" 2>/dev/null || true; rm -f $BASE/delayproxy.pid; fi
}
"$@"
