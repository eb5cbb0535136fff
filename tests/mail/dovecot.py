"""A throwaway Dovecot IMAP server for the tests (Debian's `dovecot-imapd`).

Everything lives in one temporary directory: the configuration, a self-signed
certificate made with `openssl` for 127.0.0.1, a passwd-file user, the maildir,
logs and sockets. It listens for IMAPS on a free port of 127.0.0.1 only and
runs in the foreground as a child process. As root (CI), mail is handled as
`nobody`, since Dovecot refuses mail access as root.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import BinaryIO

DOVECOT = shutil.which("dovecot") or (
    "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None
)
USER = "helpdesk"
PASSWORD = "imap-test-password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificate(folder: Path, name: str = "server") -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (and localhost); returns (cert, key)."""
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            f"/CN=polydesk-test-{name}",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class Dovecot:
    """Start with `start()`, put messages in with `deliver()`, stop with `stop()`.

    `root` must be reachable by Dovecot's own users when running as root (so not
    under pytest's 0700 temporary folder): use `tempfile.mkdtemp()`.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._log: BinaryIO | None = None
        if os.geteuid() == 0:
            self.mail_user = pwd.getpwnam("nobody")
            internal, login = "dovecot", "dovenull"
        else:
            self.mail_user = pwd.getpwuid(os.getuid())
            internal = login = self.mail_user.pw_name
        self.maildir = root / "mail" / USER
        self.cert, key = make_certificate(root)
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir(parents=True)
        (root / "run").mkdir()
        (root / "state").mkdir()
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        uid, gid = self.mail_user.pw_uid, self.mail_user.pw_gid
        (root / "dovecot.conf").write_text(
            f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{self.cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = {min(uid, 500)}
first_valid_gid = 0
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""
        )
        (root / "home").mkdir()
        if os.geteuid() == 0:
            os.chmod(root, 0o755)
            for path in [root / "mail", root / "home", *root.joinpath("mail").rglob("*")]:
                os.chown(path, uid, gid)

    def start(self) -> None:
        self._log = open(self.root / "stdout.log", "wb")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("dovecot did not start:\n" + self.logs())

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace")
            for p in (self.root / "stdout.log", self.root / "dovecot.log")
            if p.exists()
        )

    def deliver(self, raw: bytes) -> None:
        """Put a message into the INBOX, as a local delivery agent would (new/, unseen)."""
        name = f"{time.time():.0f}.{uuid.uuid4().hex}.polydesk-test"
        tmp = self.maildir / "tmp" / name
        tmp.write_bytes(raw)
        if os.geteuid() == 0:
            os.chown(tmp, self.mail_user.pw_uid, self.mail_user.pw_gid)
        tmp.rename(self.maildir / "new" / name)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        if self._log is not None:
            self._log.close()
            self._log = None
