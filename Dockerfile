# samverkan: the bot as a container. Config at /config/samverkan.toml, data (SQLite database,
# E2EE store) under /data, which must be a persistent volume. Secrets via environment variables.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY commands ./commands
COPY storage ./storage
RUN pip install --no-cache-dir --prefix=/install '.[postgres]'

FROM python:3.11-slim
RUN useradd --system --home /data --uid 10001 samverkan \
    && mkdir -p /data /config && chown samverkan /data
COPY --from=build /install /usr/local
COPY config.example.toml /config/samverkan.example.toml
USER samverkan
WORKDIR /data
ENV SAMVERKAN_CONFIG=/config/samverkan.toml \
    SAMVERKAN_MATRIX__STORE_PATH=/data/store \
    SAMVERKAN_STORAGE__URL=sqlite+aiosqlite:////data/samverkan.db \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["samverkan"]
CMD ["run"]
