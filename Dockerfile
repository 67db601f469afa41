# scrbot: the Slack (and Teams) bot and its weekly prompts, in one small non-root image.
#
#   docker build -t scrbot .
#   docker run --env-file deploy/.env -p 3000:3000 scrbot
#
# The themes are baked in at /app/content. To use your own, mount a folder over it
# (-v /srv/scrbot-content:/app/content:ro) or mount it elsewhere and set SCRBOT_CONTENT_DIR.

# --- builder: install scrbot and its runtime dependencies (no dev extra) into a venv ---------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
WORKDIR /src
# README.md* matches nothing harmlessly when the file is absent.
COPY pyproject.toml README.md* ./
COPY bot ./bot
RUN /opt/venv/bin/pip install .

# --- runtime: the venv, the content, a non-root user ----------------------------------------
FROM python:3.11-slim AS runtime

# The default database is a SQLite file in /data (mount a volume there for one container);
# compose and Kubernetes set SCRBOT_DATABASE_URL to PostgreSQL instead.

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SCRBOT_CONTENT_DIR=/app/content \
    SCRBOT_PORT=3000 \
    SCRBOT_DATABASE_URL=sqlite+aiosqlite:////data/scrbot.db

# A fixed numeric uid, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --system --gid 10001 scrbot \
    && useradd --system --uid 10001 --gid scrbot --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin scrbot \
    && mkdir -p /app /data \
    && chown scrbot:scrbot /data

COPY --from=builder /opt/venv /opt/venv
# Owned by root and read-only to scrbot: the running bot never changes its own content.
COPY content /app/content

WORKDIR /app
USER 10001:10001

EXPOSE 3000

# slim has no curl; Python is already here. /healthz only says the process answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('SCRBOT_PORT', '3000'), timeout=4)" || exit 1

# Exec form: scrbot is PID 1 and receives SIGTERM itself, so shutdown is graceful.
CMD ["scrbot", "serve"]
