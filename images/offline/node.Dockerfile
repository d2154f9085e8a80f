# Offline stand-in for the official `node` image: Debian bookworm's Node.js (18.x).
# Built by `ws-proxy-bench images offline` FROM the debootstrapped base (see README.md here).
ARG BASE
FROM ${BASE}
RUN mkdir -p /app
ENV NODE_ENV=production
CMD ["node"]
