# syntax=docker/dockerfile:1
# The Labelgate gateway, one image for every role (ROLE=api|worker|all). PostgreSQL and
# Elasticsearch run elsewhere (docker-compose.yml);
# model packs live in the /models volume: `docker compose run --rm gateway node dist/scripts/modelPull.js`
# fills it (see docs/models.md), or mount a folder of packs there.

# --- build: compile TypeScript and generate the Prisma client, then drop dev dependencies ---
FROM node:22-bookworm-slim AS build
WORKDIR /app
# npm 10 runs install scripts that npm 11 blocks (CONTRIBUTING.md): onnxruntime-node's would
# download CUDA libraries the CPU image never loads.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json prisma.config.ts ./
COPY prisma ./prisma
COPY src ./src
COPY scripts ./scripts
COPY tools ./tools
# The search page (web/) is built into dist/web by `npm run build`.
COPY web ./web
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: the compiled gateway, its data and migrations, as an unprivileged user ---
FROM node:22-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=4000 \
    LABELGATE_PULL_DIR=/models \
    LABELGATE_LOCAL_DIR=/var/lib/labelgate
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The Prisma CLI reads prisma.config.ts and what it imports when `services up` migrates.
COPY --from=build /app/prisma.config.ts ./
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/src/config ./src/config
COPY --from=build /app/tools/services ./tools/services
COPY data ./data
COPY models/manifests ./models/manifests
COPY scripts/scenePack ./scripts/scenePack
COPY bin ./bin
COPY NOTICE ./
RUN mkdir -p /models /var/lib/labelgate && chown node:node /models /var/lib/labelgate
USER node
VOLUME ["/models", "/var/lib/labelgate"]
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `services up` finds PostgreSQL and Elasticsearch at DATABASE_URL and ELASTICSEARCH_URL (it starts
# nothing in a container), creates the database and applies the migrations; then the gateway starts.
CMD ["sh", "-c", "node dist/tools/services/servicesCli.js up && exec node dist/src/main.js"]
