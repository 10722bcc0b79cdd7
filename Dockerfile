# An image with Node, the docker CLI client and the docker-ecs plugin, so CI systems can run
# `docker ecs compose up` from a container. No engine is needed: the plugin talks to AWS.
#   docker build -t docker-ecs .
#   docker run --rm -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -v "$PWD:/src" -w /src \
#     docker-ecs sh -c 'docker ecs context create ci --from-env && docker --context ci ecs compose up'
FROM node:20-bookworm-slim AS build
WORKDIR /opt/docker-ecs
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM docker:28-cli AS docker-cli

FROM node:20-bookworm-slim
COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker
COPY --from=build /opt/docker-ecs /opt/docker-ecs
ENV AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
RUN node /opt/docker-ecs/scripts/install-plugin.mjs install && docker ecs --help >/dev/null
CMD ["docker", "ecs", "--help"]
