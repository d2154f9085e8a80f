# Offline stand-in for the official `node` image, FROM a suite's debootstrapped base (see
# docs/offline-images.md). Node.js is the suite's own `nodejs` where it is supported, else the
# official binary from the npm registry, copied into node-dist/ of the build context by the
# builder (src/containers/offline-images.ts) and installed under /usr/local (first on PATH).
# Like the official image it has a `node` user, uid/gid 1000, which the app and the Node front
# run as (src/containers/container.ts, docker-compose.yml): never root.
ARG BASE
FROM ${BASE}
COPY node-dist/ /usr/local/
RUN rm -f /usr/local/.keep \
 && node --version \
 && mkdir -p /app \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/sh --create-home node
ENV NODE_ENV=production
CMD ["node"]
