# samverkan: the bot as a container (README, "Running in production (Docker)").
#
# Config: the TOML file at $SAMVERKAN_CONFIG (mount it read-only, e.g. deploy/compose/samverkan.toml).
# Data: the SQLite database (when not on PostgreSQL) and the E2EE store live under /data, which
# must be a persistent, backed-up volume: losing the store means a new device and lost keys.
# Secrets: environment variables only (SAMVERKAN_MATRIX__PASSWORD, SAMVERKAN_WEB__TOKEN,
# SAMVERKAN_CRYPTO__KEY, ...); the bot refuses to start when the TOML file holds one.
# Health: the HEALTHCHECK asks the bot's own /healthz, so [web] must be enabled, bound to 0.0.0.0
# (the container's own interface) on $SAMVERKAN_WEB__PORT (8080 unless set).

# --- build: the bot and its dependencies in a virtual environment -----------------------------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/samverkan
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY commands ./commands
COPY storage ./storage
# The project itself, from this source tree; its dependencies are bounded in pyproject.toml.
# hadolint ignore=DL3013
RUN /opt/samverkan/bin/pip install '.[postgres]'

# --- runtime: the virtual environment on a clean slim image, as an unprivileged user ----------
FROM python:3.11-slim AS runtime
LABEL org.opencontainers.image.title="samverkan" \
      org.opencontainers.image.description="Matrix bot for regional crisis-management collaboration forums" \
      org.opencontainers.image.licenses="EUPL-1.2"
# The journal's PDF (bot/render/journal.py, WeasyPrint) needs Pango and Debian's fonts.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 samverkan \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home samverkan \
    && mkdir -p /data /config \
    && chown 10001:10001 /data
COPY --from=build /opt/samverkan /opt/samverkan
COPY config.example.toml /config/samverkan.example.toml
ENV PATH=/opt/samverkan/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SAMVERKAN_CONFIG=/config/samverkan.toml \
    SAMVERKAN_MATRIX__STORE_PATH=/data/store \
    SAMVERKAN_STORAGE__URL=sqlite+aiosqlite:////data/samverkan.db
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# No curl in a slim image: Python's urllib asks /healthz; any answer but 200 is unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('SAMVERKAN_WEB__PORT', '8080') + '/healthz', timeout=8)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["samverkan"]
CMD ["run"]
