"""Reading an inbound message: who sent it, what it says, what it carries, whether
a machine wrote it, and which ticket it answers.

Nothing here touches the database. Parsing never raises on hostile input except
`MalformedMail` (the caller refuses the message): wrong or unknown charsets fall
back to a best guess, over-deep nesting and surplus parts are skipped, and every
such repair adds a note that ends up on the ticket.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
import html
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message

import nh3

#: MIME nesting deeper than this is not read (real mail nests 3–4 levels).
MAX_DEPTH = 8
#: Parts beyond this many are not read.
MAX_PARTS = 100
#: Message-IDs longer than this are replaced by a hash (the column holds 255).
MAX_MESSAGE_ID = 250
#: References followed for threading.
MAX_REFERENCES = 50

AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
BOUNCE_SENDERS = {"mailer-daemon", "postmaster"}
_ADDRESS = re.compile(
    r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z0-9-]{2,}$"
)
_MSGID = re.compile(r"<([^<>\s]{1,998})>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLOCK_TAGS = re.compile(
    r"(?i)<\s*(?:br|/?p|/?div|/?li|/?tr|/?h[1-6]|/?blockquote|/?table|hr)\b[^>]*>"
)
#: Where the quoted previous message of a reply starts (Gmail, Apple Mail, Outlook).
_QUOTE_START = re.compile(
    r"(?im)^(?:"
    r"On\b[^\n]{0,300}(?:\n[^\n]{0,300})?\bwrote:\s*$"
    r"|Am\b[^\n]{0,300}(?:\n[^\n]{0,300})?\bschrieb[^\n]{0,100}:\s*$"
    r"|-{2,}\s*Original Message\s*-{2,}\s*$"
    r"|_{10,}\s*\n\s*From:"
    r"|From:[^\n]*\n(?:Sent|Date):[^\n]*\n"
    r")"
)


class MalformedMail(Exception):
    """The message cannot be read at all (no usable sender, unparseable bytes)."""


@dataclass(frozen=True)
class MailFile:
    filename: str
    content_type: str
    content: bytes


@dataclass
class ParsedMail:
    message_id: str
    sender: str  # lower-case addr-spec
    sender_name: str
    subject: str
    body: str
    automated: str | None  # None, "auto_reply" or "bounce"
    references: list[str] = field(
        default_factory=list
    )  # In-Reply-To first, then References newest first
    files: list[MailFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def clean_line(value: str, limit: int) -> str:
    """One line of display text: no control characters, collapsed spaces, at most `limit`."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", value or "").replace("\n", " ")).strip()[:limit]


def valid_address(address: str) -> bool:
    return len(address) <= 254 and bool(_ADDRESS.match(address))


def bare_address(address: str) -> str:
    """`<IT@Example.org>` → `it@example.org` (an envelope address)."""
    return email.utils.parseaddr(address or "")[1].strip().lower()


def hashed_id(raw: bytes) -> str:
    """A stable id for a message without a usable Message-ID: the hash of its
    identifying headers and body, ignoring trace headers a relay adds on retry."""
    head, _, body = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.partition(b"\n\n")
    keep = []
    for line in re.split(rb"\r?\n(?![ \t])", head):
        name = line.split(b":", 1)[0].strip().lower()
        if name in (b"from", b"to", b"cc", b"date", b"subject"):
            keep.append(line.strip())
    digest = hashlib.sha256(b"\n".join(sorted(keep)) + b"\n\n" + body.strip()).hexdigest()
    return f"<sha256-{digest}@hash.polydesk.invalid>"


def header(msg: Message, name: str) -> str:
    """A header as text, or "" when it is missing or cannot be decoded."""
    try:
        value = msg.get(name)
    except Exception:  # a malformed header: the email package raises several kinds
        return ""
    return "" if value is None else str(value)


def automated_kind(msg: Message, sender: str, envelope_sender: str | None) -> str | None:
    """ "bounce", "auto_reply" (auto-replies, bulk and list mail) or None for a person."""
    local = sender.split("@", 1)[0]
    if msg.get_content_type() == "multipart/report" or local in BOUNCE_SENDERS:
        return "bounce"
    auto_submitted = header(msg, "Auto-Submitted").strip().lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return "auto_reply"
    if header(msg, "Precedence").strip().lower() in AUTO_PRECEDENCE:
        return "auto_reply"
    if msg.get("X-Autoreply") is not None or msg.get("X-Autorespond") is not None:
        return "auto_reply"
    if envelope_sender is not None and envelope_sender.strip() in ("", "<>"):
        # The null reverse path is reserved for delivery reports and auto-responses.
        return "auto_reply"
    return None


def html_to_text(source: str) -> str:
    """Plain text from HTML: block tags become line breaks, every tag goes (script
    and style with their content), entities are decoded."""
    marked = _BLOCK_TAGS.sub("\n", source)
    stripped = nh3.clean(marked, tags=set(), clean_content_tags={"script", "style", "title"})
    return tidy(html.unescape(stripped))


def tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", _CONTROL.sub("", line)).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_quoted(text: str) -> str:
    """The new part of a reply: text above the quoted previous message."""
    match = _QUOTE_START.search(text)
    head = text[: match.start()] if match else text
    lines = head.rstrip().splitlines()
    while lines and lines[-1].lstrip().startswith(">"):
        lines.pop()
    new = "\n".join(lines).strip()
    return new or text.strip()


