FROM busybox
MAINTAINER Jane Doe <jane@example.com>
LABEL a=1 "b c"="d e" f='g h'
LABEL legacy value with spaces
EXPOSE 8080/tcp 443 80/udp
ENV A=1 B="two words" C=three\ words
ENV LEGACY some value
ADD --chown=app --checksum=sha256:abc https://example.com/x.tgz /opt/
ADD ["src dir", "/dst dir/"]
COPY ["a", "b", "/c/"]
ENTRYPOINT ["/bin/sh", "-c"]
ENTRYPOINT exec top -b
VOLUME ["/data", "/logs"]
VOLUME /v1 /v2
USER app:app
WORKDIR /work/$A
ARG X Y=2 Z="q r"
ONBUILD RUN echo triggered
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=1m30s --start-period=500ms --start-interval=2s --retries=3 CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD ["/bin/check", "--fast"]
HEALTHCHECK NONE
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN echo a \
    && echo b \
# a comment inside a continuation

    && echo c
CMD echo done
CMD ["not", json
