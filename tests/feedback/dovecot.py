"""A real IMAP server for the tests: Debian's dovecot started with a throw-away configuration on a free port
(passwd-file login, maildir in a temporary directory), as the current user — or, when the tests run as root, with
dovecot's own unprivileged users, as dovecot requires. `make test` installs it (`make dovecot`)."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

PASSWORD = "mat-khau-thu"


def dovecot_binary() -> str | None:
    for candidate in (shutil.which("dovecot"), "/usr/sbin/dovecot"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    def __init__(self, root: Path, user: str = "gopy@example.vn"):
        self.root, self.user, self.port = root, user, free_port()
        self.binary = dovecot_binary()
        if os.getuid() == 0:
            internal, login = "dovecot", "dovenull"
        else:
            internal = login = pwd.getpwuid(os.getuid()).pw_name
        owner = pwd.getpwnam(internal)
        group = grp.getgrgid(owner.pw_gid).gr_name
        for d in ("run", "state", "mail", "home"):
            (root / d).mkdir(parents=True, exist_ok=True)
        for d in ("mail", "home"):
            os.chown(root / d, owner.pw_uid, owner.pw_gid) if os.getuid() == 0 else None
        root.chmod(0o755)
        (root / "passwd").write_text(f"{user}:{{PLAIN}}{PASSWORD}\n")
        self.conf = root / "dovecot.conf"
        self.conf.write_text(
            f"""base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = {owner.pw_uid}
first_valid_gid = {owner.pw_gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={root}/home/%u
}}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
        )

    def start(self) -> None:
        # the master forks into the background: no pipes for it to keep open
        with open(self.root / "start.log", "wb") as out:
            subprocess.run(
                [self.binary, "-c", str(self.conf)], check=True, stdout=out, stderr=out, timeout=20
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not start: " + (self.root / "dovecot.log").read_text())

    def stop(self) -> None:
        subprocess.run(
            [self.binary, "-c", str(self.conf), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=20,
        )

    def _session(self):
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(self.user, PASSWORD)
        return conn

    def create(self, folder: str) -> None:
        conn = self._session()
        try:
            status, data = conn.create(folder)
            assert status == "OK", data
        finally:
            conn.logout()

    def append(self, folder: str, raw: bytes, when=None) -> None:
        """Put a message in the mailbox over IMAP APPEND, as a mail server's delivery would; `when` (an aware
        datetime) is the INTERNALDATE the server records, else now."""
        conn = self._session()
        try:
            status, data = conn.append(folder, None, when, raw)
            assert status == "OK", data
        finally:
            conn.logout()
