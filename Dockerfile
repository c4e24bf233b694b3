# One image for all three services; the command picks which one runs
# (docker-compose.yml builds it once). Node: a maintained LTS line.
ARG NODE_IMAGE=node:24-bookworm-slim

# Every workspace's package.json, so npm ci knows the whole workspace tree.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY services/console/package.json ./services/console/
COPY packages/evaluation/package.json ./packages/evaluation/
COPY packages/sdk/package.json ./packages/sdk/
COPY packages/openfeature/package.json ./packages/openfeature/

# Build: all dependencies (esbuild, Vite) and the sources; out comes dist/,
# the server's JavaScript with the console's built files inside it.
FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY packages ./packages
COPY shared ./shared
COPY services ./services
RUN npm run build \
  && rm dist/services/console/dist \
  && cp -R services/console/dist dist/services/console/dist

# The server's production dependencies only: no workspace (the console's React
# and the SDK packages are not the server's), no dev tools.
FROM manifests AS dependencies
RUN npm ci --omit=dev --workspaces=false --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scripts/healthcheck.sh ./healthcheck.sh
USER node
EXPOSE 8080 8081 8082
# SIGTERM reaches node directly (no npm wrapper), so shutdown is graceful.
CMD ["node", "--enable-source-maps", "dist/services/main.js"]
