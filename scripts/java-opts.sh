# Sourced by the sharpsweep scripts: the JVM flags Spark documents for Java 17 and ND4J's
# off-heap memory limits. Keep in step with <java17.opens> in the parent pom.xml.
SHARPSWEEP_OPENS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
)
# ND4J allocates its arrays off the Java heap; javacpp caps that memory (maxbytes) and can cap the
# whole process (maxphysicalbytes, 0 = no cap: on a cluster YARN or Kubernetes enforce the
# container's size, and a Fashion-MNIST point with width 100 needs well under 1G).
SHARPSWEEP_ND4J_MEMORY=(
  "-Dorg.bytedeco.javacpp.maxbytes=${SHARPSWEEP_ND4J_MAXBYTES:-4G}"
  "-Dorg.bytedeco.javacpp.maxphysicalbytes=${SHARPSWEEP_ND4J_MAXPHYSICALBYTES:-0}"
)
