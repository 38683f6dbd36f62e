#!/usr/bin/env bash
# Installs Fashion-MNIST (Debian's dataset-fashion-mnist: the 60,000 training and 10,000 test images in IDX files,
# MIT licence) at /usr/share/datasets/fashion-mnist, for the tests of model-optimization and model-training.
# Maven runs it before those tests (exec-maven-plugin, phase process-test-resources); it does nothing when the files
# are there. It needs root and apt-get; without them it says what to run and exits 0, and the tests that need the
# data fail naming the same command.
set -euo pipefail
dir=/usr/share/datasets/fashion-mnist
if [ -f "$dir/t10k-images-idx3-ubyte.gz" ] && [ -f "$dir/train-images-idx3-ubyte.gz" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "fashion-mnist.sh: $dir is missing; install it with: apt-get install dataset-fashion-mnist (as root)" >&2
  exit 0
fi
echo "fashion-mnist.sh: installing Debian's dataset-fashion-mnist (31 MB) for the tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 \
  || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q dataset-fashion-mnist >/dev/null; }
test -f "$dir/t10k-images-idx3-ubyte.gz"
