"""Files on articles: who may add, read and remove them, limits, and which are images."""

from __future__ import annotations

import pytest

from polydesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from polydesk.core.knowledge.files import MAX_FILE_BYTES, MAX_FILES_PER_ARTICLE, sniff_image
from polydesk.core.knowledge.render import render_markdown

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
async def published(kb, people):
    lead = await people.actor("it.lead")
    article = await kb.create_article(lead, space="it", title="VPN", body_md="Install it.")
    return await kb.publish(lead, article.id)


async def test_agents_add_files_readers_list_and_read_them(kb, people, published):
    agent = await people.actor("it.agent")
    doc = await kb.add_attachment(
        agent, published.id, filename="guide.pdf", content_type="application/pdf", content=b"%PDF"
    )
    image = await kb.add_attachment(
        agent, published.id, filename="diagram.png", content_type="image/png", content=PNG
    )
    assert (doc.filename, doc.size, doc.is_image, doc.uploaded_by.username) == (
        "guide.pdf",
        4,
        False,
        "it.agent",
    )
    assert (image.content_type, image.is_image, image.url) == (
        "image/png",
        True,
        f"/knowledge/files/{image.id}",
    )
    alice = await people.actor("alice")
    assert [f.filename for f in await kb.attachments(alice, published.id)] == [
        "guide.pdf",
        "diagram.png",
    ]
    # The article as readers get it lists its files too.
    assert [f.id for f in (await kb.get(alice, published.id)).attachments] == [doc.id, image.id]
    meta, content = await kb.read_attachment(alice, image.id)
    assert (meta.filename, content) == ("diagram.png", PNG)


async def test_a_requester_cannot_add_or_remove_files(kb, people, published):
    alice = await people.actor("alice")
    with pytest.raises(PermissionDenied):
        await kb.add_attachment(
            alice, published.id, filename="x.txt", content_type="text/plain", content=b"x"
        )
    agent = await people.actor("it.agent")
    doc = await kb.add_attachment(
        agent, published.id, filename="x.txt", content_type="text/plain", content=b"x"
    )
    with pytest.raises(PermissionDenied):
        await kb.delete_attachment(alice, doc.id)
    assert len(await kb.attachments(agent, published.id)) == 1


async def test_files_of_a_draft_or_another_departments_article_are_not_found(kb, people):
    agent = await people.actor("it.agent")
    draft = await kb.create_article(agent, space="it", title="Draft", body_md="x")
    doc = await kb.add_attachment(
        agent, draft.id, filename="secret.txt", content_type="text/plain", content=b"s"
    )
    for outsider in ("alice", "hr.agent"):
        actor = await people.actor(outsider)
        with pytest.raises(NotFound):
            await kb.read_attachment(actor, doc.id)
        with pytest.raises(NotFound):
            await kb.attachments(actor, draft.id)
        with pytest.raises(NotFound):
            await kb.delete_attachment(actor, doc.id)
    with pytest.raises(NotFound):
        await kb.read_attachment(agent, doc.id + 1000)
    # Once archived, readers lose it again; the space's agents keep it.
    lead = await people.actor("it.lead")
    await kb.publish(lead, draft.id)
    assert (await kb.read_attachment(await people.actor("alice"), doc.id))[1] == b"s"
    await kb.archive(lead, draft.id)
    with pytest.raises(NotFound):
        await kb.read_attachment(await people.actor("alice"), doc.id)
    assert (await kb.read_attachment(agent, doc.id))[1] == b"s"


async def test_removing_a_file(kb, people, published):
    agent = await people.actor("it.agent")
    doc = await kb.add_attachment(
        agent, published.id, filename="old.txt", content_type="text/plain", content=b"old"
    )
    assert await kb.delete_attachment(agent, doc.id) == published.id
    assert await kb.attachments(agent, published.id) == []
    with pytest.raises(NotFound):
        await kb.read_attachment(agent, doc.id)


async def test_limits_and_names(kb, people, published):
    agent = await people.actor("it.agent")
    with pytest.raises(ValidationFailed) as empty:
        await kb.add_attachment(
            agent, published.id, filename="e.txt", content_type="text/plain", content=b""
        )
    assert "empty" in empty.value.fields["file"]
    with pytest.raises(ValidationFailed) as big:
        await kb.add_attachment(
            agent,
            published.id,
            filename="big.bin",
            content_type="application/octet-stream",
            content=b"x" * (MAX_FILE_BYTES + 1),
        )
    assert "MB" in big.value.fields["file"]
    odd = await kb.add_attachment(
        agent,
        published.id,
        filename="../../etc/pass<wd>.txt",
        content_type="text/plain",
        content=b"x",
    )
    assert odd.filename == "pass_wd_.txt"
    assert len(await kb.attachments(agent, published.id)) == 1


async def test_at_most_so_many_files_per_article(kb, people, published):
    agent = await people.actor("it.agent")
    for n in range(MAX_FILES_PER_ARTICLE):
        await kb.add_attachment(
            agent, published.id, filename=f"{n}.txt", content_type="text/plain", content=b"x"
        )
    with pytest.raises(ValidationFailed):
        await kb.add_attachment(
            agent, published.id, filename="one-more.txt", content_type="text/plain", content=b"x"
        )


async def test_an_image_is_known_by_its_bytes_not_its_name_or_claimed_type(kb, people, published):
    agent = await people.actor("it.agent")
    fake = await kb.add_attachment(
        agent, published.id, filename="evil.png", content_type="image/png", content=b"<html>"
    )
    svg = await kb.add_attachment(
        agent, published.id, filename="logo.svg", content_type="image/svg+xml", content=SVG
    )
    real = await kb.add_attachment(
        agent, published.id, filename="photo.txt", content_type="text/plain", content=JPEG
    )
    assert (fake.is_image, fake.content_type) == (False, "application/octet-stream")
    assert (svg.is_image, svg.content_type) == (False, "application/octet-stream")
    assert (real.is_image, real.content_type) == (True, "image/jpeg")
    assert [sniff_image(b) for b in (PNG, JPEG, GIF, WEBP, SVG, b"")] == [
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        None,
        None,
    ]


def test_the_sanitiser_keeps_file_urls_in_the_body():
    html = render_markdown("![diagram](/knowledge/files/12) and [the guide](/knowledge/files/13)")
    assert '<img src="/knowledge/files/12" alt="diagram">' in html
    assert '<a href="/knowledge/files/13"' in html
    assert "javascript:" not in render_markdown('<img src="javascript:alert(1)">')
