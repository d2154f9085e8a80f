# Offline stand-in for the official `haproxy` image: the suite's HAProxy.
# The config lives where the official image reads it: /usr/local/etc/haproxy/haproxy.cfg.
ARG BASE
FROM ${BASE}
COPY haproxy/haproxy.cfg /usr/local/etc/haproxy/haproxy.cfg
RUN mkdir -p /var/lib/haproxy /run/haproxy
EXPOSE 80
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
