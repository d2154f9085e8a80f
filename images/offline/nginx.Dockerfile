# Offline stand-in for the official `nginx` image: the suite's nginx-light.
# A full nginx.conf mounted or copied at /etc/nginx/nginx.conf replaces Debian's, as with the
# official image; logs go to the container's stdout/stderr.
ARG BASE
FROM ${BASE}
RUN ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log \
 && rm -f /etc/nginx/sites-enabled/default \
 && printf 'server {\n    listen 80 default_server;\n    root /usr/share/nginx/html;\n}\n' > /etc/nginx/conf.d/default.conf \
 && mkdir -p /usr/share/nginx/html \
 && printf '<!doctype html><title>nginx (ws-proxy-bench offline stand-in)</title><p>nginx works.</p>\n' > /usr/share/nginx/html/index.html
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
