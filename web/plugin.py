"""PolydeskPlugin: the one bridge between Litestar and the Polydesk runtime."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from litestar import Router
from litestar.config.app import AppConfig
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.plugins import InitPluginProtocol
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from polydesk.core.catalog.services import sync_catalog
from polydesk.core.errors import PolydeskError
from polydesk.core.i18n import register_department_catalogs
from polydesk.core.mail.inbound_runner import InboundMail
from polydesk.core.outbox.services import deliver_due
from polydesk.core.plugin_state.services import sync_plugin_rows
from polydesk.core.runtime import Runtime
from polydesk.core.sla.scheduler import fire_due
from polydesk.core.tickets.automation import apply_due as apply_auto_transitions
from polydesk.core.tickets.idempotency import delete_expired as delete_expired_idempotency_keys
from polydesk.web.controllers.admin import AdminController
from polydesk.web.controllers.agent import AgentController
from polydesk.web.controllers.announcements import AnnouncementController
from polydesk.web.controllers.api_admin import AdminApiController, PluginController
from polydesk.web.controllers.api_catalog import CatalogController
from polydesk.web.controllers.api_knowledge import KnowledgeController
from polydesk.web.controllers.api_mail import MailAdminApiController, MyNotificationsApiController
from polydesk.web.controllers.api_session import SessionController
from polydesk.web.controllers.api_sla import SLAController
from polydesk.web.controllers.api_tickets import TicketController
from polydesk.web.controllers.files import download_article_file, download_attachment
from polydesk.web.controllers.knowledge_pages import KnowledgePagesController
from polydesk.web.controllers.mail_admin import MailAdminController
from polydesk.web.controllers.mailboxes_admin import MailboxAdminController, MailboxApiController
from polydesk.web.controllers.notification_prefs import NotificationPrefsController
from polydesk.web.controllers.pages import PageController
from polydesk.web.controllers.portal import PortalController
from polydesk.web.controllers.profile import ProfileController
from polydesk.web.controllers.system import health
from polydesk.web.csrf import BearerAwareCSRFMiddleware
from polydesk.web.errors import (
    http_exception_handler,
    polydesk_error_handler,
    validation_exception_handler,
)
from polydesk.web.i18n import LocaleMiddleware, switch_language
from polydesk.web.input_guard import GuardedRequest, URLGuardMiddleware
from polydesk.web.mail_templates import build_mail_environment, send_notifications
from polydesk.web.security_headers import (
    SwaggerWithoutInlineScript,
    departments_css,
    security_headers_hook,
)
from polydesk.web.session_store import DatabaseSessionStore, RotatingSessionConfig
from polydesk.web.templating import build_environment

log = logging.getLogger("polydesk")
STATIC = Path(__file__).parent / "static"
SESSION_MAX_AGE = 14 * 24 * 3600
OUTBOX_INTERVAL_SECONDS = 1.0
AUTOMATION_EVERY_ROUNDS = 60
SWAGGER_UI = "5.35.0"  # web/static/vendor/


async def department_enabled(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard on plugin routes: a disabled department's pages answer 404."""
    slug = connection.url.path.strip("/").split("/", 1)[0]
    runtime: Runtime = connection.app.state.runtime
    snapshot = await runtime.snapshot()
    if slug in snapshot.registry.departments and not snapshot.is_department_enabled(slug):
        raise NotFoundException()


