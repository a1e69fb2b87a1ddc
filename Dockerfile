# syntax=docker/dockerfile:1
# Pavilion image: one image runs the API (default), the worker, migrations and the demo seed.
#   docker build -t pavilion:local .
#   docker run --rm -p 3000:3000 -e JWT_SECRET=... -e DATABASE_URL=... -e REDIS_URL=... pavilion:local
#   worker:     ... pavilion:local node dist/apps/worker/src/main.js
#   migrations: ... pavilion:local node dist/scripts/migrate.js up

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, compile to dist/, then drop dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

COPY . .
# The stamp tells scripts/ensure-build.js that dist/ is current, so `node scripts/start.js`
# in the image does not try to rebuild (the compiler is pruned below).
RUN npm run build && date -u +%Y-%m-%dT%H:%M:%SZ > dist/.build-stamp

RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies and compiled code only, as the unprivileged node user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app

COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts ./scripts
# ensure-build.js (used by scripts/start.js) compares against tsconfig.json's mtime.
COPY --from=build /app/tsconfig.json ./tsconfig.json

# Without SMTP_URL the worker writes emails under var/mail: the unprivileged user must own it.
RUN mkdir -p /app/var/mail && chown -R node:node /app/var
USER node
EXPOSE 3000 3001

# Checks the API (the default command); the worker's compose service overrides it for WORKER_PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/apps/api/src/main.js"]
