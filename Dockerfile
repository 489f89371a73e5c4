# Wiredesk in a container: the daemon on port 8080, the database in the /data volume, the config in /config.
#   docker build -t wiredesk .
#   docker run -p 8080:8080 -v wiredesk-data:/data -v "$PWD/config:/config:ro" wiredesk
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY db/migrations ./db/migrations
COPY config ./config
COPY tsconfig.json ./

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
ENV WIREDESK_DATABASE=/data/wiredesk.sqlite
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# server.host must be 0.0.0.0 inside a container: set it in /config/wiredesk.yaml
ENTRYPOINT ["node", "bin/wiredesk.js"]
CMD ["run", "--config", "/config/wiredesk.yaml"]
