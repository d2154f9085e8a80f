# Offline stand-in for the official `httpd` image: the suite's Apache httpd, laid out
# the way the official image is: ServerRoot /usr/local/apache2 with conf/, modules/ (Debian's
# /usr/lib/apache2/modules), conf/mime.types and conf/extra/ (as the official httpd.conf names
# them), bin/httpd (Debian's /usr/sbin/apache2), logs/, htdocs/, and the
# `httpd-foreground` command on PATH.
ARG BASE
FROM ${BASE}
RUN mkdir -p /usr/local/apache2/conf/extra /usr/local/apache2/bin /usr/local/apache2/logs /usr/local/apache2/htdocs \
 && ln -s /etc/mime.types /usr/local/apache2/conf/mime.types \
 && ln -s /usr/lib/apache2/modules /usr/local/apache2/modules \
 && ln -s /usr/sbin/apache2 /usr/local/apache2/bin/httpd \
 && printf '<html><body><h1>It works!</h1></body></html>\n' > /usr/local/apache2/htdocs/index.html
COPY httpd/httpd.conf /usr/local/apache2/conf/httpd.conf
COPY httpd/httpd-foreground /usr/local/bin/httpd-foreground
RUN chmod 0755 /usr/local/bin/httpd-foreground
ENV HTTPD_PREFIX=/usr/local/apache2 PATH=/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /usr/local/apache2
EXPOSE 80
STOPSIGNAL SIGWINCH
CMD ["httpd-foreground"]
