# One image for both apps and their scripts; docker-compose.yml builds it once and picks the
# entry point per service (dist/apps/command/src/main.js, dist/apps/query/src/main.js).
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 is compiled from source (no prebuilt binary is fetched).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
# Both apps, the scripts (backup, restore, projections:rebuild, token, healthcheck) and the
# Analytics Portal (Vite, into dist/portal, served by the query app at /portal/).
RUN npm run build && test -f dist/portal/index.html && npm prune --omit=dev

FROM node:20.20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    SES_DATA_DIR=/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# SES_DATA_DIR belongs to the unprivileged user the apps run as (the generated signing key, and on
# the embedded default the SQLite stores). A named volume mounted there starts with this owner.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000 4000
CMD ["node", "dist/apps/command/src/main.js"]
