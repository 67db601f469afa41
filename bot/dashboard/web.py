"""The dashboard's routes on scrbot's aiohttp server, under /dashboard.

Every page checks the session in the store, so any replica serves any browser. Every response
says no-store and same-origin referrers only, and carries a Content Security Policy that allows nothing but
this server's stylesheet: the pages need no script. Request bodies are never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.dashboard import figures, pages
from bot.dashboard.signin import (
    COOKIE,
    SESSION_LIFETIME,
    Viewer,
    csrf_ok,
    end_session,
    link_is_usable,
    start_session,
    viewer_for,
)
from bot.services import Services

log = logging.getLogger("scrbot.dashboard")

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",  # not no-referrer: Chromium then sends "Origin: null" with forms
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
UNAVAILABLE = "The dashboard can't reach its figures just now. Please try again in a few minutes."
MAX_FORM_BYTES = 4096  # a sign-in or sign-out form is a few dozen bytes
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def add_dashboard_routes(app: web.Application, services: Services) -> None:
    """Mount the dashboard: its pages, CSV downloads, sign-in and sign-out."""
    routes = DashboardRoutes(services)
    app.router.add_get("/dashboard/style.css", routes.style)
    app.router.add_get("/dashboard/sign-in", routes.sign_in_form)
    app.router.add_post("/dashboard/sign-in", routes.sign_in)
    app.router.add_post("/dashboard/sign-out", routes.sign_out)
    app.router.add_get("/dashboard", routes.page("overview"))
    for slug in figures.BUILDERS:
        if slug != "overview":
            app.router.add_get(f"/dashboard/{slug}", routes.page(slug))
    app.router.add_get("/dashboard/{slug:[a-z]+}.csv", routes.download)


def _html(body: str, status: int = 200) -> web.Response:
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8", headers=SECURITY_HEADERS)


class DashboardRoutes:
    def __init__(self, services: Services):
        self.services = services

    # -- signing in and out ----------------------------------------------------------------

    async def style(self, request: web.Request) -> web.Response:
        headers = {**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"}
        return web.Response(text=pages.STYLE, content_type="text/css", charset="utf-8", headers=headers)

    async def sign_in_form(self, request: web.Request) -> web.Response:
        """Opening the link only shows a button: link previews and mail scanners that fetch
        it do not use it up. Pressing the button (a POST) signs in."""
        token = request.query.get("token", "")
        try:
            usable = await link_is_usable(self.services.store, self.services.clock, token)
        except (SQLAlchemyError, OSError) as exc:
            return self._unavailable(exc)
        if not usable:
            return _html(pages.link_refused_page(), status=410 if token else 400)
        return _html(pages.sign_in_page(token))

    async def sign_in(self, request: web.Request) -> web.Response:
        if not self._same_origin(request):
            return _html(pages.forbidden_page(), status=403)
        form = await self._form(request)
        try:
            opened = await start_session(self.services.store, self.services.clock, str(form.get("token") or ""))
        except (SQLAlchemyError, OSError) as exc:
            return self._unavailable(exc)
        if opened is None:
            log.info("a dashboard sign-in link was refused (used, expired or altered)")
            return _html(pages.link_refused_page(), status=410)
        session_id, _ = opened
        log.info("a dashboard session was opened")
        response = web.Response(status=303, headers={**SECURITY_HEADERS, "Location": "/dashboard"})
        response.set_cookie(
            COOKIE,
            session_id,
            max_age=int(SESSION_LIFETIME.total_seconds()),
            path="/",
            secure=True,
            httponly=True,
            samesite="Strict",
        )
        return response

    async def sign_out(self, request: web.Request) -> web.Response:
        viewer, refused = await self._viewer(request)
        if viewer is None:
            return refused  # type: ignore[return-value]
        form = await self._form(request)
        if not self._same_origin(request) or not csrf_ok(viewer.session_id, form.get("csrf")):
            log.info("a dashboard form without a valid CSRF token was refused")
            return _html(pages.forbidden_page(), status=403)
        try:
            await end_session(self.services.store, viewer.session_id)
        except (SQLAlchemyError, OSError) as exc:
            return self._unavailable(exc)
        response = _html(pages.signed_out_page())
        response.set_cookie(COOKIE, "", max_age=0, path="/", secure=True, httponly=True, samesite="Strict")
        return response

    # -- pages -----------------------------------------------------------------------------

    def page(self, slug: str) -> Handler:
        async def show(request: web.Request) -> web.Response:
            viewer, refused = await self._viewer(request)
            if viewer is None:
                return refused  # type: ignore[return-value]
            filters, error = self._filters(request)
            try:
                data = await figures.gather(self.services.store, self.services.clock, slug, filters, viewer.scope)
            except (SQLAlchemyError, OSError) as exc:
                return self._unavailable(exc)
            page = figures.BUILDERS[slug](data, self.services.catalogue)
            names = figures.names_for(data, self.services.catalogue)
            html = pages.dashboard_page(
                page,
                filters,
                figures.channel_choices(data, names),
                csrf=viewer.csrf_token,
                scope_label=_scope_label(viewer),
                error=error,
            )
            return _html(html, status=400 if error else 200)

        return show

    async def download(self, request: web.Request) -> web.Response:
        slug = request.match_info["slug"]
        if slug not in figures.BUILDERS:
            raise web.HTTPNotFound(text="No such dashboard page.", headers=SECURITY_HEADERS)
        viewer, refused = await self._viewer(request)
        if viewer is None:
            return refused  # type: ignore[return-value]
        filters, error = self._filters(request)
        if error:
            return web.Response(text=error, status=400, headers=SECURITY_HEADERS)
        try:
            data = await figures.gather(self.services.store, self.services.clock, slug, filters, viewer.scope)
        except (SQLAlchemyError, OSError) as exc:
            return self._unavailable(exc)
        table = figures.BUILDERS[slug](data, self.services.catalogue).table(request.query.get("table", ""))
        if table is None:
            raise web.HTTPNotFound(text="That page has no such table.", headers=SECURITY_HEADERS)
        name = f"scrbot-{table.id}-{filters.start.isoformat()}-to-{filters.end.isoformat()}.csv"
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
        # A byte-order mark so spreadsheet programs read the file as UTF-8.
        return web.Response(
            body=("\ufeff" + pages.as_csv(table)).encode(), content_type="text/csv", charset="utf-8", headers=headers
        )

    # -- helpers ---------------------------------------------------------------------------

    async def _viewer(self, request: web.Request) -> tuple[Viewer | None, web.Response | None]:
        try:
            viewer = await viewer_for(self.services.store, self.services.clock, request.cookies.get(COOKIE))
        except (SQLAlchemyError, OSError) as exc:
            return None, self._unavailable(exc)
        if viewer is None:
            return None, _html(pages.not_signed_in_page(), status=401)
        return viewer, None

    def _filters(self, request: web.Request) -> tuple[figures.Filters, str | None]:
        today = self.services.clock.now().date()
        try:
            return figures.parse_filters(request.query, today), None
        except figures.FilterError as exc:
            return figures.parse_filters({}, today), str(exc)

    async def _form(self, request: web.Request) -> dict[str, str]:
        if (request.content_length or 0) > MAX_FORM_BYTES:
            raise web.HTTPRequestEntityTooLarge(MAX_FORM_BYTES, request.content_length or 0)
        form = await request.post()
        return {key: value for key, value in form.items() if isinstance(value, str)}

    def _same_origin(self, request: web.Request) -> bool:
        """A form posted from another site is refused (browsers send Origin with every POST)."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        public = self.services.settings.public_url
        if public:
            expected = public
        else:
            expected = f"{request.scheme}://{request.host}"
        parts = urlsplit(origin)
        return f"{parts.scheme}://{parts.netloc}" == expected

    def _unavailable(self, exc: BaseException) -> web.Response:
        log.warning("the dashboard could not reach the store: %s", type(exc).__name__)
        return _html(pages.plain_page("Please try again soon", [UNAVAILABLE]), status=503)


def _scope_label(viewer: Viewer) -> str:
    return "All workspaces" if viewer.scope is None else f"Workspace {viewer.scope}"
