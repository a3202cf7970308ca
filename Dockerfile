# Doable for Hugging Face Spaces (or any container host). The README's install and start, as `npm ci` (exactly the
# lock file) and npm start's `node src/main.ts`; Node 24 runs the TypeScript directly, so there is no build step.
FROM node:24-slim

# Spaces puts one proxy in front of the container, and nothing reaches it another way: believe that hop only, so a
# client cannot choose its own address (and rate-limit bucket) in X-Forwarded-For.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=7860 \
    DATA_DIR=/data \
    TRUST_PROXY=1

WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, as the lock file pins them; the image's own Node 24 runs the service (the `node`
# dev dependency is left out).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# What runs, and nothing else: .dockerignore leaves out tests, benchmarks, CI and development files.
COPY . .

# Spaces runs containers as uid 1000, which is the image's `node` user; /data is where Spaces mounts storage.
RUN mkdir -p /data && chown node:node /data
USER node

EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||7860)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# node directly rather than npm, so that SIGTERM reaches the service and it shuts down gracefully.
CMD ["node", "src/main.ts"]
