#!/usr/bin/env bash
# Brings a clone up to what the code needs: npm packages and the generated Prisma client.
# The Temporal server, the time-skipping test server and PostgreSQL are provisioned by the
# TypeScript start-up code itself (scripts/provision), cached outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages (npm ci)..."
  npm ci --no-audit --no-fund
fi

if [ ! -f generated/prisma/client.ts ] || [ prisma/schema.prisma -nt generated/prisma/client.ts ]; then
  # prisma generate needs no schema engine; pointing at any file stops the CLI from downloading one.
  PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate >/dev/null
  echo "Generated the Prisma client."
fi
