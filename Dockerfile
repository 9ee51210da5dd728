# One image for the whole lab: the cart app (default), the proxy and the lab tools, each started by its own command.
# Build stage: TypeScript sources bundled to plain JavaScript (npm run build); the runtime stage needs no dev tooling.
FROM node:24-slim AS build
WORKDIR /lab
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY apps apps
COPY proxy proxy
COPY scripts scripts
RUN npm run build

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /lab
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /lab/dist dist
COPY proxy/config proxy/config
# the console's page and browser modules, served as files by the proxy's control port
COPY proxy/control/console/static proxy/control/console/static
# node:24-slim ships an unprivileged user "node"
USER node
EXPOSE 3000 8080 8081
# The cart app's /healthz on PORT; the proxy's service sets HEALTHCHECK_URL to its control port.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 CMD ["node", "dist/healthcheck.mjs"]
# Node handles SIGTERM itself (graceful stop); compose.yaml adds `init: true` so that signals and zombies are handled as PID 1 should.
CMD ["node", "dist/cart.mjs"]
