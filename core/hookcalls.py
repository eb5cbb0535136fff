"""Calling hooks the Polydesk way: sync pluggy, async Polydesk.

Per-request hook implementations may return a value, an awaitable or be
`async def`; every result is resolved with `await_me_maybe`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

import pluggy


async def await_me_maybe(value: Any) -> Any:
    """Resolve a hook result that may be a value, a callable or an awaitable."""
    if callable(value):
        value = value()
    if inspect.isawaitable(value):
        value = await value
    return value


async def gather(results: Iterable[Any]) -> list[Any]:
    """Await every result in call order and drop the `None`s.

    If one raises, the coroutines not yet awaited are closed before the error
    propagates, so a failing plugin never leaves another's coroutine dangling.
    """
    pending = list(results)
    resolved = []
    for index, result in enumerate(pending):
        try:
            value = await await_me_maybe(result)
        except BaseException:
            for rest in pending[index + 1 :]:
                if inspect.iscoroutine(rest):
                    rest.close()
            raise
        if value is not None:
            resolved.append(value)
    return resolved


async def gather_flat(results: Iterable[Any]) -> list[Any]:
    """Like `gather`, for hooks whose implementations each return a list."""
    return [item for chunk in await gather(results) for item in chunk]


async def first_non_none(results: Iterable[Any]) -> Any:
    """Await results in call order; the first one that is not None wins.

    Coroutines after the winner are closed unawaited, so lower-priority
    implementations (the default session lookup, say) do no work.
    """
    pending = list(results)
    for index, result in enumerate(pending):
        value = await await_me_maybe(result)
        if value is not None:
            for rest in pending[index + 1 :]:
                if inspect.iscoroutine(rest):
                    rest.close()
            return value
    return None


def subset_caller(pm: pluggy.PluginManager, name: str, disabled: Iterable[str]) -> Any:
    """The hook `name`, without the plugins an admin has disabled."""
    remove = [pm.get_plugin(n) for n in disabled if pm.get_plugin(n) is not None]
    if not remove:
        return getattr(pm.hook, name)
    return pm.subset_hook_caller(name, remove_plugins=remove)
