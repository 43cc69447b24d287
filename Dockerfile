# Dream Oven: the Discord bot (`serve`) in a container.
#
#   docker build -t dreamoven .
#   docker run -d --name dreamoven -e DISCORD_TOKEN=... \
#       -v dreamoven-data:/app/data -v dreamoven-baked:/app/baked dreamoven
#   docker stop -t 75 dreamoven   # lets the running job go back to the queue (the queue waits up to 60 s)
#
# The token may also come from a file: mount it and point discord.token-file at it, e.g.
#   -v ./secrets/discord-token:/run/secrets/discord-token:ro -e DREAMOVEN_DISCORD_TOKEN_FILE=/run/secrets/discord-token
# Any setting can be overridden with DREAMOVEN_<KEY> (see config/dreamoven.properties).
#
# CPU by default: libtorch for CPU (pytorch-native-cpu 2.7.1, linux-x86_64) is inside the jar.
#
# CUDA variant (not built here; documented so it can be made on purpose):
#   - DJL needs a CUDA build of libtorch. `pytorch-native-cu12x:2.7.1` is NOT on Maven Central, so the
#     pom's CPU natives cannot simply be swapped for the same version. What is published:
#     `ai.djl.pytorch:pytorch-native-cu124:2.5.1` (classifier linux-x86_64) with the matching
#     `pytorch-jni:2.5.1-<djl>` and the DJL release for libtorch 2.5.1 (DJL 0.31.x); build the jar with
#     those instead of pytorch-native-cpu / pytorch-jni 2.7.1 (e.g. a Maven profile), or let DJL
#     download its CUDA libtorch at deploy time (needs network on first start; PYTORCH_FLAVOR=cu124).
#   - Runtime base: nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 plus a Java 17 runtime (Temurin's
#     tarball or apt's openjdk-17-jre-headless) instead of eclipse-temurin:17-jre.
#   - Run with `docker run --gpus all ...`; the render worker is single-threaded and owns the one GPU.

# ---- build -----------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so code changes do not download them again.
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
COPY config ./config
# The tests need ../shared fixtures that are not in the image; CI runs them.
RUN mvn -B -ntp -q package -DskipTests

# ---- runtime ---------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 dreamoven \
    && useradd --system --uid 10001 --gid dreamoven --home-dir /app --shell /usr/sbin/nologin dreamoven
WORKDIR /app
COPY --from=build /src/target/dreamoven.jar /app/dreamoven.jar
COPY --from=build /src/config /app/config
# The baked paths shipped with the repository seed the baked/ volume on its first use.
COPY baked /app/baked
# data/: the SQLite database (queue, results index) and finished pictures; baked/: baked paths;
# cache/: where DJL unpacks libtorch on first start.
RUN mkdir -p /app/data /app/baked /app/cache /app/secrets \
    && chown -R dreamoven:dreamoven /app/data /app/baked /app/cache /app/secrets
ENV DJL_CACHE_DIR=/app/cache \
    ENGINE_CACHE_DIR=/app/cache \
    DREAMOVEN_STORE_DATABASE=/app/data/dreamoven.db \
    DREAMOVEN_STORE_RESULTS=/app/data/results \
    DREAMOVEN_STORE_BAKED=/app/baked \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME ["/app/data", "/app/baked"]
USER dreamoven
# Exec form: java is PID 1 and gets SIGTERM, so the shutdown hook puts the running job back.
ENTRYPOINT ["java", "-jar", "/app/dreamoven.jar"]
CMD ["serve"]
