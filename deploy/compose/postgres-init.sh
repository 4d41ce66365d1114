#!/bin/sh
# Runs once, when the PostgreSQL volume is initialised: a role and a database for the bot,
# next to Synapse's own (created by the image from POSTGRES_USER/POSTGRES_DB). The password
# comes from the environment (.env), never from this file.
set -eu
: "${SAMVERKAN_DB_PASSWORD:?set SAMVERKAN_DB_PASSWORD in .env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=bot_password="$SAMVERKAN_DB_PASSWORD" <<'SQL'
CREATE ROLE samverkan LOGIN PASSWORD :'bot_password';
CREATE DATABASE samverkan OWNER samverkan ENCODING 'UTF8';
SQL
