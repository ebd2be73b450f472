"""`create_app(settings)`: the web application. Nothing runs at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.channels import ChannelsPlugin
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.openapi.config import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from backend.applications.api.routes import ApiContext as ApplicationsApi
from backend.applications.api.routes import build_router as applications_api
from backend.applications.pages import applications as applications_page
from backend.auth.pages import account, step_up
from backend.auth.routes import ROUTES as AUTH_ROUTES
from backend.auth.viewer import provide_viewer
from backend.catalogue.api.routes import build_router as catalogue_api
from backend.catalogue.pages import browse as catalogue_browse
from backend.catalogue.pages import embed as catalogue_embed
from backend.catalogue.pages import finding as catalogue_finding
from backend.catalogue.pages import seo as catalogue_seo
from backend.catalogue.pages import situations as catalogue_situations
from backend.catalogue.pages.preview import ROUTES as CATALOGUE_PREVIEW
from backend.dashboard.pages import company, home, privacy
from backend.eaddress.institution_api.api_docs import COMPONENTS as EADDRESS_OPENAPI
from backend.eaddress.institution_api.routes import build_routes as eaddress_routes
from backend.eaddress.pages import mail, mail_files
from backend.feedback.api.routes import build_router as feedback_api
from backend.feedback.pages import ratings as feedback_ratings
from backend.feedback.pages import reports as feedback_reports
from backend.feedback.pages import statistics as feedback_statistics
from backend.feedback.pages import survey as feedback_survey
from backend.feedback.pages import widget as feedback_widget
from backend.graphql.answers.cache import AnswerCache
from backend.graphql.http import graphql_route
from backend.lib.assets import STATIC_DIR, StaticAssets
from backend.lib.errors import AppError
from backend.lib.startup import freeze_start_up_objects
from backend.notifications.institutions.routes import build_router as notify_api
from backend.notifications.pages import notifications as notification_pages
from backend.notifications.routes import ROUTES as NOTIFICATION_ROUTES
from backend.obligations import offline as obligations_offline
from backend.obligations.pages import obligations as obligations_page
from backend.obligations.routes import ROUTES as OBLIGATION_ROUTES
from backend.services import Services
from backend.settings import Settings, load_settings
from backend.web import errors, health, language, more, pwa
from backend.web.csrf import csrf_middleware
from backend.web.gql import LoginRequired
from backend.web.navigation import add_unread_counts, remember_navigation
from backend.web.request_context import with_request_context
from backend.web.templating import build_environment

ONE_YEAR_S = 365 * 24 * 3600


def csrf_config(settings: Settings) -> CSRFConfig:
    """Form posts carry a token; JSON/bearer endpoints have their own defences (see docs)."""
    return CSRFConfig(
        secret=settings.web.secret_key,
        cookie_name="__Host-csrftoken" if settings.web.is_https else "csrftoken",
        cookie_secure=settings.web.is_https,
        cookie_httponly=True,
        cookie_samesite="lax",
        # /graphql: JSON only + same-origin check; /api and /oauth: bearer tokens, no cookies.
        # One-click unsubscribe (RFC 8058) is a POST from a mail client: the signed token in
        # the URL is its authorization, no cookie is involved.
        # /push/subscriptions: the service worker cannot read the CSRF cookie; JSON only and
        # an Origin check instead (backend/notifications/subscribe.py).
        # /embed/: the catalogue widget in other sites' frames has no form and sets no cookie
        # (its answers are cached publicly).
        exclude=[
            "^/graphql$",
            "^/api/",
            "^/oauth/",
            "^/notifications/unsubscribe/",
            "^/push/subscriptions$",
            "^/embed/",
        ],
    )


def create_app(settings: Settings, *, services: Services | None = None) -> Litestar:
    """Build the web app. Given `services`, the caller owns their lifecycle (tests, benchmarks)."""
    owns_services = services is None
    app_services = services or Services.build(settings)
    assets = StaticAssets.scan()

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        if owns_services:
            await app_services.start()
            # The search index (seconds to build at full scale) before the first request and
            # before the freeze, so that collections never walk it.
            await app_services.catalogue.warm_up()
        freeze_start_up_objects()  # a gen-2 pass over them was the cold dashboard's p99
        try:
            yield
        finally:
            if owns_services:
                await app_services.close()

    route_handlers: list[Any] = [
        health.healthz,
        health.readyz,
        *home.ROUTES,
        *obligations_page.ROUTES,
        *applications_page.ROUTES,
        *privacy.ROUTES,
        *company.ROUTES,
        *catalogue_browse.ROUTES,
        *catalogue_situations.ROUTES,
        *catalogue_finding.ROUTES,
        *catalogue_embed.ROUTES,
        *catalogue_seo.ROUTES,
        language.switch_language,
        more.more_page,
        pwa.manifest,
        pwa.service_worker,
        pwa.offline,
        *AUTH_ROUTES,
        *account.ROUTES,
        *step_up.ROUTES,
        *mail.ROUTES,
        *mail_files.ROUTES,
        *notification_pages.ROUTES,
        *NOTIFICATION_ROUTES,
        *OBLIGATION_ROUTES,
        *feedback_widget.ROUTES,
        *feedback_statistics.ROUTES,
        *feedback_reports.ROUTES,
        *feedback_ratings.ROUTES,
        *feedback_survey.ROUTES,
        graphql_route(
            settings.graphql.max_body_bytes,
            AnswerCache(
                app_services.stores,
                app_services.auth.sessions,
                entries=settings.graphql.kept_answers,
                max_tokens=settings.graphql.max_tokens,
                clock=app_services.clock,
            ),
        ),
        *eaddress_routes(settings),
        catalogue_api(),
        applications_api(
            ApplicationsApi(
                catalogue=app_services.catalogue,
                eaddress=app_services.eaddress,
                engine=app_services.engine,
            )
        ),
        feedback_api(),
        notify_api(),
        *CATALOGUE_PREVIEW,
        create_static_files_router(
            path="/static",
            directories=[STATIC_DIR],
            # URLs carry a content hash (StaticAssets.url), so a file never changes under one.
            cache_control=CacheControlHeader(public=True, max_age=ONE_YEAR_S, immutable=True),
            include_in_schema=False,
            send_as_attachment=False,
        ),
    ]

    app = Litestar(
        route_handlers=route_handlers,
        dependencies={
            "services": Provide(lambda: app_services, sync_to_thread=False),
            "viewer": Provide(provide_viewer),
        },
        # Handlers and dependencies name `Services` in their signatures but import it only for
        # type checking (only the roots import the composition root at run time); Litestar
        # resolves the name from here.
        signature_types=[Services],
        middleware=[csrf_middleware(csrf_config(settings))],
        before_request=remember_navigation,
        after_request=add_unread_counts,
        lifespan=[lifespan],
        plugins=[
            ChannelsPlugin(app_services.stores.channels_backend, arbitrary_channels_allowed=True)
        ],
        template_config=TemplateConfig(
            engine=JinjaTemplateEngine.from_environment(build_environment(assets))
        ),
        exception_handlers={
            LoginRequired: errors.handle_login_required,
            AppError: errors.handle_app_error,
            HTTPException: errors.handle_http_exception,
            Exception: errors.handle_unexpected,
        },
        request_max_body_size=settings.web.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Vienuviet API",
            version="1",
            description="Institution API of the official e-address, its OAuth token endpoint and "
            "proof keys, the Web Push public key, and the service catalogue (open reads and "
            "search; publishing for institutions), and the applications API for institutions. "
            "Errors are application/problem+json.",
            path="/schema",
            components=[EADDRESS_OPENAPI],
        ),
        logging_config=None,  # backend.lib.logging configures logging, without personal data
        debug=False,  # never render tracebacks to clients, even in development
        state=State(
            {
                "services": app_services,
                "assets": assets,
                "offline_deadlines": obligations_offline.deadline_source(app_services),
                "pwa": pwa.PWAFiles.build(
                    assets, application_server_key=pwa.application_server_key(settings.push)
                ),
            }
        ),
    )
    app.asgi_handler = with_request_context(app.asgi_handler, settings)
    return app


def create_app_from_env() -> Litestar:
    """Factory for ASGI servers (`uvicorn --factory backend.app:create_app_from_env`)."""
    return create_app(load_settings())
