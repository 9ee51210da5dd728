# One image for the whole lab: the cart app (default), the lab proxy and the lab tools, each started by its own command.
# APP_FILES names the stage that provides dist/ and the production node_modules/: `compiled` (the default, what
# `docker compose up --build` uses) builds them here; `prebuilt` copies them from .tmp/docker-prebuilt/, made on the
# host by the compose end-to-end test on a machine whose containers cannot reach the npm registry.
ARG APP_FILES=compiled

# Build stage: TypeScript sources bundled to plain JavaScript (npm run build); the runtime stage needs no dev tooling.
FROM node:24-slim AS build
WORKDIR /lab
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY apps apps
COPY contract contract
COPY lab lab
COPY proxy proxy
COPY scripts scripts
RUN npm run build

FROM node:24-slim AS compiled
WORKDIR /lab
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /lab/dist dist

FROM scratch AS prebuilt
COPY .tmp/docker-prebuilt/ /lab/

FROM ${APP_FILES} AS app-files

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /lab
# package.json, package-lock.json, the production node_modules/ and the bundles in dist/
COPY --from=app-files /lab/ ./
COPY proxy/config proxy/config
# the console's page and browser modules, served as files by the lab proxy's control port
COPY lab/console/static lab/console/static
# `lab-healthcheck PORT PATH`: a health check in bash, not Node (compose.yaml gives it to the services that need one)
COPY scripts/healthcheck.sh /usr/local/bin/lab-healthcheck
# node:24-slim ships an unprivileged user "node"
USER node
EXPOSE 3000 8080 8081
# Node handles SIGTERM itself (graceful stop); compose.yaml adds `init: true` so that signals and zombies are handled as
# PID 1 should.
CMD ["node", "dist/cart.mjs"]
