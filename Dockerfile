# Builds and runs ccbridge in the prod profile; see docker-compose.yml for its services.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
# packaged into the jar as its default routes (a mounted /app/routes replaces them)
COPY routes routes
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# the service needs no privilege: it runs as a user of its own, which owns only its data folder
RUN groupadd --system --gid 10001 ccbridge && useradd --system --uid 10001 --gid ccbridge --no-create-home ccbridge
WORKDIR /app
COPY --from=build /build/target/ccbridge-*.jar /app/ccbridge.jar
COPY routes /app/routes
RUN mkdir /app/data && chown ccbridge:ccbridge /app/data
USER 10001:10001
ENV SPRING_PROFILES_ACTIVE=prod
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/ccbridge.jar"]
