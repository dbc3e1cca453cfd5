#!/usr/bin/env bash
# What an application gets from each published artifact (compile + runtime scope): how many jars
# and how many bytes, as a fresh Maven consumer without any BOM resolves them. The README's figures
# come from here. Builds the published modules (no tests), deploys them to a temporary file
# repository (nothing is installed in ~/.m2), then resolves one throwaway consumer per artifact
# with its own empty local repository, reading everything else from ~/.m2 as if it were remote.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
m2=$(mvn -q -B -Dstyle.color=never help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null | sed "s/\x1b\[[0-9;]*m//g")
version=$(mvn -q -B -Dstyle.color=never help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null | sed "s/\x1b\[[0-9;]*m//g")

mvn -B -ntp -q -pl spring-boot-starter -am -DskipTests -Dmaven.install.skip=true \
  deploy -DaltDeploymentRepository="footprint::file://$work/repo" >"$work/deploy.log" 2>&1 \
  || { cat "$work/deploy.log"; exit 1; }

for artifact in s3-redirect-filter s3-redirect-spring-boot-starter; do
  consumer="$work/$artifact"
  mkdir -p "$consumer"
  cat >"$consumer/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId><artifactId>consumer</artifactId><version>1</version>
  <repositories>
    <repository><id>footprint</id><url>file://$work/repo</url><snapshots><enabled>true</enabled></snapshots></repository>
    <repository><id>local-as-remote</id><url>file://$m2</url></repository>
  </repositories>
  <pluginRepositories>
    <pluginRepository><id>local-as-remote</id><url>file://$m2</url></pluginRepository>
  </pluginRepositories>
  <dependencies>
    <dependency><groupId>dev.s3redirect</groupId><artifactId>$artifact</artifactId><version>$version</version></dependency>
  </dependencies>
</project>
POM
  (cd "$consumer" && mvn -B -ntp -q -Dmaven.repo.local="$consumer/m2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list -DincludeScope=runtime \
    -DoutputAbsoluteArtifactFilename=true -DoutputFile="$consumer/list.txt" >"$consumer/mvn.log" 2>&1) \
    || { cat "$consumer/mvn.log"; exit 1; }
  grep -oE "$consumer/m2/[^ ]+\.jar" "$consumer/list.txt" | sort >"$consumer/jars.txt"
  jars=$(wc -l <"$consumer/jars.txt")
  bytes=$(xargs du -cb <"$consumer/jars.txt" | tail -1 | cut -f1)
  netty=$(grep -c -e '/io/netty/' -e '/netty-nio-client/' "$consumer/jars.txt" || true)
  spring=$(grep -c -e '/org/springframework/' "$consumer/jars.txt" || true)
  printf '%s: %d jars, %.1f MiB (Netty: %d jars, Spring: %d jars)\n' \
    "$artifact" "$jars" "$(echo "$bytes / 1048576" | bc -l)" "$netty" "$spring"
done
