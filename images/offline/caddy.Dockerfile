# Offline stand-in for the official `caddy` image: the suite's Caddy.
# The Caddyfile lives where the official image reads it: /etc/caddy/Caddyfile.
ARG BASE
FROM ${BASE}
RUN mkdir -p /etc/caddy /config/caddy /data/caddy /srv \
 && printf ':80 {\n\troot * /srv\n\tfile_server\n}\n' > /etc/caddy/Caddyfile \
 && printf '<!doctype html><title>Caddy (ws-proxy-bench offline stand-in)</title><p>Caddy works.</p>\n' > /srv/index.html
ENV XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data
WORKDIR /srv
EXPOSE 80
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
