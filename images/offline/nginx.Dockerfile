# Offline stand-in for the official `nginx` image: the suite's nginx-light.
# A full nginx.conf mounted or copied at /etc/nginx/nginx.conf replaces Debian's, as with the
# official image; logs go to the container's stdout/stderr. The official image's `nginx` user
# is there too, so a config written for it (`user nginx;`) runs here as it is.
ARG BASE
FROM ${BASE}
RUN (getent passwd nginx >/dev/null || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group nginx) \
 && mkdir -p /var/cache/nginx \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log \
 && rm -f /etc/nginx/sites-enabled/default \
 && printf 'server {\n    listen 80 default_server;\n    root /usr/share/nginx/html;\n}\n' > /etc/nginx/conf.d/default.conf \
 && mkdir -p /usr/share/nginx/html \
 && printf '<!doctype html><title>nginx (ws-proxy-bench offline stand-in)</title><p>nginx works.</p>\n' > /usr/share/nginx/html/index.html
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
