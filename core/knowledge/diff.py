"""A readable unified diff between two versions of an article."""

from __future__ import annotations

import difflib

from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.schemas import DiffLine, VersionView


def version_lines(version: VersionView) -> list[str]:
    """The version as one text: title and tags first, so their changes show too."""
    return [
        f"# {version.title}",
        _("tags: %(tags)s", tags=", ".join(version.tags)),
        "",
        *version.body_md.splitlines(),
    ]


def unified_diff(old: VersionView, new: VersionView, context: int = 3) -> list[DiffLine]:
    """`diff -u` of two versions, one classified line each."""
    lines = difflib.unified_diff(
        version_lines(old),
        version_lines(new),
        fromfile=_("version %(number)s", number=old.number),
        tofile=_("version %(number)s", number=new.number),
        n=context,
        lineterm="",
    )
    out: list[DiffLine] = []
    for line in lines:
        if line.startswith(("---", "+++")) and len(out) < 2:
            out.append(DiffLine("#", line))
        elif line.startswith("@@"):
            out.append(DiffLine("@", line))
        else:
            out.append(DiffLine(line[:1] or " ", line[1:]))
    return out


def as_text(lines: list[DiffLine]) -> str:
    return "\n".join(
        line.text if line.kind in "#@" else f"{line.kind}{line.text}" for line in lines
    )