class PolydeskPlugin(InitPluginProtocol):
    """Mounts controllers, department routes, templates, sessions, CSRF, errors and
    the background outbox worker onto a Litestar app."""

    def __init__(self, runtime: Runtime, *, background: bool = True) -> None:
        self.runtime = runtime
        self.background = background
        self._worker: asyncio.Task[None] | None = None
        self._inbound_mail = InboundMail(runtime)

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.state["runtime"] = self.runtime
        self._configure_routes(app_config)
        self._configure_templates(app_config)
        self._configure_security(app_config)
        self._configure_errors(app_config)
        self._configure_input_guard(app_config)
        app_config.plugins.append(HTMXPlugin())
        app_config.openapi_config = OpenAPIConfig(
            title="Polydesk",
            version="1",
            path="/schema",
            render_plugins=[
                # Vendored: a service desk often runs where no CDN is reachable.
                # Its start-up script is a static file: the CSP forbids inline script.
                SwaggerWithoutInlineScript(
                    js_url=f"/static/vendor/swagger-ui-bundle-{SWAGGER_UI}.js",
                    css_url=f"/static/vendor/swagger-ui-{SWAGGER_UI}.css",
                    standalone_preset_js_url=f"/static/vendor/swagger-ui-standalone-preset-{SWAGGER_UI}.js",
                    init_js_url="/static/js/swagger-init.js",
                    favicon="",
                )
            ],
        )
        app_config.on_startup.append(self._startup)
        app_config.on_shutdown.append(self._shutdown)
        return app_config

    def _configure_routes(self, app_config: AppConfig) -> None:
        app_config.route_handlers.extend(
            [
                PageController,
                PortalController,
                AnnouncementController,
                AgentController,
                AdminController,
                MailboxAdminController,
                MailboxApiController,
                MailAdminController,
                MailAdminApiController,
                MyNotificationsApiController,
                NotificationPrefsController,
                ProfileController,
                download_attachment,
                download_article_file,
                TicketController,
                KnowledgeController,
                KnowledgePagesController,
                CatalogController,
                PluginController,
                AdminApiController,
                SessionController,
                SLAController,
                health,
                departments_css,
                switch_language,
                create_static_files_router(
                    path="/static", directories=[STATIC], include_in_schema=False
                ),
            ]
        )
        department_routes: list[Any] = []
        for routes in self.runtime.pm.hook.polydesk_register_routes():
            department_routes.extend(routes or [])
        if department_routes:
            # Routes stay mounted when a department is disabled; the guard hides them.
            app_config.route_handlers.append(
                Router(path="/", route_handlers=department_routes, guards=[department_enabled])
            )

    def _configure_templates(self, app_config: AppConfig) -> None:
        register_department_catalogs(self.runtime.registry)
        env = build_environment(self.runtime.registry)
        app_config.template_config = TemplateConfig(
            instance=JinjaTemplateEngine.from_environment(env)
        )
        self.mail_env = build_mail_environment(self.runtime.registry)
        app_config.state["mail_env"] = self.mail_env

    def _configure_security(self, app_config: AppConfig) -> None:
        settings = self.runtime.settings
        session = RotatingSessionConfig(
            key="polydesk_session",
            store="sessions",
            max_age=SESSION_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
        )
        app_config.stores = {"sessions": DatabaseSessionStore()}
        csrf = CSRFConfig(
            secret=settings.session_secret().decode(),
            cookie_name="polydesk_csrf",
            header_name="x-csrftoken",
            cookie_secure=settings.secure_cookies,
            cookie_samesite="lax",
        )
        app_config.before_send.append(security_headers_hook(https=settings.secure_cookies))
        app_config.middleware.extend(
            [session.middleware, DefineMiddleware(BearerAwareCSRFMiddleware, config=csrf)]
        )
        # After the session: a person's profile language wins over the browser's.
        app_config.middleware.append(LocaleMiddleware)

    def _configure_input_guard(self, app_config: AppConfig) -> None:
        # NUL characters and undecodable JSON are a 400, ids beyond the columns
        # a 404, before any handler runs.
        app_config.request_class = GuardedRequest
        app_config.middleware.insert(0, URLGuardMiddleware)

    def _configure_errors(self, app_config: AppConfig) -> None:
        app_config.exception_handlers.update(
            {
                PolydeskError: polydesk_error_handler,
                ValidationException: validation_exception_handler,
                HTTPException: http_exception_handler,
            }
        )

    def _pooled(self) -> bool:
        """PostgreSQL's pool, or reused SQLite connections (unless POLYDESK_SQLITE_POOL=0)."""
        settings = self.runtime.settings
        return settings.db_pool and (settings.is_postgres or settings.sqlite_pool)

    async def _startup(self) -> None:
        if self._pooled():
            from polydesk.core.tickets.tables import Ticket

            await Ticket._meta.db.start_connection_pool()
        await sync_catalog(self.runtime.registry)
        await sync_plugin_rows(self.runtime.pm)
        if self.background:
            self._worker = asyncio.create_task(self._outbox_loop())
        await self._inbound_mail.start(imap=self.background)

    async def _shutdown(self) -> None:
        await self._inbound_mail.stop()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        if self._pooled():
            from polydesk.core.tickets.tables import Ticket

            await Ticket._meta.db.close_connection_pool()

    async def _outbox_loop(self) -> None:
        """Background work of this worker: SLA warnings and breaches, automatic
        transitions and forgetting expired idempotency keys (once a minute),
        then the outbox."""
        loop_round = 0
        while True:
            try:
                await fire_due(await self.runtime.snapshot(), self.runtime.clock())
            except Exception:  # the loop must outlive one bad clock; it is logged and retried
                log.exception("SLA scan failed")
            if loop_round % AUTOMATION_EVERY_ROUNDS == 0:
                try:
                    await apply_auto_transitions(
                        await self.runtime.snapshot(), self.runtime.clock()
                    )
                except Exception:  # as above: logged, retried on the next round
                    log.exception("automatic transitions failed")
                try:
                    await delete_expired_idempotency_keys()
                except Exception:  # as above: logged, retried on the next round
                    log.exception("idempotency key clean-up failed")
                try:
                    await DatabaseSessionStore().delete_expired()
                except Exception:  # as above: logged, retried on the next round
                    log.exception("expired session clean-up failed")
            loop_round += 1
            try:
                await deliver_due(self.runtime.snapshot, self.runtime.clock)
            except Exception:  # the worker must outlive a bad event; it is logged and retried
                log.exception("outbox delivery failed")
            try:
                await send_notifications(self.runtime, self.mail_env)
            except Exception:  # as above: each message records its own failure and retries
                log.exception("sending notifications failed")
            await asyncio.sleep(OUTBOX_INTERVAL_SECONDS)
