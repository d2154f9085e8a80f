# Offline stand-in for nghttpx (nghttp2's proxy; nghttp2 publishes no image): the suite's
# nghttp2-proxy. The config lives where Debian's package reads it: /etc/nghttpx/nghttpx.conf.
ARG BASE
FROM ${BASE}
RUN mkdir -p /etc/nghttpx \
 && printf 'frontend=0.0.0.0,80;no-tls\nbackend=127.0.0.1,8080\n' > /etc/nghttpx/nghttpx.conf
EXPOSE 80
CMD ["nghttpx", "--conf", "/etc/nghttpx/nghttpx.conf"]
