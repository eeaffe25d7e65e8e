# foliorace in a container, installed as the README does (npm ci builds it), for engines that run
# images: a Kubernetes Indexed Job runs one shard per pod (docs/campaigns.md).
#   docker build -t foliorace:0.1.0 .
#   docker run --rm -v "$PWD/results:/results" foliorace:0.1.0 campaign campaigns/before-after.json --shard 1/4 --out /results
FROM node:20-bookworm-slim
WORKDIR /opt/foliorace
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src src
COPY workers workers
COPY campaigns campaigns
# npm ci installs and builds (the prepare script); then drop the build tools and put the
# foliorace command on PATH.
RUN npm ci && npm prune --omit=dev && npm install --global --ignore-scripts . && npm cache clean --force
ENTRYPOINT ["foliorace"]
CMD ["--help"]
