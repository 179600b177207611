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
# The JDK's vector API, an incubator module in Java 17, for the small-network products
# (docs/lockstep.md, "Vector products"). Only the JVMs that train or measure networks ask for it:
# the JVM then prints one line, "WARNING: Using incubator modules: jdk.incubator.vector". A JVM
# without it computes the same bits in scalar loops, about half as fast.
SHARPSWEEP_VECTOR=(--add-modules=jdk.incubator.vector)
# ND4J allocates its arrays off the Java heap; javacpp caps that memory (maxbytes) and can cap the
# whole process (maxphysicalbytes, 0 = no cap: on a cluster YARN or Kubernetes enforce the
# container's size, and a Fashion-MNIST point with width 100 needs well under 1G).
SHARPSWEEP_ND4J_MEMORY=(
  "-Dorg.bytedeco.javacpp.maxbytes=${SHARPSWEEP_ND4J_MAXBYTES:-4G}"
  "-Dorg.bytedeco.javacpp.maxphysicalbytes=${SHARPSWEEP_ND4J_MAXPHYSICALBYTES:-0}"
)
# OpenBLAS kernel. ND4J's bundled OpenBLAS 0.3.21 misreads recent CPUs (Sapphire and Emerald
# Rapids get its generic Prescott kernel, about 4x slower) and reads OPENBLAS_CORETYPE once, when
# it loads, so the choice is made here for every JVM these scripts start. The table is the one
# of org.sharpsweep.worker.blas.BlasKernel (BlasKernelTest runs this function on the same
# recorded CPUs); a JVM started any other way chooses for itself (blas.Blas). A value the user
# exported wins; SHARPSWEEP_BLAS_CORE_FROM_USER says whether there was one.
sharpsweep_blas_core() {  # [cpuinfo file]: prints the best OpenBLAS 0.3.21 core name, or nothing
  local info="${1:-/proc/cpuinfo}" vendor flags f
  [[ -r "$info" ]] || return 0
  vendor="$(awk -F': *' '/^vendor_id/ {print $2; exit}' "$info")"
  flags=" $(awk -F': *' '/^flags/ {print $2; exit}' "$info") "
  _sharpsweep_has() { for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done; }
  if _sharpsweep_has avx512f avx512vl avx512bw avx512dq avx512cd; then
    if _sharpsweep_has avx512_bf16; then echo Cooperlake; else echo SkylakeX; fi
  elif _sharpsweep_has avx2 fma; then
    if [[ "$vendor" == AuthenticAMD || "$vendor" == HygonGenuine ]]; then echo Zen; else echo Haswell; fi
  elif _sharpsweep_has avx; then
    echo Sandybridge
  fi
}
if [[ -n "${OPENBLAS_CORETYPE:-}" ]]; then
  SHARPSWEEP_BLAS_CORE_FROM_USER=1
else
  SHARPSWEEP_BLAS_CORE_FROM_USER=0
  _core="$(sharpsweep_blas_core)"
  if [[ -n "$_core" ]]; then export OPENBLAS_CORETYPE="$_core"; fi
  unset _core
fi
