# Doable for Hugging Face Spaces (or any container host). The README's install and start, as `npm ci` (exactly the
# lock file) and npm start's `node src/main.ts`; Node 24 runs the TypeScript directly. Only the web page is built,
# in a stage of its own, so that its build tools stay out of the image.
FROM node:24-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
# Every dependency, for Vite; scripts off because `prepare` would build before web/ is copied, and the `node`
# package's installer is not needed: the image has Node 24.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY web ./web
RUN node node_modules/vite/bin/vite.js build web

FROM node:24-slim

# No TRUST_PROXY here: the image runs on hosts with and without a proxy, and trusting one that is not there lets a
# client choose its own address (and rate-limit bucket) in X-Forwarded-For. On Hugging Face Spaces, whose one proxy
# is the only way in, Doable trusts that hop by itself (Spaces sets SPACE_ID); elsewhere set TRUST_PROXY at run time
# (`docker run -e TRUST_PROXY=1` behind one reverse proxy).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=7860 \
    DATA_DIR=/data

WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, as the lock file pins them; the image's own Node 24 runs the service (the `node`
# dev dependency is left out). No production dependency has an install script; skipping scripts skips `prepare`,
# whose page build happened in the stage above.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
# What runs, and nothing else: .dockerignore leaves out tests, benchmarks, CI and development files.
COPY . .
COPY --from=web /app/web/dist ./web/dist
# A migrated empty embedded database, so that a container's first start (every start, without persistent storage)
# copies it in a tenth of a second instead of running initdb and the migrations (see src/db/embedded-template.ts).
RUN node src/cli/embedded-template.ts

# Spaces runs containers as uid 1000, which is the image's `node` user; /data is where Spaces mounts storage.
RUN mkdir -p /data && chown node:node /data
USER node

EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||7860)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# node directly rather than npm, so that SIGTERM reaches the service and it shuts down gracefully.
CMD ["node", "src/main.ts"]
