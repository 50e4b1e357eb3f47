#!/usr/bin/env bash
# GPU benchmark: BenchTable's attack rows (PGD-10 on the Fashion-MNIST reference CNN and on the CIFAR-shaped
# ResNet-20, APGD, Square, integrated gradients, KernelSHAP) through DJL's PyTorch engine, first on the CPU
# and then on a CUDA GPU, each printed as the same Markdown table as README's. Every row is measured in the
# same run as its anchors: the PyTorch Python loop runs on the same device (skipped where python3 has no
# torch), the raw DJL loop with detached parameters and the float32 matrix-product peak are measured on it.
# Run on a CUDA machine after `mvn -B -q install -DskipTests -Dinvoker.skip` at the repository root; it is
# not run in CI (no GPU there).
#
#   testkits/gpu-bench.sh [pytorch-native-artifact] [rounds] [rows]
#     pytorch-native-artifact  the CUDA build DJL publishes for PyTorch 2.7.1 that matches the driver
#                              (default pytorch-native-cu124)
#     rounds                   timed rounds per row (default 5)
#     rows                     BenchTable's row names, comma-separated (default pgd,resnet,apgd,square,ig,shap)
set -euo pipefail
cd "$(dirname "$0")"
native=${1:-pytorch-native-cu124}
rounds=${2:-5}
rows=${3:-pgd,resnet,apgd,square,ig,shap}
# BenchTable's arguments: rounds, trust-score sizes (unused by these rows), rows
# DJL PyTorch's CPU convolution gradients are wrong on AVX2/AVX-512 oneDNN kernels (the library refuses
# them): the CPU step runs on AVX kernels (the PyTorch anchor inherits the setting, so both use the same
# kernels); the GPU step does not use oneDNN
export ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-AVX}
args="$rounds 60000 10000 20000 4000 $rows"
for device in cpu gpu; do
  echo "[gpu-bench] BenchTable on DJL PyTorch, device $device"
  mvn -B -q -Ppytorch-gpu -Dpytorch.native.artifact="$native" test-compile exec:java \
    -Dexec.mainClass=dev.gauntlet.testkits.bench.BenchTable -Dexec.args="$args" \
    -Dgauntlet.engine=PyTorch -Dai.djl.default_engine=PyTorch -Dgauntlet.device="$device"
done
