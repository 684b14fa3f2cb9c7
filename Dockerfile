# syntax=docker/dockerfile:1
#
# One image recipe for all four services: ARG MODULE selects the Maven module to build and run, e.g.
#   docker build --build-arg MODULE=shipping-service -t shipping-service .
# The CDK app (infra) uses this file as the image asset of every service, docker compose can too.
#
# The runtime is Temurin 25, the JDK the build's tests run on; the code is compiled for Java 21 (release 21).
# On 21 a virtual thread that blocks inside a monitor pins its carrier (fixed in 24), and the SQS consumer's
# pollers are virtual threads, so the image runs the JDK the behaviour was measured on.
# Images are pinned to exact tags. To pin to digests as well, pass
#   --build-arg BUILD_IMAGE=maven:...@sha256:... --build-arg RUNTIME_IMAGE=eclipse-temurin:...@sha256:...
ARG BUILD_IMAGE=maven:3.9.11-eclipse-temurin-25
ARG RUNTIME_IMAGE=eclipse-temurin:25.0.3_9-jre-noble

FROM ${BUILD_IMAGE} AS build
ARG MODULE=order-service
WORKDIR /workspace
# The whole reactor is needed: -am builds the platform modules the service depends on. The build context is
# expected to leave out target/, node_modules/, cdk.out/ and .git/ (the CDK asset excludes them).
COPY . .
# The Maven repository lives in a BuildKit cache, so dependencies download once per builder, not per change.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl "${MODULE}" -am package -Dmaven.test.skip=true \
    && cp "${MODULE}"/target/"${MODULE}"-*.jar application.jar \
    && java -Djarmode=tools -jar application.jar extract --layers --destination extracted

FROM ${RUNTIME_IMAGE}
ARG MODULE=order-service
LABEL org.opencontainers.image.title="${MODULE}" \
      org.opencontainers.image.source="decoupled-aws-messaging"
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app
WORKDIR /app
# Spring Boot's layers, least to most often changed, so a code change rebuilds only the last layer.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
USER 10001:10001
ENV PORT=8080
EXPOSE 8080
# Size the heap from the task's memory limit and stop (to be replaced) rather than limp on after an OOM.
# exec form: java is PID 1 and receives SIGTERM directly, which starts Spring's graceful shutdown.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "application.jar"]
