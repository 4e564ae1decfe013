FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin cognate

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/cognate /usr/local/bin/cognate
ENV COGNATE_LISTEN=0.0.0.0:9229
EXPOSE 9229
ENTRYPOINT ["cognate"]
CMD ["serve"]
