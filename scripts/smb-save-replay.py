"""One Babelfish save, call by call, through a second SMB client: Python's smbprotocol, which
sends each call as one SMB request (or one compound CREATE/op/CLOSE, as Windows' client does)
rather than smbnetfs's open/query/close per FUSE request. A model of what the store's save asks
of the file server (src/store.rs `Store::save`), timed at the share's round trip; not the Rust
code itself, which can reach the share here only through smbnetfs.

Usage (inside the share's namespace, after scripts/smb-share.sh up and smb-latency.sh up 5):
  nsenter --net=/var/run/netns/bfsmb python3 scripts/smb-save-replay.py 127.0.0.2 [ROUNDS]
The share's loopback address 127.0.0.1 gives the server's own time without added latency.
"""
import statistics
import sys
import time
import uuid

import smbclient
from smbclient._io import SMBFileTransaction, SMBRawIO, set_info
from smbprotocol.connection import Connection
from smbprotocol.file_info import FileRenameInformation
from smbprotocol.open import CreateOptions, FilePipePrinterAccessMask

HOST = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.2"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 7
ROOT = rf"\\{HOST}\share\replay-{uuid.uuid4().hex[:8]}"
ENTRY = "x" * 1500  # an entry file is 1-2 kB

# Counts what goes to the server: one send is one round trip (a compound is one send).
SENT = {"sends": 0, "requests": 0}
_send, _send_compound = Connection.send, Connection.send_compound


def _counted_send(self, *args, **kwargs):
    SENT["sends"] += 1
    SENT["requests"] += 1
    return _send(self, *args, **kwargs)


def _counted_send_compound(self, messages, *args, **kwargs):
    SENT["sends"] += 1
    SENT["requests"] += len(messages)
    return _send_compound(self, messages, *args, **kwargs)


Connection.send, Connection.send_compound = _counted_send, _counted_send_compound

smbclient.ClientConfig(username="alice", password="Alice-pass1")
smbclient.register_session(HOST, username="alice", password="Alice-pass1")


def replace(src, dst):
    """A rename over the destination as Windows' MoveFileEx(REPLACE_EXISTING) sends it: open
    the source for deletion, one SET_INFO, close. (smbclient.replace first opens the destination
    for execute, which Samba refuses on a file without the x bit.)"""
    with SMBRawIO(
        src,
        mode="r",
        share_access="rwd",
        desired_access=FilePipePrinterAccessMask.DELETE,
        create_options=CreateOptions.FILE_OPEN_REPARSE_POINT,
    ) as raw:
        with SMBFileTransaction(raw) as transaction:
            info = FileRenameInformation()
            info["replace_if_exists"] = True
            info["file_name"] = dst.split("\\", 4)[-1]  # relative to the share
            set_info(transaction, info)


def save(root, folder, slug, round_no):
    """The store's requests for one edit, in order (see Store::save and the comments); the
    seconds until the entry is in place (the app leaves the hint after that, in the background)."""
    started = time.perf_counter()
    path = rf"{folder}\{slug}.json"
    lock = rf"{folder}\.{slug}.json.lock"
    smbclient.lstat(folder)  # checked_path_to_edit: the folder is no link
    with smbclient.open_file(lock, mode="xb") as f:  # the lock: create-new, who holds it
        f.write(b"alice on pc (process 1) since now [1]\n")
        with smbclient.open_file(path, mode="rb") as g:  # read under the lock, with metadata
            smbclient.stat(path)  # Windows: the metadata of the open file (one query)
            g.read()
        f.seek(0)  # put_in_place: the new version over the token, in the lock file
        f.write(ENTRY.encode())
        f.flush()
    replace(lock, path)  # renamed over the entry, which releases the lock
    in_place = time.perf_counter() - started
    hint = rf"{root}\.babelfish-changes\{int(time.time()*1000)}.p1.itil.{slug}"
    with smbclient.open_file(hint, mode="xb"):  # the change hint
        pass
    return in_place


def main():
    smbclient.makedirs(rf"{ROOT}\itil")
    smbclient.makedirs(rf"{ROOT}\.babelfish-changes")
    folder = rf"{ROOT}\itil"
    with smbclient.open_file(rf"{folder}\incident.json", mode="wb") as f:
        f.write(ENTRY.encode())
    save(ROOT, folder, "incident", 0)  # warm: session, tree, first paths
    times, in_place = [], []
    before = dict(SENT)
    for r in range(1, ROUNDS + 1):
        started = time.perf_counter()
        in_place.append(save(ROOT, folder, "incident", r))
        times.append(time.perf_counter() - started)
        print(
            f"save {r}: {in_place[-1]*1000:.0f} ms in place, {times[-1]*1000:.0f} ms with the hint",
            file=sys.stderr,
        )
    sends = (SENT["sends"] - before["sends"]) / ROUNDS
    requests = (SENT["requests"] - before["requests"]) / ROUNDS
    with smbclient.open_file(rf"{folder}\incident.json", mode="rb") as f:
        assert f.read() == ENTRY.encode(), "the save replaced the entry"
    hints = smbclient.listdir(rf"{ROOT}\.babelfish-changes")
    assert len(hints) == ROUNDS + 1, hints
    print(f"per save: {requests:.0f} SMB requests in {sends:.0f} round trips")
    print(
        f"{HOST}: one save's requests through smbprotocol: in place after a median of"
        f" {statistics.median(in_place)*1000:.0f} ms (worst {max(in_place)*1000:.0f} ms);"
        f" with the hint, median {statistics.median(times)*1000:.0f} ms,"
        f" worst {max(times)*1000:.0f} ms ({ROUNDS} rounds)"
    )
    for name in hints:
        smbclient.remove(rf"{ROOT}\.babelfish-changes\{name}")
    smbclient.remove(rf"{folder}\incident.json")
    smbclient.rmdir(folder)
    smbclient.rmdir(rf"{ROOT}\.babelfish-changes")
    smbclient.rmdir(ROOT)


main()
