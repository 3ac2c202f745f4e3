#!/bin/bash
# A real SMB share on this machine kind (Debian 12, root, kernel WITHOUT CIFS: `mount -t cifs` fails
# with "mount error(19): No such device"), for tests of the glossary on a network drive.
#   smbd (Samba 4.17, SMB 3.1.1) runs in a private network namespace with only loopback, so no
#   packet can leave the machine; two FUSE mounts (smbnetfs = libsmbclient) log in as two users;
#   Python's smbprotocol speaks SMB2/3 directly for Windows-client semantics (share modes,
#   rename-replace, CHANGE_NOTIFY).
# Usage: smb-share.sh up | down          (needs: root, /dev/fuse, cap_sys_admin)
# A copy of the team's ../shared/tools/smb-share.sh, kept in the repository so that a clean
# clone (CI) can run the SMB tests; scripts/setup.sh test installs its packages.
# The daemons run in sessions of their own (setsid): a FUSE or Samba process that signals its
# process group must never reach the caller (a test runner).
set -euo pipefail
BASE=${BASE:-/srv/bfsmb}; NS=bfsmb
up() {
  for p in samba smbnetfs fuse3 iproute2; do
    dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q 'install ok installed' \
      || { echo "smb-share: $p is missing (scripts/setup.sh test installs it)" >&2; exit 1; }
  done
  mkdir -p $BASE/{share,run,log,lock,state,cache,private}
  getent group glossary >/dev/null || groupadd glossary
  for u in alice bob; do id $u >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin -G glossary $u; done
  chgrp glossary $BASE/share; chmod 2775 $BASE/share
  cat > $BASE/smb.conf <<CONF
[global]
   workgroup = NHSTEST
   server role = standalone server
   interfaces = lo
   bind interfaces only = yes
   disable netbios = yes
   smb ports = 445
   map to guest = never
   passdb backend = tdbsam:$BASE/private/passdb.tdb
   private dir = $BASE/private
   pid directory = $BASE/run
   lock directory = $BASE/lock
   state directory = $BASE/state
   cache directory = $BASE/cache
   ncalrpc dir = $BASE/run/ncalrpc
   log file = $BASE/log/log.%m
   server min protocol = SMB2_10
   load printers = no
   printcap name = /dev/null
   disable spoolss = yes
[share]
   path = $BASE/share
   read only = no
   valid users = alice bob
   force group = glossary
   create mask = 0664
   directory mask = 2775
CONF
  (echo Alice-pass1; echo Alice-pass1) | smbpasswd -c $BASE/smb.conf -s -a alice >/dev/null
  (echo Bob-pass1; echo Bob-pass1) | smbpasswd -c $BASE/smb.conf -s -a bob >/dev/null
  ip netns list | grep -qw $NS || ip netns add $NS
  ip -n $NS link set lo up
  setsid nsenter --net=/var/run/netns/$NS smbd --foreground --no-process-group -s $BASE/smb.conf \
      > $BASE/log/smbd.out 2>&1 < /dev/null &
  echo $! > $BASE/smbd.pid
  for i in $(seq 50); do nsenter --net=/var/run/netns/$NS ss -ltn | grep -q 127.0.0.1:445 && break; sleep 0.1; done
  nsenter --net=/var/run/netns/$NS ss -ltn | grep -q 127.0.0.1:445 \
    || { echo "smb-share: smbd is not listening (see $BASE/log/smbd.out)" >&2; exit 1; }
  for u in alice bob; do
    H=$BASE/home-$u; mkdir -p $H/.smb /mnt/$u
    P=$([ $u = alice ] && echo Alice-pass1 || echo Bob-pass1)
    printf 'smb_query_browsers "false"\nshow_hidden_hosts "true"\nconfig_update_period 0\nhost 127.0.0.1 visible=true\nauth "127.0.0.1" "%s" "%s"\n' $u $P > $H/.smb/smbnetfs.conf
    chmod 600 $H/.smb/smbnetfs.conf
    printf '[global]\n   name resolve order = host\n   disable netbios = yes\n   client min protocol = SMB2_10\n   client max protocol = SMB3\n' > $H/.smb/smb.conf
    # attr_timeout=0 etc.: without them the kernel's FUSE attribute cache serves stale sizes and
    # reads of a file another client just replaced come back cut short (seen in the race test).
    HOME=$H setsid nsenter --net=/var/run/netns/$NS smbnetfs /mnt/$u -o allow_other,attr_timeout=0,entry_timeout=0,negative_timeout=0 \
      > $BASE/log/smbnetfs-$u.out 2>&1 < /dev/null
  done
  for i in $(seq 50); do ls /mnt/alice/127.0.0.1/share >/dev/null 2>&1 && ls /mnt/bob/127.0.0.1/share >/dev/null 2>&1 && break; sleep 0.2; done
  echo "share: $BASE/share (server side); /mnt/alice/127.0.0.1/share and /mnt/bob/127.0.0.1/share (two SMB clients)"
  echo "smbprotocol: run python under 'nsenter --net=/var/run/netns/$NS' and use \\\\127.0.0.1\\share"
}
down() {
  for m in /mnt/alice /mnt/bob; do mountpoint -q $m && fusermount -u $m || true; done
  # only the smbd this script started: the one serving this script's configuration
  pkill -f "smbd --foreground --no-process-group -s $BASE/smb.conf" 2>/dev/null || true
  rm -f $BASE/smbd.pid
  sleep 1
  ip netns list | grep -qw $NS && ip netns del $NS || true
}
"$@"
