# syntax=docker/dockerfile:1
# A FROM scratch image holding only the static saguard binary, for Kubernetes Jobs and CI
# containers that scan manifests (no helm or kubectl inside: render charts and overlays
# beforehand and give saguard the files, or pipe them to `saguard scan -`).
#
#   docker build -t saguard .
#   docker run --rm -v "$PWD:/work" -w /work saguard scan manifests/
#
# The `build` stage compiles the binary on Debian 12, whose static libraries make it static.
# release.yml replaces that stage with the binary it has already built and packaged
# (`--build-context build=DIR`, DIR/stage/bin/saguard), so the image holds the very binary
# of the release tarball.

FROM debian:12 AS build
COPY . /src
RUN bash /src/scripts/setup.sh --build-only \
 && cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DSAGUARD_BUILD_TESTS=OFF -DSAGUARD_BUILD_BENCH=OFF -DSAGUARD_STATIC=ON \
 && cmake --build /build --target saguard \
 && cmake --install /build --strip --prefix /stage

FROM scratch
LABEL org.opencontainers.image.title="saguard" \
      org.opencontainers.image.description="ServiceAccount token and RBAC checks for Kubernetes manifests" \
      org.opencontainers.image.source="https://github.com/saguard/saguard" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /stage/bin/saguard /saguard
# No /etc/passwd in the image: a numeric user, nobody's.
USER 65534:65534
ENTRYPOINT ["/saguard"]
