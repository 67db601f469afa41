"""Signing in with a one-time link, the session cookie, CSRF and signing out."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.dashboard.signin import COOKIE, csrf_token, digest
from bot.server import create_app
from bot.store import DashboardLink, DashboardSession
from tests.dashboard.conftest import PUBLIC_URL


async def test_a_link_signs_in_once_with_a_strict_secure_http_only_cookie(dashboard):
    link = await dashboard.link()
    assert link.startswith(f"{PUBLIC_URL}/dashboard/sign-in?token=")

    response = await dashboard.sign_in(link)

    assert response.status == 303 and response.headers["Location"] == "/dashboard"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    for flag in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=28800"):
        assert flag in cookie, cookie
    again = await dashboard.sign_in(link)
    assert again.status == 410 and "Set-Cookie" not in again.headers
    assert "This sign-in link cannot be used" in await again.text()


async def test_opening_the_link_does_not_use_it_up(dashboard):
    link = await dashboard.link()
    path = link.removeprefix(PUBLIC_URL)
    for _ in range(2):  # a link preview, then the admin
        page = await dashboard.get(path)
        assert page.status == 200 and "Open the dashboard" in await page.text()
    assert (await dashboard.sign_in(link)).status == 303
    used = await dashboard.get(path)
    assert used.status == 410 and "<button" not in await used.text()


async def test_a_link_expires_after_ten_minutes(dashboard):
    link = await dashboard.link()
    dashboard.clock.advance(minutes=10, seconds=1)
    response = await dashboard.sign_in(link)
    assert response.status == 410


async def test_an_altered_link_is_refused_with_a_plain_page(dashboard):
    link = await dashboard.link()
    response = await dashboard.sign_in(link[:-4] + "AAAA")
    text = await response.text()
    assert response.status == 410
    assert "This sign-in link cannot be used" in text
    assert "<nav" not in text and "<table" not in text and "<footer" not in text and "<form" not in text
    missing = await dashboard.get("/dashboard/sign-in")
    assert missing.status == 400


async def test_only_hashes_of_tokens_and_session_ids_are_stored(dashboard, store):
    link = await dashboard.link()
    token = link.split("token=", 1)[1]
    session_id = await dashboard.signed_in(link=link)
    async with store.engine.connect() as connection:
        links = (await connection.execute(select(DashboardLink.token_hash, DashboardLink.admin_key))).all()
        sessions = (await connection.execute(select(DashboardSession.session_hash))).all()
    assert [row.token_hash for row in links] == [digest(token)]
    assert [row.session_hash for row in sessions] == [digest(session_id)]
    stored = repr(links) + repr(sessions)
    assert token not in stored and session_id not in stored and "U0ADMIN" not in stored


async def test_the_session_lasts_eight_hours(dashboard):
    session_id = await dashboard.signed_in()
    dashboard.clock.advance(hours=7, minutes=59)
    assert (await dashboard.get("/dashboard", session_id)).status == 200
    dashboard.clock.advance(minutes=2)
    assert (await dashboard.get("/dashboard", session_id)).status == 401


async def test_another_replica_serves_the_same_session(dashboard):
    from aiohttp.test_utils import TestServer

    session_id = await dashboard.signed_in()
    other = TestServer(create_app(dashboard.services, slack=False, manage_store=False, prompts=False))
    await other.start_server()
    try:
        response = await dashboard.session.get(
            other.make_url("/dashboard"), headers={"Cookie": f"{COOKIE}={session_id}"}
        )
        assert response.status == 200
    finally:
        await other.close()


async def test_every_page_and_download_needs_a_session(dashboard):
    for path in ("/dashboard", "/dashboard/themes", "/dashboard/actions", "/dashboard/quiz", "/dashboard/schedules"):
        response = await dashboard.get(path)
        assert response.status == 401 and "Please sign in" in await response.text()
        assert (await dashboard.get(path, "made-up-session")).status == 401
    assert (await dashboard.get("/dashboard/themes.csv", table="themes")).status == 401


async def test_signing_out_needs_the_forms_csrf_token(dashboard):
    session_id = await dashboard.signed_in()
    page = await (await dashboard.get("/dashboard", session_id)).text()
    (token,) = re.findall(r'name="csrf" value="([0-9a-f]+)"', page)
    assert token == csrf_token(session_id)

    for data in ({}, {"csrf": ""}, {"csrf": csrf_token("another-session")}):
        refused = await dashboard.post("/dashboard/sign-out", session_id, data)
        assert refused.status == 403
    assert (await dashboard.get("/dashboard", session_id)).status == 200

    cross_site = await dashboard.post("/dashboard/sign-out", session_id, {"csrf": token}, Origin="https://evil.example")
    assert cross_site.status == 403

    signed_out = await dashboard.post("/dashboard/sign-out", session_id, {"csrf": token}, Origin=PUBLIC_URL)
    assert signed_out.status == 200 and "You have signed out" in await signed_out.text()
    assert "Max-Age=0" in signed_out.headers["Set-Cookie"]
    assert (await dashboard.get("/dashboard", session_id)).status == 401


async def test_a_sign_in_posted_from_another_site_is_refused(dashboard):
    response = await dashboard.sign_in(Origin="https://evil.example")
    assert response.status == 403


async def test_pages_forbid_scripts_framing_caching_and_referrers_to_other_sites(dashboard):
    session_id = await dashboard.signed_in()
    response = await dashboard.get("/dashboard", session_id)
    headers = response.headers
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "<script" not in await response.text()


async def test_one_link_redeemed_at_once_by_three_replicas_opens_one_session(dashboard, store):
    import asyncio

    from bot.dashboard.signin import start_session

    token = (await dashboard.link()).split("token=", 1)[1]
    opened = await asyncio.gather(
        *(start_session(dashboard.services.store, dashboard.services.clock, token) for _ in range(3))
    )
    assert sum(result is not None for result in opened) == 1


async def test_expired_links_and_sessions_are_purged(dashboard, store):
    await dashboard.link()
    await dashboard.signed_in()
    assert await store.purge_dashboard_sign_ins(dashboard.clock.now()) == 0
    dashboard.clock.advance(hours=8, seconds=1)
    assert await store.purge_dashboard_sign_ins(dashboard.clock.now()) == 3  # two links, one session
