# Offline stand-in for the official `node` image: Debian bookworm's Node.js (18.x).
# Built by `ws-proxy-bench images offline` FROM the debootstrapped base (see README.md here).
# Like the official image it has a `node` user, uid/gid 1000, which the app and the Node front
# run as (src/containers/harness.ts, docker-compose.yml): never root.
ARG BASE
FROM ${BASE}
RUN mkdir -p /app \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/sh --create-home node
ENV NODE_ENV=production
CMD ["node"]
