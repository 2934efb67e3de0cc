#!/bin/sh
# The tool apache/kafka ships under this name (docker-compose.yml's health check runs it), from the same jars.
exec java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties -cp '/opt/kafka/libs/*' kafka.admin.BrokerApiVersionsCommand "$@"
