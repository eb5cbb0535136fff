"""Catalog completeness: every domain's .po in zh_Hans, zh_Hant and pl is fully
translated, not fuzzy, keeps the placeholders, has Polish's three plural forms, and
the .pot holds every message the code marks today (so a new string fails here)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from polydesk.core import i18n
from polydesk.web.i18n_catalogs import all_domains, extract

TRANSLATED = [loc for loc in i18n.LOCALES if loc != i18n.SOURCE_LOCALE]
DOMAINS = all_domains()
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


@pytest.mark.parametrize("domain", DOMAINS, ids=[d.name for d in DOMAINS])
def test_pot_is_up_to_date_with_the_code(domain):
    with domain.pot.open("rb") as fp:
        pot = {m.id for m in read_po(fp) if m.id}
    extracted = {m.id for m in extract(domain) if m.id}
    missing = extracted - pot
    assert not missing, f"run `polydesk i18n extract -d {domain.name}` then update: {missing}"


@pytest.mark.parametrize("locale", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS, ids=[d.name for d in DOMAINS])
def test_catalog_is_complete(domain, locale):
    path = domain.po(locale)
    assert path.exists(), f"{path} is missing: run `polydesk i18n update`"
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=locale)
    with domain.pot.open("rb") as fp:
        pot = {m.id for m in read_po(fp) if m.id}
    problems = []
    ids = set()
    for message in catalog:
        if not message.id:
            continue
        ids.add(message.id)
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if message.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {key!r}")
            continue
        if isinstance(message.id, tuple):
            expected = set(PLACEHOLDER.findall(message.id[0] + message.id[1])) | {"num"}
            if len(strings) != catalog.num_plurals:
                problems.append(f"{len(strings)} plural forms, want {catalog.num_plurals}: {key!r}")
            for form in strings:
                if not set(PLACEHOLDER.findall(form)) <= expected:
                    problems.append(f"unknown placeholder in {form!r}")
        elif set(PLACEHOLDER.findall(message.id)) != set(PLACEHOLDER.findall(message.string)):
            problems.append(f"placeholders differ: {message.id!r} → {message.string!r}")
    missing = pot - ids
    if missing:
        problems.append(f"not merged from the .pot (run `polydesk i18n update`): {missing}")
    assert not problems, "\n".join(problems)


def test_polish_catalogs_have_three_plural_forms():
    for domain in DOMAINS:
        with domain.po("pl").open("rb") as fp:
            assert read_po(fp, locale="pl").num_plurals == 3
