"""`polydesk demo`'s mail catcher: a local SMTP server (aiosmtpd) that saves every
notification as an `.eml` file instead of delivering it, so the demo shows real
mail without a mail server and without mailing anyone."""

from __future__ import annotations

import itertools
import os
import socket
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class EmlWriter:
    """aiosmtpd handler: one `<time>-<n>.eml` file per accepted message."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counter = itertools.count(1)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(self.counter):04d}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 2.0.0 Saved"


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def start_demo_sink(data_dir: Path, host: str = "127.0.0.1") -> tuple[Controller, int, Path]:
    """Start the catcher on a free port (a thread of this process) and point this
    process's SMTP settings at it. Returns the controller, its port and the folder."""
    folder = data_dir / "sent-mail"
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port(host)
    controller = Controller(EmlWriter(folder), hostname=host, port=port)
    controller.start()
    os.environ["POLYDESK_SMTP_HOST"] = host
    os.environ["POLYDESK_SMTP_PORT"] = str(port)
    os.environ["POLYDESK_SMTP_STARTTLS"] = "0"
    os.environ.setdefault("POLYDESK_MAIL_FROM", "desk@polydesk.localhost")
    return controller, port, folder
