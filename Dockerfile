# Doable for Hugging Face Spaces (or any container host). The README's install and start, as `npm ci` (exactly the
# lock file) and npm start's `node src/main.ts`; Node 24 runs the TypeScript directly. Three stages: the web page
# is built in one (its build tools stay out), the service's files are gathered in another (npm's cache and its
# compile cache in /tmp, and the files pruned, stay out), and the image is the base plus /app and a warm start.
FROM node:24-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
# Every dependency, for Vite; scripts off because `prepare` would build before web/ is copied, and the `node`
# package's installer is not needed: the image has Node 24.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY web ./web
RUN node node_modules/vite/bin/vite.js build web

FROM node:24-slim AS app
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, as the lock file pins them; the image's own Node 24 runs the service (the `node`
# dev dependency is left out). No production dependency has an install script; skipping scripts skips `prepare`,
# whose page build happened in the stage above. Then what no start runs goes (DESIGN.md §6): type declarations,
# TypeScript sources (Node does not strip types under node_modules), source maps, documentation other than
# licences, and three packages npm installs as peers of drizzle-orm that only its unused Kysely adapter and type
# checking read.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && find node_modules -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' -o -name '*.map' \
      -o \( -iname '*.md' ! -iname 'licen*' ! -iname 'notice*' \) \) -delete \
 && rm -rf node_modules/kysely node_modules/@types node_modules/undici-types
# What runs, and nothing else: the web page's sources stay in the stage above, and .dockerignore keeps tests out.
COPY src ./src
COPY migrations ./migrations
COPY vendor ./vendor
COPY docs ./docs
COPY --from=web /app/web/dist ./web/dist
# A migrated embedded database holding only the user guide, so that a container's first start (every start, without
# persistent storage) copies it instead of running initdb, the migrations and the guide's ingest (see
# src/db/embedded-template.ts); made readable by all, and --strict fails the build when it cannot be made.
RUN node src/cli/embedded-template.ts --strict

FROM node:24-slim

# No TRUST_PROXY here: the image runs on hosts with and without a proxy, and trusting one that is not there lets a
# client choose its own address (and rate-limit bucket) in X-Forwarded-For. On Hugging Face Spaces, whose one proxy
# is the only way in, Doable trusts that hop by itself (Spaces sets SPACE_ID); elsewhere set TRUST_PROXY at run time
# (`docker run -e TRUST_PROXY=1` behind one reverse proxy).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=7860 \
    DATA_DIR=/data

# Node's compile cache (src/module-loading.ts) in a folder the `node` user owns, filled by the warm start below;
# readable by any uid a host runs the image as. npm (in the build) left its own, root's, in /tmp: the service's
# cache there was refused ("Cannot create cache directory") and every start compiled everything again.
ENV NODE_COMPILE_CACHE=/app/node_modules/.cache/node-compile-cache

WORKDIR /app
COPY --from=app /app /app
# Spaces runs containers as uid 1000, which is the image's `node` user; /data is where Spaces mounts storage.
RUN mkdir -p /data "$NODE_COMPILE_CACHE" && chown node:node /data "$NODE_COMPILE_CACHE"
USER node
# One start, as the user that runs the service, on a scratch DATA_DIR: fills the compile cache with every module a
# start loads, and fails the build if that start did not copy the embedded database template.
RUN node src/cli/warm-up.ts && chmod -R a+rX "$NODE_COMPILE_CACHE"

EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||7860)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# node directly rather than npm, so that SIGTERM reaches the service and it shuts down gracefully.
CMD ["node", "src/main.ts"]