def _decode_text(part: Message, notes: list[str]) -> str:
    payload = part.get_payload(decode=True) or b""
    if not isinstance(payload, bytes):
        payload = str(payload).encode("utf-8", "replace")
    charset = (part.get_content_charset() or "us-ascii")[:40]
    try:
        return payload.decode(charset)
    except LookupError:
        notes.append(
            f"The message named an unknown character set ({charset!r}); its text is a best guess."
        )
    except UnicodeDecodeError:
        notes.append(f"The message's text was not valid {charset}; it is shown as a best guess.")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", errors="replace")


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # malformed RFC 2231 parameters
        return "attachment"
    return clean_line(name, 200) if name else None


def _walk(msg: Message, notes: list[str]) -> list[Message]:
    """Leaf parts in order, iteratively, skipping what is nested too deep or too many;
    an attached message is one leaf (it is kept as a file, not read)."""
    leaves: list[Message] = []
    stack: list[tuple[Message, int]] = [(msg, 0)]
    too_deep = too_many = False
    seen = 0
    while stack:
        part, depth = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            too_many = True
            break
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            if depth >= MAX_DEPTH:
                too_deep = True
                continue
            children = part.get_payload()
            if isinstance(children, list):
                stack.extend((child, depth + 1) for child in reversed(children))
            continue
        leaves.append(part)
    if too_deep:
        notes.append(f"Parts nested more than {MAX_DEPTH} levels deep were not read.")
    if too_many:
        notes.append(f"The message had more than {MAX_PARTS} parts; the rest were not read.")
    return leaves


def _message_ids(value: str) -> list[str]:
    return [f"<{m}>" for m in _MSGID.findall(value or "")]


def parse(raw: bytes, *, envelope_sender: str | None = None) -> ParsedMail:
    """Read a raw RFC 5322 message. Raises `MalformedMail` when it has no usable sender."""
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # the parser is lenient; anything it raises is hostile input
        raise MalformedMail("the message could not be parsed") from exc
    assert isinstance(msg, EmailMessage)
    notes: list[str] = []

    try:
        from_header = msg.get_all("From") or []
    except Exception:
        from_header = []
    addresses: list[tuple[str, str]] = []
    for value in from_header:
        try:
            addresses.extend((a.display_name, a.addr_spec) for a in value.addresses)
        except Exception:  # an undecodable From: fall back to the plain parser
            addresses.append(email.utils.parseaddr(str(value)))
    if len(addresses) != 1:
        raise MalformedMail("the message needs exactly one sender address (From)")
    name, address = addresses[0]
    address = address.strip().lower()
    if not valid_address(address):
        raise MalformedMail("the sender address (From) is not valid")

    found = _MSGID.search(header(msg, "Message-ID"))
    message_id = f"<{found.group(1)}>" if found else ""
    if not message_id or len(message_id) > MAX_MESSAGE_ID:
        message_id = hashed_id(raw)

    references = _message_ids(header(msg, "In-Reply-To"))
    references += list(reversed(_message_ids(header(msg, "References"))))
    references = list(dict.fromkeys(r for r in references if len(r) <= MAX_MESSAGE_ID))

    if msg.defects:
        notes.append("The message was not well-formed MIME; some of it may be missing.")

    body: str | None = None
    html_source: str | None = None
    files: list[MailFile] = []
    for part in _walk(msg, notes):
        ctype = part.get_content_type()
        filename = _filename(part)
        disposition = (part.get_content_disposition() or "").lower()
        if ctype == "message/rfc822" or part.get_content_maintype() == "message":
            inner = part.get_payload()
            content = inner[0].as_bytes() if isinstance(inner, list) and inner else part.as_bytes()
            files.append(MailFile(filename or "attached-message.eml", "message/rfc822", content))
            continue
        if filename is None and disposition != "attachment":
            if part.get_content_maintype() == "multipart" and body is None:
                # A multipart whose boundary is missing: its raw text is all there is.
                body = _decode_text(part, notes)
                continue
            if ctype == "text/plain" and body is None:
                body = _decode_text(part, notes)
                continue
            if ctype == "text/html" and html_source is None:
                html_source = _decode_text(part, notes)
                continue
            if part.get_content_maintype() == "text":
                continue  # another rendering of the body
        try:
            content = part.get_payload(decode=True) or b""
        except Exception:
            notes.append(f"An attachment ({filename or ctype}) could not be decoded.")
            continue
        files.append(
            MailFile(filename or f"attachment.{ctype.split('/')[-1][:10]}", ctype, content)
        )

    if body is None and html_source is not None:
        body = html_to_text(html_source)
        files.insert(0, MailFile("original-message.html", "text/html", html_source.encode("utf-8")))
    body = tidy(body or "")

    return ParsedMail(
        message_id=message_id,
        sender=address,
        sender_name=clean_line(name, 200),
        subject=clean_line(header(msg, "Subject"), 1000),
        body=body,
        automated=automated_kind(msg, address, envelope_sender),
        references=references[:MAX_REFERENCES],
        files=files,
        notes=notes,
    )
