# The tuneguard GitHub App as a container. The build stage compiles lib/ with the dev dependencies;
# the runtime stage holds the runtime dependencies and the compiled App only, and runs as `node`.
#   docker build -t tuneguard-app .
#   docker run -p 3000:3000 -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET tuneguard-app
# Settings: README.md, "Deploy the App"; .env.example lists them.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build is the next step.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
# No dev dependencies and no lifecycle scripts: nothing is compiled when the container starts.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/lib/bot ./lib/bot
COPY --from=build /app/lib/src ./lib/src
COPY app.yml ./
USER node
EXPOSE 3000
# Probot answers GET /ping with PONG once it serves webhooks; the slim image has no curl, so node asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/ping`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "lib/bot/server/start.js"]
