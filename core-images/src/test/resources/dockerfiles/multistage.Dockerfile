# syntax=docker/dockerfile:1
# a comment after the directives
ARG BASE=busybox
ARG VERSION

FROM ${BASE}:latest AS Build
RUN --mount=type=cache,target=/cache --network=none echo build > /out
COPY --chown=1000:1000 --chmod=0755 --link a.txt b.txt /dst/

FROM busybox AS other
RUN --mount=type=bind,from=build,source=/out,target=/in cat /in

FROM --platform=linux/amd64 build
COPY --from=0 /out /from-index
COPY --from=other /etc/hostname /h
CMD ["sh", "-c", "echo hi"]
