# One image for every Roster service; the compose file (or Helm) picks the service with SERVICE.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs libs
COPY services services
COPY emulators emulators
COPY tools tools
RUN npm run build && npm prune --omit=dev && rm -rf dist/.tsbuildinfo

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# Services listen on loopback unless told otherwise; in a container the network is the boundary.
ENV HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/package.json /app/tsconfig.base.json ./
# Where docker-compose.yml keeps the secrets it makes on the first start (a volume owned by the user).
RUN mkdir -p /run/roster && chown node:node /run/roster
# Non-root: the image's own unprivileged user (uid 1000, as the Helm chart's securityContext says).
USER node
ARG SERVICE=audit
ENV SERVICE=${SERVICE}
# Healthy once the service answers /health/ready: it reaches Redis and PostgreSQL.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 CMD ["node", "dist/tools/healthcheck.js"]
CMD ["sh", "-c", "exec node -r ./dist/tools/register-aliases.js dist/services/${SERVICE}/src/main.js"]
