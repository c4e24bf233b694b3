# One image for all three services; the command picks which one runs.

# The admin console is built here, with the dev dependencies (Vite), and only its output is kept.
FROM node:20-bookworm-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
COPY services/console/package.json ./services/console/
COPY shared/evaluation/package.json ./shared/evaluation/
COPY shared/sdk/package.json ./shared/sdk/
COPY shared/openfeature/package.json ./shared/openfeature/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY services ./services
RUN npm run build:console

FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
# Every workspace must be known to npm ci (the console's built output is copied below).
COPY services/console/package.json ./services/console/
COPY shared/evaluation/package.json ./shared/evaluation/
COPY shared/sdk/package.json ./shared/sdk/
COPY shared/openfeature/package.json ./shared/openfeature/
# tsx runs the TypeScript sources directly, so production dependencies suffice.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY shared ./shared
COPY services ./services
COPY --from=console /app/services/console/dist ./services/console/dist

USER node
EXPOSE 8080 8081 8082
# SIGTERM reaches node directly (no npm wrapper), so shutdown is graceful.
CMD ["node", "--import", "tsx", "services/main.ts"]
