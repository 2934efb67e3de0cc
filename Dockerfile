# The production image of every app: compiled JavaScript, production dependencies only, a non-root user.
# Its context is dist/image, assembled on the host by `npm run image:context` (nx build of every app,
# `npm ci --omit=dev`); nothing is fetched while the image builds.
#   docker build -f Dockerfile dist/image   (docker-compose.yml does this for each app)
# The app is chosen at run time: APP=order-service (docker-compose.yml sets it per service).
# Node is pinned here and only here (Node 22 LTS); tools/docker/base-images.sh reads it for its stand-in.
ARG NODE_VERSION=22.23.5
ARG NODE_IMAGE_REPO=node
FROM ${NODE_IMAGE_REPO}:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --chown=root:root . /app
USER node
HEALTHCHECK --interval=5s --timeout=5s --retries=30 CMD ["node", "/app/health.js"]
CMD ["node", "/app/run.js"]
