# One image for every app: docker build --build-arg APP=order-service .
# The services run their TypeScript through @swc-node/register, as `npm start` does.
FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs ./libs
COPY apps ./apps
# tools/stack is a workspace package, and tools/infra/infra.mjs is the compose stack's topic init step.
COPY tools ./tools
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
ARG APP=order-service
ENV APP=${APP} NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app /app
COPY tsconfig.base.json tsconfig.json ./
USER node
CMD ["sh", "-c", "exec node -r @swc-node/register apps/${APP}/src/main.ts"]
