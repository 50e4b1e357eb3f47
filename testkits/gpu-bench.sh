#!/usr/bin/env bash
# GPU benchmark: PGD on the Fashion-MNIST reference CNN on a CUDA GPU through DJL's PyTorch engine,
# against the CPU in the same run. Run it on a CUDA machine after `mvn -B -q install -DskipTests -Dinvoker.skip`
# at the repository root; it is not run in CI (no GPU there).
#
#   testkits/gpu-bench.sh [pytorch-native-artifact]      e.g. pytorch-native-cu124 (the CUDA build DJL publishes
#                                                         for PyTorch 2.7.1 that matches your driver)
set -euo pipefail
cd "$(dirname "$0")"
native=${1:-pytorch-native-cu124}
for device in cpu gpu; do
  echo "[gpu-bench] PGD-10, batch 256, PyTorch on $device"
  mvn -B -q -Ppytorch-gpu -Dpytorch.native.artifact="$native" test-compile exec:java \
    -Dexec.mainClass=dev.gauntlet.testkits.bench.AttackBench -Dexec.args="5" \
    -Dgauntlet.engine=PyTorch -Dai.djl.default_engine=PyTorch -Dgauntlet.device="$device"
done
